/**
 * Public keys from the operator-configured JWKS URL: fetched on first use, cached, refetched when
 * the cache is old or a token names an unknown key id (at most once per `minRefetchMs`).
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JwtAlgorithm } from './jwt.js';

export interface JwksKeySource {
  /** The key for this kid and algorithm; null when the set has none. Throws when the set cannot be fetched at all. */
  keyFor(kid: string | undefined, alg: JwtAlgorithm): Promise<KeyObject | null>;
}

interface CachedKey {
  kid: string | undefined;
  alg: string | undefined;
  key: KeyObject;
}

export interface JwksOptions {
  ttlMs?: number;
  minRefetchMs?: number;
  fetchTimeoutMs?: number;
  now?: () => number;
}

function toCachedKeys(body: unknown): CachedKey[] {
  const keys = typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw new Error('JWKS response has no "keys" array');
  const out: CachedKey[] = [];
  for (const jwk of keys as (JsonWebKey & { kid?: unknown; use?: unknown; alg?: unknown })[]) {
    if (typeof jwk !== 'object' || jwk === null || jwk.use === 'enc') continue;
    if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') continue;
    try {
      const key = createPublicKey({ key: jwk, format: 'jwk' });
      out.push({ kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, alg: typeof jwk.alg === 'string' ? jwk.alg : undefined, key });
    } catch {
      // An unusable key in the set: skip it, keep the others.
    }
  }
  return out;
}

function suits(entry: CachedKey, alg: JwtAlgorithm): boolean {
  if (entry.alg !== undefined && entry.alg !== alg) return false;
  if (alg === 'RS256') return entry.key.asymmetricKeyType === 'rsa';
  if (alg === 'ES256') return entry.key.asymmetricKeyType === 'ec' && entry.key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  return false;
}

export function createJwksKeySource(url: string, options: JwksOptions = {}): JwksKeySource {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const minRefetchMs = options.minRefetchMs ?? 30_000;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 5_000;
  const now = options.now ?? Date.now;
  let keys: CachedKey[] | null = null;
  let fetchedAt = 0;
  let inFlight: Promise<CachedKey[]> | null = null;

  const refresh = (): Promise<CachedKey[]> => {
    inFlight ??= (async () => {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(fetchTimeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
        if (!res.ok) throw new Error(`JWKS request answered ${res.status}`);
        const fresh = toCachedKeys(await res.json());
        keys = fresh;
        fetchedAt = now();
        return fresh;
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };

  const find = (set: CachedKey[], kid: string | undefined, alg: JwtAlgorithm): KeyObject | null => {
    const candidates = set.filter((k) => suits(k, alg));
    if (kid !== undefined) return candidates.find((k) => k.kid === kid)?.key ?? null;
    return candidates.length === 1 ? candidates[0]!.key : null;
  };

  return {
    async keyFor(kid, alg) {
      if (keys === null || now() - fetchedAt > ttlMs) {
        try {
          await refresh();
        } catch (err) {
          if (keys === null) throw err;
          // Keep serving the old set while the JWKS endpoint is down; try again after minRefetchMs.
          fetchedAt = now() - ttlMs + minRefetchMs;
        }
      }
      const found = find(keys ?? [], kid, alg);
      if (found || now() - fetchedAt < minRefetchMs) return found;
      // Key rotation: an unknown kid triggers one refetch.
      try {
        return find(await refresh(), kid, alg);
      } catch {
        return null;
      }
    },
  };
}
