import { useEffect } from 'react';

/** Sets the document title of a page: "<title> · Dystrack". */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Dystrack` : 'Dystrack';
  }, [title]);
}
