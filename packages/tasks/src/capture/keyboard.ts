import type { StreamBuilder } from '../columns';

export interface KeyboardRecorderOptions {
  /**
   * Physical keys (`KeyboardEvent.code`) whose default action is prevented (typing into a field,
   * scrolling, find-as-you-type), so that tapping them does nothing else.
   */
  preventDefault?: ReadonlySet<string>;
  /** Called once when an event had to be dropped because the stream was full. */
  onOverflow?: () => void;
  /**
   * Also record IME `compositionstart`/`compositionend` as rows of their own: `code` '' (no physical
   * key), `repeat` false, `isComposing` true, no location, and in `key` (only when the stream has that
   * column, i.e. the person opted in to keeping the text) the composed text. The analysis ignores these
   * rows; the key events inside a composition carry `isComposing` themselves and are left out by it.
   */
  composition?: boolean;
}

/**
 * Records `keydown`/`keyup` on `target` (usually `window`, capture phase) into a `keyboard` stream:
 * `type`, `timeStamp`, `code`, `repeat`, `isComposing`, and `location` and `key` when the builder has
 * those columns (`key`, the typed character, only when the person opted in to keeping it).
 * @returns a function that removes the listeners
 */
export function attachKeyboardRecorder(
  target: EventTarget,
  stream: StreamBuilder,
  options: KeyboardRecorderOptions = {},
): () => void {
  const type = stream.str('type');
  const time = stream.f64('timeStampMs');
  const code = stream.str('code');
  const repeat = stream.bool('repeat');
  const isComposing = stream.bool('isComposing');
  const location = stream.has('keyLocationIndex') ? stream.i32('keyLocationIndex') : null;
  const key = stream.has('key') ? stream.str('key') : null;
  let overflowed = false;

  const onEvent = (event: Event) => {
    const e = event as KeyboardEvent;
    if (options.preventDefault?.has(e.code)) e.preventDefault();
    if (!stream.hasRoom()) {
      if (!overflowed) options.onOverflow?.();
      overflowed = true;
      return;
    }
    type.push(e.type);
    time.push(e.timeStamp);
    code.push(typeof e.code === 'string' ? e.code.slice(0, 32) : '');
    repeat.push(e.repeat === true);
    isComposing.push(e.isComposing === true);
    location?.push(e.location);
    key?.push(typeof e.key === 'string' ? e.key.slice(0, 32) : '');
    stream.endRow();
  };

  const onComposition = (event: Event) => {
    if (!stream.hasRoom()) {
      if (!overflowed) options.onOverflow?.();
      overflowed = true;
      return;
    }
    const data = (event as CompositionEvent).data;
    type.push(event.type);
    time.push(event.timeStamp);
    code.push('');
    repeat.push(false);
    isComposing.push(true);
    location?.push(null);
    key?.push(typeof data === 'string' ? data.slice(0, 32) : '');
    stream.endRow();
  };

  const listeners: [string, (event: Event) => void][] = [
    ['keydown', onEvent],
    ['keyup', onEvent],
    ...(options.composition
      ? ([
          ['compositionstart', onComposition],
          ['compositionend', onComposition],
        ] as [string, (event: Event) => void][])
      : []),
  ];
  for (const [name, fn] of listeners) target.addEventListener(name, fn, { capture: true });
  return () => {
    for (const [name, fn] of listeners) target.removeEventListener(name, fn, { capture: true });
  };
}
