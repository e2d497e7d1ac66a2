import MiniSearch, { type SearchResult } from 'minisearch';
import { LEARN_PAGES } from './index.js';
import type { LearnPage, LearnSection } from './types.js';

/*
 * Full-text search across the Learn pages, in the browser (works offline): each section is one document,
 * so that a result points to the section that matches. The index is built once, on the first search.
 */

/** One search result: a section of a page, with a short piece of its text around the first match. */
export interface LearnHit {
  page: LearnPage;
  section: LearnSection;
  /** The snippet in pieces; `match: true` pieces are words that matched the query. */
  snippet: { text: string; match: boolean }[];
}

interface SectionDocument {
  id: string;
  slug: string;
  sectionId: string;
  title: string;
  heading: string;
  text: string;
}

/** The searchable text of a section: its paragraphs, list items and link words. */
export function sectionText(section: LearnSection): string {
  return [...section.paragraphs, ...(section.list ?? []), ...(section.links ?? []).map((l) => l.text)].join(
    ' ',
  );
}

function documents(pages: readonly LearnPage[]): SectionDocument[] {
  return pages.flatMap((page) =>
    page.sections.map((section, i) => ({
      id: `${page.slug}#${section.id}`,
      slug: page.slug,
      sectionId: section.id,
      title: page.title,
      heading: section.heading,
      // the summary belongs to the page's first section, so that words only in it are found too
      text: i === 0 ? `${page.summary} ${sectionText(section)}` : sectionText(section),
    })),
  );
}

/** Words are split on anything that is not a letter or a digit (apostrophes included: "writer’s" → "writer", "s"). */
const tokenize = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

let index: MiniSearch<SectionDocument> | null = null;

function buildIndex(): MiniSearch<SectionDocument> {
  const search = new MiniSearch<SectionDocument>({
    fields: ['title', 'heading', 'text'],
    storeFields: ['slug', 'sectionId'],
    tokenize,
    searchOptions: {
      boost: { title: 2, heading: 3 },
      prefix: true,
      fuzzy: (term) => (term.length > 4 ? 0.2 : false),
      combineWith: 'AND',
    },
  });
  search.addAll(documents(LEARN_PAGES));
  return search;
}

/** How many characters of text a snippet shows around the first match. */
const SNIPPET_LENGTH = 180;

/** A word of `words` where it starts a word of the text (`words` are lower case, escaped for a pattern). */
function wordPattern(words: readonly string[], flags: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})[\\p{L}\\p{N}]*`, flags);
}

function escapePattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A short piece of `text` around the first of `terms`, split into matching and other pieces. */
export function snippet(text: string, terms: readonly string[]): LearnHit['snippet'] {
  const words = [...new Set(terms.map((t) => escapePattern(t.toLowerCase())))].filter(Boolean);
  const firstAt = words.length > 0 ? text.search(wordPattern(words, 'iu')) : -1;
  // start a third of the way before the first match, at a word boundary
  let start = 0;
  if (firstAt > SNIPPET_LENGTH / 3) {
    const space = text.indexOf(' ', firstAt - SNIPPET_LENGTH / 3);
    start = space >= 0 && space < firstAt ? space + 1 : firstAt;
  }
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > Math.max(start, firstAt)) end = space;
  }
  const piece = `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  if (words.length === 0) return [{ text: piece, match: false }];
  // split() with one capturing group puts the matches at the odd places
  return piece
    .split(new RegExp(`(${wordPattern(words, 'iu').source})`, 'giu'))
    .map((part, i) => ({ text: part, match: i % 2 === 1 }))
    .filter((part) => part.text !== '');
}

/** The sections that match `query`, best first; none for an empty query. */
export function searchLearn(query: string): LearnHit[] {
  if (query.trim() === '') return [];
  index ??= buildIndex();
  return index.search(query).flatMap((result: SearchResult) => {
    const page = LEARN_PAGES.find((p) => p.slug === result.slug);
    const section = page?.sections.find((s) => s.id === result.sectionId);
    if (!page || !section) return [];
    return [{ page, section, snippet: snippet(sectionText(section), result.terms) }];
  });
}
