import { SOURCES } from './sources.js';
import type { LearnPage } from './types.js';

export const triggers: LearnPage = {
  slug: 'triggers',
  title: 'What sets it off: triggers',
  summary:
    'One activity usually brings the symptoms on, and stress, tiredness and worry can make them worse. Your diary can show what goes with your bad days.',
  sections: [
    {
      id: 'the-task',
      heading: 'The task itself',
      paragraphs: [
        'The main trigger is usually one activity: writing, typing, playing an instrument, or using a tool at work, for example a dental instrument.',
        'At first the symptoms may come only after a long time at the task. Later they may start sooner, sometimes after a few words or notes.',
      ],
    },
    {
      id: 'what-makes-it-worse',
      heading: 'Things that can make it worse',
      paragraphs: [
        'Medical sources agree that stress, tiredness and anxiety can make the symptoms stronger. Many people notice that a bad night or a tense day shows in their hand.',
        'People also wonder about other things, such as coffee, cold hands, alcohol or long practice. These differ from person to person. A diary is a good way to find out what matters for you.',
      ],
    },
    {
      id: 'your-diary',
      heading: 'Noting triggers in your diary',
      paragraphs: [
        'Each Dystrack diary entry can hold how bad each task was (0 = no symptoms, 10 = worst) and a few notes about the day. All of them are optional.',
      ],
      list: [
        'Stress, tiredness and anxiety, each from 0 (none) to 10 (worst).',
        'Hours of practice or writing.',
        'Hours of sleep.',
        'Drinks with caffeine and drinks with alcohol.',
        'Cold hands or a cold room.',
      ],
      links: [{ href: '/diary', text: 'Open your diary' }],
    },
    {
      id: 'reading-patterns',
      heading: 'Reading patterns with care',
      paragraphs: [
        'If bad days and short nights often come together, that is worth telling your doctor. It does not prove that one causes the other. Both could have a third cause, such as a busy week.',
        'A few weeks of entries say more than a few days. Note good days too, not only bad ones.',
      ],
    },
    {
      id: 'see-a-doctor',
      heading: 'When to see a doctor',
      paragraphs: [
        'See a doctor if the symptoms start to appear during new activities, or at rest, or if they get worse quickly. Bring your diary: it helps the doctor see what happens between visits.',
      ],
    },
  ],
  related: ['symptoms', 'documenting-it', 'working-with-it'],
  sources: [SOURCES.mayo, SOURCES.dmrf],
};
