import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './base64url.js';
import {
  buildManifest,
  chainRecordings,
  findManifestBlock,
  keyFingerprint,
  manifestBlock,
  signManifest,
  verificationCode,
  type ManifestRecording,
  type SignedManifest,
  type VerifySignature,
} from './manifest.js';
import { sha256Bytes, sha256Hex, toHex, utf8Bytes } from './sha256.js';
import { verifyManifest, type RecordingState } from './verify.js';

/*
 * Ed25519 itself is node:crypto's (tested in the server and the CLI); here a stand-in signature, the
 * SHA-256 of key and message, checks the manifest logic around it.
 */
const KEY = utf8Bytes('k'.repeat(32));
const OTHER_KEY = utf8Bytes('o'.repeat(32));
const fakeSign = (message: Uint8Array) => sha256Bytes(new Uint8Array([...KEY, ...message]));
const fakeVerify: VerifySignature = (message, signature, publicKey) =>
  toHex(sha256Bytes(new Uint8Array([...publicKey, ...message]))) === toHex(signature);

const recordings: ManifestRecording[] = [
  {
    id: '00000000-0000-4000-8000-000000000002',
    taskId: 'typing',
    hand: 'right',
    startedAt: '2026-03-02T10:00:00.000Z',
    provenance: 'self',
    sha256: 'b'.repeat(64),
  },
  {
    id: '00000000-0000-4000-8000-000000000001',
    taskId: 'tapping',
    hand: 'left',
    startedAt: '2026-03-01T10:00:00.000Z',
    provenance: 'supervised',
    sha256: 'a'.repeat(64),
  },
  {
    id: '00000000-0000-4000-8000-000000000003',
    taskId: 'typing',
    hand: 'right',
    startedAt: '2026-03-03T10:00:00.000Z',
    provenance: 'self',
    sha256: 'c'.repeat(64),
  },
];

function signed(): SignedManifest {
  const manifest = buildManifest({
    reportId: '11111111-1111-4111-8111-111111111111',
    issuedAt: new Date('2026-04-01T08:00:00Z'),
    analysisVersion: 'core-1.4.0',
    patient: 'P-7f3a',
    period: { from: '2026-03-01', to: '2026-03-31' },
    recordings,
  });
  return signManifest(manifest, fakeSign, KEY);
}

function serverState(
  overrides: Record<string, RecordingState | null> = {},
): Map<string, RecordingState | null> {
  const map = new Map<string, RecordingState | null>(
    recordings.map((r) => [r.id, { sha256: r.sha256, erasedAt: null }]),
  );
  for (const [id, state] of Object.entries(overrides)) map.set(id, state);
  return map;
}

const clone = (value: SignedManifest): SignedManifest => JSON.parse(JSON.stringify(value)) as SignedManifest;

describe('SHA-256', () => {
  it('gives the FIPS 180-4 example digests', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256Hex('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('hashes the UTF-8 bytes of text outside ASCII', () => {
    expect(toHex(utf8Bytes('é€😀'))).toBe('c3a9e282acf09f9880');
    expect(sha256Hex('€')).toBe(toHex(sha256Bytes(Uint8Array.from([0xe2, 0x82, 0xac]))));
  });
});

describe('base64url', () => {
  it('round-trips every length and refuses foreign characters', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }
    expect(toBase64Url(Uint8Array.from([0xfb, 0xff]))).toBe('-_8');
    expect(() => fromBase64Url('ab*d')).toThrow(TypeError);
  });
});

