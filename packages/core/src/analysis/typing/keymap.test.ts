import { describe, expect, it } from 'vitest';
import { codeFromKey, fingerOf, isHandComparable, KEYMAP, resolveCode } from './keymap.js';

describe('touch-typing key map', () => {
  it('puts the home row under the right fingers', () => {
    const home: [string, string, string][] = [
      ['KeyA', 'left', 'pinky'],
      ['KeyS', 'left', 'ring'],
      ['KeyD', 'left', 'middle'],
      ['KeyF', 'left', 'index'],
      ['KeyG', 'left', 'index'],
      ['KeyH', 'right', 'index'],
      ['KeyJ', 'right', 'index'],
      ['KeyK', 'right', 'middle'],
      ['KeyL', 'right', 'ring'],
      ['Semicolon', 'right', 'pinky'],
      ['Space', 'right', 'thumb'],
    ];
    for (const [code, hand, finger] of home) expect(fingerOf(code)).toEqual({ hand, finger });
  });

  it('maps every letter and digit key', () => {
    for (let c = 0; c < 26; c++) expect(fingerOf(`Key${String.fromCharCode(65 + c)}`)).not.toBeNull();
    for (let d = 0; d < 10; d++) expect(fingerOf(`Digit${d}`)).not.toBeNull();
    expect(fingerOf('IntlBackslash')).toEqual({ hand: 'left', finger: 'pinky' });
    const fingers = new Set(Object.values(KEYMAP).map((a) => `${a.hand} ${a.finger}`));
    expect(fingers.size).toBe(10);
  });

  it('leaves keys without a touch-typing finger out', () => {
    for (const code of ['ArrowLeft', 'Numpad5', 'F5', 'Home', '', 'toString', 'constructor']) {
      expect(fingerOf(code)).toBeNull();
    }
    expect(fingerOf(null)).toBeNull();
  });

  it('compares hands only on pinky–index keys that are not modifiers', () => {
    expect(isHandComparable('KeyA')).toBe(true);
    expect(isHandComparable('Backspace')).toBe(true);
    expect(isHandComparable('ShiftLeft')).toBe(false);
    expect(isHandComparable('ControlRight')).toBe(false);
    expect(isHandComparable('Space')).toBe(false);
    expect(isHandComparable('AltLeft')).toBe(false);
    expect(isHandComparable('ArrowUp')).toBe(false);
  });
});

describe('US-QWERTY fallback from KeyboardEvent.key', () => {
  it('maps characters, shifted characters and named keys to their key', () => {
    expect(codeFromKey('a')).toBe('KeyA');
    expect(codeFromKey('A')).toBe('KeyA');
    expect(codeFromKey('!')).toBe('Digit1');
    expect(codeFromKey('1')).toBe('Digit1');
    expect(codeFromKey('?')).toBe('Slash');
    expect(codeFromKey(':')).toBe('Semicolon');
    expect(codeFromKey('"')).toBe('Quote');
    expect(codeFromKey(' ')).toBe('Space');
    expect(codeFromKey('Backspace')).toBe('Backspace');
    expect(codeFromKey('Enter')).toBe('Enter');
    expect(codeFromKey('Shift')).toBe('ShiftLeft');
  });

  it('returns null for values no US key produces', () => {
    expect(codeFromKey('é')).toBeNull();
    expect(codeFromKey('Unidentified')).toBeNull();
    expect(codeFromKey('')).toBeNull();
    expect(codeFromKey(null)).toBeNull();
  });

  it('prefers the recorded code over the key value', () => {
    // AZERTY: the key labelled A sits where US-QWERTY has Q.
    expect(resolveCode({ code: 'KeyQ', key: 'a' })).toBe('KeyQ');
    expect(resolveCode({ code: null, key: 'a' })).toBe('KeyA');
    expect(resolveCode({ code: '', key: 'j' })).toBe('KeyJ');
  });
});
