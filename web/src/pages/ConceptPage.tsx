/** One concept: the base logo and every variation side by side, export, and the refine form. */
import { useEffect, useState } from 'react';
import { getConcept } from '../api/concepts';
import { BUCKETS } from '../api/exports';
import { ApiError } from '../api/http';
import type { ConceptView } from '../api/types';
import { ConceptTile, type TileImage } from '../components/ConceptTile';
import { ErrorAlert } from '../components/ErrorAlert';
import { ExportDialog } from '../components/ExportDialog';
import { PartialNotice } from '../components/PartialNotice';
import { RefineForm } from '../components/RefineForm';
import { formatDate } from '../format';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { Link } from '../router';

const stored = (bucket: string, path: string | undefined) => (path ? { bucket, path } : null);

function tilesOf(concept: ConceptView): TileImage[] {
  const base: TileImage = {
    key: 'base',
    title: 'Base logo',
    imageUrl: concept.image_url,
    alt: `Base logo: ${concept.logo_description}`,
    storage: stored(BUCKETS.concepts, concept.image_path),
    variation: null,
  };
  return [
    base,
    ...concept.color_variations.map((v, i) => ({
      key: `${i}-${v.palette_name}`,
      title: v.palette_name,
      imageUrl: v.image_url,
      alt: `${v.palette_name} variation`,
      storage: stored(BUCKETS.palettes, v.image_path),
      variation: v,
    })),
  ];
}

export function ConceptPage({ id }: { id: string }) {
  const concept = useResource(`concept:${id}`, (signal) => getConcept(id, signal));
  const [open, setOpen] = useState<TileImage | null>(null);
  const data = concept.data;
  usePageTitle(data ? data.logo_description.split(',')[0]! : 'Concept');

  useEffect(() => {
    if (data && window.location.hash === '#refine') document.getElementById('refine')?.scrollIntoView();
  }, [data]);

  if (concept.error) {
    const missing = concept.error instanceof ApiError && concept.error.status === 404;
    return (
      <div className="narrow">
        <h1>Concept</h1>
        <ErrorAlert title={missing ? 'No such concept' : 'The concept could not be loaded'} error={missing ? "This concept doesn't exist, or it isn't yours." : concept.error}>
          {!missing && <button type="button" className="button" onClick={concept.reload}>Try again</button>}
          <Link to="/concepts" className="button">Gallery</Link>
        </ErrorAlert>
      </div>
    );
  }
  if (!data) return <p className="muted" role="status">Loading the concept…</p>;

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/concepts">Gallery</Link> <span aria-hidden="true">/</span> <span aria-current="page">Concept</span>
      </nav>
      <header className="concept-head">
        <div className="concept-head__text">
          <p className="eyebrow">{data.original_concept_id ? 'Refined concept' : 'Concept'} · {formatDate(data.created_at)}</p>
          <h1 className="concept-head__title">{data.logo_description}</h1>
          <p className="concept-head__theme">Theme: {data.theme_description}</p>
          {data.original_concept_id && (
            <p className="concept-head__refined">
              Refined from <Link to={`/concepts/${data.original_concept_id}`}>the original concept</Link>
              {data.refinement_prompt && <> with “{data.refinement_prompt}”</>}
            </p>
          )}
        </div>
        <div className="concept-head__actions">
          <a href="#refine" className="button">Refine</a>
          <Link to="/" className="button button--primary">New concept</Link>
        </div>
      </header>
      <PartialNotice concept={data} />
      <section aria-labelledby="variations-title">
        <div className="section__head">
          <h2 id="variations-title">
            {data.color_variations.length} colour variation{data.color_variations.length === 1 ? '' : 's'}
          </h2>
          <p className="muted">Select an image to see it larger and export it.</p>
        </div>
        <ul className="tile-grid">
          {tilesOf(data).map((image) => (
            <ConceptTile key={image.key} image={image} onOpen={setOpen} />
          ))}
        </ul>
      </section>
      <RefineForm conceptId={data.id} />
      <ExportDialog image={open} conceptName={data.logo_description} onClose={() => setOpen(null)} />
    </>
  );
}
