import { z } from 'zod';
import { canonicalJson } from '../recording/canonical.js';
import { toBase64Url } from './base64url.js';
import { sha256Bytes, sha256Hex, toHex, utf8Bytes } from './sha256.js';

/*
 * The manifest of a signed report: which recordings the report was made from, each with the content hash
 * the server stored when it was uploaded (SHA-256 over its RFC 8785 canonical JSON), chained so that no
 * recording can be left out, added or reordered without breaking the chain, and signed by the server's
 * Ed25519 key over the manifest's own canonical JSON.
 */

/** The manifest format's name and version, inside every manifest. */
export const MANIFEST_FORMAT = 'dystrack-report-manifest';
export const MANIFEST_VERSION = 1;
/** The link before the first entry of the chain. */
export const CHAIN_START = '0'.repeat(64);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

/** How a recording was made: by the person alone (at home), or uploaded by a clinician in a supervised session. */
export const PROVENANCES = ['self', 'supervised'] as const;
export type Provenance = (typeof PROVENANCES)[number];

export const manifestRecordingSchema = z.object({
  id: z.uuid(),
  taskId: z.string().min(1).max(40),
  hand: z.string().min(1).max(10),
  startedAt: z.iso.datetime(),
  provenance: z.enum(PROVENANCES),
  sha256: hex64,
});
/** One recording of a report, as the manifest lists it. */
export type ManifestRecording = z.infer<typeof manifestRecordingSchema>;

export const manifestEntrySchema = manifestRecordingSchema.extend({
  /** SHA-256 (hex) of the previous link followed by this entry's canonical JSON (without `link`). */
  link: hex64,
});
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export const reportManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(MANIFEST_VERSION),
  reportId: z.uuid(),
  kind: z.enum(['work-capacity']),
  issuedAt: z.iso.datetime(),
  analysisVersion: z.string().min(1).max(100),
  /** A pseudonym of the patient (not the account id, not a name): the same for every report of one person on one server. */
  patient: z.string().min(1).max(100),
  period: z.object({ from: z.iso.date(), to: z.iso.date() }),
  recordings: z.array(manifestEntrySchema).max(100_000),
  /** The last link (CHAIN_START for a report without recordings). */
  chainHead: hex64,
});
export type ReportManifest = z.infer<typeof reportManifestSchema>;

export const signedManifestSchema = z.object({
  manifest: reportManifestSchema,
  /** Ed25519 signature (base64url, 64 bytes) over the UTF-8 bytes of the manifest's canonical JSON. */
  signature: base64url,
  /** The signing key's fingerprint (see {@link keyFingerprint}). */
  keyFingerprint: hex64,
});
export type SignedManifest = z.infer<typeof signedManifestSchema>;

/** Signs or verifies bytes with Ed25519; provided by the caller (node:crypto on the server and in the CLI). */
export type Sign = (message: Uint8Array) => Uint8Array;
export type VerifySignature = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) => boolean;

/** The order of a manifest's recordings: by start time, then id. */
function byTimeThenId(a: ManifestRecording, b: ManifestRecording): number {
  return a.startedAt < b.startedAt
    ? -1
    : a.startedAt > b.startedAt
      ? 1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0;
}

/** The link of an entry after `previous`. */
export function chainLink(previous: string, recording: ManifestRecording): string {
  const { id, taskId, hand, startedAt, provenance, sha256 } = recording;
  return sha256Hex(previous + canonicalJson({ id, taskId, hand, startedAt, provenance, sha256 }));
}

/** The recordings in manifest order, each with its chain link. */
export function chainRecordings(recordings: readonly ManifestRecording[]): ManifestEntry[] {
  let previous = CHAIN_START;
  return [...recordings].sort(byTimeThenId).map((recording) => {
    const { id, taskId, hand, startedAt, provenance, sha256 } = recording;
    previous = chainLink(previous, recording);
    return { id, taskId, hand, startedAt, provenance, sha256, link: previous };
  });
}

/** What a manifest is made from. */
export interface ManifestInput {
  reportId: string;
  issuedAt: Date;
  analysisVersion: string;
  patient: string;
  period: { from: string; to: string };
  recordings: readonly ManifestRecording[];
}

/** Builds a report's manifest: recordings in their fixed order with the hash chain. */
export function buildManifest(input: ManifestInput): ReportManifest {
  const recordings = chainRecordings(input.recordings);
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    reportId: input.reportId,
    kind: 'work-capacity',
    issuedAt: input.issuedAt.toISOString(),
    analysisVersion: input.analysisVersion,
    patient: input.patient,
    period: { ...input.period },
    recordings,
    chainHead: recordings.at(-1)?.link ?? CHAIN_START,
  };
}

/** The bytes a manifest's signature covers: the UTF-8 of its canonical JSON. */
export function manifestBytes(manifest: ReportManifest): Uint8Array {
  return utf8Bytes(canonicalJson(manifest));
}

/** The fingerprint of an Ed25519 public key: SHA-256 (hex) of its 32 raw bytes. */
export function keyFingerprint(publicKey: Uint8Array): string {
  return toHex(sha256Bytes(publicKey));
}

/** A fingerprint for people: the first 16 hex digits in groups of four (`1a2b-3c4d-…`). */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 16).match(/.{4}/g)!.join('-');
}

/**
 * The short verification code printed on a report: the first 20 base32-like characters of the
 * SHA-256 of the signed manifest's canonical JSON, in groups of four. Whoever holds the PDF can compare
 * it with the code the verification page computes from the embedded manifest.
 */
export function verificationCode(signed: SignedManifest): string {
  const digest = sha256Bytes(utf8Bytes(canonicalJson(signed)));
  const alphabet = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';
  let code = '';
  for (let i = 0; i < 20; i++) code += alphabet[digest[i]! % 32];
  return code.match(/.{4}/g)!.join('-');
}

/** Signs a manifest. */
export function signManifest(manifest: ReportManifest, sign: Sign, publicKey: Uint8Array): SignedManifest {
  return {
    manifest,
    signature: toBase64Url(sign(manifestBytes(manifest))),
    keyFingerprint: keyFingerprint(publicKey),
  };
}

/** The text that delimits a manifest written into a PDF as plain text (see {@link manifestBlock}). */
export const MANIFEST_BEGIN = '-----BEGIN DYSTRACK SIGNED MANIFEST-----';
export const MANIFEST_END = '-----END DYSTRACK SIGNED MANIFEST-----';

/** A signed manifest as a delimited block of text (canonical JSON between two marker lines). */
export function manifestBlock(signed: SignedManifest): string {
  return `${MANIFEST_BEGIN}\n${canonicalJson(signed)}\n${MANIFEST_END}`;
}

/**
 * Finds a delimited manifest block in text (a PDF's bytes read as latin1, say) and parses it.
 * @returns the signed manifest, or null when there is no block
 * @throws a ZodError or SyntaxError when a block is there but is not a signed manifest
 */
export function findManifestBlock(text: string): SignedManifest | null {
  const start = text.indexOf(MANIFEST_BEGIN);
  if (start < 0) return null;
  const end = text.indexOf(MANIFEST_END, start);
  if (end < 0) return null;
  const json = text.slice(start + MANIFEST_BEGIN.length, end).trim();
  return signedManifestSchema.parse(JSON.parse(json));
}
