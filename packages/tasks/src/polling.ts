/**
 * The keyboard polling probe of measures.md 9.5 item 2: a keyboard read by the computer every P ms
 * stamps its events on a comb of multiples of P, so the differences between event times are multiples of
 * P. The estimate is the longest period of 16, 10, 8, 4, 2 and 1 ms (62.5 to 1000 Hz) whose comb holds at
 * least 90 % of the differences; none when the times are not on a comb (a fast keyboard, or times the
 * browser does not tie to the keyboard's reports).
 */

/** Candidate polling periods, ms, longest first (62.5, 100, 125, 250, 500 and 1000 Hz). */
const PERIODS_MS = [16, 10, 8, 4, 2, 1] as const;
/** How far a difference may be from a multiple of the period, ms (browsers give times to 0.1 ms or better). */
const TOLERANCE_MS = 0.15;
/** Share of the differences that must be on the comb. */
const MIN_ON_COMB = 0.9;
/** Differences shorter than this are one report (several keys in one poll) and not counted, ms. */
const SAME_REPORT_MS = 0.5;

/**
 * The keyboard's polling rate estimated from its events' time stamps, Hz, or null when fewer than
 * `minDifferences` differences are available or no comb fits.
 * @param timeStampsMs - `event.timeStamp` of the key events (keydown and keyup), any order
 */
export function estimatePollingHz(
  timeStampsMs: ArrayLike<number | null>,
  minDifferences = 20,
): number | null {
  const times: number[] = [];
  for (let i = 0; i < timeStampsMs.length; i++) {
    const t = timeStampsMs[i];
    if (typeof t === 'number' && Number.isFinite(t)) times.push(t);
  }
  times.sort((a, b) => a - b);
  const differences: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    if (d >= SAME_REPORT_MS) differences.push(d);
  }
  if (differences.length < minDifferences) return null;
  for (const period of PERIODS_MS) {
    let onComb = 0;
    for (const d of differences) {
      const r = d % period;
      if (Math.min(r, period - r) <= TOLERANCE_MS) onComb++;
    }
    if (onComb >= MIN_ON_COMB * differences.length) return 1000 / period;
  }
  return null;
}
