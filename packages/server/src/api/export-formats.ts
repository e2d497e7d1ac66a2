import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, asc, eq } from 'drizzle-orm';
import { Zip, ZipDeflate } from 'fflate';
import {
  ANALYSIS_VERSION,
  CodedError,
  TASK_IDS,
  fhirBundleChunks,
  loadAnalysisInput,
  metricCatalogueCsv,
  metricsCsvDictionary,
  metricsCsvRows,
  toContractCsv,
  type ExportEntry,
  type ExportMetricValue,
  type ExportRecording,
  type SkippedEntry,
  type TaskId,
} from '@dystrack/core';
import { findUserByUsername } from '../auth/users.js';
import type { Db } from '../db/database.js';
import { entryRevisions, metricValues, recordings, users } from '../db/schema.js';
import type { ApiOptions } from './index.js';
import { errorResponse } from './session.js';

/*
 * The patient's data in the formats other systems read (the JSON of `GET /api/v1/export` stays the
 * complete record):
 * - FHIR R4 Bundle (`application/fhir+json`) for clinical and research systems;
 * - CSV ZIP: one row per session and metric, the metric catalogue and a data dictionary, for
 *   spreadsheets and statistics programs;
 * - raw ZIP: every stored recording's JSON exactly as stored, the same samples in the analysis
 *   contract's CSV format, and a manifest with ids and SHA-256 hashes, for researchers.
 * Each is written out while it is read: recordings one at a time, the bundle entry by entry, so a
 * year of recordings is never one object in memory. `dystrack export` writes the same files.
 */

export type ExportFormat = 'fhir' | 'csv' | 'raw';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['fhir', 'csv', 'raw'];

/** A download: its file name, media type and bytes as they come. */
export interface ExportFile {
  fileName: string;
  contentType: string;
  chunks: AsyncIterable<Uint8Array | string>;
}

const encoder = new TextEncoder();

/** The stored rows the FHIR and CSV exports are built from. */
async function loadRecord(db: Db, patientId: string) {
  const [user] = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, patientId));
  if (!user) throw new CodedError('E_NOT_FOUND');
  const recordingRows = await db
    .select({
      id: recordings.id,
      taskId: recordings.taskId,
      hand: recordings.hand,
      startedAt: recordings.startedAt,
      durationMs: recordings.durationMs,
      flags: recordings.flags,
    })
    .from(recordings)
    .where(eq(recordings.patientId, patientId))
    .orderBy(asc(recordings.startedAt), asc(recordings.id));
  const byId = new Map<string, ExportRecording>(
    recordingRows.map((r) => [r.id, { ...r, startedAt: r.startedAt.toISOString() }]),
  );
  // ordered by the recordings' start, then metric, then analysis version
  const values: ExportMetricValue[] = await db
    .select({
      recordingId: metricValues.recordingId,
      metricId: metricValues.metricId,
      analysisVersion: metricValues.analysisVersion,
      metricVersion: metricValues.metricVersion,
      value: metricValues.value,
      flags: metricValues.flags,
    })
    .from(metricValues)
    .innerJoin(
      recordings,
      and(eq(recordings.patientId, metricValues.patientId), eq(recordings.id, metricValues.recordingId)),
    )
    .where(eq(metricValues.patientId, patientId))
    .orderBy(
      asc(recordings.startedAt),
      asc(metricValues.recordingId),
      asc(metricValues.metricId),
      asc(metricValues.analysisVersion),
    );
  return { user, recordings: byId, values };
}

/** The latest revision of every entry that is not deleted, oldest first. */
async function currentEntries(db: Db, patientId: string): Promise<ExportEntry[]> {
  const rows = await db
    .select()
    .from(entryRevisions)
    .where(eq(entryRevisions.patientId, patientId))
    .orderBy(asc(entryRevisions.entryId), asc(entryRevisions.revision));
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) latest.set(row.entryId, row);
  return [...latest.values()]
    .filter((row) => !row.deleted)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.entryId.localeCompare(b.entryId))
    .map((row) => ({
      id: row.entryId,
      kind: row.kind,
      at: row.at.toISOString(),
      revisedAt: row.createdAt.toISOString(),
      data: row.data,
    }));
}

/** Text pieces as UTF-8 chunks of about 64 kB (one chunk per FHIR entry or CSV row would be many tiny writes). */
async function* encode(texts: Iterable<string>): AsyncGenerator<Uint8Array> {
  let pending = '';
  for (const text of texts) {
    pending += text;
    if (pending.length >= 65_536) {
      yield encoder.encode(pending);
      pending = '';
    }
  }
  if (pending !== '') yield encoder.encode(pending);
}

/**
 * The FHIR R4 Bundle of the patient's record. `skipped` receives the entries FHIR cannot express (the
 * diary, task modifications), which the JSON export holds.
 */
