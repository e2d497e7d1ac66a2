import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  applyUpdate,
  registerServiceWorker,
  resetServiceWorkerForTests,
  useUpdateWaiting,
} from './register.js';

/** A stand-in for a ServiceWorker: its state, its listeners and the messages it was sent. */
class FakeWorker {
  state = 'installing';
  messages: unknown[] = [];
  private readonly listeners: (() => void)[] = [];
  addEventListener(_type: 'statechange', listener: () => void) {
    this.listeners.push(listener);
  }
  postMessage(message: unknown) {
    this.messages.push(message);
  }
  /** Moves to `state` and tells the listeners. */
  become(state: string) {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

/** A stand-in for navigator.serviceWorker: records registrations; one registration, updates on demand. */
class FakeContainer {
  controller: object | null = {};
  registrations: { url: string; options: unknown }[] = [];
  controllerChange: (() => void) | null = null;
  registration = {
    waiting: null as FakeWorker | null,
    installing: null as FakeWorker | null,
    updateFound: null as (() => void) | null,
    addEventListener(_type: 'updatefound', listener: () => void) {
      this.updateFound = listener;
    },
  };
  async register(url: string, options: unknown) {
    this.registrations.push({ url, options });
    return this.registration;
  }
  addEventListener(_type: 'controllerchange', listener: () => void) {
    this.controllerChange = listener;
  }
  /** A new version starts installing. */
  update(): FakeWorker {
    const worker = new FakeWorker();
    this.registration.installing = worker;
    this.registration.updateFound?.();
    return worker;
  }
}

let container: FakeContainer;

beforeEach(() => {
  resetServiceWorkerForTests();
  container = new FakeContainer();
  Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
  Object.defineProperty(navigator, 'serviceWorker', { value: container, configurable: true });
});
afterEach(() => {
  Reflect.deleteProperty(navigator, 'serviceWorker');
  vi.restoreAllMocks();
});

describe('the service worker registration', () => {
  it('registers /sw.js for the whole app once, however often it is called', async () => {
    await Promise.all([registerServiceWorker(), registerServiceWorker()]);
    expect(container.registrations).toEqual([{ url: '/sw.js', options: { scope: '/' } }]);
  });

  it('registers nothing where service workers are not available', async () => {
    Reflect.deleteProperty(navigator, 'serviceWorker');
    await registerServiceWorker();
    expect(container.registrations).toHaveLength(0);
  });

  it('offers a waiting version, and switches (then reloads) only when asked', async () => {
    const reload = vi.fn();
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, reload });
    await registerServiceWorker();
    const { result } = renderHook(() => useUpdateWaiting());
    expect(result.current).toBe(false);
    applyUpdate(); // nothing waits: nothing happens
    const worker = container.update();
    expect(result.current).toBe(false); // still installing

    act(() => worker.become('installed'));
    expect(result.current).toBe(true);
    expect(reload).not.toHaveBeenCalled();

    applyUpdate();
    expect(worker.messages).toEqual([{ type: 'SKIP_WAITING' }]);
    expect(reload).not.toHaveBeenCalled();
    // the new version controls the page: now it reloads
    container.controllerChange!();
    expect(reload).toHaveBeenCalledOnce();
  });

  it('a first install (no page controlled yet) takes over at once: no update is offered', async () => {
    container.controller = null;
    await registerServiceWorker();
    const { result } = renderHook(() => useUpdateWaiting());
    act(() => container.update().become('installed'));
    expect(result.current).toBe(false);
  });
});
