import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalJson, manifestBlock, type SignedManifest } from '@dystrack/core';
import { ManifestNotFoundError, embeddedFileStreams, readSignedManifest } from './pdf-manifest.js';

const SIGNED: SignedManifest = {
  manifest: {
    format: 'dystrack-report-manifest',
    version: 1,
    reportId: '11111111-1111-4111-8111-111111111111',
    kind: 'work-capacity',
    issuedAt: '2026-04-01T08:00:00.000Z',
    analysisVersion: '1.4.0',
    patient: 'P-0123456789ab',
    period: { from: '2026-03-01', to: '2026-03-31' },
    recordings: [],
    chainHead: '0'.repeat(64),
  },
  signature: 'AAAA',
  keyFingerprint: 'f'.repeat(64),
};

/** A PDF-like file with one embedded-file object whose stream holds `data` with the given filter. */
function pdfWith(data: Buffer, filter: string | null): Buffer {
  const dict = `<<\n/Type /EmbeddedFile\n${filter ? `/Filter ${filter}\n` : ''}/Length ${data.length}\n>>`;
  return Buffer.concat([
    Buffer.from(`%PDF-1.3\n%\xff\xff\n7 0 obj\n${dict}\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1'),
  ]);
}

describe('reading the signed manifest out of a PDF', () => {
  it('reads an uncompressed attachment, and one another program compressed with FlateDecode', () => {
    const json = Buffer.from(canonicalJson(SIGNED), 'utf8');
    expect(readSignedManifest(pdfWith(json, null))).toEqual(SIGNED);
    expect(readSignedManifest(pdfWith(deflateSync(json), '/FlateDecode'))).toEqual(SIGNED);
    expect(embeddedFileStreams(pdfWith(deflateSync(json), '[ /FlateDecode ]'))).toHaveLength(1);
    // a filter it cannot decode is skipped, not misread
    expect(embeddedFileStreams(pdfWith(json, '/LZWDecode'))).toHaveLength(0);
  });

  it('reads a manifest JSON file and a delimited block in text', () => {
    expect(readSignedManifest(Buffer.from(JSON.stringify(SIGNED)))).toEqual(SIGNED);
    expect(readSignedManifest(Buffer.from(`notes\n${manifestBlock(SIGNED)}\n`))).toEqual(SIGNED);
  });

  it('says so when a PDF holds no manifest, or another attachment only', () => {
    expect(() => readSignedManifest(Buffer.from('%PDF-1.3\n%%EOF\n'))).toThrow(ManifestNotFoundError);
    expect(() => readSignedManifest(pdfWith(Buffer.from('{"other":1}'), null))).toThrow(
      /holds no Dystrack signed manifest/,
    );
    expect(() => readSignedManifest(Buffer.from('hello'))).toThrow(
      /neither a Dystrack report PDF nor a signed manifest/,
    );
  });
});
