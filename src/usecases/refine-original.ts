/**
 * The original of a refinement, resolved to an object of this service under the user's prefix.
 *
 * An `original_image_url` is never fetched: it must parse, be http(s) without userinfo, and
 * `ObjectStore.resolveUrl` must recognise it as one of our own object URLs (anything else — other
 * hosts, metadata/private/loopback addresses that are not our configured origin, file:, data: —
 * is a 400). Since no request is made, there is no redirect to follow either. An object under
 * another user's prefix, or one that does not exist, is a 404 like a missing concept.
 */
import { BUCKETS, type ObjectRef } from '../domain/concept.js';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { RefineRequest } from '../domain/inputs.js';
import type { Persistence } from '../persistence/ports.js';

export interface ResolvedOriginal {
  original: ObjectRef;
  original_concept_id: string | null;
  /** The URL as given, without query or fragment (no signature is kept in the concept row). */
  original_image_url: string | null;
  logo_description: string;
  theme_description: string;
}

const badUrl = (message: string) =>
  new InvalidInputError(`original_image_url ${message}`, [{ field: 'original_image_url', message: `original_image_url ${message}` }]);

/** Syntax checks before asking the store: an absolute http(s) URL without credentials. */
export function parseOriginalImageUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badUrl('must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badUrl('must use http or https');
  if (url.username !== '' || url.password !== '') throw badUrl('must not contain credentials');
  return url;
}

const safePath = (path: string) => path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');

async function resolveOwnedObject(persistence: Persistence, userId: string, raw: string): Promise<ObjectRef> {
  const url = parseOriginalImageUrl(raw);
  const ref = persistence.objects.resolveUrl(url.href);
  if (!ref) throw badUrl('must point to an image stored by this service');
  if (!safePath(ref.path)) throw badUrl('does not name a stored image');
  if (!ref.path.startsWith(`${userId}/`) || !(await persistence.objects.exists(ref))) {
    throw new NotFoundError('The original image was not found');
  }
  return ref;
}

export async function resolveOriginal(persistence: Persistence, userId: string, request: RefineRequest): Promise<ResolvedOriginal> {
  if (request.original_concept_id !== undefined) {
    const concept = await persistence.concepts.get(request.original_concept_id, userId);
    if (!concept) throw new NotFoundError('The original concept was not found');
    const original: ObjectRef = { bucket: BUCKETS.concepts, path: concept.image_path };
    if (!(await persistence.objects.exists(original))) throw new NotFoundError("The original concept's image was not found");
    return {
      original,
      original_concept_id: concept.id,
      original_image_url: null,
      logo_description: request.logo_description ?? concept.logo_description,
      theme_description: request.theme_description ?? concept.theme_description,
    };
  }
  const raw = request.original_image_url;
  if (raw === undefined) throw badUrl('or original_concept_id is required');
  const original = await resolveOwnedObject(persistence, userId, raw);
  const plain = new URL(raw);
  plain.search = '';
  plain.hash = '';
  return {
    original,
    original_concept_id: null,
    original_image_url: plain.href,
    // Without an original concept there is nothing to inherit: the prompt describes the result.
    logo_description: request.logo_description ?? request.refinement_prompt,
    theme_description: request.theme_description ?? request.refinement_prompt,
  };
}
