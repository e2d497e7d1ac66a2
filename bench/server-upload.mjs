// Upload benchmark: starts the built server on PostgreSQL, signs up a patient, and posts realistic recordings
// (a 3-minute typing session) on loopback, each with a fresh id. Prints uploads/s, p50/p99 latency and the
// server's peak RSS, next to a baseline measured in the same run (GET /api/v1/health on the same server).
// The load comes from wrk when it is installed (a C program: it takes far less of the machine's CPU from
// the server than autocannon, which runs in this process), from autocannon otherwise; BENCH_LOAD=autocannon
// or BENCH_LOAD=wrk chooses.
//
//   npm run bench:server                 (uses postgres://postgres@127.0.0.1:5432/postgres to create a scratch database)
//   BENCH_DATABASE_URL=postgres://… BENCH_SECONDS=10 BENCH_CONNECTIONS=16 npm run bench:server
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { ANALYSIS_VERSION } from '../packages/core/dist/index.js';
import { openDatabase } from '../packages/server/dist/db/database.js';
import { loadSeries } from '../packages/server/dist/metrics/store.js';
import { typingRecording } from './typing-recording.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const TARGET_RPS = 1000;
const TARGET_P99_MS = 50;
/** USER_HZ of /proc/<pid>/stat times (100 on every common Linux build). */
const CLOCK_TICKS = 100;

function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** CPU seconds used so far by all PostgreSQL processes of this machine (its backends serve the server). */
function postgresCpuSeconds() {
  let total = 0;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (!stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('postgres')) continue;
        total += cpuSeconds(entry) ?? 0;
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return null;
  }
  return total;
}

/** CPU seconds of this process and of its children that have ended (wrk runs), or null without /proc. */
function loadGeneratorCpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** CPU seconds used so far by the server, PostgreSQL and the load generator. */
function cpuSnapshot(serverPid) {
  return { server: cpuSeconds(serverPid), postgres: postgresCpuSeconds(), load: loadGeneratorCpuSeconds() };
}

/** The wrk executable's version, or null when wrk is not installed. */
function wrkVersion() {
  const result = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (result.error) return null;
  return /wrk (\S+)/.exec(`${result.stdout}${result.stderr}`)?.[1] ?? 'unknown version';
}

/**
 * The Lua script for wrk: its `done` prints the figures as JSON; for uploads, `request` sends the
 * recording template with a fresh id, PREFIX-THREAD-4000-8000-COUNTER (unique within a run).
 */
const WRK_SCRIPT = `
local head, tail, headers, prefix
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  if args[1] ~= "upload" then return end
  local file = assert(io.open(args[2], "rb"))
  local template = file:read("*a")
  file:close()
  local at = assert(template:find("00000000-0000-4000-8000-000000000000", 1, true))
  head, tail = template:sub(1, at - 1), template:sub(at + 36)
  prefix = args[3]
  headers = { ["Content-Type"] = "application/json", ["X-CSRF-Token"] = args[4], ["Cookie"] = args[5] }
  request = function()
    counter = counter + 1
    local id = string.format("%s-%04x-4000-8000-%012x", prefix, tid, counter)
    return wrk.format("POST", "/api/v1/recordings", headers, head .. id .. tail)
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"durationUs":%d,"status":%d,"errors":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

/**
 * Runs wrk (one thread) for `seconds`: GET /api/v1/health, or uploads when `upload` is given.
 * @returns `{ rps, p50, p99 }` (latencies in ms), `ok` (2xx answers) and `bad` (other answers, errors)
 */
async function runWrk(url, seconds, scriptPath, upload) {
  const target = upload ? `${url}/api/v1/recordings` : `${url}/api/v1/health`;
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', '-s', scriptPath, target];
  if (upload) {
    args.push(
      '--',
      'upload',
      upload.templatePath,
      randomBytes(4).toString('hex'),
      upload.csrf,
      upload.cookie,
    );
  }
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  const line = /WRK_RESULT (.*)/.exec(out)?.[1];
  if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}): ${out}`);
  const r = JSON.parse(line);
  return {
    rps: r.requests / (r.durationUs / 1e6),
    p50: Math.round(r.p50Us / 100) / 10,
    p99: Math.round(r.p99Us / 100) / 10,
    ok: r.requests - r.status,
    bad: r.status + r.errors,
  };
}

/** Runs autocannon for `seconds`, the same way as {@link runWrk}. */
function runAutocannon(url, seconds, upload) {
  const requests = upload
    ? [
        {
          method: 'POST',
          path: '/api/v1/recordings',
          headers: { 'content-type': 'application/json', 'x-csrf-token': upload.csrf, cookie: upload.cookie },
          setupRequest: (req) => ({ ...req, body: upload.head + randomUUID() + upload.tail }),
        },
      ]
    : [{ method: 'GET', path: '/api/v1/health' }];
  return new Promise((resolve, reject) =>
    autocannon({ url, connections: CONNECTIONS, duration: seconds, requests }, (err, result) =>
      err
        ? reject(err)
        : resolve({
            rps: result.requests.average,
            p50: result.latency.p50,
            p99: result.latency.p99,
            ok: result['2xx'],
            bad: result.non2xx + result.errors,
          }),
    ),
  );
}

