import { useTitle } from '../components/use-title.js';

/** Plain-language pages about focal hand dystonia, with full-text search (`/learn`, `/learn/<slug>`). */
export function LearnPage({ slug }: { slug?: string | undefined }) {
  useTitle('Learn');
  return (
    <div className="page">
      <h1>Learn</h1>
      <p>{slug ?? ''}</p>
    </div>
  );
}
