import { useTitle } from '../components/use-title.js';

/** Placeholder until the page is built. */
export function RoutinePage() {
  useTitle('RoutinePage');
  return <div className="page" />;
}
