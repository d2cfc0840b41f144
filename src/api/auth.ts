/**
 * Who is calling. Configured (a JWT secret and/or a JWKS URL): `Authorization: Bearer <token>` is
 * required and verified (HS256 with the secret; RS256/ES256 with the JWKS keys), and the user is the
 * token's `sub`. Not configured: every request acts for the single local user `local` (the server
 * then binds to loopback, see server.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';
import { createJwksKeySource, type JwksKeySource } from './jwks.js';
import { checkClaims, decodeJwt, InvalidTokenError, verifyHs256, verifyWithPublicKey } from './jwt.js';

export const LOCAL_USER_ID = 'local';

export interface Authenticator {
  configured: boolean;
  authenticate(req: { headers: IncomingHttpHeaders }): Promise<{ userId: string }>;
}

export interface AuthOptions {
  jwtSecret?: string;
  jwksUrl?: string;
  /** Seconds since the epoch; injectable for tests. */
  nowSeconds?: () => number;
  /** Injectable JWKS source (defaults to fetching `jwksUrl`). */
  jwks?: JwksKeySource;
}

const REALM = 'Bearer realm="conceptflow"';

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

export function createAuthenticator(options: AuthOptions): Authenticator {
  const { jwtSecret, jwksUrl } = options;
  if (!jwtSecret && !jwksUrl) {
    return { configured: false, authenticate: async () => ({ userId: LOCAL_USER_ID }) };
  }
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const jwks = options.jwks ?? (jwksUrl ? createJwksKeySource(jwksUrl) : undefined);

  async function signatureValid(token: ReturnType<typeof decodeJwt>): Promise<boolean> {
    if (token.header.alg === 'HS256') return jwtSecret ? verifyHs256(token, jwtSecret) : false;
    if (!jwks) return false;
    let key;
    try {
      key = await jwks.keyFor(token.header.kid, token.header.alg);
    } catch {
      throw new HttpError(503, 'auth_unavailable', 'The token keys could not be fetched; try again shortly');
    }
    return key ? verifyWithPublicKey(token, key) : false;
  }

  return {
    configured: true,
    async authenticate(req) {
      const raw = bearerToken(req.headers);
      try {
        const token = decodeJwt(raw);
        if (!(await signatureValid(token))) throw new InvalidTokenError('Token signature is not valid');
        return { userId: checkClaims(token.payload, nowSeconds()).sub };
      } catch (err) {
        if (err instanceof InvalidTokenError) throw unauthorized(err.message, true);
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
