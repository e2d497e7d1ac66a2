/**
 * Synthetic input events with chosen time stamps, for tests in jsdom (and any DOM). `Event.timeStamp`
 * cannot be set through constructors, so it is defined on the instance; where the DOM has no
 * `PointerEvent` (older jsdom), a `MouseEvent` gets the pointer fields as own properties.
 */

export interface PointerInit extends PointerEventInit {
  timeStamp: number;
  altitudeAngle?: number;
  azimuthAngle?: number;
  /** Samples that `getCoalescedEvents()` returns (each with its own `timeStamp`). */
  coalesced?: readonly PointerInit[];
}

const POINTER_FIELDS = [
  'pointerId',
  'pointerType',
  'isPrimary',
  'pressure',
  'tangentialPressure',
  'tiltX',
  'tiltY',
  'twist',
  'width',
  'height',
  'altitudeAngle',
  'azimuthAngle',
] as const;

/** A pointer event of `type` with `init`'s fields and time stamp (not dispatched). */
export function makePointerEvent(type: string, init: PointerInit): PointerEvent {
  const { timeStamp, coalesced, ...rest } = init;
  const eventInit = { bubbles: true, cancelable: true, composed: true, ...rest };
  const event: PointerEvent =
    typeof PointerEvent === 'function'
      ? new PointerEvent(type, eventInit)
      : (new MouseEvent(type, eventInit) as unknown as PointerEvent);
  const record = event as unknown as Record<string, unknown>;
  for (const field of POINTER_FIELDS) {
    const value = (rest as Record<string, unknown>)[field];
    if (value !== undefined && record[field] === undefined) Object.defineProperty(event, field, { value });
  }
  Object.defineProperty(event, 'timeStamp', { value: timeStamp });
  if (coalesced) {
    const samples = coalesced.map((sample) => makePointerEvent(type, sample));
    Object.defineProperty(event, 'getCoalescedEvents', { value: () => samples });
  }
  return event;
}

/** Dispatches a pointer event on `target`; returns the event. */
export function dispatchPointer(target: EventTarget, type: string, init: PointerInit): PointerEvent {
  const event = makePointerEvent(type, init);
  target.dispatchEvent(event);
  return event;
}

/** Dispatches a keyboard event with a chosen time stamp on `target`; returns the event. */
export function dispatchKey(
  target: EventTarget,
  type: 'keydown' | 'keyup',
  init: KeyboardEventInit & { timeStamp: number },
): KeyboardEvent {
  const { timeStamp, ...rest } = init;
  const event = new KeyboardEvent(type, { bubbles: true, cancelable: true, composed: true, ...rest });
  Object.defineProperty(event, 'timeStamp', { value: timeStamp });
  target.dispatchEvent(event);
  return event;
}

/** Dispatches a plain event (`visibilitychange`, `blur`, …) with a chosen time stamp. */
export function dispatchAt(target: EventTarget, type: string, timeStamp: number): Event {
  const event = new Event(type);
  Object.defineProperty(event, 'timeStamp', { value: timeStamp });
  target.dispatchEvent(event);
  return event;
}