export async function fhirExport(
  db: Db,
  patientId: string,
  now = new Date(),
  skipped: SkippedEntry[] = [],
): Promise<ExportFile> {
  const record = await loadRecord(db, patientId);
  const entries = await currentEntries(db, patientId);
  const chunks = fhirBundleChunks(
    {
      patient: { id: record.user.id, displayName: record.user.displayName },
      recordings: record.recordings,
      metricValues: record.values,
      entries,
    },
    now.toISOString(),
    skipped,
  );
  return {
    fileName: `dystrack-fhir-${now.toISOString().slice(0, 10)}.json`,
    contentType: 'application/fhir+json',
    chunks: encode(chunks),
  };
}

/** One file of a ZIP: its name and its bytes as they come. */
interface ZipSource {
  name: string;
  data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

/**
 * A ZIP archive written as its files come: each file is compressed while it is read and its bytes are
 * handed on at once, so only one file's chunks are held at a time.
 */
export async function* zipStream(
  files: AsyncIterable<ZipSource> | Iterable<ZipSource>,
  mtime: Date,
): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else out.push(chunk);
  });
  const drain = function* () {
    if (failure) throw failure;
    while (out.length > 0) yield out.shift()!;
  };
  for await (const file of files) {
    const entry = new ZipDeflate(file.name, { level: 6 });
    entry.mtime = mtime;
    zip.add(entry);
    let previous: Uint8Array | null = null;
    for await (const chunk of file.data) {
      if (previous) entry.push(previous);
      previous = chunk;
      yield* drain();
    }
    entry.push(previous ?? new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}

/** The metrics as CSV with the catalogue and the data dictionary, in one ZIP. */
export async function csvExport(db: Db, patientId: string, now = new Date()): Promise<ExportFile> {
  const record = await loadRecord(db, patientId);
  const day = now.toISOString().slice(0, 10);
  const files: ZipSource[] = [
    { name: 'metrics.csv', data: encode(metricsCsvRows(record.recordings, record.values)) },
    { name: 'metric-catalogue.csv', data: encode([metricCatalogueCsv()]) },
    { name: 'data-dictionary.md', data: encode([metricsCsvDictionary(ANALYSIS_VERSION)]) },
  ];
  return {
    fileName: `dystrack-metrics-${day}.zip`,
    contentType: 'application/zip',
    chunks: zipStream(files, now),
  };
}

/** One recording in the raw ZIP's manifest. */
export interface RawManifestItem {
  id: string;
  taskId: string;
  hand: string;
  startedAt: string;
  /** The hash stored when the recording was received (of its JSON). */
  storedSha256: string;
  erasedAt: string | null;
  /** The recording's JSON as stored; null once erased. */
  json: { path: string; sha256: string; bytes: number } | null;
  /** The samples in the analysis contract's CSV format; null when they could not be written. */
  csv: { path: string; sha256: string; bytes: number } | null;
  /** Why there is no CSV (erased, or the recording could not be read as its task's input). */
  csvProblem: string | null;
}

const README = `Dystrack raw recordings

recordings/<id>.json   each recording exactly as it was stored (canonical JSON, RFC 8785)
recordings/<id>.csv    the same samples in the CSV format of the analysis contract for its task
                       (dystrack analyze <task> <id>.csv reads it); trial markers, metronome tempo,
                       latency calibration and similar details are in the JSON only
manifest.json          every recording: id, task, hand, start, the SHA-256 stored when it was
                       received, and each file's path, SHA-256 and size

Check a file: sha256sum recordings/<id>.json must print the manifest's sha256 (and storedSha256).
The CSV files hold data as recorded: a cell is never changed, so a typed key such as = is written as
it is (open them in a statistics program rather than a spreadsheet).
`;

function fileInfo(path: string, bytes: Uint8Array) {
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
}

/**
 * Every recording: its stored JSON, its contract CSV, and a manifest with the hashes. The recordings
 * are read from the database one at a time.
 */
export async function rawExport(db: Db, patientId: string, now = new Date()): Promise<ExportFile> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, patientId));
  if (!user) throw new CodedError('E_NOT_FOUND');
  const rows = await db
    .select({
      id: recordings.id,
      taskId: recordings.taskId,
      hand: recordings.hand,
      startedAt: recordings.startedAt,
      sha256: recordings.sha256,
      erasedAt: recordings.erasedAt,
    })
    .from(recordings)
    .where(eq(recordings.patientId, patientId))
    .orderBy(asc(recordings.startedAt), asc(recordings.id));
  const manifest: RawManifestItem[] = [];
  async function* files(): AsyncGenerator<ZipSource> {
    yield { name: 'README.txt', data: encode([README]) };
    for (const row of rows) {
      const item: RawManifestItem = {
        id: row.id,
        taskId: row.taskId,
        hand: row.hand,
        startedAt: row.startedAt.toISOString(),
        storedSha256: row.sha256,
        erasedAt: row.erasedAt ? row.erasedAt.toISOString() : null,
        json: null,
        csv: null,
        csvProblem: row.erasedAt ? 'erased' : null,
      };
      manifest.push(item);
      if (row.erasedAt) continue;
      const [stored] = await db
        .select({ content: recordings.content })
        .from(recordings)
        .where(and(eq(recordings.patientId, patientId), eq(recordings.id, row.id)));
      if (stored?.content == null) {
        item.csvProblem = 'erased';
        continue;
      }
      const json = encoder.encode(stored.content);
      item.json = fileInfo(`recordings/${row.id}.json`, json);
      yield { name: item.json.path, data: [json] };
      let csv: Uint8Array | null = null;
      try {
        if (!(TASK_IDS as readonly string[]).includes(row.taskId)) throw new CodedError('E_UNKNOWN_TASK');
        csv = encoder.encode(toContractCsv(loadAnalysisInput(row.taskId as TaskId, 'recording.json', json)));
      } catch (error) {
        item.csvProblem =
          error instanceof CodedError
            ? `${error.code}: ${error.message}`
            : 'the recording could not be read as its task input';
      }
      if (csv) {
        item.csv = fileInfo(`recordings/${row.id}.csv`, csv);
        yield { name: item.csv.path, data: [csv] };
      }
    }
    const body = {
      format: 'dystrack-raw-export',
      formatVersion: 1,
      exportedAt: now.toISOString(),
      analysisVersion: ANALYSIS_VERSION,
      recordings: manifest,
    };
    yield { name: 'manifest.json', data: encode([`${JSON.stringify(body, null, 2)}\n`]) };
  }
  return {
    fileName: `dystrack-recordings-${now.toISOString().slice(0, 10)}.zip`,
    contentType: 'application/zip',
    chunks: zipStream(files(), now),
  };
}

