/**
 * The copy texts of the typing task (measures.md 5.3 T1: a fixed text of about 300 characters, the same
 * every session, typed at normal speed). Written for this project as plain everyday prose: no quotes,
 * apostrophes, digits or symbols that some keyboards make hard to reach, one paragraph, no line breaks.
 * Each language says the same thing. About 3 minutes for a slow typist (100 characters a minute).
 *
 * A person must keep the same text from session to session. Changing a text changes what is
 * recorded: bump the task's `version` when you do.
 */

/** One copy text. */
export interface CopyText {
  /** BCP 47 language tag (the `lang` attribute of the text and the input field). */
  language: string;
  /** The language's name in that language, for the choice before the run. */
  name: string;
  /** The text to copy, NFC-normalised. */
  text: string;
}

/** The copy texts by id (the `text` parameter). */
export const COPY_TEXTS = {
  en: {
    language: 'en',
    name: 'English',
    text:
      'The morning was quiet, and the garden was still wet from the night rain. A small bird sat on the ' +
      'fence and watched the path. Somewhere down the road a door opened and closed again. I made a pot of ' +
      'tea, sat by the window and waited for the sun to climb over the hills. It was going to be a good day.',
  },
  de: {
    language: 'de',
    name: 'Deutsch',
    text:
      'Am Morgen war es still, und der Garten war noch nass vom Regen. Ein kleiner Vogel saß auf dem Zaun ' +
      'und schaute auf den Weg. Weiter unten an der Straße ging eine Tür auf und wieder zu. Ich kochte mir ' +
      'einen Tee, setzte mich ans Fenster und wartete, bis die Sonne über die Hügel stieg. Es würde ein ' +
      'guter Tag werden.',
  },
  fr: {
    language: 'fr',
    name: 'Français',
    text:
      'Le matin était calme, et le jardin était encore mouillé par la pluie. Un petit oiseau était posé ' +
      'sur la barrière et regardait le chemin. Plus loin dans la rue, une porte a claqué deux fois. Je me ' +
      'suis assis près de la fenêtre avec un thé et je regardais le soleil monter derrière les collines. ' +
      'Ce serait une belle journée.',
  },
  es: {
    language: 'es',
    name: 'Español',
    text:
      'La mañana estaba tranquila, y el jardín seguía mojado por la lluvia. Un pájaro pequeño estaba ' +
      'sobre la valla y miraba el camino. Más abajo, en la calle, una puerta se abrió y se cerró otra vez. ' +
      'Me preparé un té, me senté junto a la ventana y esperé a que el sol subiera sobre las colinas. Iba ' +
      'a ser un buen día.',
  },
} as const satisfies Record<string, CopyText>;

/** Id of a copy text. */
export type CopyTextId = keyof typeof COPY_TEXTS;

/** Ids of the copy texts, in the order they are offered. */
export const COPY_TEXT_IDS = ['en', 'de', 'fr', 'es'] as const satisfies readonly CopyTextId[];

/** How far a typed text is along the copy text, without keeping the typed text. */
export interface CopyProgress {
  /** Characters typed so far, at most the text's length (the position in the text). */
  done: number;
  /** Length of the text to copy. */
  total: number;
  /** Length of what was typed, in characters (the run ends as soon as it reaches `total`). */
  typedLength: number;
  /** Whether as many characters as the text has were typed (errors count: errors are allowed). */
  complete: boolean;
}

/**
 * Progress of `typed` along `text`: the position is the number of characters typed (errors allowed,
 * as measures.md 5.3 T1 says), so the run ends when the typed text is as long as the copy text.
 * Both are compared NFC-normalised (a dead key or an IME may give decomposed characters).
 */
export function copyProgress(typed: string, text: string): CopyProgress {
  const typedLength = [...typed.normalize('NFC')].length;
  const total = [...text].length;
  return { done: Math.min(typedLength, total), total, typedLength, complete: typedLength >= total };
}

/**
 * Levenshtein distance between two strings, by code point: insertions, deletions and substitutions
 * that turn `a` into `b`. Used for the number of uncorrected errors in a copied text (a count, not
 * the text, so it is kept whatever the privacy choice).
 */
export function editDistance(a: string, b: string): number {
  const x = [...a.normalize('NFC')];
  const y = [...b.normalize('NFC')];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}
