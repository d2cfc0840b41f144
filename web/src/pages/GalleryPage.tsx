/**
 * The user's concepts, newest first, a page at a time: each page's `next` link fetches the one
 * after it. From an API without paging (no `next` in its answer) a longer list is asked for
 * instead, up to its limit of 50.
 */
import { useEffect, useState } from 'react';
import { listConcepts, listConceptsAt } from '../api/concepts';
import type { ConceptView } from '../api/types';
import { ConceptCard } from '../components/ConceptCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { usePageTitle } from '../hooks/usePageTitle';
import { Link } from '../router';

export const PAGE_SIZE = 12;
const MAX_LIMIT = 50;

interface Listing {
  concepts: ConceptView[];
  /** The next page's link; null when there is none or the API does not page. */
  next: string | null;
  more: boolean;
  /** The API pages with `next` links (else the list is capped at MAX_LIMIT). */
  paged: boolean;
}

async function nextPage(current: Listing | null, signal: AbortSignal): Promise<Listing> {
  if (current?.next) {
    const page = await listConceptsAt(current.next, signal);
    return { concepts: [...current.concepts, ...page.concepts], next: page.next ?? null, more: Boolean(page.next), paged: true };
  }
  const limit = Math.min(MAX_LIMIT, (current?.concepts.length ?? 0) + PAGE_SIZE);
  const page = await listConcepts(limit, signal);
  if ('next' in page) return { concepts: page.concepts, next: page.next ?? null, more: Boolean(page.next), paged: true };
  return { concepts: page.concepts, next: null, more: page.concepts.length === limit && limit < MAX_LIMIT, paged: false };
}

export function GalleryPage() {
  usePageTitle('Gallery');
  // `request` counts "show more" presses (and retries); `settled` is the answer to the latest one.
  const [request, setRequest] = useState(0);
  const [settled, setSettled] = useState<{ request: number; listing: Listing | null; error: Error | null }>({ request: -1, listing: null, error: null });
  const loading = settled.request !== request;
  const listing = settled.listing;
  const error = loading ? null : settled.error;

  useEffect(() => {
    const controller = new AbortController();
    nextPage(listing, controller.signal).then(
      (next) => setSettled({ request, listing: next, error: null }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setSettled({ request, listing, error: err instanceof Error ? err : new Error(String(err)) });
      },
    );
    return () => controller.abort();
    // Each "show more" is one request; `listing` is read at that moment.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request]);

  const concepts = listing?.concepts ?? [];
  return (
    <>
      <header className="page-head">
        <div>
          <h1>Your concepts</h1>
          <p className="muted">Newest first. Open one to compare its variations, export or refine it.</p>
        </div>
        <Link to="/" className="button button--primary">New concept</Link>
      </header>
      {concepts.length > 0 && (
        <ul className="concept-grid" aria-busy={loading}>
          {concepts.map((concept) => (
            <ConceptCard key={concept.id} concept={concept} />
          ))}
        </ul>
      )}
      {!loading && !error && concepts.length === 0 && (
        <div className="empty card">
          <h2>No concepts yet</h2>
          <p className="muted">Describe a logo and a theme, and your first concept appears here.</p>
          <Link to="/" className="button button--primary">Create your first concept</Link>
        </div>
      )}
      {error && (
        <ErrorAlert title="The gallery could not be loaded" error={error}>
          <button type="button" className="button" onClick={() => setRequest((r) => r + 1)}>Try again</button>
        </ErrorAlert>
      )}
      {loading && <p className="muted" role="status">Loading concepts…</p>}
      {!loading && listing?.more && (
        <div className="more">
          <button type="button" className="button" onClick={() => setRequest((r) => r + 1)}>Show more</button>
        </div>
      )}
      {!loading && listing && !listing.paged && !listing.more && concepts.length >= MAX_LIMIT && (
        <p className="muted more">Showing your {MAX_LIMIT} newest concepts.</p>
      )}
    </>
  );
}
