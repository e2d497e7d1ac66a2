import { useTitle } from '../components/use-title.js';

/** Placeholder until the page is built. */
export function ScalesPage() {
  useTitle('ScalesPage');
  return <div className="page" />;
}
