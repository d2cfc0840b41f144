/** Reading the user's concepts with fresh signed URLs: shared by /api/concepts and /api/storage. */
import { NotFoundError } from '../domain/errors.js';
import type { Persistence } from '../persistence/ports.js';
import { presentConcept, type ConceptView, type SignUrl } from './presenters.js';
import { isUuid } from './validation.js';

export interface ConceptReads {
  /** The user's newest concepts, newest first; `before` (a concept id) pages past the first ones. */
  list(userId: string, limit: number, before?: string): Promise<ConceptView[]>;
  /** One of the user's concepts; NotFoundError for other users' and malformed ids too. */
  get(userId: string, id: string | undefined): Promise<ConceptView>;
}

export function createConceptReads(persistence: Persistence, signedUrlTtlSeconds: number): ConceptReads {
  const sign: SignUrl = (ref) => persistence.objects.signedUrl(ref, signedUrlTtlSeconds);
  return {
    async list(userId, limit, before) {
      const concepts = await persistence.concepts.list(userId, limit, before);
      return Promise.all(concepts.map((c) => presentConcept(c, sign)));
    },
    async get(userId, id) {
      const concept = isUuid(id) ? await persistence.concepts.get(id, userId) : null;
      if (!concept) throw new NotFoundError('Concept not found');
      return presentConcept(concept, sign);
    },
  };
}
