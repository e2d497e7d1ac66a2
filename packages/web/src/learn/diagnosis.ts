import { SOURCES } from './sources.js';
import type { LearnPage } from './types.js';

export const diagnosis: LearnPage = {
  slug: 'diagnosis',
  title: 'How it is diagnosed',
  summary:
    'A doctor, usually a neurologist, makes the diagnosis from your story, an examination and sometimes tests. An app cannot.',
  sections: [
    {
      id: 'who',
      heading: 'Who makes the diagnosis',
      paragraphs: [
        'A doctor makes the diagnosis, usually a neurologist who specialises in movement disorders. Your family doctor can refer you.',
        'Dystrack never diagnoses. Its numbers can show how your hand moved on different days, but they cannot tell dystonia apart from other problems.',
      ],
    },
    {
      id: 'the-visit',
      heading: 'What happens at the visit',
      paragraphs: [
        'The doctor asks when the problem started, which tasks it affects and what makes it better or worse. They watch you do the task, for example write a sentence or play a few bars.',
      ],
    },
    {
      id: 'tests',
      heading: 'Tests the doctor may order',
      paragraphs: ['Tests are mostly used to rule out other causes. Not everyone needs them.'],
      list: [
        'Blood or urine tests, and sometimes a test of the fluid around the spine, to look for poisons or other illnesses.',
        'A brain scan (MRI or CT) to look for a tumour, damage or a stroke.',
        'Tests of the electrical activity of muscles (EMG) or of the brain (EEG).',
        'Genetic tests, especially when relatives have dystonia.',
      ],
    },
    {
      id: 'preparing',
      heading: 'Getting ready for the visit',
      paragraphs: [
        'Write down when it started and which tasks it affects. Bring samples of your handwriting from before and now if writing is affected, or a video of you playing if you are a musician.',
        'Measurements on several days and your diary can help the doctor see what happens between visits.',
      ],
      links: [{ href: '/learn/documenting-it', text: 'How to bring your Dystrack records' }],
    },
    {
      id: 'see-a-doctor',
      heading: 'When to see a doctor',
      paragraphs: [
        'If no doctor has confirmed what is wrong with your hand, please make an appointment. You can use Dystrack in the meantime, but it cannot tell you what you have.',
      ],
    },
  ],
  related: ['causes', 'treatments', 'documenting-it'],
  sources: [SOURCES.mayo, SOURCES.medlineplus, SOURCES.ninds],
};
