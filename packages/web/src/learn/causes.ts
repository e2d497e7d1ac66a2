import { SOURCES } from './sources.js';
import type { LearnPage } from './types.js';

export const causes: LearnPage = {
  slug: 'causes',
  title: 'What causes it',
  summary:
    'Nobody knows the exact cause. The way nerve cells in the brain pass on signals changes. Sometimes another illness is behind it, which is why a doctor should look.',
  sections: [
    {
      id: 'in-the-brain',
      heading: 'A change in the brain’s signals',
      paragraphs: [
        'The exact cause is not known. Research points to changes in how nerve cells talk to each other in several parts of the brain. One of them is a group of areas deep in the brain called the basal ganglia, which help control movement.',
        'The leading idea is that the chemical messengers nerve cells use to pass on signals work differently. The muscles then get mixed messages: some tighten when they should relax.',
      ],
    },
    {
      id: 'not-your-fault',
      heading: 'Not caused by you',
      paragraphs: [
        'It is not laziness, a weak will or something you imagine. It often affects people who have practised their skill for years and do it very well.',
      ],
    },
    {
      id: 'families',
      heading: 'Families and genes',
      paragraphs: [
        'Between 5 and 25 in every 100 people with focal dystonia have a relative with dystonia. Genetic tests can sometimes help the doctor.',
      ],
    },
    {
      id: 'other-illnesses',
      heading: 'When another illness is behind it',
      paragraphs: [
        'Sometimes dystonia is a sign of another condition. Doctors think of things such as Parkinson’s disease, a head injury, a stroke, a brain tumour, some infections, poisoning by heavy metals, or a reaction to a medicine.',
        'This is the main reason why new, unexplained or changing symptoms should always be seen by a doctor.',
      ],
    },
    {
      id: 'see-a-doctor',
      heading: 'When to see a doctor',
      paragraphs: [
        'See a doctor if you have symptoms that nobody has explained yet, if they change, or if you started a new medicine shortly before they began. Dystrack cannot find the cause of your symptoms.',
      ],
    },
  ],
  related: ['diagnosis', 'what-it-is', 'spread'],
  sources: [SOURCES.ninds, SOURCES.mayo, SOURCES.medlineplus],
};
