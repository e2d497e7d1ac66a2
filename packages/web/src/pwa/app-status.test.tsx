import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client.js';
import type { SessionValue } from '../session/session.js';
import { TEST_PATIENT, TEST_PROFILE } from '../test/session.js';

const mocks = vi.hoisted(() => ({
  session: null as unknown as SessionValue,
  waiting: false,
  apply: vi.fn(),
}));
vi.mock('../session/session.js', () => ({ useSession: () => mocks.session }));
vi.mock('./register.js', () => ({ useUpdateWaiting: () => mocks.waiting, applyUpdate: mocks.apply }));

const { AppStatus } = await import('./app-status.js');

function session(overrides: Partial<SessionValue>): SessionValue {
  return {
    status: 'ready',
    error: null,
    user: TEST_PATIENT,
    profile: TEST_PROFILE,
    refresh: vi.fn(async () => undefined),
    signedIn: vi.fn(async () => undefined),
    signOut: vi.fn(async () => undefined),
    setProfile: vi.fn(),
    notice: null,
    setNotice: vi.fn(),
    ...overrides,
  };
}

function renderAt(path: string) {
  const location = memoryLocation({ path });
  return render(
    <Router hook={location.hook}>
      <AppStatus />
    </Router>,
  );
}

afterEach(() => {
  cleanup();
  mocks.waiting = false;
  mocks.apply.mockClear();
});

describe('AppStatus', () => {
  it('says when the app is offline, as whom, and lets the person ask the server again', () => {
    mocks.session = session({
      status: 'error',
      error: new ApiError(0, 'E_NETWORK', 'The server could not be reached.'),
    });
    renderAt('/');
    const notice = screen.getByRole('status');
    expect(notice.textContent).toContain('Offline: the Dystrack server cannot be reached.');
    expect(notice.textContent).toContain('as Ada, as last signed in on this device');
    expect(screen.getByRole('link', { name: 'See what is waiting' }).getAttribute('href')).toBe(
      '/recordings',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Try the server again' }));
    expect(mocks.session.refresh).toHaveBeenCalledOnce();
  });

  it('shows nothing when the server answers and no new version waits', () => {
    mocks.session = session({});
    renderAt('/');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('offers a waiting new version, but never during a task', () => {
    mocks.session = session({});
    mocks.waiting = true;
    renderAt('/tasks/typing/right');
    expect(screen.queryByRole('button', { name: 'Use the new version' })).toBeNull();
    cleanup();

    renderAt('/recordings');
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Use the new version' })));
    expect(mocks.apply).toHaveBeenCalledOnce();
  });
});
