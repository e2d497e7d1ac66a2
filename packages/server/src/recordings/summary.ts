import { z } from 'zod';
import type { recordings } from '../db/schema.js';

/**
 * What the API tells about a stored recording without its content: the summary columns, the
 * content hash and size, and when it was received or erased.
 */
export const recordingSummarySchema = z.object({
  id: z.uuid(),
  taskId: z.string(),
  taskVersion: z.string(),
  /** The schema version the recording was made with and is stored at. */
  schemaVersion: z.number().int(),
  hand: z.string(),
  /** Wall-clock start, ISO 8601 (UTC, millisecond precision; the content keeps the original text). */
  startedAt: z.iso.datetime(),
  /** Duration, whole ms (the content keeps the exact value). */
  durationMs: z.number().int(),
  flags: z.array(z.string()),
  /** SHA-256 (lower-case hex) of the stored canonical JSON (RFC 8785), UTF-8. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Bytes of the stored canonical JSON, UTF-8. */
  byteLength: z.number().int(),
  receivedAt: z.iso.datetime(),
  /** When the owner erased the content; null while it is stored. */
  erasedAt: z.iso.datetime().nullable(),
  /**
   * The clinician who recorded it for the patient in the clinic (a supervised recording); null for the
   * patient's own recordings.
   */
  supervisedBy: z.uuid().nullable(),
});

/** A stored recording without its content. */
export type RecordingSummary = z.infer<typeof recordingSummarySchema>;

/** The summary columns of a recordings row (everything except the content). */
export type RecordingSummaryRow = Omit<
  typeof recordings.$inferSelect,
  'content' | 'patientId' | 'uploadedBy'
> & { supervisedBy: string | null };

/** The API summary of a recordings row. */
export function toSummary(row: RecordingSummaryRow): RecordingSummary {
  return {
    id: row.id,
    taskId: row.taskId,
    taskVersion: row.taskVersion,
    schemaVersion: row.schemaVersion,
    hand: row.hand,
    startedAt: row.startedAt.toISOString(),
    durationMs: row.durationMs,
    flags: row.flags,
    sha256: row.sha256,
    byteLength: row.byteLength,
    receivedAt: row.receivedAt.toISOString(),
    erasedAt: row.erasedAt ? row.erasedAt.toISOString() : null,
    supervisedBy: row.supervisedBy,
  };
}
