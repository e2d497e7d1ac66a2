/**
 * Which hand and finger strike each physical key in standard touch typing (measures.md 5.4: "map
 * `code` to hand and finger with a standard touch-typing map" [S]).
 *
 * The map is keyed by `KeyboardEvent.code`, the physical key position named after its US-QWERTY
 * label, so it holds for every layout (AZERTY, QWERTZ, Dvorak, Cyrillic, …): a finger strikes the
 * same position whatever character the layout puts there. It covers the ANSI (US) and ISO (Europe)
 * main blocks; ISO's extra key left of Z is `IntlBackslash`, and the ISO key left of Enter reports
 * `Backslash`. Assignment (the common touch-typing chart, home row ASDF JKL;):
 *
 * | hand  | finger | keys |
 * |-------|--------|------|
 * | left  | pinky  | Escape, Backquote, 1, Tab, Q, CapsLock, A, ShiftLeft, IntlBackslash, Z, ControlLeft |
 * | left  | ring   | 2, W, S, X |
 * | left  | middle | 3, E, D, C |
 * | left  | index  | 4, 5, R, T, F, G, V, B |
 * | left  | thumb  | AltLeft, MetaLeft |
 * | right | index  | 6, 7, Y, U, H, J, N, M |
 * | right | middle | 8, I, K, Comma |
 * | right | ring   | 9, O, L, Period |
 * | right | pinky  | 0, Minus, Equal, Backspace, P, BracketLeft, BracketRight, Backslash, Semicolon, Quote, Enter, Slash, ShiftRight, ControlRight, IntlRo, IntlYen |
 * | right | thumb  | Space, AltRight, MetaRight |
 *
 * Notes: `6` is struck by the left index finger in some charts; we follow the chart that gives it to
 * the right. The space bar is pressed by either thumb, and typists differ; it is listed under the
 * right thumb only because the type needs a hand, so analyses that compare hands leave thumb keys
 * out (see {@link isHandComparable}). Arrow keys, the navigation block, function keys and the numeric
 * keypad have no touch-typing finger and are not in the map.
 */

export type Hand = 'left' | 'right';
export type Finger = 'pinky' | 'ring' | 'middle' | 'index' | 'thumb';

export interface FingerAssignment {
  hand: Hand;
  finger: Finger;
}

export const FINGERS: readonly Finger[] = ['pinky', 'ring', 'middle', 'index', 'thumb'];
export const HANDS: readonly Hand[] = ['left', 'right'];

const ROWS: [Hand, Finger, string[]][] = [
  [
    'left',
    'pinky',
    [
      'Escape',
      'Backquote',
      'Digit1',
      'Tab',
      'KeyQ',
      'CapsLock',
      'KeyA',
      'ShiftLeft',
      'IntlBackslash',
      'KeyZ',
      'ControlLeft',
    ],
  ],
  ['left', 'ring', ['Digit2', 'KeyW', 'KeyS', 'KeyX']],
  ['left', 'middle', ['Digit3', 'KeyE', 'KeyD', 'KeyC']],
  ['left', 'index', ['Digit4', 'Digit5', 'KeyR', 'KeyT', 'KeyF', 'KeyG', 'KeyV', 'KeyB']],
  ['left', 'thumb', ['AltLeft', 'MetaLeft']],
  ['right', 'index', ['Digit6', 'Digit7', 'KeyY', 'KeyU', 'KeyH', 'KeyJ', 'KeyN', 'KeyM']],
  ['right', 'middle', ['Digit8', 'KeyI', 'KeyK', 'Comma']],
  ['right', 'ring', ['Digit9', 'KeyO', 'KeyL', 'Period']],
  [
    'right',
    'pinky',
    [
      'Digit0',
      'Minus',
      'Equal',
      'Backspace',
      'KeyP',
      'BracketLeft',
      'BracketRight',
      'Backslash',
      'Semicolon',
      'Quote',
      'Enter',
      'Slash',
      'ShiftRight',
      'ControlRight',
      'IntlRo',
      'IntlYen',
    ],
  ],
  ['right', 'thumb', ['Space', 'AltRight', 'MetaRight']],
];

/** `KeyboardEvent.code` → hand and finger (see the module comment for the chart). */
export const KEYMAP: Readonly<Record<string, FingerAssignment>> = Object.freeze(
  Object.fromEntries(
    ROWS.flatMap(([hand, finger, codes]) => codes.map((code) => [code, Object.freeze({ hand, finger })])),
  ),
);

/** {@link KEYMAP} as a Map: the lookup of {@link fingerOf}, called for every keystroke. */
const KEYMAP_LOOKUP: ReadonlyMap<string, FingerAssignment> = new Map(Object.entries(KEYMAP));

