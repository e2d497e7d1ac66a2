// Clinician-report benchmark: the time the server takes to make the clinician report PDF of a year of data
// (target: under 5 s, issue 10 item 8), from the stored rows to the finished file: gathering (the metric
// series, entries and profile from the database, core's change statistics) and rendering (pdfkit, DejaVu
// Sans embedded).
//
// Data. One patient on a fresh PGlite database in a temporary directory (deleted at the end): a year of daily
// sessions of typing (both hands), finger tapping (left and right hand), spiral drawing (left and right) and
// tremor (right), each recording with a value of every metric of its task's catalogue (seeded generator:
// a baseline with day-to-day noise, an effect after each injection that wears off over about 12 weeks, and
// about 3 % of sessions with a quality flag); four botulinum-toxin injections, a medication and a therapy,
// monthly PHQ-9 and GAD-7, a PGIC after each injection and three clinician-scale totals. The rows are
// written straight into the tables the API writes (the report reads only those), so the set-up takes
// seconds rather than the minutes that uploading and analysing 1,800 recordings would.
//
// Timing. One warm-up report, then RUNS (5) reports, each timed with performance.now(); the median is
// printed against the target with the number of pages and the file size.
//
//   npm run build && node bench/report-pdf.mjs            (needs the built server: packages/server/dist)
//   node bench/report-pdf.mjs --out report.pdf            (also keeps the last PDF, to look at)
//   BENCH_SOURCE=1 npx tsx --conditions source bench/report-pdf.mjs   (from the sources, without a build)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { metricCatalogue, treatmentInputSchema, ANALYSIS_VERSION } from '@dystrack/core';

// the built server by default; BENCH_SOURCE=1 with `npx tsx --conditions source` reads the TypeScript sources
const server = process.env.BENCH_SOURCE ? '../packages/server/src' : '../packages/server/dist';
const { openDatabase } = await import(`${server}/db/database.js`);
const { createUser } = await import(`${server}/auth/users.js`);
const { writeProfile } = await import(`${server}/api/profile.js`);
const { prepareResponse, prepareScaleTotal } = await import(`${server}/api/questionnaires.js`);
const { entryRevisions, recordings } = await import(`${server}/db/schema.js`);
const { saveMetrics } = await import(`${server}/metrics/store.js`);
const { gatherReport, renderClinicianReport } = await import(`${server}/reports/index.js`);

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 5000;
const DAY_MS = 86_400_000;
const FROM = '2025-11-01';
const TO = '2026-10-31';
const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : null;

let seed = 7;
const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand());

const SERIES = [
  { task: 'typing', hand: 'both' },
  { task: 'tapping', hand: 'left' },
  { task: 'tapping', hand: 'right' },
  { task: 'spiral', hand: 'left' },
  { task: 'spiral', hand: 'right' },
  { task: 'tremor', hand: 'right' },
];
const INJECTIONS = ['2025-12-01', '2026-03-02', '2026-06-01', '2026-09-01'];

/** How much better (0–0.3) the affected hand is on a day: the injection effect, peaking at 4 weeks. */
function effect(time) {
  const last = INJECTIONS.map((d) => Date.parse(`${d}T00:00:00Z`))
    .filter((t) => t <= time)
    .at(-1);
  if (last === undefined) return 0;
  const days = (time - last) / DAY_MS;
  return days < 7 ? (0.3 * days) / 7 / 4 : 0.3 * Math.exp(-(((days - 28) / 40) ** 2));
}

