import type { StreamBuilder } from '../columns';

/** Which `pointermove` samples to keep. */
export type MoveMode = 'none' | 'pressed' | 'all';

export interface PointerRecorderOptions {
  /** `pressed` (default): moves of pointers that are down (contact, drag); `all`: hover too; `none`. */
  moves?: MoveMode;
  /** Rows kept free for `pointerdown`/`up`/`cancel` once moves fill the stream (default 2000). */
  reserveRows?: number;
  /** Called once when a sample had to be dropped because the stream was full (the task flags it). */
  onOverflow?: (kind: 'moves' | 'all') => void;
  /** Listen in the capture phase (default true), so a child's `stopPropagation` hides nothing. */
  capture?: boolean;
}

/** The fields read from a pointer event (a `PointerEvent`, or one of its coalesced samples). */
type PointerSample = Pick<
  PointerEvent,
  | 'type'
  | 'timeStamp'
  | 'pointerId'
  | 'pointerType'
  | 'isPrimary'
  | 'clientX'
  | 'clientY'
  | 'pressure'
  | 'tangentialPressure'
  | 'tiltX'
  | 'tiltY'
  | 'twist'
  | 'width'
  | 'height'
  | 'buttons'
> & { altitudeAngle?: number; azimuthAngle?: number; getCoalescedEvents?: () => PointerEvent[] };

const EVENTS = ['pointerdown', 'pointermove', 'pointerup', 'pointercancel'] as const;

/**
 * Records Pointer Events on `target` into a `pointer` stream (core's pointer columns), every field the
 * platform gives, with the event's own `timeStamp`.
 *
 * Each physical sample appears once: a `pointermove` whose `getCoalescedEvents()` returns samples is
 * stored as those samples (`coalesced = true`, each with its own time and fields; the dispatched event
 * equals the last of them); otherwise the dispatched event is stored (`coalesced = false`). Down, up
 * and cancel are stored as dispatched. Optional columns missing from the builder are skipped; a field
 * the platform does not give is `null`.
 * @returns a function that removes the listeners
 */
export function attachPointerRecorder(
  target: EventTarget,
  stream: StreamBuilder,
  options: PointerRecorderOptions = {},
): () => void {
  const moves = options.moves ?? 'pressed';
  const reserve = Math.min(options.reserveRows ?? 2000, Math.floor(stream.maxRows / 4));
  const capture = options.capture ?? true;
  const type = stream.str('type');
  const time = stream.f64('timeStampMs');
  const coalesced = stream.bool('coalesced');
  const pointerId = stream.i32('pointerId');
  const pointerType = stream.str('pointerType');
  const x = stream.f64('xPx');
  const y = stream.f64('yPx');
  const f64 = (name: string) => (stream.has(name) ? stream.f64(name) : null);
  const isPrimary = stream.has('isPrimary') ? stream.bool('isPrimary') : null;
  const pressure = f64('pressureNorm');
  const tangential = f64('tangentialPressureNorm');
  const tiltX = f64('tiltXDeg');
  const tiltY = f64('tiltYDeg');
  const twist = f64('twistDeg');
  const altitude = f64('altitudeAngleRad');
  const azimuth = f64('azimuthAngleRad');
  const width = f64('widthPx');
  const height = f64('heightPx');
  const buttons = stream.has('buttonsMaskId') ? stream.i32('buttonsMaskId') : null;
  const down = new Set<number>();
  let overflowed = false;

  const write = (e: PointerSample, eventType: string, isCoalesced: boolean) => {
    type.push(eventType);
    time.push(e.timeStamp);
    coalesced.push(isCoalesced);
    pointerId.push(e.pointerId);
    pointerType.push(typeof e.pointerType === 'string' ? e.pointerType.slice(0, 8) : '');
    x.push(e.clientX);
    y.push(e.clientY);
    isPrimary?.push(e.isPrimary === true);
    pressure?.push(e.pressure);
    tangential?.push(e.tangentialPressure);
    tiltX?.push(e.tiltX);
    tiltY?.push(e.tiltY);
    twist?.push(e.twist);
    altitude?.push(e.altitudeAngle);
    azimuth?.push(e.azimuthAngle);
    width?.push(e.width);
    height?.push(e.height);
    buttons?.push(e.buttons);
    stream.endRow();
  };
  const overflow = (kind: 'moves' | 'all') => {
    if (overflowed) return;
    overflowed = true;
    options.onOverflow?.(kind);
  };

  const onEvent = (event: Event) => {
    const e = event as unknown as PointerSample;
    if (e.type === 'pointermove') {
      if (moves === 'none' || (moves === 'pressed' && !down.has(e.pointerId) && e.buttons === 0)) return;
      const samples = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
      const n = Math.max(1, samples.length);
      if (!stream.hasRoom(n + reserve)) {
        overflow('moves');
        return;
      }
      if (samples.length === 0) write(e, 'pointermove', false);
      else for (const sample of samples) write(sample, 'pointermove', true);
      return;
    }
    if (e.type === 'pointerdown') down.add(e.pointerId);
    else down.delete(e.pointerId);
    if (!stream.hasRoom()) {
      overflow('all');
      return;
    }
    write(e, e.type, false);
  };

  for (const name of EVENTS) target.addEventListener(name, onEvent, { capture, passive: true });
  return () => {
    for (const name of EVENTS) target.removeEventListener(name, onEvent, { capture });
  };
}
