// Upload benchmark: starts the built server on PostgreSQL, signs up a patient, and posts realistic recordings
// (a 3-minute typing session) from autocannon on loopback. Prints uploads/s, p50/p99 latency and the
// server's peak RSS, next to a baseline measured in the same run (GET /api/v1/health on the same server).
//
//   npm run bench:server                 (uses postgres://postgres@127.0.0.1:5432/postgres to create a scratch database)
//   BENCH_DATABASE_URL=postgres://… BENCH_SECONDS=10 BENCH_CONNECTIONS=32 npm run bench:server
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const TARGET_RPS = 1000;
const TARGET_P99_MS = 50;
/** USER_HZ of /proc/<pid>/stat times (100 on every common Linux build). */
const CLOCK_TICKS = 100;

/** A 3-minute copy-typing session: keydown/keyup pairs of a slow, uneven typist (about 1.3 keys/s). */
function typingRecording() {
  let seed = 42;
  const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const codes = [
    'KeyT',
    'KeyH',
    'KeyE',
    'Space',
    'KeyQ',
    'KeyU',
    'KeyI',
    'KeyC',
    'KeyK',
    'KeyB',
    'KeyR',
    'KeyO',
    'KeyW',
    'KeyN',
  ];
  const type = [];
  const timeStampMs = [];
  const code = [];
  const repeat = [];
  const isComposing = [];
  let t = 1523.105;
  while (t < 180_000) {
    const c = codes[Math.floor(rand() * codes.length)];
    const hold = 70 + rand() * 60;
    type.push('keydown', 'keyup');
    timeStampMs.push(Math.round(t * 1000) / 1000, Math.round((t + hold) * 1000) / 1000);
    code.push(c, c);
    repeat.push(false, false);
    isComposing.push(false, false);
    t += 500 + rand() * 500;
  }
  return {
    id: '00000000-0000-4000-8000-000000000000',
    schemaVersion: 1,
    taskId: 'typing',
    taskVersion: '1.0.0',
    hand: 'both',
    startedAt: '2026-11-26T09:00:00.000Z',
    durationMs: 180_000,
    params: { textId: 'en-pangrams-1' },
    device: {
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      platform: 'Linux x86_64',
      language: 'en-GB',
      hardwareConcurrency: 8,
      maxTouchPoints: 0,
      screenWidthPx: 1920,
      screenHeightPx: 1080,
      devicePixelRatio: 1,
      inputDevice: 'laptop keyboard',
    },
    timing: {
      crossOriginIsolated: true,
      resolutionMs: 0.005,
      pollingEstimateHz: 125,
      hiddenCount: 0,
      hiddenMs: 0,
      timeOriginMs: 1795683600000.123,
    },
    context: {
      selfRating0to10: 4,
      taskLoadHoursLast24h: 3,
      botulinumToxin: 'received',
      daysSinceBotulinumToxin: 41,
      medication: null,
    },
    streams: {
      keyboard: {
        columns: {
          type: { type: 'str', values: type },
          timeStampMs: { type: 'f64', values: timeStampMs },
          code: { type: 'str', values: code },
          repeat: { type: 'bool', values: repeat },
          isComposing: { type: 'bool', values: isComposing },
        },
      },
    },
    flags: [],
  };
}

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

