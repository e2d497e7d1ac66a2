import { CodedError } from '../errors/catalogue.js';
import { PHQ9, PHQ9_ITEM9_LINK_ID } from './definitions.js';
import { answerOf, findItem, findOption } from './scoring.js';
import type { QuestionnaireAnswers } from './types.js';

/**
 * Safety rules. Pure functions: the UI shows their messages as they are, at once. None of the texts
 * diagnoses or gives treatment advice; they point to people who can help.
 */

/** A support service configured by the server's administrator (name and how to reach it). */
export interface CrisisResource {
  readonly name: string;
  /** Phone number, text number or address, as people should use it. */
  readonly contact: string;
  readonly description?: string;
}

export type CrisisCheck =
  | { readonly crisis: false }
  | {
      readonly crisis: true;
      /** The value given to PHQ-9 item 9 (1–3). */
      readonly itemValue: number;
      readonly title: string;
      /** Paragraphs, in order. */
      readonly paragraphs: readonly string[];
      /** The administrator's resources that have a name and a contact; may be empty. */
      readonly resources: readonly CrisisResource[];
    };

export const CRISIS_TITLE = 'Please talk to someone now';
export const NOBODY_WATCHES =
  'Nobody watches these answers in real time. Dystrack does not alert anyone: not your doctor, and not ' +
  'the people who run this server.';

/**
 * PHQ-9 item 9 above 0 (thoughts of being better off dead or of hurting oneself) gives a crisis result
 * that the UI must show at once, before anything else. `resources` come from the server's configuration.
 */
export function checkPhq9Crisis(
  answers: QuestionnaireAnswers,
  resources: readonly CrisisResource[],
): CrisisCheck {
  const item = findItem(PHQ9, PHQ9_ITEM9_LINK_ID);
  if (!item || item.kind !== 'choice') throw new TypeError('PHQ-9 item 9 is missing from the definition');
  const answer = answerOf(answers, PHQ9_ITEM9_LINK_ID);
  if (answer === undefined) return { crisis: false };
  const option = findOption(item, answer);
  // An unknown answer must not pass silently as "no crisis".
  if (!option) throw new CodedError('E_VALIDATION', `"${answer}" is not an answer to PHQ-9 question 9.`);
  if (option.value <= 0) return { crisis: false };

  const usable = resources
    .map((r) => ({ ...r, name: r.name.trim(), contact: r.contact.trim() }))
    .filter((r) => r.name !== '' && r.contact !== '');
  return {
    crisis: true,
    itemValue: option.value,
    title: CRISIS_TITLE,
    paragraphs: [
      'You answered that you have had thoughts that you would be better off dead or of hurting yourself.',
      NOBODY_WATCHES,
      'If you are in danger or might act on these thoughts, call your local emergency number now.',
      usable.length > 0
        ? 'You can talk to someone today. These services are listed by the people who run this server:'
        : 'The people who run this server have not listed support services. A crisis line in your country, ' +
          'your doctor or someone you trust can help you today.',
    ],
    resources: usable,
  };
}

/** How the hand symptoms began. */
export type Onset = 'minutes-or-hours' | 'days-or-weeks' | 'months-or-years' | 'unknown';

/** Signs outside a task-specific hand problem that the intake or diary may ask about. */
export type OtherSign =
  'speech-or-swallowing' | 'face' | 'vision' | 'balance-or-walking' | 'numbness' | 'thinking-or-memory';

/** Diary or intake answers the red-flag rule reads. Unanswered fields raise no flag. */
export interface RedFlagAnswers {
  readonly onset?: Onset;
  /** The symptoms spread to other body parts within weeks or a few months. */
  readonly spreadQuickly?: boolean;
  /** Weakness, not only cramping, curling or slowness. */
  readonly weakness?: boolean;
  /** Symptoms also when not doing the affected task. */
  readonly presentAtRest?: boolean;
  readonly otherSigns?: readonly OtherSign[];
  readonly startedAfterNewMedicine?: boolean;
  readonly startedAfterHeadInjury?: boolean;
  /** Has seen a doctor about the hand symptoms. */
  readonly seenDoctor?: boolean;
}

