/**
 * Expiring HMAC-signed object URLs of the embedded store:
 *   {publicBaseUrl}/storage/v1/object/sign/{bucket}/{path}?expires={unix seconds}&signature={hex HMAC-SHA256}
 * The signature covers bucket, path and expiry, so a URL opens one object until it expires. The
 * path is laid out like Supabase Storage's signed URLs, so clients that read bucket and object path
 * out of an image URL (the original frontend does, to export) work with either backend. URLs
 * signed under the earlier `/files/` prefix stay valid until they expire.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BUCKETS, isSafeObjectPath, type Bucket, type ObjectRef } from '../../domain/concept.js';

export const FILES_PREFIX = '/storage/v1/object/sign/';
/** The prefix of URLs signed before FILES_PREFIX took Supabase's layout; still accepted. */
export const LEGACY_FILES_PREFIX = '/files/';

const KNOWN_BUCKETS: readonly string[] = Object.values(BUCKETS);
const isBucket = (value: string | undefined): value is Bucket => value !== undefined && KNOWN_BUCKETS.includes(value);

export { isSafeObjectPath };

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export type Verification = { ok: true; ref: ObjectRef } | { ok: false; reason: 'malformed' | 'expired' | 'bad_signature' };

export class UrlSigner {
  private readonly base: URL;
  private readonly legacyBase: URL;

  constructor(
    publicBaseUrl: string,
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.base = new URL(`${publicBaseUrl.replace(/\/+$/, '')}${FILES_PREFIX}`);
    this.legacyBase = new URL(`${publicBaseUrl.replace(/\/+$/, '')}${LEGACY_FILES_PREFIX}`);
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
   * Checks a request for `{bucket}/{encoded path}` — the part after the prefix, so a proxy may strip
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
    for (const base of [this.base, this.legacyBase]) {
      if (pathname.startsWith(base.pathname)) return this.refOfRelative(pathname.slice(base.pathname.length));
    }
    return null;
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
