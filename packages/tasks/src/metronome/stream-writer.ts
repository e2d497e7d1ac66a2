import type { StreamBuilder } from '../columns';
import type { JsonValue } from '../contract';
import type { ClickMapping, MetronomeClick, MetronomeResult } from './metronome';

/**
 * A `metronome` stream writer for the metronome's `onClick`: one row per click that played, with the
 * columns of core's metronome stream (`clickTimeMs`, `audioTimeS`, `accent`, and the `baseLatencyS`,
 * `outputLatencyS` and `mapping` in effect when the click was scheduled). The columns are looked up once;
 * a click costs no allocation.
 * @param stream - the task's `metronome` stream (`ctx.stream('metronome')`)
 * @param onOverflow - called once when a click had to be dropped because the stream was full
 * @returns a function that records a click and returns whether it fitted
 */
export function createMetronomeStreamWriter(
  stream: StreamBuilder,
  onOverflow?: () => void,
): (click: MetronomeClick) => boolean {
  const clickTime = stream.f64('clickTimeMs');
  const audioTime = stream.f64('audioTimeS');
  const accent = stream.bool('accent');
  const baseLatency = stream.f64('baseLatencyS');
  const outputLatency = stream.f64('outputLatencyS');
  const mapping = stream.str('mapping');
  let overflowed = false;
  return (click) => {
    if (!stream.hasRoom()) {
      if (!overflowed) onOverflow?.();
      overflowed = true;
      return false;
    }
    clickTime.push(click.clickTimeMs);
    audioTime.push(click.audioTimeS);
    accent.push(click.accent);
    baseLatency.push(click.baseLatencyS);
    outputLatency.push(click.outputLatencyS);
    mapping.push(click.mapping);
    stream.endRow();
    return true;
  };
}

/** Most latency segments {@link metronomeFacts} keeps (the envelope's params have a size budget). */
export const MAX_LATENCY_SEGMENTS = 64;

/**
 * The metronome facts of a run, for `ctx.setParam('metronome', …)`: the interval, the missed clicks
 * and a summary of the latencies (each click's are also in the stream). `latency` lists runs of consecutive clicks with the same mapping source, `baseLatency` and
 * `outputLatency` (unrounded, `null` where the browser has none), each from the grid index of its first
 * click; usually one or two entries, at most {@link MAX_LATENCY_SEGMENTS} (then `latencyTruncated`, and
 * later clicks are not described). `missedIndices` keeps the first 1000 of `missedCount`.
 * The anchor of each click can be recovered from the stream: `clickTimeMs − audioTimeS × 1000`.
 */
export function metronomeFacts(result: MetronomeResult): { [key: string]: JsonValue } {
  const segments: {
    fromIndex: number;
    clicks: number;
    mapping: ClickMapping;
    baseLatencyS: number | null;
    outputLatencyS: number | null;
  }[] = [];
  let truncated = false;
  for (const click of result.clicks) {
    const last = segments.at(-1);
    if (
      last &&
      last.mapping === click.mapping &&
      last.baseLatencyS === click.baseLatencyS &&
      last.outputLatencyS === click.outputLatencyS
    ) {
      last.clicks++;
    } else if (segments.length < MAX_LATENCY_SEGMENTS) {
      segments.push({
        fromIndex: click.index,
        clicks: 1,
        mapping: click.mapping,
        baseLatencyS: click.baseLatencyS,
        outputLatencyS: click.outputLatencyS,
      });
    } else {
      truncated = true;
      break;
    }
  }
  return {
    intervalMs: result.intervalMs,
    firstClickAudioTimeS: result.firstClickAudioTimeS,
    clicksPlayed: result.clicks.length,
    missedCount: result.missed.length,
    missedIndices: result.missed.slice(0, 1000),
    interrupted: result.interrupted,
    latency: segments,
    latencyTruncated: truncated,
  };
}