/** Median of numbers. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Signs up a patient; returns the cookie header and CSRF token of its session. */
async function signUpPatient(url, username) {
  const first = await fetch(`${url}/api/v1/health`);
  const csrf = /dystrack_csrf=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1];
  const signup = await fetch(`${url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `dystrack_csrf=${csrf}` },
    body: JSON.stringify({ username, password: 'a long bench passphrase', displayName: 'Bench' }),
  });
  if (!signup.ok) throw new Error(`sign-up failed: ${signup.status} ${await signup.text()}`);
  const session = /dystrack_session=([^;]+)/.exec(signup.headers.get('set-cookie') ?? '')?.[1];
  return { csrf, cookie: `dystrack_csrf=${csrf}; dystrack_session=${session}` };
}

/** Days in the 5-year daily trend. */
const TREND_DAYS = 5 * 365 + 1;
/** Target for the trend's series (issue: a 5-year daily trend of one metric under 20 ms on PostgreSQL). */
const TARGET_TREND_MS = 20;

/**
 * A 5-year daily trend: a second patient uploads one typing session a day for five years (8 at a time),
 * the server analyses them, then the series of one metric for one hand is asked for 30 times. Prints the
 * median time of the series query (the store function the route calls, timed from this process on its own
 * connection: the query, the round trip and the row mapping) and of the whole HTTP answer.
 */
async function trendBench(url, dbUrl) {
  const { csrf, cookie } = await signUpPatient(url, 'bench-trend');
  const base = typingRecording();
  const start = Date.parse('2021-01-01T08:00:00Z');
  const post = async (day) => {
    const recording = {
      ...base,
      id: randomUUID(),
      startedAt: new Date(start + day * 86_400_000).toISOString(),
    };
    const res = await fetch(`${url}/api/v1/recordings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie },
      body: JSON.stringify(recording),
    });
    if (res.status !== 201) throw new Error(`trend upload failed: ${res.status} ${await res.text()}`);
  };
  for (let day = 0; day < TREND_DAYS; day += 8)
    await Promise.all(Array.from({ length: Math.min(8, TREND_DAYS - day) }, (_, k) => post(day + k)));
  // wait until the server has analysed them all
  const check = new pg.Client({ connectionString: dbUrl });
  await check.connect();
  try {
    for (;;) {
      const { n } = (
        await check.query(
          `select count(*)::int as n from metric_runs r join users u on u.id = r.patient_id where u.username = 'bench-trend'`,
        )
      ).rows[0];
      if (n >= TREND_DAYS) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const series = `${url}/api/v1/metrics/hold_time_median_ms/series?hand=both&task=typing`;
    const times = [];
    let points = 0;
    for (let i = 0; i < 32; i++) {
      const t0 = performance.now();
      const res = await fetch(series, { headers: { cookie } });
      const body = await res.json();
      if (!res.ok) throw new Error(`series failed: ${res.status} ${JSON.stringify(body)}`);
      if (i >= 2) times.push(performance.now() - t0); // the first two warm the caches
      points = body.points?.length ?? body.sessions?.length ?? 0;
    }
    // the query alone: the series function the route calls, on its own connection to the same database
    const { patient } = (await check.query(`select id as patient from users where username = 'bench-trend'`))
      .rows[0];
    const database = await openDatabase({ databaseUrl: dbUrl, migrate: false, poolSize: 1 });
    const queryTimes = [];
    try {
      for (let i = 0; i < 32; i++) {
        const t0 = performance.now();
        const rows = await loadSeries(database.db, {
          patientId: patient,
          taskId: 'typing',
          metricId: 'hold_time_median_ms',
          hand: 'both',
          analysisVersion: ANALYSIS_VERSION,
        });
        if (i >= 2) queryTimes.push(performance.now() - t0);
        if (rows.length < TREND_DAYS)
          throw new Error(`the series has ${rows.length} rows, not ${TREND_DAYS}`);
      }
    } finally {
      await database.close();
    }
    const dbMs = median(queryTimes);
    return { points, httpMs: median(times), dbMs };
  } finally {
    await check.end();
  }
}

