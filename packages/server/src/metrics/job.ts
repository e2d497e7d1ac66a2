import type { Db } from '../db/database.js';
import { coreAnalyzer, computeMetrics, type MetricsAnalyzer } from './analyzer.js';
import { loadForAnalysis, recordingsToAnalyse, saveMetrics, type RecordingRef } from './store.js';

/** What happened to one recording. */
export type AnalysisOutcome = 'ok' | 'failed' | 'gone';

/**
 * Analyses one stored recording and stores its metrics for the analyzer's version (replacing that
 * version's rows, keeping other versions'). `failed` is stored too (the analysis refused the recording);
 * `gone` means the recording is erased or deleted and nothing was stored.
 * @throws what the database throws (the caller retries)
 */
export async function analyseRecording(
  db: Db,
  analyzer: MetricsAnalyzer,
  ref: RecordingRef,
): Promise<{ outcome: AnalysisOutcome; metrics: number; error: { code: string; message: string } | null }> {
  const recording = await loadForAnalysis(db, ref);
  if (!recording) return { outcome: 'gone', metrics: 0, error: null };
  const computed = computeMetrics(analyzer, recording);
  const saved = await saveMetrics(db, ref, analyzer.version, computed);
  if (saved === 'gone') return { outcome: 'gone', metrics: 0, error: null };
  return { outcome: computed.status, metrics: computed.values.length, error: computed.error };
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
  /** Tries per recording when storing fails (a database error); default 4. */
  maxAttempts?: number;
  /** Wait before try `attempt + 1`, ms (default 500 · 4^(attempt − 1): 0.5 s, 2 s, 8 s). */
  retryDelayMs?: (attempt: number) => number;
  log?: JobLog;
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
 * route's response is sent first, then the recording is queued here (see `installMetricsJob`), and one
 * recording at a time is analysed with the core analysis and stored in metric_values / metric_runs.
 *
 * - A database error is retried with growing waits, `maxAttempts` times in all; then the recording is
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
  private queue: { ref: RecordingRef; attempt: number }[] = [];
  /** Recordings queued, waiting for a retry or being analysed (by recording id): each is in the job once. */
  private readonly pending = new Set<string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private running = false;
  private current: Promise<void> | null = null;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly db: Db,
    options: MetricsJobOptions = {},
  ) {
    this.analyzer = options.analyzer ?? coreAnalyzer;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.retryDelayMs = options.retryDelayMs ?? ((attempt) => 500 * 4 ** (attempt - 1));
    this.log = options.log;
  }

  /** Queues a stored recording (once: a recording already in the job is not queued again). */
  enqueue(ref: RecordingRef): void {
    if (this.closed || this.pending.has(ref.recordingId)) return;
    this.pending.add(ref.recordingId);
    this.queue.push({ ref, attempt: 1 });
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
      const item = this.queue.shift()!;
      this.current = this.process(item);
      await this.current;
      this.current = null;
      // let requests in between recordings (the analysis itself runs on this thread)
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.running = false;
    this.notifyIdle();
  }

  private async process(item: { ref: RecordingRef; attempt: number }): Promise<void> {
    const { ref, attempt } = item;
    try {
      const { outcome, error } = await analyseRecording(this.db, this.analyzer, ref);
      this.stats[outcome]++;
      if (outcome === 'failed')
        this.log?.warn({ recordingId: ref.recordingId, error }, 'recording could not be analysed');
      this.pending.delete(ref.recordingId);
    } catch (error) {
      if (this.closed) return;
      if (attempt >= this.maxAttempts) {
        this.stats.gaveUp++;
        this.pending.delete(ref.recordingId);
        this.log?.error(
          { recordingId: ref.recordingId, attempts: attempt, err: error },
          'metrics of a recording could not be stored; it is retried at the next start',
        );
        return;
      }
      this.log?.warn(
        { recordingId: ref.recordingId, attempt, err: error },
        'storing metrics failed; retrying',
      );
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.closed) return;
        this.queue.push({ ref, attempt: attempt + 1 });
        this.kick();
      }, this.retryDelayMs(attempt));
      timer.unref();
      this.timers.add(timer);
    }
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