describe('report manifest', () => {
  it('lists the recordings by start time with a chain of links, the head the last link', () => {
    const { manifest } = signed();
    expect(manifest.recordings.map((r) => r.taskId)).toEqual(['tapping', 'typing', 'typing']);
    expect(manifest.chainHead).toBe(manifest.recordings[2]!.link);
    expect(new Set(manifest.recordings.map((r) => r.link)).size).toBe(3);
    // the same recordings in another input order give the same chain
    expect(chainRecordings([...recordings].reverse())).toEqual(manifest.recordings);
  });

  it('verifies an untouched manifest as matching, offline and against the server', () => {
    const offline = verifyManifest(signed(), KEY, fakeVerify);
    expect(offline).toMatchObject({ overall: 'matches', signature: 'valid', chain: { intact: true } });
    expect(offline.checkedAgainstServer).toBe(false);
    const online = verifyManifest(signed(), KEY, fakeVerify, serverState());
    expect(online.overall).toBe('matches');
    expect(online.recordings.map((r) => r.status)).toEqual(['matches', 'matches', 'matches']);
  });

  it('calls a changed entry altered: the signature fails and the chain breaks at that entry', () => {
    const tampered = clone(signed());
    tampered.manifest.recordings[1]!.provenance = 'supervised';
    const result = verifyManifest(tampered, KEY, fakeVerify, serverState());
    expect(result.overall).toBe('altered');
    expect(result.signature).toBe('invalid');
    expect(result.chain).toEqual({ intact: false, firstBroken: 1 });
    expect(result.recordings.every((r) => r.status === 'altered')).toBe(true);
  });

  it('catches a removed entry even when the signature is made to match the change in another way', () => {
    const tampered = clone(signed());
    tampered.manifest.recordings.splice(1, 1);
    const result = verifyManifest(tampered, KEY, fakeVerify);
    expect(result.chain).toEqual({ intact: false, firstBroken: 1 });
    expect(result.overall).toBe('altered');
    // a chain recomputed by the forger still fails the signature
    const rechained = clone(signed());
    rechained.manifest.recordings = chainRecordings(rechained.manifest.recordings.slice(0, 2));
    rechained.manifest.chainHead = rechained.manifest.recordings[1]!.link;
    const second = verifyManifest(rechained, KEY, fakeVerify);
    expect(second.chain).toEqual({ intact: true });
    expect(second.signature).toBe('invalid');
    expect(second.overall).toBe('altered');
  });

  it('calls a changed issue date or signature altered, and another key "other-key"', () => {
    const dated = clone(signed());
    dated.manifest.issuedAt = '2026-05-01T08:00:00.000Z';
    expect(verifyManifest(dated, KEY, fakeVerify).signature).toBe('invalid');
    const resigned = clone(signed());
    resigned.signature = toBase64Url(new Uint8Array(32));
    expect(verifyManifest(resigned, KEY, fakeVerify).overall).toBe('altered');
    const other = verifyManifest(signed(), OTHER_KEY, fakeVerify);
    expect(other.signature).toBe('other-key');
    expect(other.overall).toBe('altered');
    expect(keyFingerprint(KEY)).not.toBe(keyFingerprint(OTHER_KEY));
  });

  it('calls a recording whose stored content differs altered, and only that one', () => {
    const result = verifyManifest(
      signed(),
      KEY,
      fakeVerify,
      serverState({ [recordings[0]!.id]: { sha256: 'd'.repeat(64), erasedAt: null } }),
    );
    expect(result.overall).toBe('altered');
    expect(result.recordings.map((r) => r.status)).toEqual(['matches', 'altered', 'matches']);
  });

  it('reports an erased recording with its date, and a missing one, without calling the report altered', () => {
    const result = verifyManifest(
      signed(),
      KEY,
      fakeVerify,
      serverState({
        [recordings[2]!.id]: { sha256: 'c'.repeat(64), erasedAt: '2026-04-10T09:00:00.000Z' },
        [recordings[1]!.id]: null,
      }),
    );
    expect(result.overall).toBe('erased');
    expect(result.recordings).toEqual([
      { id: recordings[1]!.id, status: 'missing' },
      { id: recordings[0]!.id, status: 'matches' },
      { id: recordings[2]!.id, status: 'erased', erasedAt: '2026-04-10T09:00:00.000Z' },
    ]);
  });

  it('refuses what is not a manifest at all', () => {
    expect(() => verifyManifest({ manifest: {} }, KEY, fakeVerify)).toThrow();
  });

  it('writes and finds the delimited text block; the verification code follows any change', () => {
    const value = signed();
    const text = `%PDF-1.3 binary \u00ff\u00fe ${manifestBlock(value)} trailer`;
    expect(findManifestBlock(text)).toEqual(value);
    expect(findManifestBlock('%PDF-1.3 nothing here')).toBeNull();
    expect(verificationCode(value)).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);
    const changed = clone(value);
    changed.manifest.patient = 'P-0000';
    expect(verificationCode(changed)).not.toBe(verificationCode(value));
  });
});
