import canonicalize from 'canonicalize';

/**
 * The canonical JSON text of a value (RFC 8785, JSON Canonicalization Scheme): sorted keys,
 * ECMAScript number formatting, no whitespace. Its SHA-256 is a recording's content hash.
 * @throws TypeError for values JSON cannot represent (NaN, Infinity, undefined at the top)
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}
