/**
 * The timer-resolution probe of measures.md section 9.5.1: 200 differences of `performance.now()`
 * collected in a tight loop; the effective quantum is the smallest frequent non-zero step.
 */

/** What the probe found: the platform parts of core's `timing` (the runner adds the hidden-page fields). */
export interface TimingProbeResult {
  crossOriginIsolated: boolean;
  /** Smallest frequent non-zero step of `performance.now()`, ms; null when the clock never moved. */
  resolutionMs: number | null;
  /** Input polling rate, Hz: the probe cannot estimate it (a task may, from its events). */
  pollingEstimateHz: number | null;
  /** `performance.timeOrigin`: wall-clock ms (Unix epoch) of time 0 of `now()` and `Event.timeStamp`. */
  timeOriginMs: number;
  /** Number of non-zero differences collected. */
  sampleCount: number;
  /** Whether the resolution is 1 ms or coarser (section 9.5.1 says to warn: fingerprinting resistance, say). */
  coarse: boolean;
}

export interface TimingProbeOptions {
  /** The clock to probe (default `performance.now`). */
  now?: () => number;
  /** Differences to collect (default 200). */
  samples?: number;
  /** Stop after this much probed time, ms, however few differences (default 250: a 100-ms clock must not block). */
  maxMs?: number;
  /** Stop after this many reads (default 2,000,000: a frozen clock must not hang the page). */
  maxIterations?: number;
  crossOriginIsolated?: boolean;
  timeOriginMs?: number;
}

/**
 * Runs the probe. Blocks the main thread briefly: ~1 ms at 5 µs resolution, ~20 ms at 100 µs,
 * at most `maxMs`.
 */
export function probeTiming(options: TimingProbeOptions = {}): TimingProbeResult {
  const now = options.now ?? (() => performance.now());
  const samples = options.samples ?? 200;
  const maxMs = options.maxMs ?? 250;
  const maxIterations = options.maxIterations ?? 2_000_000;
  const diffs: number[] = [];
  const start = now();
  let last = start;
  for (let i = 0; i < maxIterations && diffs.length < samples; i++) {
    const t = now();
    if (t !== last) {
      diffs.push(t - last);
      last = t;
      if (t - start > maxMs) break;
    }
  }
  const resolutionMs = estimateQuantumMs(diffs);
  return {
    crossOriginIsolated:
      options.crossOriginIsolated ??
      (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    resolutionMs,
    pollingEstimateHz: null,
    timeOriginMs: options.timeOriginMs ?? performance.timeOrigin,
    sampleCount: diffs.length,
    coarse: resolutionMs !== null && resolutionMs >= 1,
  };
}

/**
 * The effective quantum of a clock from differences of its readings (or of event time stamps):
 * the smallest non-zero step that makes up at least 5 % of the steps (and occurs twice), after
 * rounding to 0.1 µs to absorb floating-point noise (steps that round to 0 are ignored). Falls back to the median step when no step is
 * frequent (a fine, jittery clock), the single step when there is one, and null when there is none.
 * @param diffs - differences between successive readings, ms; zeros and negatives are ignored
 */
export function estimateQuantumMs(diffs: readonly number[]): number | null {
  const steps = diffs
    .filter((d) => Number.isFinite(d))
    .map((d) => Math.round(d * 1e4) / 1e4)
    .filter((d) => d > 0);
  if (steps.length === 0) return null;
  if (steps.length === 1) return steps[0]!;
  const counts = new Map<number, number>();
  for (const step of steps) counts.set(step, (counts.get(step) ?? 0) + 1);
  const threshold = Math.max(2, Math.ceil(0.05 * steps.length));
  let best: number | null = null;
  for (const [step, count] of counts) {
    if (count >= threshold && (best === null || step < best)) best = step;
  }
  if (best !== null) return best;
  const sorted = [...steps].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
