/** The document title for the page being shown. */
import { useEffect } from 'react';

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Conceptflow` : 'Conceptflow';
  }, [title]);
}
