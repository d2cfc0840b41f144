/** HS256 access tokens as Supabase issues them (aud `authenticated`, `sub` = user id), signed with node:crypto. */
import { createHmac } from 'node:crypto';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signToken(secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function userClaims(sub: string, lifetimeSeconds = 4 * 3600): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub, aud: 'authenticated', role: 'authenticated', iat: now, exp: now + lifetimeSeconds };
}

/** A valid access token for `userId`. */
export const accessToken = (secret: string, userId: string): string => signToken(secret, userClaims(userId));
