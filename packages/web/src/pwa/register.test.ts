import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A stand-in for workbox-window's Workbox: records what the app asks of it. */
const fake = vi.hoisted(() => ({
  instances: [] as {
    url: string;
    options: unknown;
    listeners: Map<string, () => void>;
    registered: number;
    skipWaitingSent: number;
  }[],
}));

vi.mock('workbox-window', () => ({
  Workbox: class {
    listeners = new Map<string, () => void>();
    registered = 0;
    skipWaitingSent = 0;
    constructor(
      public url: string,
      public options: unknown,
    ) {
      fake.instances.push(this);
    }
    addEventListener(type: string, listener: () => void) {
      this.listeners.set(type, listener);
    }
    async register() {
      this.registered++;
      return undefined;
    }
    messageSkipWaiting() {
      this.skipWaitingSent++;
    }
  },
}));

const { applyUpdate, registerServiceWorker, resetServiceWorkerForTests, useUpdateWaiting } =
  await import('./register.js');

beforeEach(() => {
  fake.instances.length = 0;
  resetServiceWorkerForTests();
  Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
  Object.defineProperty(navigator, 'serviceWorker', { value: {}, configurable: true });
});
afterEach(() => {
  Reflect.deleteProperty(navigator, 'serviceWorker');
  vi.restoreAllMocks();
});

describe('the service worker registration', () => {
  it('registers /sw.js for the whole app once, however often it is called', async () => {
    await Promise.all([registerServiceWorker(), registerServiceWorker()]);
    expect(fake.instances).toHaveLength(1);
    expect(fake.instances[0]).toMatchObject({ url: '/sw.js', options: { scope: '/' }, registered: 1 });
  });

  it('registers nothing where service workers are not available', async () => {
    Reflect.deleteProperty(navigator, 'serviceWorker');
    await registerServiceWorker();
    expect(fake.instances).toHaveLength(0);
  });

  it('offers a waiting version, and switches (then reloads) only when asked', async () => {
    const reload = vi.fn();
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, reload });
    await registerServiceWorker();
    const worker = fake.instances[0]!;
    const { result } = renderHook(() => useUpdateWaiting());
    expect(result.current).toBe(false);
    applyUpdate();
    expect(worker.skipWaitingSent).toBe(0);

    act(() => worker.listeners.get('waiting')!());
    expect(result.current).toBe(true);
    expect(reload).not.toHaveBeenCalled();

    applyUpdate();
    expect(worker.skipWaitingSent).toBe(1);
    expect(reload).not.toHaveBeenCalled();
    // the new version controls the page: now it reloads
    worker.listeners.get('controlling')!();
    expect(reload).toHaveBeenCalledOnce();
  });
});
