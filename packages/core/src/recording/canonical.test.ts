import { describe, expect, it } from 'vitest';
import canonicalize from 'canonicalize';
import { canonicalJson } from './canonical.js';

/** The double with the given IEEE 754 bit pattern (RFC 8785 Appendix B lists numbers by their bits). */
function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalJson (RFC 8785)', () => {
  it('reproduces the example of RFC 8785 §3.2.2: numbers, string escapes and literals', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units as in RFC 8785 §3.2.3, recursively', () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",' +
        ' "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(canonicalJson({ b: { z: 1, a: [{ y: 2, x: 1 }] }, a: null })).toBe(
      '{"a":null,"b":{"a":[{"x":1,"y":2}],"z":1}}',
    );
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('formats the double with bits %s as %s (RFC 8785 Appendix B)', (bits, text) => {
    expect(canonicalJson(double(bits))).toBe(text);
    expect(canonicalJson([double(bits)])).toBe(`[${text}]`);
  });

  it.each([
    ['NaN', double('7fffffffffffffff')],
    ['Infinity', double('7ff0000000000000')],
    ['-Infinity', -Infinity],
    ['undefined', undefined],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate inside an object', { key: 'a\udc00b' }],
    ['a lone surrogate in a key', { '\ud83d': 1 }],
  ])('refuses %s with a TypeError', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('keeps surrogate pairs and non-ASCII text as they are (UTF-8 later), escaping only what JSON must', () => {
    expect(canonicalJson({ key: '😀 ä \u2028 \u001f' })).toBe('{"key":"😀 ä \u2028 \\u001f"}');
  });

  it('leaves out object properties whose value is undefined, like JSON.stringify', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('is a fixed point: the canonical text parsed and canonicalized again is the same text', () => {
    const value = { z: [0.1, 0.2, -0, 1e21, 123456789.12345679], a: { é: 'x', e: ['\n', '"'] } };
    const once = canonicalJson(value);
    expect(canonicalJson(JSON.parse(once))).toBe(once);
  });
});

/** The package as canonicalJson used it before: no text (undefined at the top) is refused too. */
function oracle(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value has no JSON representation');
  return text;
}

/** Outcome of a canonicalizer: its text, or that it threw (the oracle throws plain Errors, canonicalJson TypeErrors). */
function outcome(canonical: (value: unknown) => string | undefined, value: unknown): string {
  try {
    return `text ${canonical(value)}`;
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
}

/** A small seeded PRNG (mulberry32), so that a failure is reproducible from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const EDGE_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.1,
  1e21,
  1e-7,
  1e-6,
  999999999999999900000,
  5e-324,
  -5e-324,
  Number.MAX_VALUE,
  Number.MIN_SAFE_INTEGER,
  2 ** 53,
  123456789.12345679,
  2147483647,
  -2147483648,
];
const EDGE_STRINGS = [
  '',
  'a',
  'keydown',
  '"',
  '\\',
  '\\ud800', // the text backslash-u-d-8-0-0, not a surrogate
  '\u2028\u2029',
  '\u0000\u001f\u007f',
  '\t\n\r\b\f',
  '€',
  'é',
  '😀',
  '\ud83d\ude00\ud83d\ude00',
  '\ud800', // lone high surrogate
  '\udc00', // lone low surrogate
  'x\ud83d', // high surrogate at the end
  '\ude00\ud83d', // pair in the wrong order
];

/** A random JSON-like value: nested arrays and objects, edge-case numbers and strings, undefined. */
function randomValue(rand: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const kind = Math.floor(rand() * (depth > 3 ? 6 : 9));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2: {
      // a random double from random bits (never NaN or Infinity: exponent below all ones)
      const view = new DataView(new ArrayBuffer(8));
      view.setUint32(0, Math.floor(rand() * 0x7fe00000) + (rand() < 0.5 ? 0x80000000 : 0));
      view.setUint32(4, Math.floor(rand() * 2 ** 32));
      return rand() < 0.5 ? view.getFloat64(0) : pick(EDGE_NUMBERS);
    }
    case 3:
      return rand() < 0.5 ? pick(EDGE_STRINGS) : randomString(rand);
    case 4:
      return Math.round((rand() - 0.5) * 1e6) / 1000;
    case 5:
      return rand() < 0.1 ? undefined : randomString(rand);
    case 6: {
      // arrays of one primitive type (the fast path), sometimes with a stray value
      const length = Math.floor(rand() * 8);
      const make = pick([
        () => randomValue(rand, 4),
        () => rand() * 1000,
        () => pick(EDGE_STRINGS.slice(0, 13)),
        () => (rand() < 0.8 ? rand() * 10 : null),
      ]);
      const array = Array.from({ length }, make);
      if (length > 0 && rand() < 0.2) array[Math.floor(rand() * length)] = randomValue(rand, depth + 1);
      return array;
    }
    case 7:
      return Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const count = Math.floor(rand() * 6);
      for (let i = 0; i < count; i++) {
        const key =
          rand() < 0.3 ? pick(['a', 'b', '1', '10', '9', 'é', '€', '😀', '\ufb33', '']) : randomString(rand);
        object[key] = randomValue(rand, depth + 1);
      }
      return object;
    }
  }
}

