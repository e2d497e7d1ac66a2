import { SOURCES } from './sources.js';
import type { LearnPage } from './types.js';

export const symptoms: LearnPage = {
  slug: 'symptoms',
  title: 'Symptoms in the hand and arm',
  summary:
    'Curling or clenching fingers, a hand that freezes, shaking, pain and tiredness. Early signs are often mild and come and go.',
  sections: [
    {
      id: 'early-signs',
      heading: 'Early signs',
      paragraphs: [
        'At the start the signs are often small. They may come only now and then, only during one task, or only when you are tired or stressed.',
        'Handwriting may get smaller or messier. A finger may lift or curl while you play. Typing may get slower or more uneven.',
      ],
    },
    {
      id: 'common-symptoms',
      heading: 'Common symptoms',
      paragraphs: ['People with focal hand dystonia describe things like these:'],
      list: [
        'Muscles that tighten on their own in the fingers, hand or forearm, sometimes up to the shoulder.',
        'Fingers that clench, curl or stick out.',
        'A hand that freezes or stops in the middle of a task.',
        'Shaking fingers, or a tremor.',
        'Losing the ability to do a task well, or at all.',
        'Pain and tiredness, because the muscles keep working against each other.',
      ],
    },
    {
      id: 'nerves-and-tendons',
      heading: 'Other problems that can come with it',
      paragraphs: [
        'Trapped nerves at the wrist or elbow (of the median or ulnar nerve) are common in people with hand dystonia. They can cause numbness or tingling. A doctor can check for them.',
        'When spasms go on for years, tendons can shorten and a finger or the wrist can stay bent. This is one reason why treatment and follow-up matter.',
      ],
    },
    {
      id: 'feelings',
      heading: 'How it can feel',
      paragraphs: [
        'Losing a skill you rely on is hard. Low mood, worry and pulling away from other people are common. These are real parts of the condition, not a weakness.',
        'The questionnaires in Dystrack include short ones about mood and worry, so you can show your doctor how you have been. If you ever think of harming yourself, contact a doctor or an emergency service now.',
      ],
      links: [{ href: '/scales', text: 'Go to the questionnaires' }],
    },
    {
      id: 'recording-symptoms',
      heading: 'Recording your symptoms',
      paragraphs: [
        'In the diary you can tick which symptoms you had, such as clenching or curling fingers, freezing, tremor, cramping, pain, fatigue or weakness, and rate pain from 0 (no pain) to 10 (worst pain).',
      ],
      links: [{ href: '/diary', text: 'Add a diary entry' }],
    },
    {
      id: 'see-a-doctor',
      heading: 'When to see a doctor',
      paragraphs: [
        'See a doctor if you have these symptoms and no doctor has looked at them yet. See one soon if there is numbness, weakness that does not go away, or symptoms in other parts of the body.',
      ],
    },
  ],
  related: ['triggers', 'spread', 'what-it-is'],
  sources: [SOURCES.mayo, SOURCES.torresRussotto, SOURCES.medlineplus],
};
