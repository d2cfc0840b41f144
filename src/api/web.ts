/**
 * The web page (web/, built by Vite into dist/web) served by the API itself, same origin:
 * hashed assets cached for a year, index.html revalidated every time, a history-API fallback to
 * index.html for page paths (never for /api, /files or /storage, nor names with an extension), a
 * CSP that allows exactly what the page loads, and /app-config.json telling the page how to sign in.
 * When the page has not been built, page paths answer 503 saying how to build it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response } from 'express';

/** What the page learns at run time (nothing secret: the anon key is public by design). */
export interface WebClientConfig {
  auth: { required: boolean; supabase_url: string | null; supabase_anon_key: string | null };
}

export interface WebOptions {
  /** The built page (dist/web); see defaultWebRoot(). */
  root: string;
  client: WebClientConfig;
  /** Origins images come from besides this one (signed URL hosts: PUBLIC_BASE_URL, Supabase). */
  imageOrigins: string[];
  /** Origins the page calls besides this one (Supabase auth). */
  connectOrigins: string[];
}

/** dist/web of this checkout, from src/api (tsx) and from dist/api (compiled) alike. */
export const defaultWebRoot = (): string => fileURLToPath(new URL('../../dist/web', import.meta.url));

/** The API's own prefixes (signed object URLs included): never answered with the page. */
const API_OR_FILES = /^\/(api|files|storage)(\/|$)/;
const HAS_EXTENSION = /\/[^/]*\.[^/]*$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

export function webContentSecurityPolicy(options: Pick<WebOptions, 'imageOrigins' | 'connectOrigins'>): string {
  const list = (origins: string[]) => [...new Set(origins)].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' blob: ${list(options.imageOrigins)}`.trim(),
    `connect-src 'self' ${list(options.connectOrigins)}`.trim(),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The origin of a URL, or null for something that is not an absolute http(s) URL. */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

export function createWebRouter(options: WebOptions): express.Router {
  const router = express.Router();
  const csp = webContentSecurityPolicy(options);
  const indexFile = join(options.root, 'index.html');
  const pageHeaders = (res: Response) => res.setHeader('Content-Security-Policy', csp);

  router.get('/app-config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(options.client);
  });

  router.use(
    express.static(options.root, {
      index: false,
      redirect: false,
      setHeaders: (res, path) => {
        pageHeaders(res);
        res.setHeader('Cache-Control', path.includes(`${join(options.root, 'assets')}`) ? IMMUTABLE : 'no-cache');
      },
    }),
  );

  router.get(/.*/, (req, res, next) => {
    if (API_OR_FILES.test(req.path) || HAS_EXTENSION.test(req.path)) return next();
    if (!existsSync(indexFile)) {
      res.status(503).type('text/plain').send('The web page is not built yet: run `npm run build:web` (npm start does it by itself).\n');
      return;
    }
    pageHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });

  return router;
}
