/** The page: sign in if the server needs it, then the page for the current path. */
import { useEffect, useRef, useState } from 'react';
import { loadAppConfig, startSession, type Session } from './api/session';
import { ErrorAlert } from './components/ErrorAlert';
import { Header } from './components/Header';
import { ConceptPage } from './pages/ConceptPage';
import { CreatePage } from './pages/CreatePage';
import { GalleryPage } from './pages/GalleryPage';
import { RunPage } from './pages/RunPage';
import { Link, matchRoute, usePathname, type Route } from './router';

type SessionState = { state: 'starting' } | { state: 'ready'; session: Session } | { state: 'failed'; error: Error };

// Once per page load, however often the effect runs (StrictMode runs it twice in development).
let sessionStart: Promise<Session> | null = null;
const startOnce = () => (sessionStart ??= loadAppConfig().then(startSession));

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'create':
      return <CreatePage />;
    case 'gallery':
      return <GalleryPage />;
    case 'concept':
      return <ConceptPage key={route.id} id={route.id} />;
    case 'run':
      return <RunPage key={route.id} taskId={route.id} />;
    case 'not-found':
      return (
        <div className="narrow">
          <h1>Page not found</h1>
          <p>
            There is nothing at this address. <Link to="/">Create a concept</Link> or open the <Link to="/concepts">gallery</Link>.
          </p>
        </div>
      );
  }
}

export function App() {
  const pathname = usePathname();
  const route = matchRoute(pathname);
  const [session, setSession] = useState<SessionState>({ state: 'starting' });
  const main = useRef<HTMLElement>(null);
  const firstPath = useRef(pathname);

  useEffect(() => {
    startOnce().then(
      (s) => setSession({ state: 'ready', session: s }),
      (error: unknown) => setSession({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }, []);

  // After in-page navigation, move focus to the new page so screen readers start there.
  useEffect(() => {
    if (pathname !== firstPath.current) main.current?.focus();
    firstPath.current = '';
  }, [pathname]);

  return (
    <>
      <a href="#main" className="skip-link">Skip to content</a>
      <Header route={route} session={session.state === 'ready' ? session.session : null} />
      <main id="main" ref={main} tabIndex={-1} className="main">
        {session.state === 'starting' && <p className="muted" role="status">Starting…</p>}
        {session.state === 'failed' && <ErrorAlert title="Could not sign in" error={session.error} />}
        {session.state === 'ready' && <Page route={route} />}
      </main>
      <footer className="footer">
        <p>Every run is a durable workflow: it survives restarts, and you can cancel it while it runs.</p>
      </footer>
    </>
  );
}