/**
 * Modifier keys: held while another key is struck, so their hold time measures something else than
 * a keystroke. Left out of the per-hand, per-finger and same-finger metrics (kept in the whole-file
 * contract metrics, which count every key).
 */
export const MODIFIER_CODES: ReadonlySet<string> = new Set([
  'ShiftLeft',
  'ShiftRight',
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'MetaLeft',
  'MetaRight',
  'OSLeft',
  'OSRight',
  'Fn',
]);

/**
 * The hand and finger of a physical key.
 * @param code - `KeyboardEvent.code`
 * @returns the assignment, or null for keys outside the touch-typing map (arrows, keypad, F-keys, '')
 */
export function fingerOf(code: string | null): FingerAssignment | null {
  if (!code) return null;
  return KEYMAP_LOOKUP.get(code) ?? null;
}

/**
 * Whether a key counts in comparisons between hands and fingers: in the map, not a modifier, and not
 * struck by a thumb (the space bar's hand is not known).
 */
export function isHandComparable(code: string | null): boolean {
  const assignment = fingerOf(code);
  return assignment !== null && assignment.finger !== 'thumb' && !MODIFIER_CODES.has(code!);
}

/** US-QWERTY: the character of each key unshifted and shifted. */
const US_CHARACTERS: [string, string, string][] = [
  ['Backquote', '`', '~'],
  ['Digit1', '1', '!'],
  ['Digit2', '2', '@'],
  ['Digit3', '3', '#'],
  ['Digit4', '4', '$'],
  ['Digit5', '5', '%'],
  ['Digit6', '6', '^'],
  ['Digit7', '7', '&'],
  ['Digit8', '8', '*'],
  ['Digit9', '9', '('],
  ['Digit0', '0', ')'],
  ['Minus', '-', '_'],
  ['Equal', '=', '+'],
  ['BracketLeft', '[', '{'],
  ['BracketRight', ']', '}'],
  ['Backslash', '\\', '|'],
  ['Semicolon', ';', ':'],
  ['Quote', "'", '"'],
  ['Comma', ',', '<'],
  ['Period', '.', '>'],
  ['Slash', '/', '?'],
  ['Space', ' ', ' '],
];

/** `KeyboardEvent.key` values of non-character keys → their code (left variant when the key has two). */
const NAMED_KEYS: Record<string, string> = {
  Backspace: 'Backspace',
  Tab: 'Tab',
  Enter: 'Enter',
  Escape: 'Escape',
  Esc: 'Escape',
  CapsLock: 'CapsLock',
  Shift: 'ShiftLeft',
  Control: 'ControlLeft',
  Alt: 'AltLeft',
  AltGraph: 'AltRight',
  Meta: 'MetaLeft',
  OS: 'MetaLeft',
  Spacebar: 'Space',
  Delete: 'Delete',
  Del: 'Delete',
  ArrowLeft: 'ArrowLeft',
  ArrowRight: 'ArrowRight',
  ArrowUp: 'ArrowUp',
  ArrowDown: 'ArrowDown',
  Left: 'ArrowLeft',
  Right: 'ArrowRight',
  Up: 'ArrowUp',
  Down: 'ArrowDown',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Insert: 'Insert',
};

const KEY_TO_CODE: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>(Object.entries(NAMED_KEYS));
  for (let c = 0; c < 26; c++) {
    const lower = String.fromCharCode(97 + c);
    const code = `Key${lower.toUpperCase()}`;
    map.set(lower, code);
    map.set(lower.toUpperCase(), code);
  }
  for (const [code, plain, shifted] of US_CHARACTERS) {
    map.set(plain, code);
    map.set(shifted, code);
  }
  return map;
})();

/**
 * Fallback when only `KeyboardEvent.key` is known (a contract CSV with a `key` column but no `code`):
 * the US-QWERTY key that produces this value, e.g. `a`/`A` → `KeyA`, `!` → `Digit1`, `" "` → `Space`,
 * `Backspace` → `Backspace`. Modifier names without a side (`Shift`, `Control`, `Alt`, `Meta`) map to
 * the left key. On other layouts this guesses the wrong position for some characters (the fallback
 * assumes US-QWERTY); record `code` to avoid it.
 * @returns the code, or null for values no US-QWERTY key produces (`é`, `Unidentified`, '')
 */
export function codeFromKey(key: string | null): string | null {
  if (key === null || key === '') return null;
  return KEY_TO_CODE.get(key) ?? null;
}

/** The physical key of a press: its `code` when known, else the US-QWERTY fallback of its `key`. */
export function resolveCode(press: { code: string | null; key: string | null }): string | null {
  return press.code ? press.code : codeFromKey(press.key);
}
