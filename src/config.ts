/**
 * The only module that reads process.env. Everything is validated once here and passed down.
 */
import { z } from 'zod';
import type { QuotaLimits, QuotaWindow } from './domain/quota.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const provider = z.enum(['local', 'jigsawstack', 'openai']).default('local');
/** Uses per window; 0 = that window is not enforced. */
const quota = (fallback: number) => z.coerce.number().int().min(0).max(1_000_000).default(fallback);

/** The Vite dev server and `vite preview` on this machine: where the original frontend runs in development. */
export const DEFAULT_CORS_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://localhost:4173', 'http://127.0.0.1:4173'];

/** `CORS_ORIGINS`: comma-separated origins (scheme://host[:port]); each is checked and normalised. */
function parseOrigins(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return DEFAULT_CORS_ORIGINS;
  const origins: string[] = [];
  for (const item of raw.split(',').map((o) => o.trim()).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    const originOnly = url && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    if (!url || !originOnly || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      problems.push(`CORS_ORIGINS: "${item}" is not an origin like https://app.example.com (scheme, host and port only; no "*", path or query)`);
      continue;
    }
    origins.push(url.origin);
  }
  return origins;
}

const windows = (perHour: number, perMonth: number): QuotaWindow[] =>
  [
    { period: 'hour' as const, limit: perHour },
    { period: 'month' as const, limit: perMonth },
  ].filter((w) => w.limit > 0);

