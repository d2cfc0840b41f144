/**
 * A loopback stand-in for Supabase Auth (GoTrue), only what the web page uses: anonymous sign-in
 * (`POST /auth/v1/signup` with an empty body → a session). Access tokens are HS256 JWTs signed with the project's JWT secret,
 * shaped as Supabase issues them; the anon key must be sent as `apikey`. CORS as Supabase answers
 * it (the page runs on another origin).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nowSeconds, signJwt } from './jwt.js';

export interface GoTrueServer {
  origin: string;
  /** Anonymous users created so far. */
  readonly signups: string[];
  stop(): Promise<void>;
}

function cors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'authorization, apikey, content-type');
  res.setHeader('Access-Control-Max-Age', '600');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startGoTrueServer(jwtSecret: string, anonKey: string): Promise<GoTrueServer> {
  const signups: string[] = [];

  const session = (userId: string) => {
    const iat = nowSeconds();
    const user = { id: userId, aud: 'authenticated', role: 'authenticated', email: '', phone: '', app_metadata: { provider: 'anonymous', providers: ['anonymous'] }, user_metadata: {}, identities: [], is_anonymous: true, created_at: new Date().toISOString(), updated_at: new Date().toISOString() };
    const access = signJwt(jwtSecret, { sub: userId, aud: 'authenticated', role: 'authenticated', iat, exp: iat + 3600, is_anonymous: true, session_id: randomUUID() });
    return { access_token: access, token_type: 'bearer', expires_in: 3600, expires_at: iat + 3600, refresh_token: randomUUID(), user };
  };

  const server = createServer(async (req, res) => {
    cors(req, res);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    for await (const _chunk of req) {
      // The bodies carry nothing this stand-in needs.
    }
    if (req.headers.apikey !== anonKey) return send(res, 401, { code: 401, error_code: 'no_api_key', msg: 'Invalid API key' });
    const url = new URL(req.url ?? '/', 'http://gotrue.invalid');
    if (req.method === 'POST' && url.pathname === '/auth/v1/signup') {
      const userId = randomUUID();
      signups.push(userId);
      return send(res, 200, session(userId));
    }
    send(res, 404, { code: 404, msg: `no route ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    signups,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
