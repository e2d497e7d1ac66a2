import { describe, expect, it } from 'vitest';
import { abortable, isAbortError } from './clock';

describe('abortable', () => {
  it('resolves with the promise when the signal stays quiet', async () => {
    await expect(abortable(new AbortController().signal, Promise.resolve(7))).resolves.toBe(7);
  });

  it('rejects with an AbortError as soon as the signal aborts, before the promise settles', async () => {
    const controller = new AbortController();
    const pending = abortable(controller.signal, new Promise<never>(() => undefined));
    controller.abort();
    const error: unknown = await pending.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
  });

  it('rejects at once for a signal that already aborted, and passes the promise’s own errors on', async () => {
    const aborted = AbortSignal.abort();
    expect(isAbortError(await abortable(aborted, Promise.resolve(1)).catch((e: unknown) => e))).toBe(true);
    const failing = abortable(new AbortController().signal, Promise.reject(new Error('no MIDI access')));
    await expect(failing).rejects.toThrow('no MIDI access');
  });
});
