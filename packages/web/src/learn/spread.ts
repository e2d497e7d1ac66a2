import { SOURCES } from './sources.js';
import type { LearnPage } from './types.js';

export const spread: LearnPage = {
  slug: 'spread',
  title: 'Spread: when symptoms move',
  summary:
    'Most hand dystonia stays where it started. In some people it spreads to the arm, the other hand or further. How to keep track, and what to tell a doctor.',
  sections: [
    {
      id: 'how-often',
      heading: 'How often it spreads',
      paragraphs: [
        'For most people, focal hand dystonia stays in the same hand and the same task.',
        'The medical sources listed at the bottom of this page report that about 16 in every 100 people with focal hand dystonia that has no other cause see it spread within 8 years. So about 84 in 100 do not.',
      ],
    },
    {
      id: 'where-it-goes',
      heading: 'Where it can go',
      paragraphs: ['When it spreads, it can:'],
      list: [
        'Move up the same arm, to the wrist, forearm, upper arm or shoulder.',
        'Start in the other hand.',
        'Reach other parts of the body. Doctors call dystonia in many parts of the body generalised.',
      ],
    },
    {
      id: 'body-map',
      heading: 'Keeping track with the body map',
      paragraphs: [
        'Every diary entry has a body map. Mark where you had symptoms, on your left or your right side.',
        'The diary then shows, for the last 90 days, each body region you marked, on how many entries, and the day you first marked it. A region that is new for you is labelled “New”.',
        'When you mark the neck, face, trunk or a leg for the first time, Dystrack asks you to see a doctor about it.',
      ],
      links: [{ href: '/diary', text: 'Open your diary and its body map' }],
    },
    {
      id: 'see-a-doctor',
      heading: 'When to see a doctor',
      paragraphs: [
        'Tell your doctor about any new body region, and see one soon if symptoms appear outside the hand and arm, at rest, or change quickly. Spread can also be a sign of another illness, which a doctor needs to rule out.',
        'Dystrack counts the regions you marked. It cannot tell whether dystonia has spread; only a doctor can.',
      ],
    },
  ],
  related: ['symptoms', 'causes', 'documenting-it'],
  sources: [SOURCES.torresRussotto, SOURCES.mayo, SOURCES.dmrf],
};
