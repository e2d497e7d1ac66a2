import { describe, expect, it } from 'vitest';
import appSource from '../app.tsx?raw';
import { LEARN_PAGES, LEARN_TOPICS, learnPage, SEE_A_DOCTOR_ID, type LearnPage } from './index.js';
import { searchLearn, sectionText, snippet } from './search.js';

/** The route patterns of the app, as written in app.tsx (`<Route path="/learn/:slug?">`). */
const ROUTES = [...appSource.matchAll(/<Route path="([^"]+)"/g)].map((m) => m[1]!);

/** Whether an app path (without query or hash) matches one of the routes. */
function matchesRoute(path: string): boolean {
  return ROUTES.some((route) => {
    const pattern = route
      .split('/')
      .map((part) =>
        part.startsWith(':') ? (part.endsWith('?') ? '(?:/[^/]+)?' : '/[^/]+') : part ? `/${part}` : '',
      )
      .join('');
    return new RegExp(`^${pattern || '/'}$`).test(path);
  });
}

/** Every link of a page: its section links and its related pages. */
function linksOf(page: LearnPage): string[] {
  return [
    ...page.sections.flatMap((s) => (s.links ?? []).map((l) => l.href)),
    ...page.related.map((slug) => `/learn/${slug}`),
  ];
}

describe('Learn content', () => {
  it('has one page for each of the nine topics, in reading order', () => {
    expect(LEARN_TOPICS).toEqual([
      'what-it-is',
      'triggers',
      'symptoms',
      'spread',
      'causes',
      'diagnosis',
      'treatments',
      'working-with-it',
      'documenting-it',
    ]);
    expect(LEARN_PAGES.map((p) => p.slug)).toEqual(LEARN_TOPICS);
  });

  it.each(LEARN_PAGES.map((p) => [p.slug, p] as const))(
    '%s has a title, a summary, sections with unique ids, sources and a "when to see a doctor" section',
    (_slug, page) => {
      expect(page.title.length).toBeGreaterThan(3);
      expect(page.summary.length).toBeGreaterThan(20);
      expect(page.sections.length).toBeGreaterThanOrEqual(3);
      const ids = page.sections.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const section of page.sections) {
        expect(section.id).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(section.paragraphs.length + (section.list?.length ?? 0)).toBeGreaterThan(0);
      }
      const doctor = page.sections.find((s) => s.id === SEE_A_DOCTOR_ID);
      expect(doctor?.heading).toBe('When to see a doctor');
      expect(sectionText(doctor!)).toMatch(/doctor/);
      expect(page.sources.length).toBeGreaterThan(0);
      expect(page.related.length).toBeGreaterThan(0);
      expect(page.related).not.toContain(page.slug);
    },
  );

  it('keeps paragraphs short (plain language: at most 60 words each)', () => {
    const long = LEARN_PAGES.flatMap((page) =>
      page.sections.flatMap((s) =>
        [...s.paragraphs, ...(s.list ?? [])]
          .filter((text) => text.split(/\s+/).length > 60)
          .map((text) => `${page.slug}: ${text.slice(0, 40)}`),
      ),
    );
    expect(long).toEqual([]);
  });

  it('never claims that the app diagnoses', () => {
    const all = LEARN_PAGES.flatMap((p) => p.sections.map(sectionText)).join(' ');
    expect(all).not.toMatch(/Dystrack (can )?(diagnoses|tells you (that )?you have)/i);
    expect(all).toMatch(/Dystrack never diagnoses/);
  });

  it('reads the routes of app.tsx', () => {
    expect(ROUTES).toContain('/learn/:slug?');
    expect(matchesRoute('/diary')).toBe(true);
    expect(matchesRoute('/learn')).toBe(true);
    expect(matchesRoute('/learn/spread')).toBe(true);
    expect(matchesRoute('/no-such-page')).toBe(false);
  });

  it('links only to existing Learn pages and sections, or to app routes', () => {
    const links = LEARN_PAGES.flatMap(linksOf);
    expect(links.length).toBeGreaterThan(LEARN_PAGES.length);
    for (const href of links) {
      const [path, hash] = href.split('#') as [string, string | undefined];
      expect(matchesRoute(path), href).toBe(true);
      const learn = /^\/learn\/([^/]+)$/.exec(path);
      if (learn) {
        const target = learnPage(learn[1]!);
        expect(target, href).toBeDefined();
        if (hash)
          expect(
            target!.sections.map((s) => s.id),
            href,
          ).toContain(hash);
      }
    }
  });
});

describe('Learn search', () => {
  it('finds a page by a word from its body and names the section it is in', () => {
    // "basal ganglia" is only in the body of the causes page
    const hits = searchLearn('ganglia');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.page.slug).toBe('causes');
    expect(hits[0]!.section.id).toBe('in-the-brain');
    expect(hits[0]!.snippet.filter((p) => p.match).map((p) => p.text.toLowerCase())).toContain('ganglia');
  });

  it('finds words by their start and with a small typo', () => {
    expect(searchLearn('employ').some((h) => h.page.slug === 'working-with-it')).toBe(true);
    expect(searchLearn('injektion').some((h) => h.section.id === 'botulinum-toxin')).toBe(true);
  });

  it('needs every word of the query in the same section', () => {
    const both = searchLearn('body map');
    expect(both.length).toBeGreaterThan(0);
    for (const hit of both) expect(sectionText(hit.section) + hit.section.heading).toMatch(/body map/i);
  });

  it('returns nothing for an empty query or a word that is on no page', () => {
    expect(searchLearn('')).toEqual([]);
    expect(searchLearn('   ')).toEqual([]);
    expect(searchLearn('xylophonequartz')).toEqual([]);
  });

  it('cuts a snippet around the first match and marks whole words', () => {
    const text = `${'Lorem ipsum dolor sit amet. '.repeat(12)}The cramping starts here. ${'More words follow. '.repeat(12)}`;
    const parts = snippet(text, ['cramp']);
    const joined = parts.map((p) => p.text).join('');
    expect(joined.startsWith('…')).toBe(true);
    expect(joined.endsWith('…')).toBe(true);
    expect(joined.length).toBeLessThan(200);
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['cramping']);
    expect(snippet('Short text.', [])).toEqual([{ text: 'Short text.', match: false }]);
  });
});
