/**
 * The user's concepts, newest first, a page at a time. With a cursor from the API the next page
 * follows it; an API that takes only `limit` is asked for a longer list instead (up to its 50).
 */
import { useEffect, useState } from 'react';
import { listConcepts } from '../api/concepts';
import type { ConceptView } from '../api/types';
import { ConceptCard } from '../components/ConceptCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { usePageTitle } from '../hooks/usePageTitle';
import { Link } from '../router';

export const PAGE_SIZE = 12;
const MAX_LIMIT = 50;

interface Listing {
  concepts: ConceptView[];
  cursor: string | null;
  more: boolean;
}

async function nextPage(current: Listing | null, signal: AbortSignal): Promise<Listing> {
  if (current?.cursor) {
    const page = await listConcepts(PAGE_SIZE, current.cursor, signal);
    return { concepts: [...current.concepts, ...page.concepts], cursor: page.next_cursor ?? null, more: Boolean(page.next_cursor) };
  }
  const limit = Math.min(MAX_LIMIT, (current?.concepts.length ?? 0) + PAGE_SIZE);
  const page = await listConcepts(limit, null, signal);
  if ('next_cursor' in page) return { concepts: page.concepts, cursor: page.next_cursor ?? null, more: Boolean(page.next_cursor) };
  return { concepts: page.concepts, cursor: null, more: page.concepts.length === limit && limit < MAX_LIMIT };
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
      {!loading && listing && !listing.more && concepts.length >= MAX_LIMIT && !listing.cursor && (
        <p className="muted more">Showing your {MAX_LIMIT} newest concepts.</p>
      )}
    </>
  );
}