export type RedFlagCode =
  | 'onset-minutes-or-hours'
  | 'onset-days-or-weeks'
  | 'rapid-spread'
  | 'weakness'
  | 'present-at-rest'
  | `sign-${OtherSign}`
  | 'after-new-medicine'
  | 'after-head-injury'
  | 'no-doctor-yet';

export interface RedFlag {
  readonly code: RedFlagCode;
  /** The answer that raised the flag, in plain words. */
  readonly text: string;
}

export interface RedFlagResult {
  /** `urgent`: show at once, emergency wording. `see-doctor`: show with the answers. `none`: nothing. */
  readonly level: 'none' | 'see-doctor' | 'urgent';
  readonly flags: readonly RedFlag[];
  readonly title: string | null;
  readonly message: string | null;
}

const SIGN_TEXT: Readonly<Record<OtherSign, string>> = {
  'speech-or-swallowing': 'Trouble speaking or swallowing.',
  face: 'Changes in your face, such as drooping.',
  vision: 'Changes in your vision.',
  'balance-or-walking': 'Trouble with balance or walking.',
  numbness: 'Numbness or loss of feeling.',
  'thinking-or-memory': 'Changes in thinking or memory.',
};

export const SEE_DOCTOR_TITLE = 'Please see a doctor';
export const URGENT_TITLE = 'Please get medical help now';

/**
 * Flags answers that suggest something other than a task-specific focal hand dystonia (condition.md:
 * it usually begins mildly during one activity; it can be a sign of another disease, which is why
 * unexplained or changing symptoms go to a doctor). Symptoms that began within minutes or hours are
 * urgent. Anyone who has not seen a doctor is told to see one.
 */
export function checkRedFlags(answers: RedFlagAnswers): RedFlagResult {
  const flags: RedFlag[] = [];
  if (answers.onset === 'minutes-or-hours') {
    flags.push({ code: 'onset-minutes-or-hours', text: 'The symptoms began within minutes or hours.' });
  } else if (answers.onset === 'days-or-weeks') {
    flags.push({ code: 'onset-days-or-weeks', text: 'The symptoms began suddenly, within days or weeks.' });
  }
  if (answers.spreadQuickly) {
    flags.push({ code: 'rapid-spread', text: 'The symptoms spread quickly to other parts of the body.' });
  }
  if (answers.weakness) flags.push({ code: 'weakness', text: 'Weakness, not only cramping or curling.' });
  if (answers.presentAtRest) {
    flags.push({
      code: 'present-at-rest',
      text: 'The symptoms are there even when you are not doing the task.',
    });
  }
  for (const sign of new Set(answers.otherSigns ?? [])) {
    flags.push({ code: `sign-${sign}`, text: SIGN_TEXT[sign] });
  }
  if (answers.startedAfterNewMedicine) {
    flags.push({ code: 'after-new-medicine', text: 'The symptoms began after starting a new medicine.' });
  }
  if (answers.startedAfterHeadInjury) {
    flags.push({ code: 'after-head-injury', text: 'The symptoms began after a head injury.' });
  }
  const unusual = flags.length > 0;
  if (answers.seenDoctor === false) {
    flags.push({ code: 'no-doctor-yet', text: 'You have not seen a doctor about your hand yet.' });
  }

  if (answers.onset === 'minutes-or-hours') {
    return {
      level: 'urgent',
      flags,
      title: URGENT_TITLE,
      message:
        'Symptoms that come on within minutes or hours need a doctor straight away. Call your local ' +
        `emergency number or go to an emergency department now. ${NOBODY_WATCHES}`,
    };
  }
  if (unusual) {
    return {
      level: 'see-doctor',
      flags,
      title: SEE_DOCTOR_TITLE,
      message:
        'Some of your answers describe signs that are not typical of a focal hand dystonia. Hand ' +
        'symptoms can have other causes, and only a doctor can check them. Please see a doctor, ' +
        'preferably a neurologist who specialises in movement disorders, and show them these answers. ' +
        'Dystrack informs; it does not diagnose.',
    };
  }
  if (flags.length > 0) {
    return {
      level: 'see-doctor',
      flags,
      title: SEE_DOCTOR_TITLE,
      message:
        'Anyone with hand symptoms who has not seen a doctor should see one, preferably a neurologist ' +
        'who specialises in movement disorders. Dystrack informs; it does not diagnose.',
    };
  }
  return { level: 'none', flags, title: null, message: null };
}
