/**
 * Compact JWS (JWT) verification with node:crypto only: HS256 with a shared secret, RS256/ES256
 * with public keys. Checks exp (required) and nbf with a small clock leeway, and requires `sub`.
 */
import { createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

export type JwtAlgorithm = 'HS256' | 'RS256' | 'ES256';
const ALGORITHMS: readonly string[] = ['HS256', 'RS256', 'ES256'];

export interface JwtHeader {
  alg: JwtAlgorithm;
  kid?: string;
}
export interface JwtClaims {
  sub: string;
  exp: number;
  nbf?: number;
  [claim: string]: unknown;
}

/** Why a token was refused; the message is safe to show to the client. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

const CLOCK_LEEWAY_SECONDS = 30;
/** `sub` becomes the user id and the `{user_id}/` object prefix: no slashes, no dot-only names. */
const SAFE_SUBJECT = /^[A-Za-z0-9][A-Za-z0-9._@:|-]{0,127}$/;

function decodeJsonPart(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidTokenError(`Malformed token ${what}`);
}

export interface DecodedJwt {
  header: JwtHeader;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/** Splits and decodes a token without trusting it. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw new InvalidTokenError('Malformed token');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJsonPart(h, 'header');
  if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) throw new InvalidTokenError('Unsupported token algorithm');
  if (header.kid !== undefined && typeof header.kid !== 'string') throw new InvalidTokenError('Malformed token header');
  return {
    header: { alg: header.alg as JwtAlgorithm, kid: header.kid as string | undefined },
    payload: decodeJsonPart(p, 'payload'),
    signingInput: `${h}.${p}`,
    signature: Buffer.from(s, 'base64url'),
  };
}

export function verifyHs256(jwt: DecodedJwt, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(jwt.signingInput).digest();
  return expected.length === jwt.signature.length && timingSafeEqual(expected, jwt.signature);
}

export function verifyWithPublicKey(jwt: DecodedJwt, key: KeyObject): boolean {
  const data = Buffer.from(jwt.signingInput);
  if (jwt.header.alg === 'RS256') return key.asymmetricKeyType === 'rsa' && verify('sha256', data, key, jwt.signature);
  if (jwt.header.alg === 'ES256') {
    // JWS carries ECDSA signatures as raw r||s (64 bytes for P-256), not DER.
    return key.asymmetricKeyType === 'ec' && jwt.signature.length === 64 && verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, jwt.signature);
  }
  return false;
}

/** Checks the time claims and `sub` of a token whose signature is already verified. */
export function checkClaims(payload: Record<string, unknown>, nowSeconds: number): JwtClaims {
  const { exp, nbf, sub } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new InvalidTokenError('Token has no expiry');
  if (exp + CLOCK_LEEWAY_SECONDS <= nowSeconds) throw new InvalidTokenError('Token expired');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf - CLOCK_LEEWAY_SECONDS > nowSeconds)) throw new InvalidTokenError('Token not yet valid');
  if (typeof sub !== 'string' || sub === '') throw new InvalidTokenError('Token has no subject');
  if (!SAFE_SUBJECT.test(sub)) throw new InvalidTokenError('Token subject is not a usable user id');
  return { ...payload, sub, exp, nbf: nbf as number | undefined };
}
