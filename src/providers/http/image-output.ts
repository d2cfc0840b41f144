/**
 * Image answers of the HTTP providers → GeneratedImage: raw image bytes, base64 inside JSON
 * (`b64_json`, `base64`, a data URL), or a URL inside JSON that is downloaded within
 * MAX_IMAGE_BYTES. Whatever arrives must be a decodable image, else ProviderBadOutputError.
 */
import { InvalidImageError, ProviderBadOutputError } from '../../domain/errors.js';
import { MAX_IMAGE_BYTES, probeImage } from '../../imaging/probe.js';
import type { GeneratedImage } from '../types.js';
import type { HttpClient, ProviderResponse } from './client.js';
import { failedAnswer } from './errors.js';
import { first, isRecord, parseJsonBody } from './json.js';

type ImageReference = { kind: 'base64'; data: string } | { kind: 'url'; url: string };

const DATA_URL = /^data:[^,]*;base64,/i;
const HTTP_URL = /^https?:\/\//i;

/** Provider bytes that must be an image: probed, else retryable bad output (a new attempt draws a new image). */
export async function checkedImage(provider: string, bytes: Buffer): Promise<GeneratedImage> {
  try {
    const info = await probeImage(bytes);
    return { bytes, contentType: info.contentType };
  } catch (err) {
    if (!(err instanceof InvalidImageError)) throw err;
    throw new ProviderBadOutputError(`${provider} returned something that is not a usable image`, { cause: err, detail: err.message });
  }
}

/** Binary unless the answer says (or looks like) JSON. */
function isJsonAnswer(response: ProviderResponse): boolean {
  if (response.contentType.includes('json')) return true;
  if (response.contentType.startsWith('image/') || response.contentType === 'application/octet-stream') return false;
  const start = response.body.subarray(0, 64).toString('utf8').trimStart();
  return start.startsWith('{') || start.startsWith('[');
}

function referenceIn(entry: unknown): ImageReference | undefined {
  if (!isRecord(entry)) return undefined;
  for (const key of ['b64_json', 'base64', 'url', 'image_url', 'image']) {
    const value = entry[key];
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (HTTP_URL.test(value)) return { kind: 'url', url: value.trim() };
    const isDataUrl = DATA_URL.test(value);
    if (isDataUrl || (key !== 'url' && key !== 'image_url')) return { kind: 'base64', data: value.replace(DATA_URL, '') };
  }
  return undefined;
}

/** `{url}`, `{image_url}`, `{b64_json}`… at the top level or in the first item of `data` / `images`. */
function findReference(json: unknown): ImageReference | undefined {
  if (!isRecord(json)) return undefined;
  return referenceIn(json) ?? referenceIn(first(json.data)) ?? referenceIn(first(json.images));
}

export async function readImageAnswer(client: HttpClient, response: ProviderResponse, signal?: AbortSignal): Promise<GeneratedImage> {
  const provider = client.identity.name;
  if (!isJsonAnswer(response)) return checkedImage(provider, response.body);
  const json = parseJsonBody(provider, response.body);
  const reference = findReference(json);
  if (!reference) throw failedAnswer(provider, json, 'an image');
  if (reference.kind === 'base64') return checkedImage(provider, Buffer.from(reference.data, 'base64'));
  const download = await client.download(reference.url, MAX_IMAGE_BYTES, signal);
  return checkedImage(provider, download.body);
}
