/** The top bar: the product's name, the two places to go, and who the page acts as. */
import type { Session } from '../api/session';
import { Link, type Route } from '../router';

export function Header({ route, session }: { route: Route; session: Session | null }) {
  const current = (page: Route['page'][]) => (page.includes(route.page) ? 'page' : undefined);
  return (
    <header className="topbar">
      <div className="topbar__inner">
        <Link to="/" className="brand" aria-label="Conceptflow home">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>Conceptflow</span>
        </Link>
        <nav aria-label="Main" className="nav">
          <Link to="/" aria-current={current(['create', 'run'])}>Create</Link>
          <Link to="/concepts" aria-current={current(['gallery', 'concept'])}>Gallery</Link>
        </nav>
        {session && (
          <span className="session" title={session.kind === 'local' ? 'No sign-in configured: this machine only' : `Anonymous user ${session.userId}`}>
            {session.kind === 'local' ? 'Local' : 'Guest'}
          </span>
        )}
      </div>
    </header>
  );
}
