/** The start page: the form, and the latest concepts to go back to. */
import { listConcepts } from '../api/concepts';
import { ConceptCard } from '../components/ConceptCard';
import { GenerateForm } from '../components/GenerateForm';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { Link } from '../router';

export function CreatePage() {
  usePageTitle('');
  const params = new URLSearchParams(window.location.search);
  const recent = useResource('recent', (signal) => listConcepts(4, signal));
  const concepts = recent.data?.concepts ?? [];
  return (
    <>
      <section className="hero">
        <h1 className="hero__title">Turn a logo idea into a concept you can choose from</h1>
        <p className="hero__lead">
          Describe the logo and the mood. Conceptflow draws a base logo, picks colour palettes that fit the theme and
          recolours the logo with each, so you can compare the variations side by side.
        </p>
      </section>
      <GenerateForm initialLogo={params.get('logo') ?? ''} initialTheme={params.get('theme') ?? ''} />
      {concepts.length > 0 && (
        <section className="section" aria-labelledby="recent-title">
          <div className="section__head">
            <h2 id="recent-title">Recent concepts</h2>
            <Link to="/concepts" className="section__more">See all</Link>
          </div>
          <ul className="concept-grid">
            {concepts.map((concept) => (
              <ConceptCard key={concept.id} concept={concept} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