/** CPU use of the server, PostgreSQL and the load generator (this process) since `start` was taken. */
function cpuSnapshot(serverPid) {
  const own = process.cpuUsage();
  return {
    server: cpuSeconds(serverPid),
    postgres: postgresCpuSeconds(),
    load: (own.user + own.system) / 1e6,
  };
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
    // sign up a patient and keep its cookies
    const first = await fetch(`${url}/api/v1/health`);
    const csrf = /dystrack_csrf=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1];
    const signup = await fetch(`${url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `dystrack_csrf=${csrf}` },
      body: JSON.stringify({
        username: 'bench-patient',
        password: 'a long bench passphrase',
        displayName: 'Bench',
      }),
    });
    if (!signup.ok) throw new Error(`sign-up failed: ${signup.status} ${await signup.text()}`);
    const session = /dystrack_session=([^;]+)/.exec(signup.headers.get('set-cookie') ?? '')?.[1];
    const cookie = `dystrack_csrf=${csrf}; dystrack_session=${session}`;

    const template = JSON.stringify(typingRecording());
    const [head, tail] = template.split('00000000-0000-4000-8000-000000000000');
    const bytes = Buffer.byteLength(template);

    const run = (opts) =>
      new Promise((resolve, reject) =>
        autocannon({ url, connections: CONNECTIONS, duration: SECONDS, ...opts }, (err, result) =>
          err ? reject(err) : resolve(result),
        ),
      );

    // warm-up, then the baseline and the uploads on the same server
    // BENCH_PROFILE_UPLOADS=1 skips the baseline, so that a --cpu-prof profile shows the uploads alone
    const health = { requests: [{ method: 'GET', path: '/api/v1/health' }] };
    const skipBaseline = process.env.BENCH_PROFILE_UPLOADS === '1';
    if (!skipBaseline) await run({ ...health, duration: 2 });
    const baseline = skipBaseline ? await run({ ...health, duration: 1 }) : await run(health);
    const cpuBefore = cpuSnapshot(server.pid);
    const uploads = await run({
      requests: [
        {
          method: 'POST',
          path: '/api/v1/recordings',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie },
          setupRequest: (req) => ({ ...req, body: head + randomUUID() + tail }),
        },
      ],
    });

    const cpuAfter = cpuSnapshot(server.pid);

    const check = new pg.Client({ connectionString: dbUrl.toString() });
    await check.connect();
    const rows = (await check.query('select count(*)::int as n from recordings')).rows[0].n;
    await check.end();

    const rss = peakRssMb(server.pid);
    const rps = uploads.requests.average;
    const p50 = uploads.latency.p50;
    const p99 = uploads.latency.p99;
    const non2xx = uploads.non2xx + uploads.errors;
    console.log(
      `recording size: ${(bytes / 1024).toFixed(1)} KB (3-minute typing session), ${CONNECTIONS} connections, ${SECONDS} s`,
    );
    console.log(
      `baseline GET /api/v1/health: ${baseline.requests.average.toFixed(0)} req/s, p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms`,
    );
    console.log(
      `uploads POST /api/v1/recordings: ${rps.toFixed(0)} uploads/s, p50 ${p50} ms, p99 ${p99} ms, non-2xx/errors ${non2xx}`,
    );
    console.log(
      `uploads vs baseline: ${((rps / baseline.requests.average) * 100).toFixed(0)} % of the health-check rate`,
    );
    console.log(`recordings stored: ${rows} (2xx answered in the measured window: ${uploads['2xx']})`);
    console.log(`server peak RSS: ${rss} MB`);
    if (cpuBefore.server !== null && cpuAfter.server !== null && uploads['2xx'] > 0) {
      // CPU time per upload answered: less noisy than the rate on a shared machine
      const perUpload = (key) =>
        `${(((cpuAfter[key] - cpuBefore[key]) / uploads['2xx']) * 1000).toFixed(2)} ms`;
      console.log(
        `CPU per upload: server ${perUpload('server')}, PostgreSQL ${perUpload('postgres')}, load generator ${perUpload('load')}`,
      );
    }
    // uploads still in flight when the load generator stops are stored but not counted by it
    const ok = rps >= TARGET_RPS && p99 < TARGET_P99_MS && non2xx === 0 && rows >= uploads['2xx'];
    console.log(`target ≥ ${TARGET_RPS} uploads/s with p99 < ${TARGET_P99_MS} ms: ${ok ? 'met' : 'NOT met'}`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await admin.query(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

await main();
