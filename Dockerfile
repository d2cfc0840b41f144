# Conceptflow production image: compiled dist/ with the workflow bundle prebuilt (the Temporal
# production sample), run as a non-root user. One image, three roles:
#   docker run … conceptflow             → worker + API in one process (TEMPORAL_ADDRESS required)
#   docker run … conceptflow dist/worker.js   → the worker alone (Supabase backend)
#   docker run … conceptflow dist/api-main.js  → the API alone (Supabase backend)
# See docker-compose.temporal.yml for a cluster with both services.

# ---- build: dev dependencies, tsc, workflow bundle, web page
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime dependencies only
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime
FROM node:20-bookworm-slim
# /metrics (Prometheus) listens beside the API; inside a container it must not be loopback-only.
# MALLOC_ARENA_MAX: glibc's per-thread malloc arenas hold memory the image work frees (docs/performance.md, P6).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data METRICS_HOST=0.0.0.0 METRICS_PORT=9464 MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000 9464
ENTRYPOINT ["node"]
CMD ["dist/main.js"]
