import { causes } from './causes.js';
import { diagnosis } from './diagnosis.js';
import { documentingIt } from './documenting-it.js';
import { spread } from './spread.js';
import { symptoms } from './symptoms.js';
import { treatments } from './treatments.js';
import { triggers } from './triggers.js';
import type { LearnPage } from './types.js';
import { whatItIs } from './what-it-is.js';
import { workingWithIt } from './working-with-it.js';

export * from './types.js';

/** The Learn pages in reading order. */
export const LEARN_PAGES: readonly LearnPage[] = [
  whatItIs,
  triggers,
  symptoms,
  spread,
  causes,
  diagnosis,
  treatments,
  workingWithIt,
  documentingIt,
];

/** The Learn page with this slug, if there is one. */
export function learnPage(slug: string): LearnPage | undefined {
  return LEARN_PAGES.find((page) => page.slug === slug);
}

/** Said on every Learn page, above its text. */
export const LEARN_DISCLAIMER =
  'This is general information, not medical advice. It cannot replace a visit to a doctor who knows you.';
