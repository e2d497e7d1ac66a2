import { fromBase64Url } from './base64url.js';
import {
  CHAIN_START,
  chainLink,
  keyFingerprint,
  manifestBytes,
  signedManifestSchema,
  type ManifestEntry,
  type SignedManifest,
  type VerifySignature,
} from './manifest.js';

/** What the server holds now for a recording a report lists (null: no such recording on the server). */
export interface RecordingState {
  sha256: string;
  /** When its owner erased it (ISO 8601), or null. */
  erasedAt: string | null;
}

/**
 * One recording's verdict: `matches` (the report lists it as the server signed it and, when the server
 * was asked, it still holds the same content), `altered` (the report's entry is not what was signed, or
 * the server holds other content), `erased` (its owner erased it, on `erasedAt`), `missing` (the server
 * has no such recording: the account was deleted), `unchecked` (the signature checks but the recording
 * itself could not be looked up: offline).
 */
export type RecordingVerdict =
  | { id: string; status: 'matches' }
  | { id: string; status: 'altered'; reason: string }
  | { id: string; status: 'erased'; erasedAt: string }
  | { id: string; status: 'missing' };

/** The whole report's verdict: `altered` wins over `erased`, which wins over `matches`. */
export type OverallStatus = 'matches' | 'altered' | 'erased';

export interface VerificationResult {
  overall: OverallStatus;
  /** Whether the signature is the server's over this manifest. */
  signature: 'valid' | 'invalid' | 'other-key';
  /** Whether every chain link recomputes; the index of the first broken link otherwise. */
  chain: { intact: true } | { intact: false; firstBroken: number };
  /** Whether the recordings were compared with what the server holds now. */
  checkedAgainstServer: boolean;
  recordings: RecordingVerdict[];
  /** Plain-language reasons for `altered`. */
  problems: string[];
}

/** The first chain link that does not recompute, or -1 (the head is checked as one past the last). */
function firstBrokenLink(entries: readonly ManifestEntry[], head: string): number {
  let previous = CHAIN_START;
  for (let i = 0; i < entries.length; i++) {
    const expected = chainLink(previous, entries[i]!);
    if (entries[i]!.link !== expected) return i;
    previous = expected;
  }
  return head === previous ? -1 : entries.length;
}

/**
 * Verifies a signed report manifest: the Ed25519 signature with the given public key, the hash chain,
 * and (when `states` is given) each recording against what the server holds now.
 * @param input - the signed manifest (any JSON value: it is validated here)
 * @param publicKey - the server's Ed25519 public key (32 raw bytes)
 * @param verifySignature - Ed25519 verification (node:crypto on the server and in the CLI)
 * @param states - the server's current state of each recording by id (null: not found); leave out offline
 * @throws a ZodError when `input` is not a signed manifest at all
 */
export function verifyManifest(
  input: unknown,
  publicKey: Uint8Array,
  verifySignature: VerifySignature,
  states?: ReadonlyMap<string, RecordingState | null>,
): VerificationResult {
  const signed: SignedManifest = signedManifestSchema.parse(input);
  const { manifest } = signed;
  const problems: string[] = [];

  let signature: VerificationResult['signature'];
  if (signed.keyFingerprint !== keyFingerprint(publicKey)) {
    signature = 'other-key';
    problems.push('The report was signed with a different key from the one it was checked with.');
  } else {
    let ok: boolean;
    try {
      ok = verifySignature(manifestBytes(manifest), fromBase64Url(signed.signature), publicKey);
    } catch {
      // a signature that is not even base64url or of the wrong length
      ok = false;
    }
    signature = ok ? 'valid' : 'invalid';
    if (!ok)
      problems.push(
        'The signature does not match the manifest: the manifest was changed after it was signed.',
      );
  }

  const broken = firstBrokenLink(manifest.recordings, manifest.chainHead);
  const chain: VerificationResult['chain'] =
    broken < 0 ? { intact: true } : { intact: false, firstBroken: broken };
  if (broken >= 0)
    problems.push(
      broken < manifest.recordings.length
        ? `The list of recordings was changed at entry ${broken + 1}.`
        : 'The list of recordings was shortened or its end was changed.',
    );

  const recordings: RecordingVerdict[] = manifest.recordings.map((entry, i) => {
    const { id } = entry;
    if (signature !== 'valid')
      return { id, status: 'altered', reason: 'the manifest is not the one the server signed' };
    if (broken >= 0 && i >= broken)
      return { id, status: 'altered', reason: 'this entry or one before it was changed' };
    if (!states) return { id, status: 'matches' };
    const state = states.get(id);
    if (!state) return { id, status: 'missing' };
    if (state.erasedAt) return { id, status: 'erased', erasedAt: state.erasedAt };
    if (state.sha256 !== entry.sha256)
      return { id, status: 'altered', reason: 'the server holds different content for this recording' };
    return { id, status: 'matches' };
  });

  if (problems.length === 0 && recordings.some((r) => r.status === 'altered'))
    problems.push('The server holds different content for a recording than the report lists.');
  const anyAltered = problems.length > 0;
  const anyGone = recordings.some((r) => r.status === 'erased' || r.status === 'missing');
  return {
    overall: anyAltered ? 'altered' : anyGone ? 'erased' : 'matches',
    signature,
    chain,
    checkedAgainstServer: states !== undefined,
    recordings,
    problems,
  };
}

/** A recording's verdict in the words the report, the CLI and the verification page use. */
export function verdictWords(verdict: RecordingVerdict): string {
  switch (verdict.status) {
    case 'matches':
      return 'matches';
    case 'altered':
      return `altered (${verdict.reason})`;
    case 'erased':
      return `recording erased by its owner on ${verdict.erasedAt.slice(0, 10)}`;
    case 'missing':
      return 'no longer on the server (the account was deleted)';
  }
}

/** The whole report's verdict in one sentence. */
export function overallWords(result: VerificationResult): string {
  if (result.overall === 'altered') return `Altered: ${result.problems.join(' ')}`;
  const scope = result.checkedAgainstServer
    ? 'and every recording is still held by the server as it was'
    : 'checked offline (the signature and the list of recordings; the recordings themselves were not looked up)';
  if (result.overall === 'matches') return `Matches: the report is as the server signed it, ${scope}.`;
  const gone = result.recordings.filter((r) => r.status === 'erased' || r.status === 'missing').length;
  return (
    `The report is as the server signed it, but ${gone} of its ${result.recordings.length} recordings ` +
    `${gone === 1 ? 'was' : 'were'} erased by their owner since.`
  );
}
