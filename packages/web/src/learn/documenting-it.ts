import { SOURCES } from './sources.js';
import type { LearnPage } from './types.js';

export const documentingIt: LearnPage = {
  slug: 'documenting-it',
  title: 'Documenting it with Dystrack',
  summary:
    'What Dystrack records, what its numbers mean and what they do not mean, and how to bring them to a doctor, a therapist or an employer.',
  sections: [
    {
      id: 'what-it-records',
      heading: 'What Dystrack records',
      paragraphs: ['Dystrack keeps what you enter and what you do in its tasks:'],
      list: [
        'Task recordings: typing, finger tapping, spiral drawing, handwriting, piano scales, a precision tool task and phone tremor. Each keeps every key press, tap, pen point or movement with its time, so the numbers can be worked out again later.',
        'Diary entries: how bad each task was, symptoms, pain, where on the body, and notes about sleep, stress and more. When you change an entry, the earlier version is kept in its history.',
        'Questionnaires: short ones about mood, worry and how your hand has changed, and the totals of rating scales your clinic gives you.',
        'Treatments: injections, medicines, therapy, changes to your task or tools, and operations.',
      ],
      links: [
        { href: '/recordings', text: 'See your recordings' },
        { href: '/diary', text: 'Open your diary' },
      ],
    },
    {
      id: 'what-numbers-mean',
      heading: 'What the numbers mean',
      paragraphs: [
        'After a task, Dystrack shows a few numbers, each with a sentence that says what it means, for example how evenly you tapped or how fast you wrote.',
        'Each number is compared with your own earlier sessions of the same task, with the same hand, on the same device and browser. You need at least three sessions on different days before the comparison means much.',
        'Every hand varies from day to day. Dystrack only reports a change when it is bigger than your usual day-to-day ups and downs. Otherwise it says there is no reliable change.',
      ],
    },
    {
      id: 'what-numbers-do-not-mean',
      heading: 'What the numbers do not mean',
      list: [
        'They are not a diagnosis. They cannot tell dystonia apart from other problems.',
        'They are self-recorded, usually at home and without anyone watching. Dystrack cannot check how hard you tried or who did the task.',
        'A worse number can come from a tired day, a cold hand, a new keyboard or a slow phone, not only from the dystonia.',
        'Numbers from different devices cannot be compared fairly. Keep to the same device and set-up when you can.',
        'A single session says little. Change over weeks, with several sessions, says more.',
      ],
      paragraphs: ['Please keep these limits in mind, and say them when you share your numbers:'],
    },
    {
      id: 'clinician',
      heading: 'Bringing it to your doctor or therapist',
      paragraphs: [
        'Clinicians have little time. Bring a short summary: when symptoms started, what changed since the last visit, your treatments with dates, and two or three numbers that changed, with what they mean.',
        'Record on several days before a visit or an injection, and more often in the weeks after an injection. Then your doctor can see what happened in between.',
        'You can download all your data as one file on your Account page, to keep a copy or to give to your clinic.',
      ],
      links: [{ href: '/account', text: 'Download your data on your Account page' }],
    },
    {
      id: 'employer',
      heading: 'Bringing it to an employer or an insurer',
      paragraphs: [
        'Employers, insurers and lawyers may want evidence that is repeated over time and tied to the tasks your job needs. Regular recordings of those tasks, with dates, can show how your hand did over months.',
        'Say clearly that the recordings are your own and were not supervised. Pair them with your doctor’s letter, which gives the diagnosis. Dystrack does not give legal advice.',
      ],
      links: [{ href: '/learn/working-with-it', text: 'Read about working with it' }],
    },
    {
      id: 'see-a-doctor',
      heading: 'When to see a doctor',
      paragraphs: [
        'Do not wait for the numbers to change before you see a doctor. If you notice new symptoms, symptoms in a new place, or quick changes, see a doctor even if Dystrack shows no reliable change.',
      ],
    },
  ],
  related: ['treatments', 'working-with-it', 'diagnosis'],
  sources: [SOURCES.torresRussotto, SOURCES.mayo],
};
