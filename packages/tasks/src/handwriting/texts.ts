/**
 * What the handwriting task asks to write (measures.md 4.2): per language a fixed pangram for H3 and
 * H4 (the same sentence every session; the Spanish one is the usual two-sentence pangram), and a longer fixed passage for the H6 two-minute copy, written
 * for this project as plain everyday prose. A person must keep the same language from session to
 * session. Changing a text changes what is recorded: bump the task's `version` when you do.
 */

/** The texts of one language. */
export interface HandwritingTexts {
  /** BCP 47 language tag (the `lang` attribute of the shown text). */
  language: string;
  /** The language's name, for the choice before the run. */
  name: string;
  /** H3/H4: a pangram (every letter of the alphabet), one line of handwriting or two. */
  sentence: string;
  /** H6: a longer passage, more than two minutes of writing for most people. */
  passage: string;
}

/** The texts by language (the `language` parameter). */
export const HANDWRITING_TEXTS = {
  en: {
    language: 'en',
    name: 'English',
    sentence: 'The quick brown fox jumps over the lazy dog.',
    passage:
      'Every spring the old mill by the river opens its doors to visitors. Children run along the bank ' +
      'and watch the great wheel turn slowly in the water. Their parents sit in the shade with bread, ' +
      'cheese and a jug of cold apple juice. In the afternoon the miller shows how flour was made long ' +
      'ago, and everyone may try to turn the heavy stone by hand. When the sun goes down, the families ' +
      'walk home across the fields, tired and happy.',
  },
  de: {
    language: 'de',
    name: 'Deutsch',
    sentence: 'Victor jagt zwölf Boxkämpfer quer über den großen Sylter Deich.',
    passage:
      'Jedes Frühjahr öffnet die alte Mühle am Fluss ihre Türen für Besucher. Die Kinder laufen am Ufer ' +
      'entlang und sehen zu, wie sich das große Rad langsam im Wasser dreht. Ihre Eltern sitzen im ' +
      'Schatten mit Brot, Käse und einem Krug kaltem Apfelsaft. Am Nachmittag zeigt der Müller, wie man ' +
      'früher Mehl gemacht hat, und jeder darf den schweren Stein von Hand drehen. Wenn die Sonne ' +
      'untergeht, wandern die Familien müde und froh über die Felder nach Hause.',
  },
  fr: {
    language: 'fr',
    name: 'Français',
    sentence: 'Portez ce vieux whisky au juge blond qui fume.',
    passage:
      'Chaque printemps, le vieux moulin au bord de la rivière ouvre ses portes aux visiteurs. Les ' +
      'enfants courent le long de la rive et regardent la grande roue tourner lentement dans l’eau. ' +
      'Leurs parents s’assoient à l’ombre avec du pain, du fromage et une cruche de jus de pomme frais. ' +
      'L’après-midi, le meunier montre comment on faisait la farine autrefois, et chacun peut essayer ' +
      'de tourner la lourde pierre à la main. Quand le soleil se couche, les familles rentrent à travers ' +
      'les champs, fatiguées et heureuses.',
  },
  es: {
    language: 'es',
    name: 'Español',
    sentence:
      'El veloz murciélago hindú comía feliz cardillo y kiwi. La cigüeña tocaba el saxofón detrás del palenque de paja.',
    passage:
      'Cada primavera, el viejo molino junto al río abre sus puertas a los visitantes. Los niños corren ' +
      'por la orilla y miran cómo la gran rueda gira despacio en el agua. Sus padres se sientan a la ' +
      'sombra con pan, queso y una jarra de zumo de manzana frío. Por la tarde, el molinero enseña cómo ' +
      'se hacía la harina hace mucho tiempo, y todos pueden intentar girar la pesada piedra a mano. ' +
      'Cuando se pone el sol, las familias vuelven a casa por los campos, cansadas y felices.',
  },
} as const satisfies Record<string, HandwritingTexts>;

/** A language of the handwriting texts. */
export type HandwritingLanguage = keyof typeof HANDWRITING_TEXTS;

/** The languages, in the order they are offered. */
export const HANDWRITING_LANGUAGES = [
  'en',
  'de',
  'fr',
  'es',
] as const satisfies readonly HandwritingLanguage[];

/** H1: the loop pattern, continuous cursive l's (measures.md 4.2). */
export const LOOP_PATTERN = 'llllllll';

/** Letters of a text (what writing speed in letters per minute counts): Unicode letters only. */
export function letterCount(text: string): number {
  return [...text.normalize('NFC')].filter((c) => /\p{L}/u.test(c)).length;
}
