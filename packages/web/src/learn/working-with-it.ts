import { SOURCES } from './sources.js';
import type { LearnPage } from './types.js';

export const workingWithIt: LearnPage = {
  slug: 'working-with-it',
  title: 'Working with it',
  summary:
    'Adapting your tasks and tools, pacing your day, talking to your employer, and where to get advice if you can no longer do your job safely.',
  sections: [
    {
      id: 'adapting',
      heading: 'Adapting your work',
      paragraphs: [
        'Many people keep working by changing how they do the hard task: different tools or grips, speech-to-text instead of typing, or sharing tasks with colleagues.',
        'An occupational therapist can look at your work and suggest changes.',
      ],
    },
    {
      id: 'pacing',
      heading: 'Pacing your day',
      paragraphs: [
        'Tiredness and stress can make symptoms worse. Short breaks, spreading the hard task over the day and enough sleep can help some people. Your diary can show whether they help you.',
      ],
      links: [{ href: '/learn/triggers', text: 'Read about triggers' }],
    },
    {
      id: 'employer',
      heading: 'Talking to your employer',
      paragraphs: [
        'You decide what to tell your employer. It can help to explain which tasks are hard, what changes would help, and what you can still do well.',
        'A letter from your doctor carries the diagnosis. Your own records can add how your hand did over weeks or months.',
      ],
      links: [{ href: '/learn/documenting-it', text: 'How to share your records' }],
    },
    {
      id: 'safety-at-work',
      heading: 'When work may no longer be safe',
      paragraphs: [
        'Some jobs need very precise hands, for example dentists, surgeons and other doctors, or musicians. Hand dystonia can stop some people from doing such work safely.',
        'Some people then claim disability benefits or insurance for their own occupation. Insurers and lawyers usually ask for medical reports and for evidence over time of the hand tasks the job needs.',
        'Dystrack does not give legal or financial advice. Ask a qualified adviser, your union or your professional body.',
      ],
    },
    {
      id: 'your-profile',
      heading: 'Your profile',
      paragraphs: [
        'In your Dystrack profile you can note your occupation and the hand tasks that matter most to you, for example writing prescriptions or playing scales. This helps you and your doctor choose which measurements to follow.',
      ],
      links: [{ href: '/profile', text: 'Edit your profile' }],
    },
    {
      id: 'see-a-doctor',
      heading: 'When to see a doctor',
      paragraphs: [
        'See your doctor if your hand makes a work task unsafe, if it gets worse, or if low mood or worry about work weighs on you. You do not have to wait for the next planned visit.',
      ],
    },
  ],
  related: ['documenting-it', 'treatments', 'triggers'],
  sources: [SOURCES.torresRussotto, SOURCES.dmrf],
};
