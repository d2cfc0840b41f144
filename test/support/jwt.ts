/** HS256 JWTs with node:crypto, as Supabase mints them (service_role / authenticated keys, signed object URLs). */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function signJwt(secret: string, claims: JwtClaims): string {
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The claims of a token signed with `secret` that has not expired; otherwise the reason it is refused. */
export function verifyJwt(secret: string, token: string): { claims: JwtClaims } | { error: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { error: 'malformed token' };
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { error: 'invalid signature' };
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    if (head.alg !== 'HS256') return { error: 'unsupported alg' };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims;
    if (typeof claims.exp === 'number' && claims.exp <= nowSeconds()) return { error: 'jwt expired' };
    return { claims };
  } catch {
    return { error: 'malformed token' };
  }
}

/** The key a Supabase project hands the worker: role service_role, long-lived. */
export const serviceRoleKey = (secret: string): string =>
  signJwt(secret, { iss: 'supabase-test', role: 'service_role', iat: nowSeconds(), exp: nowSeconds() + 24 * 3600 });

/** A user's access token: role authenticated, `sub` = user id (a uuid, as auth.uid() expects). */
export const userAccessToken = (secret: string, userId: string): string =>
  signJwt(secret, { sub: userId, role: 'authenticated', aud: 'authenticated', iat: nowSeconds(), exp: nowSeconds() + 3600 });
