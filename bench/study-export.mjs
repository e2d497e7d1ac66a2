// Study-export benchmark: the memory the server keeps while a researcher downloads a study's de-identified
// export. The export goes out in pieces, each recording read, de-identified and sent on its own, so what
// the server holds should stay about the same whatever the size of the study (target: at most a tenth of
// the file, and at most 2 MB more for a study 6 times larger).
//
// Data. A study of typing on a fresh PGlite database in a temporary directory (deleted at the end): 4
// consenting participants with 3-minute typing recordings (bench/typing-recording.mjs, about 19 KB each),
// first 25 each, then 150 each (the baseline and the large study of the same run). No metric values: they
// are small next to the recordings.
//
// Measure. The export's pieces are taken as a response would take them; every 20 pieces the garbage is
// collected and the heap in use is read. The largest of those readings above the heap before the export is
// what the export kept, printed next to the size of the file it sent.
//
//   npm run bench:study-export            (needs the built server: npm run build)
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../packages/server/dist/db/database.js';
import { createUser } from '../packages/server/dist/auth/users.js';
import { recordings } from '../packages/server/dist/db/schema.js';
import { buildStudyExport } from '../packages/server/dist/studies/export.js';
import { createStudy, enrol, enrolmentsOf } from '../packages/server/dist/studies/store.js';
import { typingRecording } from './typing-recording.mjs';

if (typeof globalThis.gc !== 'function')
  throw new Error('run with node --expose-gc (npm run bench:study-export)');
const gc = globalThis.gc;
const DAY_MS = 86_400_000;
const PARTICIPANTS = 4;
const SIZES = [25, 150];

/** Makes a study with its participants and their recordings; returns it with its enrolments. */
async function makeStudy(db, recordingsEach) {
  const researcher = await createUser(db, {
    username: `bench-researcher-${randomUUID().slice(0, 8)}`,
    password: 'correct horse battery staple',
    displayName: 'Bench Researcher',
    role: 'researcher',
    approved: true,
  });
  const study = await createStudy(db, researcher.id, {
    title: 'Typing over a year',
    description: 'A benchmark study.',
    tasks: ['typing'],
    schedule: null,
    consent: { text: 'You agree that the study uses your typing recordings.', withdrawalData: 'keep' },
  });
  const enrolledAt = new Date(Date.now() - 400 * DAY_MS);
  const template = typingRecording();
  for (let p = 0; p < PARTICIPANTS; p++) {
    const patient = await createUser(db, {
      username: `bench-patient-${randomUUID().slice(0, 8)}`,
      password: 'correct horse battery staple',
      displayName: `Bench Patient ${p}`,
      role: 'patient',
    });
    await enrol(db, patient.id, study, 1, enrolledAt);
    const rows = [];
    for (let i = 0; i < recordingsEach; i++) {
      const id = randomUUID();
      const startedAt = new Date(enrolledAt.getTime() + (i + 1) * DAY_MS);
      const content = JSON.stringify({ ...template, id, startedAt: startedAt.toISOString() });
      rows.push({
        id,
        patientId: patient.id,
        taskId: 'typing',
        taskVersion: template.taskVersion,
        schemaVersion: 1,
        hand: template.hand,
        startedAt,
        durationMs: template.durationMs,
        flags: [],
        sha256: createHash('sha256').update(content).digest('hex'),
        byteLength: Buffer.byteLength(content),
        content,
        uploadedBy: patient.id,
      });
    }
    for (let i = 0; i < rows.length; i += 50) await db.insert(recordings).values(rows.slice(i, i + 50));
  }
  return { study, enrolments: await enrolmentsOf(db, [study.id]) };
}

/** Takes the export's pieces; returns the file's size and the most heap the export kept (both in bytes). */
async function measure(db, study, enrolments) {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = 0;
  let bytes = 0;
  let pieces = 0;
  const { chunks, exported } = await buildStudyExport(db, study, enrolments);
  for await (const chunk of chunks) {
    bytes += Buffer.byteLength(chunk);
    if (++pieces % 20 === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
  }
  gc();
  peak = Math.max(peak, process.memoryUsage().heapUsed - before);
  return { bytes, peak, recordings: exported.reduce((sum, p) => sum + p.recordings, 0) };
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(2);
const dataDir = mkdtempSync(join(tmpdir(), 'dystrack-bench-study-export-'));
const database = await openDatabase({ dataDir, purpose: 'study export benchmark' });
try {
  const results = [];
  for (const each of SIZES) {
    const { study, enrolments } = await makeStudy(database.db, each);
    const result = await measure(database.db, study, enrolments);
    results.push(result);
    console.log(
      `${result.recordings} recordings: file ${mb(result.bytes)} MB, heap kept by the export at most ${mb(result.peak)} MB`,
    );
  }
  const [small, large] = results;
  const tenth = large.peak <= large.bytes / 10;
  const flat = large.peak - small.peak <= 2 * 1024 * 1024;
  console.log(
    `target: at most a tenth of the file (${mb(large.peak)} of ${mb(large.bytes)} MB): ${tenth ? 'met' : 'NOT met'}; ` +
      `at most 2 MB more than the baseline study of ${small.recordings} recordings ` +
      `(${mb(large.peak - small.peak)} MB more): ${flat ? 'met' : 'NOT met'}`,
  );
  if (!tenth || !flat) process.exitCode = 1;
} finally {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