/** The export of one format. */
export function buildExportFile(db: Db, patientId: string, format: ExportFormat, now = new Date()) {
  return format === 'fhir'
    ? fhirExport(db, patientId, now)
    : format === 'csv'
      ? csvExport(db, patientId, now)
      : rawExport(db, patientId, now);
}

/**
 * The export of one format for the account with a user name (the CLI).
 * @throws CodedError `E_NOT_FOUND` when there is no such account
 */
export async function buildExportFileFor(db: Db, username: string, format: ExportFormat, now = new Date()) {
  const user = await findUserByUsername(db, username);
  if (!user) throw new CodedError('E_NOT_FOUND', `There is no account with the user name "${username}".`);
  return buildExportFile(db, user.id, format, now);
}

const ROUTES: { format: ExportFormat; path: string; summary: string; description: string }[] = [
  {
    format: 'fhir',
    path: '/api/v1/export/fhir',
    summary: "The signed-in patient's record as a FHIR R4 Bundle",
    description:
      'A FHIR R4 (4.0.1) Bundle of type collection (`application/fhir+json`): Patient (pseudonymous unless the ' +
      'account has a name), one Observation per stored metric value (project CodeSystem code = metric ID, version = ' +
      'analysis version; UCUM units), QuestionnaireResponses (LOINC only on the PHQ-9 and GAD-7 totals), ' +
      'MedicationStatements, Procedures (botulinum-toxin sessions with one bodySite per muscle, as text) with a ' +
      'MedicationAdministration per muscle holding the dose, and the Questionnaires and CodeSystems they use. ' +
      'Diary entries and task modifications are in the JSON export only. Answered as an attachment.',
  },
  {
    format: 'csv',
    path: '/api/v1/export/csv',
    summary: "The signed-in patient's metrics as CSV (ZIP)",
    description:
      'A ZIP with metrics.csv (one row per session and metric, RFC 4180), metric-catalogue.csv and ' +
      'data-dictionary.md (every column; text cells starting with = + - @ get a leading apostrophe).',
  },
  {
    format: 'raw',
    path: '/api/v1/export/raw',
    summary: "The signed-in patient's raw recordings (ZIP)",
    description:
      'A ZIP with every stored recording as its JSON exactly as stored, the same samples in the analysis ' +
      "contract's CSV format, and manifest.json with each recording's id, task, hand, start and the SHA-256 and " +
      'size of each file (erased recordings are listed without files).',
  },
];

/** Sends a file as it is made, as a download that no cache keeps. */
export async function sendExport(reply: FastifyReply, file: ExportFile) {
  return reply
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .type(file.contentType)
    .send(Readable.from(file.chunks));
}

/** `GET /api/v1/export/{fhir,csv,raw}`: the signed-in patient's data in other systems' formats. */
export async function exportFormatRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = options;
  const signedIn = (request: FastifyRequest) => {
    if (!request.user) throw new CodedError('E_UNAUTHENTICATED');
    return request.user;
  };
  for (const route of ROUTES) {
    app.get(
      route.path,
      {
        config: { access: { action: 'data.export', patient: 'subject' } },
        schema: {
          tags: ['account'],
          summary: route.summary,
          description: route.description,
          response: { 401: errorResponse('E_UNAUTHENTICATED'), 403: errorResponse('E_FORBIDDEN') },
        },
      },
      async (request, reply) => {
        const user = signedIn(request);
        return sendExport(reply, await buildExportFile(db, user.id, route.format));
      },
    );
  }
}
