/**
 * Bearer-token authentication (jose): HS256 with the Supabase JWT secret, RS256/ES256 with keys
 * from a JWKS URL (served here by a loopback server), expiry/not-before/subject/audience/lifetime
 * checks, unknown `crit` extensions, algorithm confusion, and the unconfigured single-local-user
 * mode. Tokens are minted independently of jose (node:crypto, tokens.ts).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createAuthenticator, LOCAL_USER_ID } from '../../src/api/auth.js';
import { HttpError } from '../../src/api/errors.js';
import { asymmetricToken, claimsFor, hs256Token, nowSeconds } from './tokens.js';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters';
const headers = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

async function rejects401(promise: Promise<unknown>, code = 'invalid_token'): Promise<HttpError> {
  const err = await promise.then(
    () => assert.fail('expected a 401'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof HttpError, `expected HttpError, got ${String(err)}`);
  assert.equal(err.status, 401);
  assert.equal(err.code, code);
  assert.match(err.options.headers?.['WWW-Authenticate'] ?? '', /^Bearer /);
  return err;
}

describe('createAuthenticator without configuration', () => {
  it('acts for the single local user and ignores any Authorization header', async () => {
    const auth = createAuthenticator({});
    assert.equal(auth.configured, false);
    assert.deepEqual(await auth.authenticate({ headers: {} }), { userId: LOCAL_USER_ID });
    assert.deepEqual(await auth.authenticate(headers('garbage')), { userId: 'local' });
  });
});

describe('createAuthenticator with an HS256 secret', () => {
  const auth = createAuthenticator({ jwtSecret: SECRET });

  it('accepts a valid token and returns its subject', async () => {
    assert.equal(auth.configured, true);
    assert.deepEqual(await auth.authenticate(headers(hs256Token(SECRET, claimsFor('user-a')))), { userId: 'user-a' });
  });

  it('requires the Authorization header', async () => {
    const err = await rejects401(auth.authenticate({ headers: {} }), 'unauthorized');
    assert.equal(err.options.headers?.['WWW-Authenticate'], 'Bearer realm="conceptflow"');
  });

  it('refuses non-Bearer schemes and malformed tokens', async () => {
    await rejects401(auth.authenticate({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }));
    await rejects401(auth.authenticate(headers('not-a-jwt')));
    await rejects401(auth.authenticate(headers('a.b.c')));
  });

  it('refuses a token signed with another secret', async () => {
    const err = await rejects401(auth.authenticate(headers(hs256Token('another-secret', claimsFor('user-a')))));
    assert.match(err.message, /signature/);
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [h, , s] = hs256Token(SECRET, claimsFor('user-a')).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify(claimsFor('user-b'))).toString('base64url')}.${s}`;
    await rejects401(auth.authenticate(headers(forged)));
  });

  it('refuses expired tokens, tokens not yet valid, and tokens without exp', async () => {
    const expired = await rejects401(auth.authenticate(headers(hs256Token(SECRET, claimsFor('user-a', { exp: nowSeconds() - 3600 })))));
    assert.match(expired.message, /expired/);
    const early = await rejects401(auth.authenticate(headers(hs256Token(SECRET, claimsFor('user-a', { nbf: nowSeconds() + 3600 })))));
    assert.match(early.message, /not yet valid/);
    const { exp: _exp, ...noExp } = claimsFor('user-a');
    await rejects401(auth.authenticate(headers(hs256Token(SECRET, noExp))));
  });

  it('requires a subject that is safe as a storage prefix', async () => {
    const { sub: _sub, ...anon } = claimsFor('x');
    await rejects401(auth.authenticate(headers(hs256Token(SECRET, anon))));
    await rejects401(auth.authenticate(headers(hs256Token(SECRET, claimsFor('')))));
    await rejects401(auth.authenticate(headers(hs256Token(SECRET, claimsFor('../other-user')))));
    await rejects401(auth.authenticate(headers(hs256Token(SECRET, claimsFor('a/b')))));
  });

  it('checks the audience: `authenticated` by default, else the configured list', async () => {
    const wrongAud = await rejects401(auth.authenticate(headers(hs256Token(SECRET, claimsFor('user-a', { aud: 'service' })))));
    assert.match(wrongAud.message, /audience/);
    const { aud: _aud, ...noAud } = claimsFor('user-a');
    await rejects401(auth.authenticate(headers(hs256Token(SECRET, noAud))));
    const custom = createAuthenticator({ jwtSecret: SECRET, audience: ['studio', 'mobile'] });
    assert.deepEqual(await custom.authenticate(headers(hs256Token(SECRET, claimsFor('user-m', { aud: 'mobile' })))), { userId: 'user-m' });
    assert.deepEqual(await custom.authenticate(headers(hs256Token(SECRET, claimsFor('user-m', { aud: ['x', 'studio'] })))), { userId: 'user-m' });
    await rejects401(custom.authenticate(headers(hs256Token(SECRET, claimsFor('user-m')))));
  });

  it('refuses tokens with critical extensions it does not understand', async () => {
    const err = await rejects401(auth.authenticate(headers(hs256Token(SECRET, claimsFor('user-a'), { crit: ['urn:example:must-check'], 'urn:example:must-check': true }))));
    assert.match(err.message, /unsupported feature/);
  });

  it('caps the token lifetime (exp − iat) and refuses an issue time in the future', async () => {
    const now = nowSeconds();
    const tooLong = await rejects401(auth.authenticate(headers(hs256Token(SECRET, claimsFor('user-a', { iat: now, exp: now + 25 * 3600 })))));
    assert.match(tooLong.message, /lifetime/);
    // Without iat the lifetime counts from now.
    const { iat: _iat, ...noIat } = claimsFor('user-a', { exp: now + 48 * 3600 });
    await rejects401(auth.authenticate(headers(hs256Token(SECRET, noIat))));
    assert.deepEqual(await auth.authenticate(headers(hs256Token(SECRET, claimsFor('user-a', { iat: now, exp: now + 23 * 3600 })))), { userId: 'user-a' });
    await rejects401(auth.authenticate(headers(hs256Token(SECRET, claimsFor('user-a', { iat: now + 3600, exp: now + 7200 })))));
    const shortCap = createAuthenticator({ jwtSecret: SECRET, maxTokenLifetimeSeconds: 600 });
    await rejects401(shortCap.authenticate(headers(hs256Token(SECRET, claimsFor('user-a')))));
  });

  it('refuses alg "none" and asymmetric algorithms when no JWKS is configured', async () => {
    const payload = Buffer.from(JSON.stringify(claimsFor('user-a'))).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    await rejects401(auth.authenticate(headers(none)));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await rejects401(auth.authenticate(headers(asymmetricToken('RS256', privateKey, 'k1', claimsFor('user-a')))));
  });
});

describe('createAuthenticator with a JWKS URL', () => {
  let server: Server;
  let jwksUrl: string;
  let hits = 0;
  let failing = false;
  let published: object[] = [];
  let rsa: { privateKey: KeyObject; publicKey: KeyObject };
  let ec: { privateKey: KeyObject; publicKey: KeyObject };
  let rotated: { privateKey: KeyObject; publicKey: KeyObject };
  const jwk = (key: KeyObject, kid: string) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig' });

  before(async () => {
    rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    rotated = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    published = [jwk(rsa.publicKey, 'rsa-1'), jwk(ec.publicKey, 'ec-1')];
    server = createServer((_req, res) => {
      hits += 1;
      if (failing) {
        res.statusCode = 502;
        res.end('bad gateway');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies RS256 and ES256 tokens with keys fetched once and cached', async () => {
    hits = 0;
    const auth = createAuthenticator({ jwksUrl });
    assert.deepEqual(await auth.authenticate(headers(asymmetricToken('RS256', rsa.privateKey, 'rsa-1', claimsFor('user-rs')))), { userId: 'user-rs' });
    assert.deepEqual(await auth.authenticate(headers(asymmetricToken('ES256', ec.privateKey, 'ec-1', claimsFor('user-es')))), { userId: 'user-es' });
    assert.equal(hits, 1);
  });

  it('refuses a token signed by a key that is not in the set, and HS256 tokens (no secret configured)', async () => {
    const auth = createAuthenticator({ jwksUrl });
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await rejects401(auth.authenticate(headers(asymmetricToken('ES256', stranger.privateKey, 'ec-1', claimsFor('user-a')))));
    // The RSA key presented as an ES256 key id does not verify either.
    await rejects401(auth.authenticate(headers(asymmetricToken('RS256', rsa.privateKey, 'ec-1', claimsFor('user-a')))));
    await rejects401(auth.authenticate(headers(hs256Token(SECRET, claimsFor('user-a')))));
  });

  it('refetches the set when a token names an unknown key id (rotation), at most once per cooldown', async () => {
    const auth = createAuthenticator({ jwksUrl, jwksCooldownMs: 300 });
    await auth.authenticate(headers(asymmetricToken('ES256', ec.privateKey, 'ec-1', claimsFor('user-a'))));
    published = [...published, jwk(rotated.publicKey, 'ec-2')];
    hits = 0;
    const rotatedToken = asymmetricToken('ES256', rotated.privateKey, 'ec-2', claimsFor('user-r'));
    // Within the cooldown after the last fetch an unknown kid does not hammer the JWKS endpoint.
    await rejects401(auth.authenticate(headers(rotatedToken)));
    await rejects401(auth.authenticate(headers(rotatedToken)));
    assert.equal(hits, 0);
    await sleep(350);
    assert.deepEqual(await auth.authenticate(headers(rotatedToken)), { userId: 'user-r' });
    assert.equal(hits, 1);
    // The old key is still in the set and still works, from the cache.
    assert.deepEqual(await auth.authenticate(headers(asymmetricToken('RS256', rsa.privateKey, 'rsa-1', claimsFor('user-a')))), { userId: 'user-a' });
    assert.equal(hits, 1);
  });

  it('keeps verifying with the last key set while the JWKS endpoint is down, asking it again once per cooldown', async () => {
    const auth = createAuthenticator({ jwksUrl, jwksMaxAgeMs: 100, jwksCooldownMs: 400 });
    const token = asymmetricToken('ES256', ec.privateKey, 'ec-1', claimsFor('user-a'));
    assert.deepEqual(await auth.authenticate(headers(token)), { userId: 'user-a' });
    failing = true;
    try {
      await sleep(150); // the set is stale: the next request tries to refetch it
      hits = 0;
      assert.deepEqual(await auth.authenticate(headers(token)), { userId: 'user-a' });
      assert.deepEqual(await auth.authenticate(headers(token)), { userId: 'user-a' });
      assert.equal(hits, 1, 'one failed refetch, then the cooldown');
      await sleep(450);
      assert.deepEqual(await auth.authenticate(headers(token)), { userId: 'user-a' });
      assert.equal(hits, 2);
    } finally {
      failing = false;
    }
  });

  it('answers 503 when the key set cannot be fetched at all', async () => {
    const auth = createAuthenticator({ jwksUrl: `${jwksUrl.replace(/:\d+\//, ':1/')}` });
    const err = await auth.authenticate(headers(asymmetricToken('ES256', ec.privateKey, 'ec-1', claimsFor('user-a')))).then(
      () => assert.fail('expected failure'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof HttpError);
    assert.equal(err.status, 503);
  });
});
