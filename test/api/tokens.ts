/** Test-side JWT signing (HS256, RS256, ES256) with node:crypto, mirroring what Supabase issues. */
import { createHmac, sign, type KeyObject } from 'node:crypto';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function claimsFor(sub: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub, aud: 'authenticated', role: 'authenticated', iat: nowSeconds(), exp: nowSeconds() + 3600, ...extra };
}

export function hs256Token(secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function asymmetricToken(alg: 'RS256' | 'ES256', key: KeyObject, kid: string | undefined, claims: Record<string, unknown>): string {
  const input = `${b64({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64(claims)}`;
  const signature =
    alg === 'RS256' ? sign('sha256', Buffer.from(input), key) : sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
