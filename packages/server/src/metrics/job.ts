import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { coreAnalyzer, computeMetrics, type ComputedMetrics, type MetricsAnalyzer } from './analyzer.js';
import { loadForAnalysis, recordingsToAnalyse, saveMetrics, type RecordingRef } from './store.js';

/** After this many metric values stored, the tables' statistics are updated (see `analyzeTables`). */
const ANALYZE_EVERY_VALUES = 20_000;

/** What happened to one recording. */
export type AnalysisOutcome = 'ok' | 'failed' | 'gone';

/** The outcome of analysing one recording. */
export interface AnalysisResult {
  outcome: AnalysisOutcome;
  /** Metric values stored. */
  metrics: number;
  error: { code: string; message: string } | null;
}

/**
 * Analyses stored recordings and stores their metrics for the analyzer's version (replacing that
 * version's rows, keeping other versions'): one query loads them, one transaction stores them all.
 * `failed` is stored too (the analysis refused the recording); `gone` means the recording is erased
 * or deleted and nothing was stored. Between two analyses the event loop runs (requests are not held up
 * by a batch).
 * @returns the result of each recording, in the order of `refs`
 * @throws what the database throws (nothing of the batch is stored; the caller retries)
 */
export async function analyseRecordings(
  db: Db,
  analyzer: MetricsAnalyzer,
  refs: readonly RecordingRef[],
): Promise<AnalysisResult[]> {
  const contents = await loadForAnalysis(db, refs);
  const computed = new Map<string, ComputedMetrics>();
  for (const ref of refs) {
    const recording = contents.get(ref.recordingId);
    if (!recording) continue;
    if (computed.size > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    computed.set(ref.recordingId, computeMetrics(analyzer, recording));
  }
  const gone = await saveMetrics(
    db,
    analyzer.version,
    refs
      .filter((ref) => computed.has(ref.recordingId))
      .map((ref) => ({ ref, computed: computed.get(ref.recordingId)! })),
  );
  return refs.map((ref) => {
    const result = computed.get(ref.recordingId);
    if (!result || gone.has(ref.recordingId)) return { outcome: 'gone', metrics: 0, error: null };
    return { outcome: result.status, metrics: result.values.length, error: result.error };
  });
}

/** Where the job reports problems (Fastify's logger fits). */
export interface JobLog {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** Options of {@link MetricsJob}. */
export interface MetricsJobOptions {
  /** The analysis (default: core's). */
  analyzer?: MetricsAnalyzer;
  /** Most recordings analysed and stored together (one load, one transaction); default 32. */
  batchSize?: number;
  /** Tries per recording when storing fails (a database error); default 4. */
  maxAttempts?: number;
  /** Wait before try `attempt + 1`, ms (default 500 · 4^(attempt − 1): 0.5 s, 2 s, 8 s). */
  retryDelayMs?: (attempt: number) => number;
  log?: JobLog;
  /**
   * Share of the time the analysis may take while the server is busy serving requests (see
   * {@link MetricsJob.yieldTo}); default 0.25: after a batch that took t ms, the job waits 3·t ms.
   */
  busyShare?: number;
  /** Clock, ms (default `performance.now`; tests inject one). */
  now?: () => number;
  /** Waits `ms` (default a timer that does not keep the process alive; tests inject one). */
  pause?: (ms: number) => Promise<void>;
}

/** A queued recording: its try, and whether it goes alone (a retry after its batch failed). */
interface QueueItem {
  ref: RecordingRef;
  attempt: number;
  alone: boolean;
}

/** Counts since the job started. */
export interface MetricsJobStats {
  ok: number;
  failed: number;
  gone: number;
  /** Recordings given up after `maxAttempts` database errors (they are queued again at the next start). */
  gaveUp: number;
}

/**
 * The in-process queue that computes the metrics of stored recordings off the request path: the upload
 * route's response is sent first, then the recording is queued here (see `installMetricsJob`), and the
 * queued recordings are analysed with the core analysis and stored in metric_values / metric_runs in
 * batches (up to `batchSize`: one query loads a batch, one transaction stores it), so that a burst of
 * uploads — a day of offline recordings arriving at once — costs a few statements per batch, not per
 * recording.
 *
 * - When storing a batch fails (a database error), each of its recordings is tried again alone; a
 *   recording that still fails is retried with growing waits, `maxAttempts` times in all; then it is
 *   left without a run and {@link queueMissing} (run at every start) picks it up again.
 * - An analysis that refuses the recording is stored as a `failed` run and not retried.
 * - Nothing is lost after a crash: at start every stored recording without a run of the current analysis
 *   version is queued.
 */
export class MetricsJob {
  readonly analyzer: MetricsAnalyzer;
  readonly stats: MetricsJobStats = { ok: 0, failed: 0, gone: 0, gaveUp: 0 };
  private readonly maxAttempts: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly log: JobLog | undefined;
  private readonly batchSize: number;
  private queue: QueueItem[] = [];
  /** Recordings queued, waiting for a retry or being analysed (by recording id): each is in the job once. */
  private readonly pending = new Set<string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private running = false;
  private current: Promise<void> | null = null;
  private busy: () => boolean = () => false;
  private readonly busyShare: number;
  private readonly now: () => number;
  private readonly pause: (ms: number) => Promise<void>;
  /** Metric values stored since the tables' statistics were last updated. */
  private storedSinceAnalyze = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly db: Db,
    options: MetricsJobOptions = {},
  ) {
    this.analyzer = options.analyzer ?? coreAnalyzer;
    this.batchSize = options.batchSize ?? 32;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.retryDelayMs = options.retryDelayMs ?? ((attempt) => 500 * 4 ** (attempt - 1));
    this.log = options.log;
    this.busyShare = options.busyShare ?? 0.25;
    this.now = options.now ?? (() => performance.now());
    this.pause =
      options.pause ??
      ((ms) =>
        new Promise<void>((resolve) => {
          setTimeout(resolve, ms).unref();
        }));
  }

  /**
   * Makes the job give way to requests: while `busy()` says the server is serving requests, the
   * analysis takes at most `busyShare` of the time (it waits after each batch in proportion to the
   * batch's time), so that a burst of uploads is answered first and analysed as it goes, more slowly;
   * when the server is idle the job runs at full speed. Nothing is skipped, only delayed.
   */
  yieldTo(busy: () => boolean): void {
    this.busy = busy;
  }

  /** Queues a stored recording (once: a recording already in the job is not queued again). */
  enqueue(ref: RecordingRef): void {
    if (this.closed || this.pending.has(ref.recordingId)) return;
    this.pending.add(ref.recordingId);
    this.queue.push({ ref, attempt: 1, alone: false });
    this.kick();
  }

  /**
   * Queues every stored recording that has no run of the analyzer's version (after a crash, an
   * upgrade or a restore). Returns how many were queued.
   */
  async queueMissing(): Promise<number> {
    const missing = await recordingsToAnalyse(this.db, this.analyzer.version);
    for (const { patientId, recordingId } of missing) this.enqueue({ patientId, recordingId });
    return missing.length;
  }

  /** Whether nothing is queued, waiting for a retry or being analysed. */
  get idle(): boolean {
    return !this.running && this.queue.length === 0 && this.timers.size === 0;
  }

  /** Resolves when the job is idle (everything queued so far is done, retries included). */
  drain(): Promise<void> {
    if (this.idle || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops the job: no new work, pending retries and queued recordings dropped (they are found again at
   * the next start), and waits for the recording being analysed, so that the database can be closed.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue = [];
    await this.current;
    this.pending.clear();
    this.notifyIdle(true);
  }

  private kick(): void {
    if (this.running || this.closed) return;
    this.running = true;
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    while (!this.closed && this.queue.length > 0) {
      // a batch of the queue's head; a recording retried alone (after its batch failed) goes alone
      const size = this.queue[0]!.alone ? 1 : this.queue.findIndex((item) => item.alone) >>> 0;
      const batch = this.queue.splice(0, Math.min(size, this.batchSize));
      const started = this.now();
      this.current = this.process(batch);
      await this.current;
      this.current = null;
      // let requests in between batches (the analysis itself runs on this thread); while requests keep
      // arriving, give them most of the time
      if (!this.closed && this.busy()) await this.pause((this.now() - started) * (1 / this.busyShare - 1));
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.running = false;
    this.notifyIdle();
  }

  private async process(batch: QueueItem[]): Promise<void> {
    try {
      const results = await analyseRecordings(
        this.db,
        this.analyzer,
        batch.map((item) => item.ref),
      );
      this.storedSinceAnalyze += results.reduce((n, r) => n + r.metrics, 0);
      if (this.storedSinceAnalyze >= ANALYZE_EVERY_VALUES) await this.analyzeTables();
      results.forEach(({ outcome, error }, k) => {
        const { ref } = batch[k]!;
        this.stats[outcome]++;
        if (outcome === 'failed')
          this.log?.warn({ recordingId: ref.recordingId, error }, 'recording could not be analysed');
        this.pending.delete(ref.recordingId);
      });
    } catch (error) {
      if (this.closed) return;
      if (batch.length > 1) {
        // each recording again, alone and at once: one that cannot be stored does not hold up the others
        this.queue.unshift(...batch.map((item) => ({ ...item, alone: true })));
        return;
      }
      this.retryLater(batch[0]!, error);
    }
  }

  /**
   * Updates the planner's statistics of the tables the series and report queries read. PGlite runs no
   * autovacuum (PostgreSQL's would do this too; once more is harmless). A failure is only logged.
   */
  private async analyzeTables(): Promise<void> {
    this.storedSinceAnalyze = 0;
    try {
      await this.db.execute(sql`analyze metric_values, metric_runs, recordings`);
    } catch (error) {
      this.log?.warn({ err: error }, 'could not update the table statistics');
    }
  }

  /** A recording whose metrics could not be stored: queued again after a wait, or given up. */
  private retryLater({ ref, attempt }: QueueItem, error: unknown): void {
    if (attempt >= this.maxAttempts) {
      this.stats.gaveUp++;
      this.pending.delete(ref.recordingId);
      this.log?.error(
        { recordingId: ref.recordingId, attempts: attempt, err: error },
        'metrics of a recording could not be stored; it is retried at the next start',
      );
      return;
    }
    this.log?.warn({ recordingId: ref.recordingId, attempt, err: error }, 'storing metrics failed; retrying');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      this.queue.push({ ref, attempt: attempt + 1, alone: true });
      this.kick();
    }, this.retryDelayMs(attempt));
    timer.unref();
    this.timers.add(timer);
  }

  private notifyIdle(force = false): void {
    if (!force && !this.idle) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

const jobs = new WeakMap<Db, MetricsJob>();

/**
 * The metrics job of a database: the one attached with {@link attachMetricsJob}, or a new one with
 * `options` (one job per database, shared by the app's hooks and routes).
 * @param db - the database
 * @param options - used only when the job is created here
 */
export function metricsJobFor(db: Db, options: MetricsJobOptions = {}): MetricsJob {
  let job = jobs.get(db);
  if (!job) jobs.set(db, (job = new MetricsJob(db, options)));
  return job;
}

/** Makes `job` the metrics job of its database (before the app is built: tests inject an analyzer so). */
export function attachMetricsJob(job: MetricsJob): MetricsJob {
  jobs.set(job.db, job);
  return job;
}

/** Forgets the job of a database (after it closed), so that a new app on the same database starts afresh. */
export function detachMetricsJob(job: MetricsJob): void {
  if (jobs.get(job.db) === job) jobs.delete(job.db);
}
