import { canonicalJson } from '@dystrack/core';

/**
 * SHA-256 of a text's UTF-8 bytes, lower-case hex, with WebCrypto; null where WebCrypto is missing
 * (a page served over plain http other than localhost is not a secure context).
 */
export async function sha256Hex(text: string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The canonical JSON text (RFC 8785) of a recording, its UTF-8 length and its SHA-256: what the server stores and hashes. */
export async function canonicalForm(
  recording: unknown,
): Promise<{ text: string; byteLength: number; sha256: string | null }> {
  const text = canonicalJson(recording);
  return { text, byteLength: new TextEncoder().encode(text).byteLength, sha256: await sha256Hex(text) };
}
