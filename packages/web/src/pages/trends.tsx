import { useTitle } from '../components/use-title.js';

/** Every metric over time per hand, with baseline band, reliable-change markers and diary/treatment events. */
export function TrendsPage() {
  useTitle('Trends');
  return (
    <div className="page">
      <h1>Trends</h1>
    </div>
  );
}
