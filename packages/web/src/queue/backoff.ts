/** First retry delay after a failed send, ms. */
export const BACKOFF_BASE_MS = 2_000;
/** Longest delay between automatic retries, ms. */
export const BACKOFF_CAP_MS = 5 * 60_000;
/** Longest wait a server's `Retry-After` can ask for, ms. */
export const RETRY_AFTER_CAP_MS = 15 * 60_000;

/**
 * Delay before the next automatic send after `attempts` failed ones: exponential (2 s, 4 s, 8 s, …)
 * up to {@link BACKOFF_CAP_MS}, with "equal jitter" (between half and all of it) so that many
 * devices coming back online do not all retry at the same moment.
 * @param attempts - failed sends so far (1 after the first failure)
 * @param random - a number in [0, 1)
 * @param retryAfterMs - the server's `Retry-After`, if it sent one: the delay is never shorter
 */
export function backoffDelayMs(attempts: number, random: number, retryAfterMs?: number | null): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  const full = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  const jittered = Math.round(full / 2 + (full / 2) * Math.min(Math.max(random, 0), 1));
  if (retryAfterMs && retryAfterMs > jittered) return Math.min(retryAfterMs, RETRY_AFTER_CAP_MS);
  return jittered;
}

/** Parses a `Retry-After` header (seconds or an HTTP date) into ms from `now`, or null. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
