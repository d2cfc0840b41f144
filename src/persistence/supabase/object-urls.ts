/**
 * Recognising this project's Storage object URLs without a request:
 *   {url}/storage/v1/object/sign/{bucket}/{path}?token=…   (signed, as createSignedUrl hands out)
 *   {url}/storage/v1/object/public/{bucket}/{path}
 *   {url}/storage/v1/object/authenticated/{bucket}/{path}
 *   {url}/storage/v1/object/{bucket}/{path}
 */
import { BUCKETS, type Bucket, type ObjectRef } from '../../domain/concept.js';

const KNOWN_BUCKETS: readonly string[] = Object.values(BUCKETS);
const ACCESS_SEGMENTS = new Set(['sign', 'public', 'authenticated']);

const isBucket = (value: string | undefined): value is Bucket => value !== undefined && KNOWN_BUCKETS.includes(value);

function decodeSegments(segments: string[]): string[] | null {
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

/** A parser bound to one project URL; null for anything that is not one of its object URLs. */
export function objectUrlResolver(projectUrl: string): (url: string) => ObjectRef | null {
  const base = new URL(`${projectUrl.replace(/\/+$/, '')}/storage/v1/object/`);
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return null;
    }
    if (url.origin !== base.origin || url.username !== '' || url.password !== '' || !url.pathname.startsWith(base.pathname)) return null;
    const encoded = url.pathname.slice(base.pathname.length).split('/');
    if (ACCESS_SEGMENTS.has(encoded[0] ?? '')) encoded.shift();
    const segments = decodeSegments(encoded);
    if (!segments) return null;
    const [bucket, ...path] = segments;
    if (!isBucket(bucket) || path.length === 0 || path.some((s) => s === '' || s === '.' || s === '..' || s.includes('/'))) return null;
    return { bucket, path: path.join('/') };
  };
}
