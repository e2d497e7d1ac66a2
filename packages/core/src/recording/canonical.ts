/**
 * The canonical JSON text of a value (RFC 8785, JSON Canonicalization Scheme): sorted keys,
 * ECMAScript number formatting, no whitespace. Its SHA-256 is a recording's content hash.
 *
 * The output is that of the `canonicalize` package (the test oracle) for every value JSON can hold, plus
 * `undefined` and symbols (left out of objects, null in arrays, as JSON.stringify does) and objects with
 * `toJSON` (dates). Unlike that package it refuses functions and array holes instead of writing text that
 * is not JSON. Arrays of primitives, the bulk of a recording, are written by one `JSON.stringify` call.
 * @throws TypeError for values JSON cannot represent (NaN, Infinity, undefined at the top, functions,
 *   bigints, cycles) and for strings with a lone UTF-16 surrogate (which have no UTF-8 form, RFC 8785 §3.2.2.2)
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = serialize(value, []);
  } catch (error) {
    if (error instanceof TypeError) throw error;
    // a RangeError from a nesting too deep for the stack, say
    throw new TypeError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}

/** JSON.stringify writes a lone surrogate as `\udxxx`: text without `\ud` has none. */
const ESCAPED_SURROGATE = '\\ud';

/** Whether a string has a UTF-16 surrogate that is not half of a pair. */
function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1); // NaN past the end
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) return true;
  }
  return false;
}

function loneSurrogate(): TypeError {
  return new TypeError('Lone surrogate is not allowed');
}

function notFinite(value: number): TypeError {
  return new TypeError(Number.isNaN(value) ? 'NaN is not allowed' : 'Infinity is not allowed');
}

/** A JSON string literal, refusing lone surrogates. */
function quote(text: string): string {
  const quoted = JSON.stringify(text);
  if (quoted.includes(ESCAPED_SURROGATE) && hasLoneSurrogate(text)) throw loneSurrogate();
  return quoted;
}

/**
 * The canonical text of a value, or undefined for what JSON leaves out (undefined, symbols; the
 * caller decides what that means where it appears).
 * @param stack - the arrays and objects being written, outermost first (to refuse cycles)
 */
function serialize(value: unknown, stack: object[]): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (value - value !== 0) throw notFinite(value);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'symbol':
      return undefined;
    case 'function':
      throw new TypeError('a function has no JSON representation');
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
  }
  if (value === null) return 'null';
  const object = value as Record<string, unknown>;
  if (stack.includes(object)) throw new TypeError('Circular reference detected');
  stack.push(object);
  let text: string | undefined;
  if (typeof object.toJSON === 'function') text = serialize((object.toJSON as () => unknown)(), stack);
  else if (Array.isArray(object)) text = primitiveArray(object) ?? serializeArray(object, stack);
  else text = serializeObject(object, stack);
  stack.pop();
  return text;
}

/**
 * The text of an array of finite numbers, strings, booleans and nulls, by one JSON.stringify call
 * (which writes each of them as RFC 8785 does); undefined when the array holds anything else, or a
 * value that needs the element-by-element path to refuse it in order (NaN, Infinity).
 * @throws TypeError when a string has a lone surrogate
 */
function primitiveArray(array: unknown[]): string | undefined {
  let strings = false;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    switch (typeof item) {
      case 'number':
        if (item - item !== 0) return undefined;
        break;
      case 'string':
        strings = true;
        break;
      case 'boolean':
        break;
      case 'object':
        if (item !== null) return undefined;
        break;
      default:
        return undefined;
    }
  }
  const text = JSON.stringify(array);
  if (strings && text.includes(ESCAPED_SURROGATE)) {
    for (const item of array) {
      if (typeof item === 'string' && hasLoneSurrogate(item)) throw loneSurrogate();
    }
  }
  return text;
}

function serializeArray(array: unknown[], stack: object[]): string {
  let text = '[';
  for (let i = 0; i < array.length; i++) {
    if (i > 0) text += ',';
    if (!(i in array)) throw new TypeError('an array hole has no JSON representation');
    // undefined and symbols are null in arrays, as in JSON.stringify
    text += serialize(array[i], stack) ?? 'null';
  }
  return text + ']';
}

function serializeObject(object: Record<string, unknown>, stack: object[]): string {
  // the default sort compares UTF-16 code units, as RFC 8785 §3.2.3 asks
  const keys = Object.keys(object).sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const item = object[key];
    // properties whose value JSON leaves out are left out, as in JSON.stringify
    if (item === undefined || typeof item === 'symbol') continue;
    const name = quote(key);
    const member = serialize(item, stack);
    if (member === undefined) continue; // a toJSON that gave undefined, as in JSON.stringify
    text += first ? `${name}:${member}` : `,${name}:${member}`;
    first = false;
  }
  return text + '}';
}
