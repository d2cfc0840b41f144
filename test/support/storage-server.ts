/**
 * An in-memory server speaking the Supabase Storage REST contract exactly as storage-js calls it
 * (paths under `/storage/v1`): upload (POST, `x-upsert`) and update (PUT), authenticated download,
 * list (one folder level, paged), delete by `prefixes`, signed URLs (create + serve, token and
 * expiry checked), bucket lookup. Errors have Storage's body `{ statusCode, error, message }`;
 * a missing object is HTTP 400 with `statusCode: "404"`, as Storage answers it. Every call but a
 * signed GET needs a service_role JWT signed with the project secret.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nowSeconds, signJwt, verifyJwt } from './jwt.js';

export interface StoredFile {
  id: string;
  bytes: Buffer;
  contentType: string;
  createdAt: string;
  updatedAt: string;
}

export interface StorageServer {
  /** `http://127.0.0.1:{port}`; the API is under `/storage/v1`. */
  origin: string;
  /** bucket → path → file (inspect or seed in tests). */
  readonly buckets: ReadonlyMap<string, Map<string, StoredFile>>;
  /** While set, every request is answered with this HTTP status (e.g. 503) instead of being served. */
  simulateOutage(status: number | null): void;
  stop(): Promise<void>;
}

const PREFIX = '/storage/v1';

class StorageHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly statusCode: string,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

const objectNotFound = () => new StorageHttpError(400, '404', 'not_found', 'Object not found');
const bucketNotFound = () => new StorageHttpError(400, '404', 'Bucket not found', 'Bucket not found');

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new StorageHttpError(400, '400', 'Invalid JSON', 'body must be a JSON object');
}

function decodePath(segments: string[]): string {
  try {
    const decoded = segments.map((s) => decodeURIComponent(s));
    if (decoded.length === 0 || decoded.some((s) => s === '')) throw new Error('empty segment');
    return decoded.join('/');
  } catch {
    throw new StorageHttpError(400, '400', 'InvalidKey', 'Invalid key');
  }
}

