/**
 * Expiring HMAC-signed object URLs of the embedded store:
 *   {publicBaseUrl}/files/{bucket}/{path}?expires={unix seconds}&signature={hex HMAC-SHA256}
 * The signature covers bucket, path and expiry, so a URL opens one object until it expires.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BUCKETS, type Bucket, type ObjectRef } from '../../domain/concept.js';

export const FILES_PREFIX = '/files/';

const KNOWN_BUCKETS: readonly string[] = Object.values(BUCKETS);
const isBucket = (value: string | undefined): value is Bucket => value !== undefined && KNOWN_BUCKETS.includes(value);

/** A stored path: non-empty segments, none of them `.` or `..`, no backslash or NUL. */
export const isSafeObjectPath = (path: string): boolean =>
  path.length > 0 && path.length <= 1024 && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !/[\\\0]/.test(s));

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export type Verification = { ok: true; ref: ObjectRef } | { ok: false; reason: 'malformed' | 'expired' | 'bad_signature' };

export class UrlSigner {
  private readonly base: URL;

  constructor(
    publicBaseUrl: string,
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.base = new URL(`${publicBaseUrl.replace(/\/+$/, '')}${FILES_PREFIX}`);
  }

  sign(ref: ObjectRef, expiresInSeconds: number): string {
    const expires = Math.floor(this.now() / 1000) + Math.max(1, Math.ceil(expiresInSeconds));
    const url = new URL(`${ref.bucket}/${encodePath(ref.path)}`, this.base);
    url.searchParams.set('expires', String(expires));
    url.searchParams.set('signature', this.signature(ref, expires));
    return url.href;
  }

  /** The object a URL of this store names (signed or not), judged by its text alone; else null. */
  resolve(raw: string): ObjectRef | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return null;
    }
    if (url.origin !== this.base.origin || url.username !== '' || url.password !== '') return null;
    return this.refOfPath(url.pathname);
  }

  /**
   * Checks a request for `{bucket}/{encoded path}` — the part after `/files/`, so a proxy may strip
   * a prefix of the public base URL — with its query string.
   */
  verify(relativePath: string, query: URLSearchParams): Verification {
    const ref = this.refOfRelative(relativePath);
    const expires = Number(query.get('expires'));
    const given = query.get('signature') ?? '';
    if (!ref || !Number.isSafeInteger(expires) || !/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.signature(ref, expires), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { ok: false, reason: 'bad_signature' };
    if (expires * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, ref };
  }

  private refOfPath(pathname: string): ObjectRef | null {
    return pathname.startsWith(this.base.pathname) ? this.refOfRelative(pathname.slice(this.base.pathname.length)) : null;
  }

  private refOfRelative(relativePath: string): ObjectRef | null {
    let segments: string[];
    try {
      segments = relativePath.split('/').map((s) => decodeURIComponent(s));
    } catch {
      return null;
    }
    const [bucket, ...rest] = segments;
    if (!isBucket(bucket) || rest.some((s) => s.includes('/'))) return null;
    const path = rest.join('/');
    return isSafeObjectPath(path) ? { bucket, path } : null;
  }

  private signature(ref: ObjectRef, expires: number): string {
    return createHmac('sha256', this.secret).update(`${ref.bucket}\n${ref.path}\n${expires}`).digest('hex');
  }
}
