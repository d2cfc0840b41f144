/**
 * Who is calling. Configured (a JWT secret and/or a JWKS URL): `Authorization: Bearer <token>` is
 * required and verified with jose — HS256 with the secret; RS256/ES256 with the keys at the JWKS
 * URL (createRemoteJWKSet: cached, refetched for an unknown `kid` at most every 30 s). `exp` and
 * `sub` are required, `aud` must be an accepted audience, unknown `crit` extensions are refused,
 * and a token may not live longer than the configured maximum (exp − iat). The user is `sub`.
 * Not configured: every request acts for the single local user `local` (the server then binds to
 * loopback, see server.ts, and loopback-guard.ts refuses other Host/Origin headers).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { HttpError } from './errors.js';

export const LOCAL_USER_ID = 'local';
export const DEFAULT_AUDIENCE = 'authenticated';
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

export interface Authenticator {
  configured: boolean;
  authenticate(req: { headers: IncomingHttpHeaders }): Promise<{ userId: string }>;
}

export interface AuthOptions {
  jwtSecret?: string;
  jwksUrl?: string;
  /** Accepted `aud` values (default `authenticated`, what Supabase puts in user tokens). */
  audience?: string[];
  /** Longest accepted exp − iat, seconds (default 24 h). */
  maxTokenLifetimeSeconds?: number;
  /** Seconds since the epoch; injectable for tests. */
  nowSeconds?: () => number;
  /** How long after a JWKS fetch an unknown `kid` may trigger another (default 30 s). */
  jwksCooldownMs?: number;
  /** How long a fetched key set is used before it is fetched again (default 10 min). */
  jwksMaxAgeMs?: number;
}

const REALM = 'Bearer realm="conceptflow"';
const CLOCK_LEEWAY_SECONDS = 30;
/** `sub` becomes the user id and the `{user_id}/` object prefix: no slashes, no dot-only names. */
const SAFE_SUBJECT = /^[A-Za-z0-9][A-Za-z0-9._@:|-]{0,127}$/;

/** Why a token was refused; the message is safe to show to the client. */
class InvalidTokenError extends Error {}
class KeysUnavailableError extends Error {}

function unauthorized(message: string, invalidToken: boolean): HttpError {
  const challenge = invalidToken ? `${REALM}, error="invalid_token", error_description="${message.replace(/["\\]/g, '')}"` : REALM;
  return new HttpError(401, invalidToken ? 'invalid_token' : 'unauthorized', message, { headers: { 'WWW-Authenticate': challenge } });
}

function bearerToken(headers: IncomingHttpHeaders): string {
  const header = headers.authorization;
  if (!header) throw unauthorized('Authorization: Bearer <token> is required', false);
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  if (!match) throw unauthorized('Authorization must be a Bearer token', true);
  return match[1]!;
}

const CLAIM_MESSAGES: Record<string, string> = {
  exp: 'Token has no valid expiry',
  nbf: 'Token not yet valid',
  aud: 'Token audience is not accepted',
  sub: 'Token has no subject',
  iat: 'Token has an invalid issue time',
};

/** A jose failure as a client-safe reason. */
function reasonFor(err: errors.JOSEError): string {
  if (err instanceof errors.JWTExpired) return 'Token expired';
  if (err instanceof errors.JWTClaimValidationFailed) return CLAIM_MESSAGES[err.claim] ?? `Token claim "${err.claim}" is not valid`;
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return 'Token signature is not valid';
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return 'Unsupported token algorithm';
  if (err instanceof errors.JOSENotSupported) return 'Token uses an unsupported feature (crit or algorithm)';
  return 'Malformed token';
}

/** Lifetime and subject rules jose does not know: exp − iat capped, iat not in the future, a safe sub. */
function checkOwnRules(payload: JWTPayload, now: number, maxLifetime: number): string {
  const exp = payload.exp!;
  const issuedAt = payload.iat ?? now;
  if (issuedAt - CLOCK_LEEWAY_SECONDS > now) throw new InvalidTokenError('Token issue time is in the future');
  if (exp - issuedAt > maxLifetime) throw new InvalidTokenError(`Token lifetime is longer than the accepted ${maxLifetime} s`);
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub === '') throw new InvalidTokenError('Token has no subject');
  if (!SAFE_SUBJECT.test(sub)) throw new InvalidTokenError('Token subject is not a usable user id');
  return sub;
}

export function createAuthenticator(options: AuthOptions): Authenticator {
  const { jwtSecret, jwksUrl } = options;
  if (!jwtSecret && !jwksUrl) {
    return { configured: false, authenticate: async () => ({ userId: LOCAL_USER_ID }) };
  }
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const maxLifetime = options.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const audience = options.audience?.length ? options.audience : [DEFAULT_AUDIENCE];
  const secret = jwtSecret ? new TextEncoder().encode(jwtSecret) : undefined;
  const cooldownMs = options.jwksCooldownMs ?? 30_000;
  const remote = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: cooldownMs, cacheMaxAge: options.jwksMaxAgeMs }) : undefined;
  const algorithms = [...(secret ? ['HS256'] : []), ...(remote ? ['RS256', 'ES256'] : [])];
  let lastFetchFailedAt = -Infinity;

  const keyFor: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (!remote) throw new errors.JOSEAlgNotAllowed('unsupported algorithm');
    // While the JWKS endpoint is down, keep verifying with the last set it gave (as before an
    // expiry refetch), and ask it again only once per cooldown instead of on every request.
    const lastGood = remote.jwks();
    if (lastGood && Date.now() - lastFetchFailedAt < cooldownMs) return createLocalJWKSet(lastGood)(header, token);
    try {
      return await remote(header, token);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
      // The key set could not be fetched or read (network, timeout, non-200, not a key set).
      lastFetchFailedAt = Date.now();
      if (lastGood) return createLocalJWKSet(lastGood)(header, token);
      throw new KeysUnavailableError('The token keys could not be fetched', { cause: err });
    }
  };

  return {
    configured: true,
    async authenticate(req) {
      const raw = bearerToken(req.headers);
      const now = nowSeconds();
      try {
        const { payload } = await jwtVerify(raw, keyFor, {
          algorithms,
          audience,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: CLOCK_LEEWAY_SECONDS,
          currentDate: new Date(now * 1000),
        });
        return { userId: checkOwnRules(payload, now, maxLifetime) };
      } catch (err) {
        if (err instanceof KeysUnavailableError) {
          throw new HttpError(503, 'auth_unavailable', 'The token keys could not be fetched; try again shortly');
        }
        if (err instanceof InvalidTokenError) throw unauthorized(err.message, true);
        if (err instanceof errors.JOSEError) throw unauthorized(reasonFor(err), true);
        // jose refuses some malformed input with TypeError (e.g. a header that is not an object).
        if (err instanceof TypeError) throw unauthorized('Malformed token', true);
        throw err;
      }
    },
  };
}

/** Puts the authenticated user id on `res.locals.userId`, or answers 401. */
export function requireUser(auth: Authenticator): RequestHandler {
  return async (req, res, next) => {
    const { userId } = await auth.authenticate(req);
    res.locals.userId = userId;
    res.locals.log = res.locals.log?.child({ user_id: userId });
    next();
  };
}
