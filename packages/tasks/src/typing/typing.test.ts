import {
  analyze,
  codeFromKey,
  fingerOf,
  parseTaskRecording,
  TASK_RECORDING_SPECS,
  typingFromRecording,
  type Recording,
  type Stream,
} from '@dystrack/core';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskAbortedError } from '../runner';
import { simulateRecording } from '../simulate';
import { dispatchAt, dispatchKey } from '../testing/events';
import { startRun } from '../testing/harness';
import {
  COPY_TEXT_IDS,
  COPY_TEXTS,
  copyProgress,
  drillBlocks,
  editDistance,
  readTypingParams,
  ROLL_CODES,
  SAME_FINGER_CODES,
  strokeOf,
  typing,
  typingDefinition,
} from './index';
import { resolveParams } from '../params';

afterEach(() => {
  document.body.innerHTML = '';
});

const EN = COPY_TEXTS.en.text;
const column = (stream: Stream | undefined, name: string) => stream!.columns[name]!.values;
const markers = (recording: Recording) =>
  column(recording.streams.markers, 'label').map((label, i) => [
    label,
    column(recording.streams.markers, 'timeStampMs')[i],
  ]);
const labels = (recording: Recording) => markers(recording).map(([label]) => label);
const field = (element: HTMLElement) => element.querySelector('textarea')!;
const finishButton = (element: HTMLElement) => element.querySelector<HTMLButtonElement>('.dt-typing-finish')!;
const bar = (element: HTMLElement) => element.querySelector('[role="progressbar"]')!;
const keyCaps = (element: HTMLElement) =>
  [...element.querySelectorAll<HTMLElement>('.dt-typing-key')].map((cap) => cap.textContent);

function rows(stream: Stream): Record<string, unknown>[] {
  const names = Object.keys(stream.columns);
  const n = stream.columns[names[0]!]!.values.length;
  return Array.from({ length: n }, (_, i) =>
    Object.fromEntries(names.map((name) => [name, stream.columns[name]!.values[i]])),
  );
}

/** What the browser does for a printable key in the field: keydown, the character, `input`. */
function keydownInto(area: HTMLTextAreaElement, code: string, key: string, timeStamp: number): KeyboardEvent {
  const event = dispatchKey(area, 'keydown', { code, key, timeStamp });
  if (key === 'Backspace') area.value = area.value.slice(0, -1);
  else if ([...key].length === 1) area.value += key;
  area.dispatchEvent(new Event('input', { bubbles: true }));
  return event;
}

/** A whole key press into the field. */
function press(area: HTMLTextAreaElement, code: string, key: string, downMs: number, upMs: number): void {
  keydownInto(area, code, key, downMs);
  dispatchKey(area, 'keyup', { code, key, timeStamp: upMs });
}

/** A composition event with a chosen time stamp. */
function dispatchComposition(target: EventTarget, type: string, timeStamp: number, data: string): void {
  const event = new CompositionEvent(type, { bubbles: true, data });
  Object.defineProperty(event, 'timeStamp', { value: timeStamp });
  target.dispatchEvent(event);
}

/** Presses Finish twice (the confirmed stop). */
function finish(element: HTMLElement): void {
  finishButton(element).click();
  finishButton(element).click();
}

