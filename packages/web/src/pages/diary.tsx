import { useTitle } from '../components/use-title.js';

/** Placeholder until the page is built. */
export function DiaryPage() {
  useTitle('DiaryPage');
  return <div className="page" />;
}
