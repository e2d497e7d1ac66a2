/*
 * The shape of a Learn page: plain data, rendered as React elements by pages/learn.tsx (no HTML strings, no
 * markdown), and indexed for the full-text search by learn/search.ts.
 */

/** A link from a Learn page into the app or to another Learn page (`/learn/<slug>`). */
export interface LearnLink {
  /** An app path: `/diary`, `/learn/spread`, `/learn/spread#see-a-doctor`. */
  href: string;
  /** The words of the link; they say where it goes. */
  text: string;
}

/** One part of a page under its own heading (an h2). */
export interface LearnSection {
  /** The anchor of the heading, unique on its page: `/learn/<slug>#<id>`. */
  id: string;
  heading: string;
  /** Short paragraphs, shown in order. */
  paragraphs: readonly string[];
  /** A bulleted list after the paragraphs, when the content is a list. */
  list?: readonly string[];
  /** Links after the section's text: where in the app to do what the section speaks of. */
  links?: readonly LearnLink[];
}

/** The nine topics every set of Learn pages covers, in reading order. */
export const LEARN_TOPICS = [
  'what-it-is',
  'triggers',
  'symptoms',
  'spread',
  'causes',
  'diagnosis',
  'treatments',
  'working-with-it',
  'documenting-it',
] as const;
export type LearnSlug = (typeof LEARN_TOPICS)[number];

/** A Learn page. */
export interface LearnPage {
  slug: LearnSlug;
  title: string;
  /** One or two sentences for the index and the top of the page. */
  summary: string;
  /** The sections; one of them has the id `see-a-doctor` and says when to see a doctor. */
  sections: readonly LearnSection[];
  /** Other Learn pages worth reading next. */
  related: readonly LearnSlug[];
  /** The published sources the facts of the page come from, by name. */
  sources: readonly string[];
}

/** The id of the section every page has about when to see a doctor. */
export const SEE_A_DOCTOR_ID = 'see-a-doctor';