/** A short random string of code units from a few ranges, surrogates (paired or not) included. */
function randomString(rand: () => number): string {
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0x00, 0x1f],
    [0x80, 0x7ff],
    [0xd800, 0xdfff],
    [0xe000, 0xffff],
  ];
  let text = '';
  const length = Math.floor(rand() * 6);
  for (let i = 0; i < length; i++) {
    const [low, high] = ranges[Math.floor(rand() * (rand() < 0.7 ? 1 : ranges.length))]!;
    text += String.fromCharCode(low + Math.floor(rand() * (high - low + 1)));
    if (rand() < 0.1) text += '😀';
  }
  return text;
}

describe('canonicalJson against the canonicalize package', () => {
  it.each([
    ['an empty array', []],
    ['an empty object', {}],
    ['nested empties', { a: [], b: {}, c: [[], [{}]] }],
    ['-0 alone and in arrays', [-0, [-0], { z: -0 }]],
    ['1e21 and 5e-324', [1e21, 5e-324, -5e-324, 1e-7]],
    ['unicode keys', { é: 1, e: 2, '€': 3, '😀': 4, '\ufb33': 5, '\u0080': 6, '': 7 }],
    ['integer-like keys (sorted as strings)', { '10': 1, '9': 2, '1': 3, b: 4, a: 5 }],
    ['a typed column', { type: 'f64', values: [1.5, null, -0, 1e21, 0.1] }],
    ['mixed arrays', [1, 'a', true, null, [2], { b: 1, a: 2 }]],
    ['strings with the text \\ud800 (no surrogate)', ['\\ud800', '\\\\udfff', 'a\\udz']],
    [
      'undefined and symbols in arrays (null) and objects (left out)',
      [undefined, Symbol('s'), { a: undefined, b: Symbol('t'), c: 1 }],
    ],
    ['a date (toJSON)', { at: new Date(Date.UTC(2026, 10, 26, 9)) }],
    ['lone surrogates in a string array', ['ok', 'x\ud800y']],
    ['a lone surrogate in an array after a number', [1, 2, '\udc00']],
    ['NaN in an array of numbers', [1, Number.NaN, 3]],
    ['Infinity after a lone surrogate', ['\ud800', Infinity]],
    ['a lone surrogate after NaN', [Number.NaN, '\ud800']],
    ['-Infinity in an object', { a: -Infinity }],
    ['a lone surrogate in a key whose value is left out', { '\ud800': undefined, a: 1 }],
    ['a lone surrogate in a key', { '\ud800': 1 }],
    [
      'a shared (not circular) object',
      (() => {
        const shared = { x: [1, 2] };
        return { a: shared, b: shared, c: [shared, shared] };
      })(),
    ],
  ])('gives the same result for %s', (_name, value) => {
    const expected = outcome(oracle, value);
    expect(outcome(canonicalJson, value)).toBe(expected);
    if (expected.startsWith('threw')) expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('gives the same text or refusal for 20,000 random values', () => {
    const mismatches: string[] = [];
    let refused = 0;
    for (let seed = 1; seed <= 20_000 && mismatches.length < 5; seed++) {
      const value = randomValue(prng(seed), 0);
      const expected = outcome(oracle, value);
      const actual = outcome(canonicalJson, value);
      if (actual !== expected) mismatches.push(`seed ${seed}: ${actual} instead of ${expected}`);
      if (expected.startsWith('threw')) refused++;
    }
    expect(mismatches).toEqual([]);
    // both outcomes are well represented (the generator is seeded: these counts are fixed)
    expect(refused).toBeGreaterThan(1000);
    expect(refused).toBeLessThan(19_000);
  });

  it('gives the same text for a realistic recording with long columns', () => {
    const rand = prng(7);
    const rows = 2000;
    const recording = {
      id: '6f1c1a4e-8a4b-4c5d-9e6f-0a1b2c3d4e5f',
      schemaVersion: 1,
      streams: {
        pointer: {
          columns: {
            timeStampMs: { type: 'f64', values: Array.from({ length: rows }, (_, i) => i * 4.167 + rand()) },
            pressureNorm: {
              type: 'f64',
              values: Array.from({ length: rows }, () => (rand() < 0.1 ? null : rand())),
            },
            pointerId: {
              type: 'i32',
              values: Array.from({ length: rows }, () => Math.floor(rand() * 2 ** 31)),
            },
            type: {
              type: 'str',
              values: Array.from({ length: rows }, () => (rand() < 0.5 ? 'pointermove' : 'ä😀')),
            },
            coalesced: { type: 'bool', values: Array.from({ length: rows }, () => rand() < 0.5) },
          },
        },
      },
    };
    expect(canonicalJson(recording)).toBe(canonicalize(recording));
  });

  it('refuses cycles, directly and through toJSON, with a TypeError', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { again: [cycle] };
    expect(() => canonicalJson(cycle)).toThrow(TypeError);
    const selfJson = { toJSON: () => selfJson };
    expect(() => canonicalJson({ a: selfJson })).toThrow(TypeError);
    expect(() => canonicalize(cycle)).toThrow();
  });

  it('refuses what has no JSON text, where the package would write invalid JSON: functions, holes, bigints', () => {
    // canonicalize writes {"f":undefined} and [,1] here
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson([1, () => 1])).toThrow(TypeError);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => canonicalJson([, 1])).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson([1n])).toThrow(TypeError);
  });

  it('treats a toJSON that gives undefined as JSON.stringify does, where the package writes "a":undefined', () => {
    const nothing = { toJSON: () => undefined };
    expect(canonicalJson({ b: 1, a: nothing })).toBe('{"b":1}');
    expect(canonicalJson([nothing])).toBe('[null]');
    expect(() => canonicalJson(nothing)).toThrow(TypeError);
  });
});
