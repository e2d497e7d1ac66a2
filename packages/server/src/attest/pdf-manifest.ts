import { inflateSync } from 'node:zlib';
import { findManifestBlock, signedManifestSchema, type SignedManifest } from '@dystrack/core';

/** The file name of the signed manifest attached to a report PDF. */
export const MANIFEST_FILE_NAME = 'dystrack-manifest.json';

/*
 * Reads the signed manifest out of a report PDF without a PDF library: the report writes it as an
 * embedded file (`/Type /EmbeddedFile`) whose stream is left uncompressed, so that it can be found in
 * the bytes; a PDF rewritten by another program may have compressed it (`/FlateDecode`), which is
 * inflated here. A manifest that was pasted as a delimited text block is read as well.
 */

/** Each embedded-file stream of a PDF, decoded (uncompressed or FlateDecode; others are skipped). */
export function embeddedFileStreams(pdf: Uint8Array): Uint8Array[] {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const text = bytes.toString('latin1');
  const out: Uint8Array[] = [];
  const marker = /\/Type\s*\/EmbeddedFile\b/g;
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    // the dictionary runs from the object's start to `stream`
    const objStart = text.lastIndexOf(' obj', match.index);
    const streamAt = text.indexOf('stream', match.index);
    if (objStart < 0 || streamAt < 0) continue;
    const dict = text.slice(objStart, streamAt);
    const lengthMatch = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    let start = streamAt + 'stream'.length;
    if (text[start] === '\r') start++;
    if (text[start] === '\n') start++;
    const end = lengthMatch ? start + Number(lengthMatch[1]) : text.indexOf('endstream', start);
    if (end < start || end > bytes.length) continue;
    const raw = bytes.subarray(start, end);
    const filter = /\/Filter\s*(\/\w+|\[[^\]]*\])/.exec(dict)?.[1];
    if (!filter) out.push(raw);
    else if (/^\/FlateDecode$|^\[\s*\/FlateDecode\s*\]$/.test(filter)) {
      try {
        out.push(inflateSync(raw));
      } catch {
        // a damaged stream: not a manifest
      }
    }
  }
  return out;
}

/** Why no manifest could be read from a file. */
export class ManifestNotFoundError extends Error {}

/**
 * The signed manifest of a report PDF (or of a JSON file holding one, or of text with a delimited block).
 * @throws ManifestNotFoundError when the file holds no signed manifest
 */
export function readSignedManifest(file: Uint8Array): SignedManifest {
  const head = Buffer.from(file.subarray(0, 5)).toString('latin1');
  if (head === '%PDF-') {
    for (const stream of embeddedFileStreams(file)) {
      try {
        return signedManifestSchema.parse(JSON.parse(Buffer.from(stream).toString('utf8')));
      } catch {
        // another attachment
      }
    }
  } else {
    try {
      return signedManifestSchema.parse(JSON.parse(Buffer.from(file).toString('utf8')));
    } catch {
      // perhaps a delimited block in text
    }
  }
  try {
    const block = findManifestBlock(Buffer.from(file).toString('utf8'));
    if (block) return block;
  } catch {
    // a damaged block
  }
  throw new ManifestNotFoundError(
    head === '%PDF-'
      ? 'this PDF holds no Dystrack signed manifest (it is not a Dystrack work-capacity report, or the attachment was removed)'
      : 'this file is neither a Dystrack report PDF nor a signed manifest',
  );
}