export async function startStorageServer(options: { jwtSecret: string; buckets: readonly string[] }): Promise<StorageServer> {
  const buckets = new Map<string, Map<string, StoredFile>>(options.buckets.map((b) => [b, new Map()]));
  let outage: number | null = null;

  const bucketOf = (name: string | undefined) => {
    const bucket = name === undefined ? undefined : buckets.get(decodeURIComponent(name));
    if (!bucket) throw bucketNotFound();
    return bucket;
  };

  function requireServiceRole(req: IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token) throw new StorageHttpError(400, '403', 'Unauthorized', 'headers must have required property authorization');
    const verified = verifyJwt(options.jwtSecret, token);
    if ('error' in verified) throw new StorageHttpError(400, '403', 'Unauthorized', verified.error);
    if (verified.claims.role !== 'service_role') {
      throw new StorageHttpError(400, '403', 'Unauthorized', 'new row violates row-level security policy');
    }
  }

  function serveFile(res: ServerResponse, file: StoredFile): void {
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length, 'cache-control': 'max-age=3600' });
    res.end(file.bytes);
  }

  async function write(req: IncomingMessage, res: ServerResponse, bucketName: string, path: string, mode: 'create' | 'update'): Promise<void> {
    const bucket = bucketOf(bucketName);
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    if (contentType.startsWith('multipart/form-data')) throw new StorageHttpError(400, '400', 'InvalidRequest', 'this test server takes raw bodies only');
    const bytes = await readBody(req);
    const existing = bucket.get(path);
    if (mode === 'create' && existing && req.headers['x-upsert'] !== 'true') {
      throw new StorageHttpError(409, '409', 'Duplicate', 'The resource already exists');
    }
    if (mode === 'update' && !existing) throw objectNotFound();
    const now = new Date().toISOString();
    const file: StoredFile = { id: existing?.id ?? randomUUID(), bytes, contentType, createdAt: existing?.createdAt ?? now, updatedAt: now };
    bucket.set(path, file);
    sendJson(res, 200, { Id: file.id, Key: `${bucketName}/${path}` });
  }

  /** POST /object/move {bucketId, sourceKey, destinationKey}: refuses an existing destination, as Storage does. */
  function move(body: Record<string, unknown>, res: ServerResponse): void {
    const { bucketId, sourceKey, destinationKey } = body;
    if (typeof bucketId !== 'string' || typeof sourceKey !== 'string' || typeof destinationKey !== 'string') {
      throw new StorageHttpError(400, '400', 'InvalidRequest', 'body must have required properties bucketId, sourceKey, destinationKey');
    }
    const bucket = bucketOf(bucketId);
    const file = bucket.get(sourceKey);
    if (!file) throw objectNotFound();
    if (bucket.has(destinationKey)) throw new StorageHttpError(400, '409', 'Duplicate', 'The resource already exists');
    bucket.delete(sourceKey);
    bucket.set(destinationKey, { ...file, updatedAt: new Date().toISOString() });
    sendJson(res, 200, { message: 'Successfully moved' });
  }

  function list(bucket: Map<string, StoredFile>, body: Record<string, unknown>) {
    let prefix = typeof body.prefix === 'string' ? body.prefix.replace(/^\/+/, '') : '';
    if (prefix !== '' && !prefix.endsWith('/')) prefix += '/'; // a prefix is always a folder
    const search = typeof body.search === 'string' ? body.search.toLowerCase() : '';
    const limit = typeof body.limit === 'number' ? body.limit : 100;
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    const descending = (body.sortBy as { order?: unknown } | undefined)?.order === 'desc';
    const entries = new Map<string, Record<string, unknown>>();
    for (const [path, file] of bucket) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (!name.toLowerCase().startsWith(search) || entries.has(name)) continue;
      entries.set(
        name,
        slash < 0
          ? {
              name,
              id: file.id,
              updated_at: file.updatedAt,
              created_at: file.createdAt,
              last_accessed_at: file.updatedAt,
              metadata: { size: file.bytes.length, mimetype: file.contentType, cacheControl: 'max-age=3600', lastModified: file.updatedAt },
            }
          : { name, id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null },
      );
    }
    const sorted = [...entries.values()].sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : 1));
    if (descending) sorted.reverse();
    return sorted.slice(offset, offset + limit);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://storage.local');
    if (!url.pathname.startsWith(`${PREFIX}/`)) throw new StorageHttpError(404, '404', 'not_found', 'Route not found');
    const [resource, ...segments] = url.pathname.slice(PREFIX.length + 1).split('/');
    const method = req.method ?? 'GET';

    // A signed URL is its own credential.
    if (resource === 'object' && segments[0] === 'sign' && method === 'GET') {
      const [, bucketName, ...rest] = segments;
      const bucket = bucketOf(bucketName);
      const path = decodePath(rest);
      const verified = verifyJwt(options.jwtSecret, url.searchParams.get('token') ?? '');
      if ('error' in verified) throw new StorageHttpError(400, '400', 'InvalidJWT', verified.error);
      if (verified.claims.url !== `${decodeURIComponent(bucketName ?? '')}/${path}`) {
        throw new StorageHttpError(400, '400', 'InvalidSignature', 'The url do not match the signature');
      }
      const file = bucket.get(path);
      if (!file) throw objectNotFound();
      return serveFile(res, file);
    }

    requireServiceRole(req);
    if (resource === 'bucket' && method === 'GET' && segments.length === 1) {
      bucketOf(segments[0]);
      const id = decodeURIComponent(segments[0]!);
      return sendJson(res, 200, { id, name: id, owner: '', public: false, created_at: '', updated_at: '' });
    }
    if (resource !== 'object') throw new StorageHttpError(404, '404', 'not_found', 'Route not found');

    const [first, ...rest] = segments;
    if (first === 'list' && method === 'POST') return sendJson(res, 200, list(bucketOf(rest[0]), await readJson(req)));
    if (first === 'move' && method === 'POST' && rest.length === 0) return move(await readJson(req), res);
    if (first === 'sign' && method === 'POST') {
      const [bucketName, ...pathSegments] = rest;
      const bucket = bucketOf(bucketName);
      const path = decodePath(pathSegments);
      const expiresIn = (await readJson(req)).expiresIn;
      if (typeof expiresIn !== 'number' || !(expiresIn > 0)) throw new StorageHttpError(400, '400', 'InvalidRequest', 'expiresIn must be a positive number');
      if (!bucket.has(path)) throw objectNotFound();
      const key = `${decodeURIComponent(bucketName!)}/${path}`;
      const token = signJwt(options.jwtSecret, { url: key, iat: nowSeconds(), exp: nowSeconds() + Math.floor(expiresIn) });
      return sendJson(res, 200, { signedURL: `/object/sign/${key}?token=${token}` });
    }
    if (method === 'DELETE' && rest.length === 0) {
      const bucket = bucketOf(first);
      const prefixes = (await readJson(req)).prefixes;
      if (!Array.isArray(prefixes)) throw new StorageHttpError(400, '400', 'InvalidRequest', 'body must have required property prefixes');
      const deleted = prefixes.filter((p): p is string => typeof p === 'string' && bucket.delete(p));
      return sendJson(res, 200, deleted.map((name) => ({ name, bucket_id: decodeURIComponent(first!) })));
    }
    const authenticated = first === 'authenticated';
    const bucketName = authenticated ? rest[0] : first;
    const pathSegments = authenticated ? rest.slice(1) : rest;
    if (bucketName === undefined || pathSegments.length === 0) throw new StorageHttpError(404, '404', 'not_found', 'Route not found');
    const path = decodePath(pathSegments);
    if (method === 'GET') {
      const file = bucketOf(bucketName).get(path);
      if (!file) throw objectNotFound();
      return serveFile(res, file);
    }
    if (method === 'POST' && !authenticated) return write(req, res, bucketName, path, 'create');
    if (method === 'PUT' && !authenticated) return write(req, res, bucketName, path, 'update');
    throw new StorageHttpError(404, '404', 'not_found', 'Route not found');
  }

  const server = createServer((req, res) => {
    if (outage !== null) {
      req.resume();
      return sendJson(res, outage, { statusCode: String(outage), error: 'Unavailable', message: 'simulated outage' });
    }
    route(req, res).catch((err: unknown) => {
      if (err instanceof StorageHttpError) return sendJson(res, err.httpStatus, { statusCode: err.statusCode, error: err.error, message: err.message });
      sendJson(res, 500, { statusCode: '500', error: 'internal', message: (err as Error).message });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    buckets,
    simulateOutage: (status) => {
      outage = status;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
