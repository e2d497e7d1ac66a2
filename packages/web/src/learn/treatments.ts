import { SOURCES } from './sources.js';
import type { LearnPage } from './types.js';

export const treatments: LearnPage = {
  slug: 'treatments',
  title: 'Treatments',
  summary:
    'Changes to how you do the task, therapy, medicines, botulinum toxin injections and, for a few people, surgery. A specialist helps you choose.',
  sections: [
    {
      id: 'who-treats',
      heading: 'Who treats it',
      paragraphs: [
        'Treatment is usually led by a neurologist who specialises in movement disorders, often together with a physiotherapist or an occupational therapist.',
        'Dystrack does not suggest any treatment. It helps you keep a record of what you had and how your hand did.',
      ],
    },
    {
      id: 'changing-the-task',
      heading: 'Changing how you do the task',
      paragraphs: [
        'Small changes can help: a thicker pen, a different grip, holding an instrument another way, or a different keyboard or tool.',
      ],
    },
    {
      id: 'therapy',
      heading: 'Physiotherapy and occupational therapy',
      paragraphs: [
        'Therapists can teach exercises and new ways to move, and help you adapt your tools and your work.',
      ],
    },
    {
      id: 'medicines',
      heading: 'Medicines',
      paragraphs: [
        'Some medicines taken by mouth can ease dystonia for some people. They can have side effects, so the doctor adjusts the dose with you.',
      ],
    },
    {
      id: 'botulinum-toxin',
      heading: 'Botulinum toxin injections',
      paragraphs: [
        'A doctor injects a very small amount of botulinum toxin into the muscles that tighten too much. The toxin calms those muscles for a while.',
        'In a study of 186 people treated for several conditions, including dystonia of the arm, the effect began after about a week on average and lasted about two and a half months on average (Ledda and others, 2022). It differs a lot between people and doses.',
        'Injections are usually repeated, commonly 12 weeks or more apart. Each round is called a cycle.',
        'In a trial for writer’s cramp, 70 in 100 people who had the toxin chose to go on with it, against about 32 in 100 who had a dummy injection. The main side effect was weakness of the hand, which passed (Kruisdijk and others, 2007).',
        'Weakness can make you slower while the movement gets steadier. That is why it helps to look at speed and evenness as separate numbers.',
      ],
    },
    {
      id: 'surgery',
      heading: 'Surgery',
      paragraphs: [
        'For a few people, when other treatments have not helped enough, surgeons may offer deep brain stimulation (a small device that sends signals into the brain) or an operation on the nerves to the overactive muscles.',
      ],
    },
    {
      id: 'recording-treatments',
      heading: 'Recording your treatments',
      paragraphs: [
        'On the Treatments page you can enter injections (date, product, muscles and units, for example from the clinic letter), medicines, therapy, changes to your task or tools, operations and changes to stimulator settings.',
        'The injection date is day 0 of a cycle. Measuring your hand on several days before the injection and more often in the weeks after it shows how long the effect takes to start and how long it lasts for you.',
      ],
      links: [{ href: '/treatments', text: 'Go to your treatments' }],
    },
    {
      id: 'see-a-doctor',
      heading: 'When to see a doctor',
      paragraphs: [
        'Talk to your doctor before you start, stop or change any treatment. Get help quickly if you have trouble swallowing, speaking or breathing after an injection, or if weakness spreads beyond the injected hand.',
      ],
    },
  ],
  related: ['documenting-it', 'diagnosis', 'working-with-it'],
  sources: [SOURCES.mayo, SOURCES.dmrf, SOURCES.ledda, SOURCES.kruisdijk],
};
