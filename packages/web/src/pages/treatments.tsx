import { useTitle } from '../components/use-title.js';

/** Placeholder until the page is built. */
export function TreatmentsPage() {
  useTitle('TreatmentsPage');
  return <div className="page" />;
}