describe('typing definition', () => {
  it('offers every copy text, each about 300 plain characters that the simulated layouts can type', () => {
    expect([...typingDefinition.parameters.text.options]).toEqual(Object.keys(COPY_TEXTS));
    expect(COPY_TEXT_IDS.length).toBeGreaterThanOrEqual(2);
    for (const id of COPY_TEXT_IDS) {
      const { text, language } = COPY_TEXTS[id];
      expect(language, id).toBe(id);
      expect(text.length, id).toBeGreaterThanOrEqual(280);
      expect(text.length, id).toBeLessThanOrEqual(340);
      expect(text.normalize('NFC'), id).toBe(text);
      expect(text, id).toMatch(/^[\p{L} .,]+$/u);
      expect(text, id).not.toMatch(/ {2}|^ | $/);
      for (const char of text) expect(() => strokeOf(char, id), `${id} ${char}`).not.toThrow();
    }
  });

  it('has hands and a time limit the core spec allows', () => {
    const spec = TASK_RECORDING_SPECS.typing;
    for (const hand of typingDefinition.hands) expect(spec.hands).toContain(hand);
    expect(typingDefinition.parameters.timeLimitS.max).toBeLessThanOrEqual(spec.maxDurationS);
    expect(typingDefinition.parameters.storeText.default).toBe(false);
  });

  it('gives drills whose keys are struck by the named hand and finger in core’s key map', () => {
    for (const hand of ['left', 'right'] as const) {
      const fingers = ROLL_CODES[hand].map((code) => fingerOf(code));
      expect(fingers.every((f) => f?.hand === hand)).toBe(true);
      expect(new Set(fingers.map((f) => f!.finger))).toEqual(new Set(['pinky', 'ring', 'middle', 'index']));
      for (const [finger, codes] of Object.entries(SAME_FINGER_CODES[hand])) {
        for (const code of codes)
          expect(fingerOf(code), `${hand} ${finger} ${code}`).toEqual({ hand, finger });
      }
    }
    const both = drillBlocks(readTypingParams(resolveParams(typingDefinition, { mode: 'drill' })), 'both');
    expect(both.map((b) => `${b.drill}/${b.hand}/${b.finger}/${b.codes.join('')}`)).toEqual([
      'roll/left/null/KeyAKeySKeyDKeyF',
      'roll/right/null/KeyJKeyKKeyLSemicolon',
      'same-finger/left/index/KeyFKeyR',
      'same-finger/right/index/KeyJKeyU',
    ]);
    const right = drillBlocks(
      readTypingParams(resolveParams(typingDefinition, { drill: 'same-finger', finger: 'ring' })),
      'right',
    );
    expect(right).toEqual([{ drill: 'same-finger', hand: 'right', finger: 'ring', codes: ['KeyL', 'KeyO'] }]);
  });

  it('measures progress by characters typed and counts errors by edit distance', () => {
    expect(copyProgress('', 'abc')).toEqual({ done: 0, total: 3, typedLength: 0, complete: false });
    expect(copyProgress('ax', 'abc')).toEqual({ done: 2, total: 3, typedLength: 2, complete: false });
    expect(copyProgress('e\u0301tés', 'étés')).toMatchObject({ done: 4, complete: true }); // decomposed é
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('The', 'The')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('typing a copy text', () => {
  it('records every keydown and keyup as dispatched, with exact time stamps, and no characters by default', async () => {
    const run = startRun(typing, { hand: 'both' });
    const area = field(run.element);
    expect(area.readOnly).toBe(true);
    // A false start during the countdown is recorded (the analysis leaves it out: before trial-start).
    dispatchKey(area, 'keydown', { code: 'KeyT', key: 't', timeStamp: 11_000.25 });
    dispatchKey(area, 'keyup', { code: 'KeyT', key: 't', timeStamp: 11_080.5 });
    await run.clock.advance(3000); // go at 13 000
    expect(area.readOnly).toBe(false);
    expect(document.activeElement).toBe(area);
    await run.clock.advance(5000);

    const sent: [
      type: 'keydown' | 'keyup',
      code: string,
      key: string,
      timeStamp: number,
      location: number,
    ][] = [
      ['keydown', 'ShiftRight', 'Shift', 13_090.5, 2],
      ['keydown', 'KeyT', 'T', 13_100.25, 0],
      ['keyup', 'KeyT', 'T', 13_190.75, 0],
      ['keyup', 'ShiftRight', 'Shift', 13_200, 2],
      ['keydown', 'KeyH', 'h', 13_300, 0],
      ['keydown', 'KeyE', 'e', 13_350.5, 0], // rollover: E goes down before H is released
      ['keyup', 'KeyH', 'h', 13_390, 0],
      ['keyup', 'KeyE', 'e', 13_440.125, 0],
    ];
    for (const [type, code, key, timeStamp, location] of sent) {
      if (type === 'keyup') dispatchKey(area, 'keyup', { code, key, timeStamp, location });
      else if (key === 'Shift') dispatchKey(area, 'keydown', { code, key, timeStamp, location });
      else keydownInto(area, code, key, timeStamp);
    }
    expect(area.value).toBe('The');
    finish(run.element);
    const recording = await run.done;

    expect(() => parseTaskRecording(recording)).not.toThrow();
    const keyboard = recording.streams.keyboard!;
    expect(Object.keys(keyboard.columns).sort()).toEqual([
      'code',
      'isComposing',
      'keyLocationIndex',
      'repeat',
      'timeStampMs',
      'type',
    ]);
    const expected = [
      ['keydown', 'KeyT', 't', 11_000.25, 0] as const,
      ['keyup', 'KeyT', 't', 11_080.5, 0] as const,
      ...sent,
    ].map(([type, code, , timeStamp, location]) => ({
      type,
      timeStampMs: timeStamp,
      code,
      repeat: false,
      isComposing: false,
      keyLocationIndex: location,
    }));
    expect(rows(keyboard)).toEqual(expected);
    // Privacy: no typed character anywhere in the recording, only counts about the text.
    expect(JSON.stringify(recording)).not.toMatch(/"(T|h|e|t|The)"/);
    expect(recording.params.copy).toEqual({
      language: 'en',
      textLength: EN.length,
      typedLength: 3,
      errors: 0,
      completed: false,
    });
    expect(recording.taskId).toBe('typing');
    expect(recording.taskVersion).toBe(typingDefinition.version);
  });

  it('keeps the typed characters in `key` only when the person opted in, and records codes layout-independently', async () => {
    const run = startRun(typing, { hand: 'both', params: { text: 'de', storeText: true } });
    const area = field(run.element);
    expect(area.getAttribute('lang')).toBe('de');
    await run.clock.advance(3000);
    await run.clock.advance(2000);
    // On a German keyboard, z is the key US-QWERTY calls KeyY: the code names the position.
    const sent: [code: string, key: string, down: number, up: number][] = [
      ['KeyA', 'A', 13_100, 13_180],
      ['KeyM', 'm', 13_300, 13_370],
      ['KeyY', 'z', 13_500, 13_590],
      ['Backspace', 'Backspace', 13_800, 13_860],
      ['Space', ' ', 14_000, 14_070],
    ];
    for (const [code, key, down, up] of sent) press(area, code, key, down, up);
    expect(area.value).toBe('Am ');
    finish(run.element);
    const recording = await run.done;

    expect(() => parseTaskRecording(recording)).not.toThrow();
    const keyboard = recording.streams.keyboard!;
    expect(column(keyboard, 'key')).toEqual(sent.flatMap(([, key]) => [key, key]));
    expect(column(keyboard, 'code')).toEqual(sent.flatMap(([code]) => [code, code]));
    const input = typingFromRecording(recording);
    expect(input.presses.map((p) => [p.code, p.key])).toEqual(sent.map(([code, key]) => [code, key]));
    expect(fingerOf(input.presses[2]!.code)).toEqual({ hand: 'right', finger: 'index' });
    expect(recording.params.copy).toMatchObject({ language: 'de', typedLength: 3, errors: 0 });
  });

  it('records auto-repeat and IME composition with their flags; the analysis leaves them out', async () => {
    const run = startRun(typing, { hand: 'both' });
    const area = field(run.element);
    await run.clock.advance(3000);
    await run.clock.advance(2000);
    keydownInto(area, 'KeyA', 'a', 13_100);
    dispatchKey(area, 'keydown', { code: 'KeyA', key: 'a', timeStamp: 13_600, repeat: true });
    dispatchKey(area, 'keydown', { code: 'KeyA', key: 'a', timeStamp: 13_633.5, repeat: true });
    dispatchKey(area, 'keyup', { code: 'KeyA', key: 'a', timeStamp: 13_700 });
    dispatchComposition(area, 'compositionstart', 13_800, '');
    dispatchKey(area, 'keydown', { code: 'KeyK', key: 'Process', timeStamp: 13_810, isComposing: true });
    dispatchKey(area, 'keyup', { code: 'KeyK', key: 'k', timeStamp: 13_880, isComposing: true });
    dispatchComposition(area, 'compositionend', 13_900, 'か');
    press(area, 'KeyS', 's', 14_000, 14_090);
    finish(run.element);
    const recording = await run.done;

    expect(() => parseTaskRecording(recording)).not.toThrow();
    const keyboard = recording.streams.keyboard!;
    expect(rows(keyboard)).toEqual([
      {
        type: 'keydown',
        timeStampMs: 13_100,
        code: 'KeyA',
        repeat: false,
        isComposing: false,
        keyLocationIndex: 0,
      },
      {
        type: 'keydown',
        timeStampMs: 13_600,
        code: 'KeyA',
        repeat: true,
        isComposing: false,
        keyLocationIndex: 0,
      },
      {
        type: 'keydown',
        timeStampMs: 13_633.5,
        code: 'KeyA',
        repeat: true,
        isComposing: false,
        keyLocationIndex: 0,
      },
      {
        type: 'keyup',
        timeStampMs: 13_700,
        code: 'KeyA',
        repeat: false,
        isComposing: false,
        keyLocationIndex: 0,
      },
      {
        type: 'compositionstart',
        timeStampMs: 13_800,
        code: '',
        repeat: false,
        isComposing: true,
        keyLocationIndex: -1,
      },
      {
        type: 'keydown',
        timeStampMs: 13_810,
        code: 'KeyK',
        repeat: false,
        isComposing: true,
        keyLocationIndex: 0,
      },
      {
        type: 'keyup',
        timeStampMs: 13_880,
        code: 'KeyK',
        repeat: false,
        isComposing: true,
        keyLocationIndex: 0,
      },
      {
        type: 'compositionend',
        timeStampMs: 13_900,
        code: '',
        repeat: false,
        isComposing: true,
        keyLocationIndex: -1,
      },
      {
        type: 'keydown',
        timeStampMs: 14_000,
        code: 'KeyS',
        repeat: false,
        isComposing: false,
        keyLocationIndex: 0,
      },
      {
        type: 'keyup',
        timeStampMs: 14_090,
        code: 'KeyS',
        repeat: false,
        isComposing: false,
        keyLocationIndex: 0,
      },
    ]);
    expect(JSON.stringify(recording)).not.toContain('か'); // the composed text is typed text too

    const input = typingFromRecording(recording);
    expect(input.presses).toEqual([
      { downMs: 13_100, upMs: 13_700, code: 'KeyA', key: null },
      { downMs: 14_000, upMs: 14_090, code: 'KeyS', key: null },
    ]);
    expect(input.flags).toEqual(['AUTO_REPEAT_DROPPED', 'COMPOSITION_DROPPED']);
    const output = analyze(input);
    expect(output.metrics.hold_time_median_ms).toBe(345);
    expect(output.quality_flags).toEqual(
      expect.arrayContaining(['AUTO_REPEAT_DROPPED', 'COMPOSITION_DROPPED']),
    );
  });

  it('shows progress as characters done of the total, in a progress bar, and announces milestones', async () => {
    const run = startRun(typing, { hand: 'both' });
    const area = field(run.element);
    expect(bar(run.element).getAttribute('aria-valuemax')).toBe(String(EN.length));
    await run.clock.advance(3000);
    expect(bar(run.element).getAttribute('aria-valuenow')).toBe('0');
    press(area, 'KeyT', 'T', 13_100, 13_180);
    press(area, 'KeyH', 'h', 13_300, 13_380);
    press(area, 'KeyE', 'e', 13_500, 13_580);
    expect(bar(run.element).getAttribute('aria-valuenow')).toBe('3');
    expect(bar(run.element).getAttribute('aria-valuetext')).toBe(`3 of ${EN.length} characters`);
    expect(run.element.querySelector('.dt-typing-value')!.textContent).toBe(`3 / ${EN.length}`);
    expect(run.element.querySelector('.dt-typing-done')!.textContent).toBe('The');
    expect(run.element.querySelector('.dt-typing-current')!.textContent).toBe(' ');
    expect(run.element.querySelector('.dt-typing-rest')!.textContent).toBe(EN.slice(4));
    expect(run.announcements).not.toContain('25 percent of the text done.');

    area.value = EN.slice(0, 80);
    area.dispatchEvent(new Event('input', { bubbles: true }));
    expect(run.announcements.at(-1)).toBe('25 percent of the text done.');
    area.value = EN.slice(0, 150);
    area.dispatchEvent(new Event('input', { bubbles: true }));
    expect(run.announcements.at(-1)).toBe('50 percent of the text done.');
    expect(bar(run.element).getAttribute('aria-valuenow')).toBe('150');
    expect(parseFloat((bar(run.element).firstElementChild as HTMLElement).style.width)).toBeCloseTo(
      (100 * 150) / EN.length,
      6,
    );
    run.controller.abort();
    await expect(run.done).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('ends by itself when the whole text is typed, and keeps the last key’s release', async () => {
    const run = startRun(typing, { hand: 'both' });
    const area = field(run.element);
    await run.clock.advance(3000);
    const chars = [...EN];
    const codes = chars.map((char) => codeFromKey(char)!);
    expect(codes.every(Boolean)).toBe(true);
    let t = 13_100;
    for (let i = 0; i < chars.length - 1; i++, t += 150) press(area, codes[i]!, chars[i]!, t, t + 80);
    await run.clock.advance(t - run.clock.now()); // now is the last keydown's time
    keydownInto(area, codes.at(-1)!, chars.at(-1)!, t);
    await run.clock.advance(80);
    dispatchKey(area, 'keyup', { code: codes.at(-1)!, key: chars.at(-1)!, timeStamp: t + 80 });
    const recording = await run.done;

    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.flags).toEqual([]);
    expect(markers(recording)).toEqual([
      ['countdown-3', 10_000],
      ['countdown-2', 11_000],
      ['countdown-1', 12_000],
      ['trial-start', 13_000],
      ['trial-end', t],
    ]);
    expect(recording.durationMs).toBe(t - 13_000);
    const times = column(recording.streams.keyboard, 'timeStampMs');
    expect(times).toHaveLength(2 * chars.length);
    expect(times.at(-1)).toBe(t + 80);
    expect(recording.params.copy).toEqual({
      language: 'en',
      textLength: EN.length,
      typedLength: EN.length,
      errors: 0,
      completed: true,
    });
    expect(typingFromRecording(recording).presses).toHaveLength(chars.length);
    expect(run.announcements).toContain('Done: you typed the whole text. Thank you.');
    expect(run.element.children).toHaveLength(0);
    expect(run.clock.pending).toBe(0);
  });

  it('has a Finish button reachable by keyboard that needs two presses and keeps what was typed', async () => {
    const run = startRun(typing, { hand: 'left' });
    const button = finishButton(run.element);
    expect(button).toBeInstanceOf(HTMLButtonElement);
    expect(button.tabIndex).toBeGreaterThanOrEqual(0);
    expect(parseFloat(button.style.minHeight)).toBeGreaterThanOrEqual(64);
    expect(button.disabled).toBe(true);
    await run.clock.advance(3000);
    expect(button.disabled).toBe(false);
    expect(run.element.querySelector('.dt-typing-message')!.textContent).toContain('left hand only');
    button.click();
    expect(button.textContent).toBe('Press again to finish');
    await run.clock.advance(4000); // the first press expires
    expect(button.textContent).toBe('Finish');
    press(field(run.element), 'KeyT', 'T', 17_100, 17_190);
    button.click();
    await run.clock.advance(500);
    button.click();
    const recording = await run.done;

    expect(recording.flags).toEqual(['STOPPED_EARLY']);
    expect(recording.durationMs).toBe(4500);
    expect(labels(recording).slice(3)).toEqual([
      'trial-start',
      'stop-request',
      'stop-request',
      'stop',
      'trial-end',
    ]);
    expect(column(recording.streams.keyboard, 'timeStampMs')).toEqual([17_100, 17_190]);
    expect(recording.params.copy).toMatchObject({ typedLength: 1, completed: false });
    expect(run.announcements.at(-1)).toBe(`Finished. You typed 1 of ${EN.length} characters.`);
    expect(() => parseTaskRecording(recording)).not.toThrow();
  });

  it('rejects with an AbortError when aborted; the last checkpoint keeps the keys; everything is cleaned up', async () => {
    const run = startRun(typing, { hand: 'both' });
    await run.clock.advance(3000);
    const area = field(run.element);
    press(area, 'KeyT', 'T', 13_100, 13_190);
    keydownInto(area, 'KeyH', 'h', 13_300);
    await run.clock.advance(2500);
    run.controller.abort();
    const error: unknown = await run.done.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TaskAbortedError);
    expect((error as Error).name).toBe('AbortError');
    const last = run.checkpoints.at(-1)!.recording;
    expect((error as TaskAbortedError).recording).toStrictEqual(last);
    expect(last.flags).toEqual(expect.arrayContaining(['INCOMPLETE', 'ABORTED']));
    expect(column(last.streams.keyboard, 'timeStampMs')).toEqual([13_100, 13_190, 13_300]);
    expect(markers(last).at(-1)).toEqual(['abort', 15_500]);
    expect(last.durationMs).toBe(2500);
    expect(() => parseTaskRecording(last)).not.toThrow();
    expect(run.element.children).toHaveLength(0);
    expect(run.clock.pending).toBe(0);
    // Listeners are gone: a key after the end is not recorded anywhere.
    dispatchKey(document.body, 'keydown', { code: 'KeyE', key: 'e', timeStamp: 16_000 });
    expect(column(last.streams.keyboard, 'timeStampMs')).toHaveLength(3);
  });

  it('checkpoints at least every 2 s, each a valid INCOMPLETE recording with the same id', async () => {
    const run = startRun(typing, { hand: 'both' });
    await run.clock.advance(3000);
    const area = field(run.element);
    let t = 13_050;
    for (let i = 0; i < 20; i++, t += 250) {
      press(area, 'KeyA', 'a', t, t + 90);
      await run.clock.advance(250);
    }
    finish(run.element);
    const final = await run.done;
    const times = [10_000, ...run.checkpoints.map((c) => c.atMs)];
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(2000);
    const atEnd = run.checkpoints.find((c) => labels(c.recording).includes('trial-end'))!;
    expect(column(atEnd.recording.streams.keyboard, 'type')).toHaveLength(40);
    for (const { recording } of run.checkpoints) {
      expect(recording.id).toBe(final.id);
      expect(recording.flags).toContain('INCOMPLETE');
      expect(() => parseTaskRecording(recording)).not.toThrow();
    }
  });

  it('ends at the time limit, after warning a minute before', async () => {
    const run = startRun(typing, { hand: 'both', params: { timeLimitS: 120 } });
    await run.clock.advance(3000);
    press(field(run.element), 'KeyT', 'T', 13_100, 13_190);
    expect(run.element.querySelector('.dt-typing-limit')!.textContent).toBe('Up to 2 min, no hurry');
    await run.clock.advance(60_000);
    expect(run.announcements).toContain('One minute left.');
    expect(run.element.querySelector('.dt-typing-limit')!.textContent).toBe('60 s left');
    await run.clock.advance(30_000);
    expect(run.element.querySelector('.dt-typing-limit')!.textContent).toBe('30 s left');
    await run.clock.advance(30_000);
    const recording = await run.done;
    expect(recording.flags).toEqual(['TIME_LIMIT']);
    expect(recording.durationMs).toBe(120_000);
    expect(labels(recording).slice(-2)).toEqual(['time-limit', 'trial-end']);
    expect(run.announcements.at(-1)).toBe(`Time is up. You typed 1 of ${EN.length} characters.`);
  });

  it('ends 2 minutes after the start when no key was pressed at all (flag NO_KEYS)', async () => {
    const run = startRun(typing, { hand: 'both' });
    await run.clock.advance(3000 + 60_000);
    expect(run.announcements.at(-1)).toContain('No key pressed yet');
    await run.clock.advance(60_000);
    const recording = await run.done;
    expect(recording.flags).toEqual(['NO_KEYS']);
    expect(run.checkpoints.at(-1)!.recording.flags).toEqual(['NO_KEYS', 'INCOMPLETE']); // the trial-end one
    expect(recording.durationMs).toBe(120_000);
    expect(labels(recording).slice(-2)).toEqual(['no-keys', 'trial-end']);
  });

  it('prevents paste and Enter in the field, and records the page hidden', async () => {
    const run = startRun(typing, { hand: 'both' });
    await run.clock.advance(3000);
    const area = field(run.element);
    const paste = new Event('paste', { bubbles: true, cancelable: true });
    area.dispatchEvent(paste);
    expect(paste.defaultPrevented).toBe(true);
    expect(
      dispatchKey(area, 'keydown', { code: 'Enter', key: 'Enter', timeStamp: 13_100 }).defaultPrevented,
    ).toBe(true);
    expect(
      dispatchKey(area, 'keydown', { code: 'Enter', key: 'Enter', timeStamp: 13_200, isComposing: true })
        .defaultPrevented,
    ).toBe(false);
    expect(dispatchKey(area, 'keydown', { code: 'KeyA', key: 'a', timeStamp: 13_300 }).defaultPrevented).toBe(
      false,
    );
    dispatchAt(window, 'blur', 13_400);
    finish(run.element);
    const recording = await run.done;
    expect(column(recording.streams.keyboard, 'code')).toEqual(['Enter', 'Enter', 'KeyA']);
    expect(column(recording.streams.visibility, 'state')).toEqual(['blur']);
  });
});

describe('analysis of a typing run', () => {
  it('gives hold_time_median_ms exactly from the injected hold times (code only, no key column)', async () => {
    const run = startRun(typing, { hand: 'both' });
    await run.clock.advance(3000);
    await run.clock.advance(5000);
    const area = field(run.element);
    const presses: [code: string, key: string, holdMs: number][] = [
      ['KeyT', 't', 81.5],
      ['KeyH', 'h', 95.25],
      ['KeyE', 'e', 102],
      ['Space', ' ', 77.75],
      ['KeyM', 'm', 120.5],
      ['KeyO', 'o', 88],
      ['KeyR', 'r', 99.5],
    ];
    presses.forEach(([code, key, holdMs], i) => {
      const down = 13_100.25 + 250 * i;
      press(area, code, key, down, down + holdMs);
    });
    finish(run.element);
    const recording = await run.done;
    expect(recording.streams.keyboard!.columns.key).toBeUndefined();

    const output = analyze(typingFromRecording(recording));
    expect(output.metrics.hold_time_median_ms).toBe(95.25);
    expect(output.metrics.iki_median_ms).toBe(250);
    // Flight times 250 − hold of the first six presses: median of 129.5, 148, 154.75 | 162, 168.5, 172.25.
    expect(output.metrics.flight_time_median_ms).toBe((154.75 + 162) / 2);
    expect(output.metrics.rollover_pct).toBe(0);
  });
});

describe('typing drills', () => {
  it('runs roll then same-finger drills per hand, with countdowns, rests and a checkpoint at each drill end', async () => {
    const run = startRun(typing, {
      hand: 'both',
      params: { mode: 'drill', finger: 'middle', drillDurationS: 10, restS: 5 },
    });
    const root = run.element.querySelector<HTMLElement>('.dt-typing')!;
    const startNow = run.element.querySelector<HTMLButtonElement>('.dt-typing-start')!;
    expect(keyCaps(run.element)).toEqual(['A', 'S', 'D', 'F']);
    expect(run.element.querySelector('.dt-typing-label')!.textContent).toBe('Drill 1 of 4');
    expect(run.announcements[0]).toContain('Left hand: press A S D F in turn');
    for (const cap of run.element.querySelectorAll<HTMLElement>('.dt-typing-key'))
      expect(parseFloat(cap.style.width)).toBeGreaterThanOrEqual(64);
    await run.clock.advance(3000); // drill 1 from 13 000
    expect(document.activeElement).toBe(root);
    const a = dispatchKey(root, 'keydown', { code: 'KeyA', key: 'a', timeStamp: 13_100 });
    expect(a.defaultPrevented).toBe(true); // drill keys type nothing, scroll nothing
    dispatchKey(root, 'keyup', { code: 'KeyA', key: 'a', timeStamp: 13_190 });
    expect(dispatchKey(root, 'keydown', { code: 'KeyZ', key: 'z', timeStamp: 13_300 }).defaultPrevented).toBe(
      false,
    );
    dispatchKey(root, 'keyup', { code: 'KeyZ', key: 'z', timeStamp: 13_380 });
    expect(run.element.querySelector('.dt-typing-count')!.textContent).toBe('1');
    await run.clock.advance(5000);
    expect(bar(run.element).getAttribute('aria-valuetext')).toBe('5 seconds left');

    await run.clock.advance(5000); // drill 1 ends at 23 000; rest
    expect(startNow.hidden).toBe(false);
    expect(keyCaps(run.element)).toEqual(['J', 'K', 'L', ';']);
    expect(run.element.querySelector('.dt-typing-message')!.textContent).toMatch(
      /^Rest\. The next drill starts in 5 s/,
    );
    await run.clock.advance(5000 + 3000 + 10_000); // rest ends by itself; countdown; drill 2 until 41 000
    expect(keyCaps(run.element)).toEqual(['D', 'E']);
    startNow.click(); // the next drill at once
    await run.clock.advance(3000 + 10_000); // drill 3 from 44 000 to 54 000
    expect(run.element.querySelector('.dt-typing-label')!.textContent).toBe('Drill 4 of 4');
    expect(keyCaps(run.element)).toEqual(['K', 'I']);
    await run.clock.advance(5000 + 3000 + 10_000);
    const recording = await run.done;

    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.flags).toEqual([]);
    const trials = markers(recording).filter(([label]) => label === 'trial-start' || label === 'trial-end');
    expect(trials.map(([, t]) => t)).toEqual([
      13_000, 23_000, 31_000, 41_000, 44_000, 54_000, 62_000, 72_000,
    ]);
    expect(labels(recording).filter((label) => String(label).startsWith('drill-'))).toEqual([
      'drill-1-roll-left',
      'drill-2-roll-right',
      'drill-3-same-finger-left',
      'drill-4-same-finger-right',
    ]);
    expect(labels(recording).filter((label) => label === 'rest')).toHaveLength(3);
    expect(recording.durationMs).toBe(59_000);
    for (const end of [23_000, 41_000, 54_000, 72_000])
      expect(run.checkpoints.map((c) => c.atMs)).toContain(end);
    expect(recording.params.drills).toEqual([
      { drill: 'roll', hand: 'left', finger: null, codes: ['KeyA', 'KeyS', 'KeyD', 'KeyF'] },
      { drill: 'roll', hand: 'right', finger: null, codes: ['KeyJ', 'KeyK', 'KeyL', 'Semicolon'] },
      { drill: 'same-finger', hand: 'left', finger: 'middle', codes: ['KeyD', 'KeyE'] },
      { drill: 'same-finger', hand: 'right', finger: 'middle', codes: ['KeyK', 'KeyI'] },
    ]);
    expect(column(recording.streams.keyboard, 'code')).toEqual(['KeyA', 'KeyA', 'KeyZ', 'KeyZ']);
    expect(run.element.children).toHaveLength(0);
    expect(run.clock.pending).toBe(0);
  });

  it('runs one drill for one hand without a rest; flags NO_KEYS when no key was pressed', async () => {
    const run = startRun(typing, {
      hand: 'right',
      params: { mode: 'drill', drill: 'same-finger', finger: 'pinky', drillDurationS: 10 },
    });
    expect(keyCaps(run.element)).toEqual([';', 'P']);
    expect(run.element.querySelector('.dt-typing-label')!.textContent).toBe('Drill 1 of 1');
    await run.clock.advance(3000 + 10_000);
    const recording = await run.done;
    expect(recording.flags).toEqual(['NO_KEYS']);
    expect(labels(recording)).not.toContain('rest');
    expect(recording.durationMs).toBe(10_000);
    expect(run.announcements.at(-1)).toBe('All drills done. Thank you.');
  });

  it('can be finished during a rest, flagged STOPPED_EARLY', async () => {
    const run = startRun(typing, {
      hand: 'both',
      params: { mode: 'drill', drill: 'roll', drillDurationS: 10 },
    });
    await run.clock.advance(3000);
    dispatchKey(document.body, 'keydown', { code: 'KeyS', key: 's', timeStamp: 13_200 });
    dispatchKey(document.body, 'keyup', { code: 'KeyS', key: 's', timeStamp: 13_280 });
    await run.clock.advance(10_000 + 2000); // resting after drill 1
    finish(run.element);
    const recording = await run.done;
    expect(recording.flags).toEqual(['STOPPED_EARLY']);
    expect(labels(recording).filter((label) => label === 'trial-start')).toHaveLength(1);
    expect(labels(recording).slice(-4)).toEqual(['trial-end', 'rest', 'stop-request', 'stop']);
    expect(recording.durationMs).toBe(10_000);
    expect(run.element.children).toHaveLength(0);
    expect(run.clock.pending).toBe(0);
  });
});

describe('typing simulate', () => {
  /** The text a recording's `key` column types: characters in, Backspace out (auto-repeat types too). */
  const typedText = (recording: Recording) => {
    const keyboard = recording.streams.keyboard!;
    const types = column(keyboard, 'type');
    const keys = column(keyboard, 'key') as string[];
    const out: string[] = [];
    types.forEach((type, i) => {
      if (type !== 'keydown') return;
      if (keys[i] === 'Backspace') out.pop();
      else if ([...keys[i]!].length === 1) out.push(keys[i]!);
    });
    return out.join('');
  };

  it('is deterministic for a seed and differs between seeds', () => {
    const a = simulateRecording(typing, { hand: 'both', seed: 11 });
    expect(simulateRecording(typing, { hand: 'both', seed: 11 })).toEqual(a);
    const b = simulateRecording(typing, { hand: 'both', seed: 12 });
    expect(b.id).not.toBe(a.id);
    expect(b.streams.keyboard).not.toEqual(a.streams.keyboard);
  });

  it('gives valid copy-text recordings that core’s typing analysis accepts, with realistic values', () => {
    for (const text of COPY_TEXT_IDS) {
      for (const hand of typingDefinition.hands) {
        for (const seed of [1, 2]) {
          const recording = simulateRecording(typing, { hand, seed, params: { text } });
          expect(() => parseTaskRecording(recording)).not.toThrow();
          expect(recording.flags).toEqual(['SIMULATED']);
          expect(recording.streams.keyboard!.columns.key).toBeUndefined();
          expect(recording.params.copy).toMatchObject({ language: text, completed: true });
          const input = typingFromRecording(recording);
          expect(input.presses.length).toBeGreaterThan(COPY_TEXTS[text].text.length);
          const { metrics } = analyze(input);
          expect(metrics.hold_time_median_ms).toBeGreaterThan(70);
          expect(metrics.hold_time_median_ms).toBeLessThan(140);
          expect(metrics.iki_median_ms).toBeGreaterThan(150);
          expect(metrics.iki_median_ms).toBeLessThan(800);
          expect(metrics.hold_time_median_left_ms).not.toBeNull();
          expect(metrics.hold_time_median_right_ms).not.toBeNull();
          expect(metrics.backspace_rate_pct).toBeLessThan(10);
        }
      }
    }
  });

  it('types the text, its errors as counted, with the characters kept only when opted in', () => {
    for (const [text, seed] of COPY_TEXT_IDS.flatMap((id) => [5, 6, 7, 8].map((n) => [id, n] as const))) {
      const recording = simulateRecording(typing, { hand: 'both', seed, params: { text, storeText: true } });
      expect(() => parseTaskRecording(recording)).not.toThrow();
      const copy = recording.params.copy as { errors: number; typedLength: number };
      const typed = typedText(recording).normalize('NFC');
      expect(typed.length).toBe(copy.typedLength);
      expect(editDistance(typed, COPY_TEXTS[text].text)).toBe(copy.errors);
    }
  });

  it('gives drill recordings whose same-finger and per-hand metrics the analysis computes', () => {
    const recording = simulateRecording(typing, { hand: 'both', seed: 3, params: { mode: 'drill' } });
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(labels(recording).filter((label) => label === 'trial-start')).toHaveLength(4);
    const { metrics } = analyze(typingFromRecording(recording));
    expect(metrics.same_finger_digraph_median_left_ms).not.toBeNull();
    expect(metrics.same_finger_digraph_median_right_ms).not.toBeNull();
    expect(metrics.hold_time_median_left_index_ms).not.toBeNull();
    expect(metrics.iki_median_ms).toBeGreaterThan(150);
    expect(metrics.iki_median_ms).toBeLessThan(400);
  });

  it('fills the largest time limit with longest', () => {
    const recording = simulateRecording(typing, { hand: 'both', seed: 9, longest: true });
    expect(recording.durationMs).toBe(TASK_RECORDING_SPECS.typing.maxDurationS * 1000);
    expect(recording.flags).toEqual(['TIME_LIMIT', 'SIMULATED']);
    expect(column(recording.streams.keyboard, 'type').length).toBeLessThanOrEqual(
      TASK_RECORDING_SPECS.typing.streams.keyboard!.maxRows,
    );
    expect(() => parseTaskRecording(recording)).not.toThrow();
  });
});