async function seedYear(db, patientId) {
  await writeProfile(db, patientId, {
    affectedHands: 'right',
    dominantHand: 'right',
    dystoniaForms: ['writers-cramp', 'typists'],
    occupation: 'Dentist',
    essentialHandTasks: ['handling dental instruments'],
    instrument: null,
    onsetYear: 2021,
    diagnosisConfirmed: 'yes',
  });
  const start = Date.parse(`${FROM}T08:00:00Z`);
  const end = Date.parse(`${TO}T23:59:59Z`);
  const rows = [];
  const items = [];
  for (const { task, hand } of SERIES) {
    const catalogue = metricCatalogue(task);
    const base = Object.fromEntries(catalogue.map((d) => [d.id, 10 + rand() * 200]));
    for (let t = start; t <= end; t += DAY_MS) {
      const id = randomUUID();
      const startedAt = new Date(t + rand() * 10 * 3600_000);
      const flagged = rand() < 0.03;
      const better = hand === 'left' ? 0 : effect(t);
      rows.push({
        patientId,
        id,
        taskId: task,
        taskVersion: '1.0.0',
        schemaVersion: 1,
        hand,
        startedAt,
        durationMs: 60_000,
        flags: [],
        sha256: id.replaceAll('-', '').padEnd(64, '0'),
        byteLength: 1000,
        content: null,
        uploadedBy: patientId,
      });
      items.push({
        ref: { patientId, recordingId: id },
        computed: {
          status: 'ok',
          values: catalogue.map((d) => {
            const sign = d.direction === 'lower-worse' ? 1 : -1;
            const value = base[d.id] * (1 + sign * better) * (1 + 0.05 * gauss());
            return {
              metricId: d.id,
              metricVersion: d.version,
              value: d.unit === 'count' ? Math.round(value) : value,
            };
          }),
          flags: flagged ? ['TOO_FEW_EVENTS'] : [],
          setupKey: `bench-${task}`,
          error: null,
        },
      });
    }
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(recordings).values(rows.slice(i, i + 500));
  for (let i = 0; i < items.length; i += 200)
    await saveMetrics(db, ANALYSIS_VERSION, items.slice(i, i + 200));

  const entries = [];
  const entry = (kind, at, data) =>
    entries.push({ patientId, entryId: randomUUID(), revision: 1, kind, at, data, createdBy: patientId });
  for (const date of INJECTIONS) {
    const data = treatmentInputSchema.parse({
      type: 'botulinum-toxin',
      date,
      product: 'onabotulinumtoxinA',
      injections: [
        { muscle: 'flexor-digitorum-superficialis', side: 'right', units: 20, detail: 'to the index finger' },
        { muscle: 'flexor-carpi-radialis', side: 'right', units: 10 },
        { muscle: 'extensor-indicis', side: 'right', units: 7.5 },
      ],
      guidance: 'emg',
      sideEffects: date === '2026-06-01' ? ['weakness'] : [],
    });
    entry('treatment', new Date(`${date}T00:00:00Z`), data);
    const pgic = prepareResponse({
      questionnaireId: 'pgic',
      answers: { 'pgic-overall': date === '2026-06-01' ? 'a-little-better' : 'much-better' },
      completedAt: new Date(Date.parse(`${date}T10:00:00Z`) + 30 * DAY_MS).toISOString(),
      reference: { kind: 'injection', date, label: null },
    });
    entry('questionnaire-response', pgic.at, pgic.data);
  }
  entry(
    'treatment',
    new Date('2025-09-15T00:00:00Z'),
    treatmentInputSchema.parse({
      type: 'medication',
      name: 'Trihexyphenidyl',
      dose: '2 mg',
      schedule: 'twice a day',
      start: '2025-09-15',
      stop: '2026-02-01',
    }),
  );
  entry(
    'treatment',
    new Date('2026-04-01T00:00:00Z'),
    treatmentInputSchema.parse({ type: 'therapy', therapy: 'sensorimotor-retraining', start: '2026-04-01' }),
  );
  for (let month = 0; month < 12; month++) {
    const day = new Date(Date.UTC(2025, 10 + month, 15, 18)).toISOString();
    const level = ['not-at-all', 'several-days', 'more-than-half-the-days'];
    const phq = prepareResponse({
      questionnaireId: 'phq-9',
      answers: Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [`phq9-${i + 1}`, level[(i + month) % 3]]).concat([
          ['phq9-9', 'not-at-all'],
        ]),
      ),
      completedAt: day,
    });
    entry('questionnaire-response', phq.at, phq.data);
    const gad = prepareResponse({
      questionnaireId: 'gad-7',
      answers: Object.fromEntries(
        Array.from({ length: 7 }, (_, i) => [`gad7-${i + 1}`, level[(i * month) % 3]]),
      ),
      completedAt: day,
    });
    entry('questionnaire-response', gad.at, gad.data);
  }
  for (const [date, total] of [
    ['2025-11-20', 14],
    ['2026-03-30', 9],
    ['2026-09-29', 8],
  ]) {
    const scale = prepareScaleTotal({
      scaleId: 'wcrs',
      total,
      date,
      rater: { role: 'clinician', name: 'Dr Example' },
    });
    entry('clinician-scale-total', scale.at, scale.data);
  }
  await db.insert(entryRevisions).values(entries);
  return {
    recordings: rows.length,
    values: items.reduce((n, item) => n + item.computed.values.length, 0),
    entries: entries.length,
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'dystrack-bench-report-'));
const database = await openDatabase({ dataDir, purpose: 'report benchmark' });
try {
  const user = await createUser(database.db, {
    username: 'bench-patient',
    password: 'correct horse battery staple',
    displayName: 'Bench Patient',
    role: 'patient',
    approved: false,
  });
  const seeded = await seedYear(database.db, user.id);
  console.log(
    `seeded ${seeded.recordings} recordings (${seeded.values} metric values) and ${seeded.entries} entries, ${FROM} to ${TO}`,
  );
  const report = async () => {
    const started = performance.now();
    const data = await gatherReport(database.db, user.id, { from: FROM, to: TO });
    const gathered = performance.now();
    const pdf = await renderClinicianReport(data);
    return { pdf, gatherMs: gathered - started, totalMs: performance.now() - started };
  };
  await report();
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await report());
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const last = runs.at(-1).pdf;
  const pages = (last.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
  const total = median(runs.map((r) => r.totalMs));
  console.log(
    `clinician report of a year: median ${(total / 1000).toFixed(2)} s of ${RUNS} (gather ${(median(runs.map((r) => r.gatherMs)) / 1000).toFixed(2)} s), ` +
      `${pages} pages, ${(last.length / 1024).toFixed(0)} KiB — target < ${TARGET_MS / 1000} s: ${total < TARGET_MS ? 'met' : 'MISSED'}`,
  );
  if (out) {
    writeFileSync(out, last);
    console.log(`wrote ${out}`);
  }
  process.exitCode = total < TARGET_MS ? 0 : 1;
} finally {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
