/**
 * A local stand-in for a Supabase project, built from real parts: PostgreSQL with Supabase's
 * roles and `auth` schema plus the project migrations, the real PostgREST binary, the Storage
 * test server, and a gateway on one loopback port routing `/rest/v1/*` → PostgREST and
 * `/storage/v1/*` → Storage (Kong's job in Supabase). Keys are HS256 JWTs of the project secret.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUCKETS } from '../../src/domain/concept.js';
import { loadMigrations } from '../../src/persistence/migrations.js';
import { serviceRoleKey, userAccessToken } from './jwt.js';
import { findPostgresBinaries, startPostgres, type RunningPostgres } from './postgres.js';
import { findPostgrestBinary, startPostgrest, type RunningPostgrest } from './postgrest.js';
import { startStorageServer, type StorageServer } from './storage-server.js';

export interface SupabaseStack {
  /** The project URL (SUPABASE_URL). */
  url: string;
  /** SUPABASE_SERVICE_ROLE_KEY: a service_role JWT. */
  serviceRoleKey: string;
  jwtSecret: string;
  /** An access token of role `authenticated` for this user id (a uuid). */
  userToken(userId: string): string;
  /** Runs SQL as the database superuser; psql's unaligned tuples-only output. */
  sql(query: string): Promise<string>;
  /** Applies the project migrations again (they must be idempotent). */
  applyMigrations(): Promise<void>;
  storage: StorageServer;
  stop(): Promise<void>;
}

const ROLES_SQL = new URL('./supabase-roles.sql', import.meta.url);

/** Why the stack cannot run on this machine, or null when it can. */
export function supabaseStackUnavailable(): string | null {
  const postgres = findPostgresBinaries();
  if ('missing' in postgres) return postgres.missing;
  const postgrest = findPostgrestBinary();
  return 'missing' in postgrest ? postgrest.missing : null;
}

/** Every project migration, in order (the same files the embedded backend applies). */
async function applyProjectMigrations(exec: (sql: string) => Promise<void>): Promise<void> {
  for (const migration of await loadMigrations()) await exec(migration.sql);
}

function startGateway(routes: { rest: string; storage: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const forward = (req: IncomingMessage, res: ServerResponse, target: string, path: string) => {
    const { hostname, port } = new URL(target);
    const upstream = request({ hostname, port, path, method: req.method, headers: { ...req.headers, host: `${hostname}:${port}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `gateway: ${err.message}` }));
    });
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/rest/v1/') || path === '/rest/v1') return forward(req, res, routes.rest, path.slice('/rest/v1'.length) || '/');
    if (path.startsWith('/storage/v1/')) return forward(req, res, routes.storage, path);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'no route matched' }));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((err) => (err ? fail(err) : done()));
          }),
      });
    });
  });
}

export async function startSupabaseStack(): Promise<SupabaseStack> {
  const postgresBinaries = findPostgresBinaries();
  const postgrestBinary = findPostgrestBinary();
  if ('missing' in postgresBinaries) throw new Error(postgresBinaries.missing);
  if ('missing' in postgrestBinary) throw new Error(postgrestBinary.missing);

  const jwtSecret = randomBytes(32).toString('hex');
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const db: RunningPostgres = await startPostgres(postgresBinaries);
    stops.push(() => db.stop());
    await db.exec(await readFile(ROLES_SQL, 'utf8'));
    await applyProjectMigrations(db.exec);

    const rest: RunningPostgrest = await startPostgrest({ binary: postgrestBinary.path, dbUri: db.uri('authenticator'), jwtSecret });
    stops.push(() => rest.stop());
    const storage = await startStorageServer({ jwtSecret, buckets: Object.values(BUCKETS) });
    stops.push(() => storage.stop());
    const gateway = await startGateway({ rest: rest.url, storage: storage.origin });
    stops.push(() => gateway.stop());

    return {
      url: gateway.url,
      serviceRoleKey: serviceRoleKey(jwtSecret),
      jwtSecret,
      userToken: (userId) => userAccessToken(jwtSecret, userId),
      sql: (query) => db.query(query),
      applyMigrations: () => applyProjectMigrations(db.exec),
      storage,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