async function main() {
  const dbName = `dystrack_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;

  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, `${ROOT}/packages/cli/dist/main.js`, 'serve'], {
    // BENCH_SERVER_DATABASE_URL lets the server reach the same database another way (e.g. a Unix socket:
    // postgres://postgres@%2Fvar%2Frun%2Fpostgresql/DB, DB replaced by the scratch database's name)
    env: {
      ...process.env,
      DATABASE_URL: process.env.BENCH_SERVER_DATABASE_URL?.replace('/DB', `/${dbName}`) ?? dbUrl.toString(),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  server.stdout.on('data', (d) => (out += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Dystrack listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 20);
    server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });

  try {
    const { csrf, cookie } = await signUpPatient(url, 'bench-patient');

    const template = JSON.stringify(typingRecording());
    const [head, tail] = template.split('00000000-0000-4000-8000-000000000000');
    const bytes = Buffer.byteLength(template);

    const wanted = process.env.BENCH_LOAD;
    const wrk = wanted === 'autocannon' ? null : wrkVersion();
    if (wanted === 'wrk' && !wrk) throw new Error('BENCH_LOAD=wrk, but wrk is not installed');
    const scratch = mkdtempSync(join(tmpdir(), 'dystrack-bench-'));
    const scriptPath = join(scratch, 'bench.lua');
    const templatePath = join(scratch, 'recording.json');
    writeFileSync(scriptPath, WRK_SCRIPT);
    writeFileSync(templatePath, template);
    const upload = { csrf, cookie, head, tail, templatePath };
    const run = (seconds, withUpload) =>
      wrk
        ? runWrk(url, seconds, scriptPath, withUpload ? upload : null)
        : runAutocannon(url, seconds, withUpload ? upload : null);
    const generator = wrk
      ? `wrk ${wrk} (1 thread)`
      : `autocannon (in the bench process${wanted === 'autocannon' ? '' : '; wrk is not installed'})`;

    // warm-up, then the baseline and the uploads on the same server
    // BENCH_PROFILE_UPLOADS=1 skips the baseline, so that a --cpu-prof profile shows the uploads alone
    const skipBaseline = process.env.BENCH_PROFILE_UPLOADS === '1';
    if (!skipBaseline) await run(2, false);
    const baseline = await run(skipBaseline ? 1 : SECONDS, false);
    const cpuBefore = cpuSnapshot(server.pid);
    const uploads = await run(SECONDS, true);
    rmSync(scratch, { recursive: true, force: true });
    const cpuAfter = cpuSnapshot(server.pid);

    const check = new pg.Client({ connectionString: dbUrl.toString() });
    await check.connect();
    const rows = (await check.query('select count(*)::int as n from recordings')).rows[0].n;
    await check.end();

    const rss = peakRssMb(server.pid);
    const { rps, p50, p99 } = uploads;
    const non2xx = uploads.bad;
    console.log(`load generator: ${generator}`);
    console.log(
      `recording size: ${(bytes / 1024).toFixed(1)} KB (3-minute typing session), ${CONNECTIONS} connections, ${SECONDS} s`,
    );
    console.log(
      `baseline GET /api/v1/health: ${baseline.rps.toFixed(0)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms`,
    );
    console.log(
      `uploads POST /api/v1/recordings: ${rps.toFixed(0)} uploads/s, p50 ${p50} ms, p99 ${p99} ms, non-2xx/errors ${non2xx}`,
    );
    console.log(`uploads vs baseline: ${((rps / baseline.rps) * 100).toFixed(0)} % of the health-check rate`);
    console.log(`recordings stored: ${rows} (2xx answered in the measured window: ${uploads.ok})`);
    console.log(`server peak RSS: ${rss} MB`);
    if (cpuBefore.server !== null && cpuAfter.server !== null && uploads.ok > 0) {
      // CPU time per upload answered: less noisy than the rate on a shared machine
      const perUpload = (key) => `${(((cpuAfter[key] - cpuBefore[key]) / uploads.ok) * 1000).toFixed(2)} ms`;
      console.log(
        `CPU per upload: server ${perUpload('server')}, PostgreSQL ${perUpload('postgres')}, load generator ${perUpload('load')}`,
      );
    }
    // uploads still in flight when the load generator stops are stored but not counted by it
    const ok = rps >= TARGET_RPS && p99 < TARGET_P99_MS && non2xx === 0 && rows >= uploads.ok;
    console.log(`target ≥ ${TARGET_RPS} uploads/s with p99 < ${TARGET_P99_MS} ms: ${ok ? 'met' : 'NOT met'}`);

    const trend = await trendBench(url, dbUrl.toString());
    const trendOk = trend.points >= TREND_DAYS && trend.dbMs < TARGET_TREND_MS;
    console.log(
      `5-year daily trend (${trend.points} sessions, one metric, typing with both hands): series query ${trend.dbMs.toFixed(2)} ms ` +
        `(median of 30, round trip and row mapping included), whole HTTP answer median ${trend.httpMs.toFixed(1)} ms (change statistics and JSON included)`,
    );
    console.log(`target 5-year trend query < ${TARGET_TREND_MS} ms: ${trendOk ? 'met' : 'NOT met'}`);
    process.exitCode = ok && trendOk ? 0 : 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await admin.query(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

await main();
