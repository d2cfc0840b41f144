/** A concept in a list: its base logo, a strip of its variations, the descriptions and the date. */
import type { ConceptView } from '../api/types';
import { Link } from '../router';
import { formatDate } from '../format';

export function ConceptCard({ concept }: { concept: ConceptView }) {
  const variations = concept.color_variations;
  return (
    <li className="concept-card">
      <Link to={`/concepts/${concept.id}`} className="concept-card__link">
        <span className="concept-card__image">
          <img src={concept.image_url} alt="" loading="lazy" width={512} height={512} />
        </span>
        <span className="concept-card__strip" aria-hidden="true">
          {variations.slice(0, 7).map((v, i) => (
            <img key={`${v.palette_name}-${i}`} src={v.image_url} alt="" loading="lazy" width={64} height={64} />
          ))}
        </span>
        <span className="concept-card__text">
          <span className="concept-card__title">{concept.logo_description}</span>
          <span className="concept-card__theme">{concept.theme_description}</span>
          <span className="concept-card__meta">
            {variations.length} variation{variations.length === 1 ? '' : 's'} · {formatDate(concept.created_at)}
            {concept.original_concept_id && <span className="badge">Refined</span>}
          </span>
        </span>
      </Link>
    </li>
  );
}
