import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useTitle } from '../components/use-title.js';
import {
  LEARN_DISCLAIMER,
  LEARN_PAGES,
  learnPage,
  SEE_A_DOCTOR_ID,
  type LearnPage as LearnPageData,
  type LearnSection,
} from '../learn/index.js';
import { searchLearn } from '../learn/search.js';
import './learn.css';

/** The address of a Learn page, or of one of its sections. */
export function learnHref(slug: string, sectionId?: string): string {
  return `/learn/${slug}${sectionId ? `#${sectionId}` : ''}`;
}

/** What the search says about its results; read out by screen readers as it changes. */
export function resultWords(query: string, count: number): string {
  if (query.trim() === '') return '';
  if (count === 0) return `Nothing matches “${query.trim()}”. Try another word, or fewer words.`;
  return `${count} ${count === 1 ? 'section matches' : 'sections match'} “${query.trim()}”.`;
}

/** Full-text search across all Learn pages, in the browser; the query is kept in the address (`?q=`). */
function LearnSearch() {
  const [, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const [query, setQuery] = useState(() => params.get('q') ?? '');
  const hits = useMemo(() => searchLearn(query), [query]);
  const resultsRef = useRef<HTMLOListElement>(null);

  function change(value: string) {
    setQuery(value);
    navigate(value.trim() === '' ? '/learn' : `/learn?q=${encodeURIComponent(value)}`, { replace: true });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    resultsRef.current?.querySelector('a')?.focus();
  }

  return (
    <form role="search" className="learn-search" onSubmit={submit} aria-labelledby="learn-search-label">
      <div className="field">
        <label id="learn-search-label" htmlFor="learn-search-input" className="learn-search__label">
          Search the Learn pages
        </label>
        <p className="field__hint" id="learn-search-hint">
          For example: pain, injection, employer. Press Enter to go to the first result.
        </p>
        <input
          id="learn-search-input"
          type="search"
          className="learn-search__input"
          value={query}
          onChange={(event) => change(event.target.value)}
          aria-describedby="learn-search-hint"
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
        />
      </div>
      <p role="status" aria-live="polite" className="learn-search__count">
        {resultWords(query, hits.length)}
      </p>
      {hits.length > 0 ? (
        <ol className="learn-results" ref={resultsRef} aria-label="Search results">
          {hits.map(({ page, section, snippet }) => (
            <li key={`${page.slug}#${section.id}`} className="learn-result">
              <Link href={learnHref(page.slug, section.id)} className="learn-result__link">
                <span className="learn-result__page">{page.title}</span>
                <span className="learn-result__section">{section.heading}</span>
              </Link>
              <p className="learn-result__snippet">
                {snippet.map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : part.text))}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
    </form>
  );
}

/** The list of all Learn pages with their summaries, and the search. */
function LearnIndex() {
  useTitle('Learn');
  return (
    <div className="page page--narrow learn">
      <h1>Learn about focal hand dystonia</h1>
      <p className="lead">
        Short pages in plain words: what it is, what sets it off, how it is found and treated, and how to keep
        a record of it.
      </p>
      <p className="notice learn__disclaimer">{LEARN_DISCLAIMER}</p>
      <LearnSearch />
      <section aria-labelledby="learn-pages-heading">
        <h2 id="learn-pages-heading">All pages</h2>
        <ol className="learn-index">
          {LEARN_PAGES.map((page) => (
            <li key={page.slug} className="learn-index__item">
              <h3 className="learn-index__title">
                <Link href={learnHref(page.slug)}>{page.title}</Link>
              </h3>
              <p>{page.summary}</p>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function Section({ section }: { section: LearnSection }) {
  const care = section.id === SEE_A_DOCTOR_ID;
  return (
    <section
      aria-labelledby={section.id}
      className={care ? 'learn-section notice notice--care' : 'learn-section'}
    >
      <h2 id={section.id} tabIndex={-1}>
        {section.heading}
      </h2>
      {section.paragraphs.map((text) => (
        <p key={text}>{text}</p>
      ))}
      {section.list ? (
        <ul className="learn-section__list">
          {section.list.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      ) : null}
      {section.links ? (
        <ul className="link-list learn-section__links">
          {section.links.map((link) => (
            <li key={link.href}>
              <Link href={link.href}>{link.text}</Link>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Brings the section named in the address (`#<id>`) into view and moves focus to its heading. */
function useFocusSection(slug: string): void {
  useEffect(() => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return undefined;
    // after the layout has moved focus to the page's h1 (its effect runs after this one)
    const timer = setTimeout(() => {
      const heading = document.getElementById(id);
      if (!heading) return;
      heading.focus({ preventScroll: true });
      // to the top of the window, not just into view (jsdom has no scrolling)
      if ('scrollIntoView' in heading) heading.scrollIntoView({ block: 'start' });
    }, 0);
    return () => clearTimeout(timer);
  }, [slug]);
}

/** One Learn page: its table of contents, sections, related pages and sources. */
function LearnArticle({ page }: { page: LearnPageData }) {
  useTitle(page.title);
  useFocusSection(page.slug);
  return (
    <div className="page page--narrow learn">
      <p className="learn__back">
        <Link href="/learn">All Learn pages and search</Link>
      </p>
      <article aria-labelledby="learn-title">
        <h1 id="learn-title">{page.title}</h1>
        <p className="lead">{page.summary}</p>
        <p className="notice learn__disclaimer">
          <span>
            {LEARN_DISCLAIMER} <a href={`#${SEE_A_DOCTOR_ID}`}>When to see a doctor</a>
          </span>
        </p>
        <nav aria-labelledby="learn-toc-title" className="learn-toc">
          <p id="learn-toc-title" className="learn-toc__title">
            On this page
          </p>
          <ul className="link-list">
            {page.sections.map((section) => (
              <li key={section.id}>
                <a href={`#${section.id}`}>{section.heading}</a>
              </li>
            ))}
          </ul>
        </nav>
        {page.sections.map((section) => (
          <Section key={section.id} section={section} />
        ))}
        <nav aria-labelledby="learn-related" className="learn-related">
          <h2 id="learn-related">Related pages</h2>
          <ul className="link-list">
            {page.related.map((slug) => {
              const other = learnPage(slug);
              return other ? (
                <li key={slug}>
                  <Link href={learnHref(slug)}>{other.title}</Link>
                </li>
              ) : null;
            })}
          </ul>
        </nav>
        <section aria-labelledby="learn-sources" className="learn-sources">
          <h2 id="learn-sources">Sources</h2>
          <p>Written by the Dystrack project in its own words, from these sources:</p>
          <ul>
            {page.sources.map((source) => (
              <li key={source}>{source}</li>
            ))}
          </ul>
        </section>
      </article>
    </div>
  );
}

function LearnNotFound({ slug }: { slug: string }) {
  useTitle('Learn page not found');
  return (
    <div className="page page--narrow learn">
      <h1>Learn page not found</h1>
      <p>There is no Learn page called “{slug}”.</p>
      <p>
        <Link href="/learn">See all Learn pages and search them</Link>
      </p>
    </div>
  );
}

/** Plain-language pages about focal hand dystonia, with full-text search (`/learn`, `/learn/<slug>`). */
export function LearnPage({ slug }: { slug?: string | undefined }) {
  if (!slug) return <LearnIndex />;
  const page = learnPage(slug);
  return page ? <LearnArticle page={page} /> : <LearnNotFound slug={slug} />;
}
