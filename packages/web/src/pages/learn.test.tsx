import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import { App } from '../app.js';
import { LEARN_PAGES, learnPage } from '../learn/index.js';
import { renderAt } from '../test/session.js';
import { LearnPage, resultWords } from './learn.js';

/** Renders `ui` at `path` for someone who is not signed in. */
function renderSignedOut(path: string, ui: React.ReactNode) {
  return renderAt(path, ui, { user: null });
}

/** The levels of the headings in document order. */
function headingLevels(root: HTMLElement): number[] {
  return [...root.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]));
}

/** No heading skips a level on the way down, and there is exactly one h1, first. */
function expectHeadingOrder(levels: number[]) {
  expect(levels[0]).toBe(1);
  expect(levels.filter((l) => l === 1)).toHaveLength(1);
  for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
}

beforeEach(() => {
  setClientDeps({
    fetch: vi.fn(
      async () =>
        new Response(JSON.stringify({ code: 'E_NETWORK_TEST', message: 'not mocked' }), { status: 599 }),
    ),
  });
});
afterEach(() => {
  cleanup();
  setClientDeps();
});

describe('Learn index', () => {
  it('lists every page with its summary, under headings in order', () => {
    const { container } = renderSignedOut('/learn', <LearnPage />);
    expect(screen.getByRole('heading', { level: 1, name: 'Learn about focal hand dystonia' })).toBeTruthy();
    expect(screen.getByText(/general information, not medical advice/)).toBeTruthy();
    const list = screen.getByRole('heading', { level: 2, name: 'All pages' })
      .nextElementSibling as HTMLElement;
    const links = within(list).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(LEARN_PAGES.map((p) => `/learn/${p.slug}`));
    for (const page of LEARN_PAGES) expect(within(list).getByText(page.summary)).toBeTruthy();
    expectHeadingOrder(headingLevels(container));
    expect(document.title).toBe('Learn · Dystrack');
  });

  it('is readable without signing in, inside the app', async () => {
    renderSignedOut('/learn', <App />);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Learn about focal hand dystonia' }),
    ).toBeTruthy();
    expect(screen.queryByRole('heading', { name: /sign in|log in/i })).toBeNull();
  });
});

describe('Learn search', () => {
  it('finds a section by a word from its body, shows its page, section and snippet, and announces the count', () => {
    const { location } = renderSignedOut('/learn', <LearnPage />);
    const field = screen.getByRole('searchbox', { name: 'Search the Learn pages' });
    const status = screen.getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toBe('');

    fireEvent.change(field, { target: { value: 'ganglia' } });
    expect(status.textContent).toBe('1 section matches “ganglia”.');
    const results = screen.getByRole('list', { name: 'Search results' });
    const link = within(results).getByRole('link');
    expect(link.getAttribute('href')).toBe('/learn/causes#in-the-brain');
    expect(link.textContent).toContain(learnPage('causes')!.title);
    expect(link.textContent).toContain('A change in the brain’s signals');
    expect(results.querySelector('mark')?.textContent).toBe('ganglia');
    expect(location.history?.at(-1)).toBe('/learn?q=ganglia');

    fireEvent.change(field, { target: { value: 'xylophonequartz' } });
    expect(status.textContent).toBe('Nothing matches “xylophonequartz”. Try another word, or fewer words.');
    expect(screen.queryByRole('list', { name: 'Search results' })).toBeNull();

    fireEvent.change(field, { target: { value: '' } });
    expect(status.textContent).toBe('');
    expect(location.history?.at(-1)).toBe('/learn');
  });

  it('starts from the query in the address, and Enter moves to the first result', () => {
    renderSignedOut('/learn?q=employer', <LearnPage />);
    const field = screen.getByRole('searchbox', { name: 'Search the Learn pages' }) as HTMLInputElement;
    expect(field.value).toBe('employer');
    const links = within(screen.getByRole('list', { name: 'Search results' })).getAllByRole('link');
    expect(links.length).toBeGreaterThan(1);
    expect(screen.getByRole('status').textContent).toBe(resultWords('employer', links.length));
    field.focus();
    fireEvent.submit(field.form!);
    expect(document.activeElement).toBe(links[0]);
  });
});

describe('a Learn page', () => {
  it('shows a table of contents, each section under an h2, related pages and sources', () => {
    const page = learnPage('spread')!;
    const { container } = renderSignedOut('/learn/spread', <LearnPage slug="spread" />);
    expect(screen.getByRole('heading', { level: 1, name: page.title })).toBeTruthy();
    expect(screen.getByText(/general information, not medical advice/)).toBeTruthy();

    const toc = screen.getByRole('navigation', { name: 'On this page' });
    expect(
      within(toc)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).toEqual(page.sections.map((s) => `#${s.id}`));
    const h2 = screen.getAllByRole('heading', { level: 2 }).map((h) => [h.id, h.textContent]);
    expect(h2).toEqual([
      ...page.sections.map((s) => [s.id, s.heading]),
      ['learn-related', 'Related pages'],
      ['learn-sources', 'Sources'],
    ]);
    expectHeadingOrder(headingLevels(container));

    const related = screen.getByRole('navigation', { name: 'Related pages' });
    expect(
      within(related)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).toEqual(page.related.map((slug) => `/learn/${slug}`));
    expect(screen.getByRole('link', { name: 'Open your diary and its body map' }).getAttribute('href')).toBe(
      '/diary',
    );
    expect(screen.getByRole('heading', { level: 2, name: 'When to see a doctor' })).toBeTruthy();
    expect(document.title).toBe(`${page.title} · Dystrack`);
  });

  it('moves focus to the section named in the address', async () => {
    vi.useFakeTimers();
    try {
      window.history.replaceState(null, '', '/learn/causes#families');
      renderSignedOut('/learn/causes', <LearnPage slug="causes" />);
      await act(async () => {
        await vi.runAllTimersAsync();
      });
      expect(document.activeElement?.id).toBe('families');
    } finally {
      window.history.replaceState(null, '', '/');
      vi.useRealTimers();
    }
  });

  it('says so when there is no such page', () => {
    renderSignedOut('/learn/nothing', <LearnPage slug="nothing" />);
    expect(screen.getByRole('heading', { level: 1, name: 'Learn page not found' })).toBeTruthy();
    expect(
      screen.getByRole('link', { name: 'See all Learn pages and search them' }).getAttribute('href'),
    ).toBe('/learn');
  });
});
