import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import {
  buildManifest,
  sha256Hex,
  signManifest,
  verifyManifest,
  type ManifestRecording,
  type RecordingState,
  type SignedManifest,
  type VerificationResult,
} from '@dystrack/core';
import type { Db } from '../db/database.js';
import { attestedReports, recordings } from '../db/schema.js';
import { gatherReport, type ReportPeriod } from '../reports/gather.js';
import { signingKeyFor, verifyEd25519 } from './keys.js';
import { renderWorkCapacityReport } from './render.js';

/** The pseudonym of a patient in manifests: the same on every report of one server, not the account id. */
export function patientPseudonym(patientId: string, keyFingerprint: string): string {
  return `P-${sha256Hex(`${keyFingerprint}:${patientId}`).slice(0, 12)}`;
}

/** The report's recordings, as the server stores them (erased ones are left out). */
async function manifestRecordings(db: Db, patientId: string, ids: string[]): Promise<ManifestRecording[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: recordings.id,
      taskId: recordings.taskId,
      hand: recordings.hand,
      startedAt: recordings.startedAt,
      sha256: recordings.sha256,
      uploadedBy: recordings.uploadedBy,
    })
    .from(recordings)
    .where(
      and(eq(recordings.patientId, patientId), inArray(recordings.id, ids), isNull(recordings.erasedAt)),
    );
  return rows.map((row) => ({
    id: row.id,
    taskId: row.taskId,
    hand: row.hand,
    startedAt: row.startedAt.toISOString(),
    provenance: row.uploadedBy === patientId ? 'self' : 'supervised',
    sha256: row.sha256,
  }));
}

/** An issued report. */
export interface IssuedReport {
  id: string;
  issuedAt: Date;
  signed: SignedManifest;
  pdf: Buffer;
}

/**
 * Issues a work-capacity report: gathers the period's data (as the clinician report does), lists the
 * recordings it was made from in a manifest, signs it with the server's key, renders the PDF with the
 * manifest attached and keeps both, so that a share link serves the same file.
 * @param verifyUrl - the public verification page's address, printed on the report
 */
export async function issueWorkCapacityReport(
  db: Db,
  patientId: string,
  period: ReportPeriod,
  verifyUrl: string,
  now = new Date(),
): Promise<IssuedReport> {
  const key = await signingKeyFor(db);
  const data = await gatherReport(db, patientId, period, now);
  const ids = [...new Set(data.tasks.flatMap((task) => task.sessions.map((s) => s.recordingId)))];
  const manifest = buildManifest({
    reportId: randomUUID(),
    issuedAt: now,
    analysisVersion: data.analysisVersion,
    patient: patientPseudonym(patientId, key.fingerprint),
    period,
    recordings: await manifestRecordings(db, patientId, ids),
  });
  const signed = signManifest(manifest, key.sign, key.publicKey);
  const pdf = await renderWorkCapacityReport({ data, signed, verifyUrl });
  await db.insert(attestedReports).values({
    patientId,
    id: manifest.reportId,
    issuedAt: now,
    periodFrom: period.from,
    periodTo: period.to,
    signedManifest: signed,
    pdf,
  });
  return { id: manifest.reportId, issuedAt: now, signed, pdf };
}

/** What the server holds now for each recording of a manifest (null: not found). */
export async function recordingStates(db: Db, ids: string[]): Promise<Map<string, RecordingState | null>> {
  const states = new Map<string, RecordingState | null>(ids.map((id) => [id, null]));
  if (ids.length === 0) return states;
  const rows = await db
    .select({ id: recordings.id, sha256: recordings.sha256, erasedAt: recordings.erasedAt })
    .from(recordings)
    .where(inArray(recordings.id, ids));
  for (const row of rows)
    states.set(row.id, { sha256: row.sha256, erasedAt: row.erasedAt?.toISOString() ?? null });
  return states;
}

/**
 * Verifies a signed manifest against this server's key and the recordings it holds now. Recordings are
 * looked up by id only when the signature is this server's (a forged manifest learns nothing).
 * @throws a ZodError when `input` is not a signed manifest
 */
export async function verifyOnServer(db: Db, input: unknown): Promise<VerificationResult> {
  const key = await signingKeyFor(db);
  const offline = verifyManifest(input, key.publicKey, verifyEd25519);
  if (offline.signature !== 'valid' || !offline.chain.intact) return offline;
  const ids = offline.recordings.map((r) => r.id);
  return verifyManifest(input, key.publicKey, verifyEd25519, await recordingStates(db, ids));
}
