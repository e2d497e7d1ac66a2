import canonicalize from 'canonicalize';

/**
 * The canonical JSON text of a value (RFC 8785, JSON Canonicalization Scheme): sorted keys,
 * ECMAScript number formatting, no whitespace. Its SHA-256 is a recording's content hash.
 * @throws TypeError for values JSON cannot represent (NaN, Infinity, undefined at the top) and for
 *   strings with a lone UTF-16 surrogate (which have no UTF-8 form, RFC 8785 §3.2.2.2)
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    // the library throws plain Errors ("NaN is not allowed", "Lone surrogate is not allowed", …)
    throw new TypeError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}