const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: port(3000),
  PUBLIC_BASE_URL: optionalString,
  DATA_DIR: z.string().default('./data'),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TASK_QUEUE: z.string().default('concepts'),
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  PATH: z.string().default(''),
  IMAGE_PROVIDER: provider,
  PALETTE_PROVIDER: provider,
  JIGSAWSTACK_API_KEY: optionalString,
  JIGSAWSTACK_BASE_URL: z.string().default('https://api.jigsawstack.com'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.string().default('https://api.openai.com'),
  OPENAI_IMAGE_MODEL: z.string().default('gpt-image-1'),
  OPENAI_CHAT_MODEL: z.string().default('gpt-4o-mini'),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  SUPABASE_URL: optionalString,
  SUPABASE_SERVICE_ROLE_KEY: optionalString,
  SUPABASE_JWT_SECRET: optionalString,
  SUPABASE_JWKS_URL: optionalString,
  SUPABASE_JWT_AUDIENCE: z.string().trim().min(1).default('authenticated'),
  SUPABASE_JWT_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).default(24 * 3600),
  SUPABASE_AUTH_URL: optionalString,
  SUPABASE_ANON_KEY: optionalString,
  SIGNED_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(7 * 24 * 3600).default(3600),
  SIGNING_SECRET: optionalString,
  VARIATION_FORMAT: z.enum(['png', 'webp']).default('png'),
  IMAGE_WORK_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  SSE_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).default(10),
  SSE_MAX_STREAMS: z.coerce.number().int().min(1).default(500),
  SSE_MAX_STREAM_SECONDS: z.coerce.number().int().min(10).default(600),
  CORS_ORIGINS: optionalString,
  QUOTA_GENERATE_PER_HOUR: quota(10),
  QUOTA_GENERATE_PER_MONTH: quota(100),
  QUOTA_REFINE_PER_HOUR: quota(10),
  QUOTA_REFINE_PER_MONTH: quota(100),
  QUOTA_EXPORT_PER_HOUR: quota(50),
  QUOTA_EXPORT_PER_MONTH: quota(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_HOST: z.string().default('127.0.0.1'),
  // 0 or `off` turns the metrics listener off.
  METRICS_PORT: z.preprocess((v) => (typeof v === 'string' && v.trim().toLowerCase() === 'off' ? 0 : v), port(9464)),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString,
  OTEL_SERVICE_NAME: z.string().default('conceptflow'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  host: string;
  port: number;
  /** Base URL clients use to reach the API (signed object URLs are built on it). */
  publicBaseUrl: string;
  dataDir: string;
  temporal: {
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    cliPath: string | undefined;
    /** Frontend (gRPC) port of the dev server `npm start` runs; fixed so the CLI and tools reach it. */
    port: number;
    uiPort: number;
    /** PATH entries searched for a `temporal` binary when neither TEMPORAL_CLI_PATH nor .tools/bin/temporal exists. */
    searchPath: string[];
  };
  providers: {
    image: 'local' | 'jigsawstack' | 'openai';
    palette: 'local' | 'jigsawstack' | 'openai';
    timeoutMs: number;
    jigsawstack: { apiKey: string | undefined; baseUrl: string };
    openai: { apiKey: string | undefined; baseUrl: string; imageModel: string; chatModel: string };
  };
  supabase: { url: string; serviceRoleKey: string } | undefined;
  auth: {
    jwtSecret: string | undefined;
    jwksUrl: string | undefined;
    /** Accepted `aud` values (comma-separated in SUPABASE_JWT_AUDIENCE). */
    audience: string[];
    /** Longest accepted token lifetime (exp − iat), seconds. */
    maxTokenLifetimeSeconds: number;
  };
  /** How the web page signs in when the API requires tokens (Supabase anonymous sign-in). */
  webAuth: { supabaseUrl: string | undefined; anonKey: string | undefined };
  signedUrlTtlSeconds: number;
  /** HMAC secret for the embedded store's signed URLs; generated and kept in DATA_DIR when unset. */
  signingSecret: string | undefined;
  variationFormat: 'png' | 'webp';
  /** Pixel work a worker does at once (decode, recolour, encode); undefined: one per core. */
  imageWorkConcurrency: number | undefined;
  /** Event streams: open streams per user and in total, and the longest a stream stays open. */
  eventStreams: { perUser: number; total: number; maxLifetimeMs: number };
  /** Origins whose browser pages may call the API (CORS). */
  corsOrigins: string[];
  /** Per-user usage quotas per category (enforced windows only). */
  quotas: QuotaLimits;
  logLevel: Env['LOG_LEVEL'];
  /** Prometheus `/metrics` listener; undefined when METRICS_PORT is 0 or `off`. */
  metrics: { host: string; port: number } | undefined;
  /** OpenTelemetry traces over OTLP (http/protobuf); undefined when no endpoint is set (tracing off). */
  tracing: { endpoint: string; serviceName: string } | undefined;
}

/** HMAC keys shorter than this are guessable enough to forge signed file URLs. */
export const MIN_SIGNING_SECRET_LENGTH = 32;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if ((e.SUPABASE_URL === undefined) !== (e.SUPABASE_SERVICE_ROLE_KEY === undefined)) {
    problems.push('SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY must be set together (or neither, for the embedded backend)');
  }
  for (const kind of ['IMAGE_PROVIDER', 'PALETTE_PROVIDER'] as const) {
    if (e[kind] === 'jigsawstack' && !e.JIGSAWSTACK_API_KEY) problems.push(`${kind}=jigsawstack needs JIGSAWSTACK_API_KEY`);
    if (e[kind] === 'openai' && !e.OPENAI_API_KEY) problems.push(`${kind}=openai needs OPENAI_API_KEY`);
  }
  if (e.SIGNING_SECRET !== undefined && e.SIGNING_SECRET.length < MIN_SIGNING_SECRET_LENGTH) {
    problems.push(
      `SIGNING_SECRET must be at least ${MIN_SIGNING_SECRET_LENGTH} characters (it has ${e.SIGNING_SECRET.length}); use e.g. \`openssl rand -hex 32\`, or leave it unset to have one generated into DATA_DIR`,
    );
  }
  const corsOrigins = parseOrigins(e.CORS_ORIGINS, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const host = e.HOST;
  const authConfigured = Boolean(e.SUPABASE_JWT_SECRET || e.SUPABASE_JWKS_URL);
  return {
    host,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${e.PORT}`).replace(/\/+$/, ''),
    dataDir: e.DATA_DIR,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      searchPath: e.PATH.split(':').filter(Boolean),
    },
    providers: {
      image: e.IMAGE_PROVIDER,
      palette: e.PALETTE_PROVIDER,
      timeoutMs: e.PROVIDER_TIMEOUT_MS,
      jigsawstack: { apiKey: e.JIGSAWSTACK_API_KEY, baseUrl: e.JIGSAWSTACK_BASE_URL.replace(/\/+$/, '') },
      openai: {
        apiKey: e.OPENAI_API_KEY,
        baseUrl: e.OPENAI_BASE_URL.replace(/\/+$/, ''),
        imageModel: e.OPENAI_IMAGE_MODEL,
        chatModel: e.OPENAI_CHAT_MODEL,
      },
    },
    supabase:
      e.SUPABASE_URL && e.SUPABASE_SERVICE_ROLE_KEY
        ? { url: e.SUPABASE_URL.replace(/\/+$/, ''), serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY }
        : undefined,
    auth: {
      jwtSecret: authConfigured ? e.SUPABASE_JWT_SECRET : undefined,
      jwksUrl: e.SUPABASE_JWKS_URL,
      audience: e.SUPABASE_JWT_AUDIENCE.split(',').map((a) => a.trim()).filter(Boolean),
      maxTokenLifetimeSeconds: e.SUPABASE_JWT_MAX_LIFETIME_SECONDS,
    },
    webAuth: { supabaseUrl: (e.SUPABASE_AUTH_URL ?? e.SUPABASE_URL)?.replace(/\/+$/, ''), anonKey: e.SUPABASE_ANON_KEY },
    signedUrlTtlSeconds: e.SIGNED_URL_TTL_SECONDS,
    signingSecret: e.SIGNING_SECRET,
    variationFormat: e.VARIATION_FORMAT,
    imageWorkConcurrency: e.IMAGE_WORK_CONCURRENCY,
    eventStreams: { perUser: e.SSE_MAX_STREAMS_PER_USER, total: e.SSE_MAX_STREAMS, maxLifetimeMs: e.SSE_MAX_STREAM_SECONDS * 1000 },
    corsOrigins,
    quotas: {
      generate: windows(e.QUOTA_GENERATE_PER_HOUR, e.QUOTA_GENERATE_PER_MONTH),
      refine: windows(e.QUOTA_REFINE_PER_HOUR, e.QUOTA_REFINE_PER_MONTH),
      export: windows(e.QUOTA_EXPORT_PER_HOUR, e.QUOTA_EXPORT_PER_MONTH),
    },
    logLevel: e.LOG_LEVEL,
    metrics: e.METRICS_PORT === 0 ? undefined : { host: e.METRICS_HOST, port: e.METRICS_PORT },
    tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ''), serviceName: e.OTEL_SERVICE_NAME }
      : undefined,
  };
}
