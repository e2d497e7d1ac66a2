import { SOURCES } from './sources.js';
import type { LearnPage } from './types.js';

export const whatItIs: LearnPage = {
  slug: 'what-it-is',
  title: 'What focal hand dystonia is',
  summary:
    'Muscles in the hand and arm tighten on their own during one activity, such as writing or playing. Here is what that means and what it is not.',
  sections: [
    {
      id: 'in-short',
      heading: 'In short',
      paragraphs: [
        'Dystonia is a movement disorder. Muscles tighten without you wanting them to. This can twist a part of the body or make it repeat the same movement.',
        'When only one part of the body is affected, doctors call it focal dystonia. When that part is the hand, it is focal hand dystonia.',
        'Your hand is not weak and you have not forgotten how to do the task. The messages from the brain that control the movement have changed.',
      ],
    },
    {
      id: 'one-task',
      heading: 'Often only during one task',
      paragraphs: [
        'Many people have problems only while they do one particular thing. Writing, typing, playing an instrument or holding a dental tool are common examples. The same hand can often do other things normally.',
        'Because of this, it is also called task-specific dystonia.',
      ],
    },
    {
      id: 'names',
      heading: 'Other names you may hear',
      paragraphs: ['Doctors, books and websites use several names for the same kind of problem:'],
      list: [
        'Focal hand dystonia, or focal task-specific dystonia.',
        'Writer’s cramp, when writing is affected.',
        'Musician’s dystonia, when playing an instrument is affected.',
        'Typist’s cramp, when typing is affected.',
        'Occupational cramp or occupational dystonia, when a work task is affected.',
      ],
    },
    {
      id: 'not-an-injury',
      heading: 'What it is not',
      paragraphs: [
        'It can look like an injury from using the hand too much, such as carpal tunnel syndrome. But it does not come from damaged nerves, tendons or joints in the hand. It comes from a change in how the nerves and the brain work together.',
        'It does not affect how well you think or how clever you are.',
      ],
    },
    {
      id: 'see-a-doctor',
      heading: 'When to see a doctor',
      paragraphs: [
        'If your hand cramps, curls or stops during a task and no doctor has looked at it yet, please see one. Other problems can look the same and some need their own treatment.',
        'The best person to see is a neurologist who specialises in movement disorders. Your family doctor can refer you. Dystrack cannot tell you what you have.',
      ],
    },
  ],
  related: ['symptoms', 'causes', 'diagnosis'],
  sources: [SOURCES.mayo, SOURCES.torresRussotto, SOURCES.dmrf],
};
