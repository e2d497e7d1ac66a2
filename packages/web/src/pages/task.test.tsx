import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { tremorDefinition, type TaskPlugin } from '@dystrack/tasks';
import { setClientDeps } from '../api/client.js';
import type { Profile, User } from '../api/types.js';
import { configureQueue, queueEntries } from '../queue/index.js';
import { openQueueDb } from '../queue/db.js';
import { SessionProvider } from '../session/session.js';
import { nextInSequence, TaskPage } from './task.js';

const user: User = {
  id: '33333333-3333-4333-8333-333333333333',
  username: 'bo',
  displayName: 'Bo',
  role: 'patient',
  roleApproved: true,
  scope: 'full',
};
const profile: Profile = {
  affectedHands: 'left',
  dominantHand: 'right',
  dystoniaForms: [],
  occupation: null,
  essentialHandTasks: [],
  instrument: null,
  onsetYear: null,
  diagnosisConfirmed: 'yes',
  onboardedAt: '2026-01-01T00:00:00Z',
};

/** A task that marks a trial, checkpoints, then either ends or waits until it is aborted. */
function fakeTask(mode: 'finish' | 'wait'): TaskPlugin {
  return {
    definition: {
      id: 'tapping',
      version: '9.9.9',
      title: 'Fake tapping',
      summary: 'A fake task.',
      instructions: ['Nothing to do.'],
      hands: ['left', 'right'],
      inputs: ['keyboard'],
      approxDurationS: 1,
      parameters: {},
    },
    run: (ctx) =>
      new Promise<void>((resolve, reject) => {
        ctx.element.append(Object.assign(document.createElement('p'), { textContent: 'Task is running' }));
        ctx.mark('trial-start');
        ctx.checkpoint();
        if (mode === 'finish') {
          setTimeout(() => {
            ctx.mark('trial-end');
            resolve();
          }, 20);
        } else {
          ctx.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }
      }),
    simulate: () => ({ streams: {}, flags: [], durationMs: 0, params: {} }),
  };
}

async function renderTask(plugin: TaskPlugin, hand = 'left') {
  const id = plugin.definition.id;
  const location = memoryLocation({ path: `/tasks/${id}/${hand}` });
  const rendered = render(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <SessionProvider initial={{ user, profile }}>
        <TaskPage
          taskId={id}
          hand={hand}
          tasks={{
            loadTaskDefinition: () => Promise.resolve(plugin.definition),
            loadCapture: () => Promise.resolve(plugin),
          }}
        />
      </SessionProvider>
    </Router>,
  );
  // the task's definition loads first (a chunk of its own)
  await waitFor(() => expect(screen.queryByText('Loading…')).toBeNull());
  return rendered;
}

beforeEach(() => {
  configureQueue({ db: openQueueDb(`task-test-${Math.random()}`) });
  // The server is unreachable: recordings stay waiting on the device.
  setClientDeps({
    fetch: vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }),
  });
});
afterEach(() => {
  cleanup();
  setClientDeps();
});

describe('task page', () => {
  it('asks the pre-session questions, runs the task, and saves the recording on the device before sending', async () => {
    await renderTask(fakeTask('finish'));
    expect(screen.getByRole('heading', { level: 1, name: 'Fake tapping, left hand' })).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/^3$/));
    fireEvent.change(screen.getByLabelText(/how many hours/), { target: { value: '1,5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start with the left hand' }));
    expect(await screen.findByText('Task is running')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cancel the task' })).toBeTruthy();

    await screen.findByRole('heading', { name: 'Fake tapping, left hand: done' });
    await waitFor(async () => expect((await queueEntries(user.id)).map((e) => e.state)).toEqual(['waiting']));
    const [entry] = await queueEntries(user.id);
    expect(entry!.recording).toMatchObject({
      taskId: 'tapping',
      taskVersion: '9.9.9',
      hand: 'left',
      context: { selfRating0to10: 3, taskLoadHoursLast24h: 1.5 },
    });
    expect(entry!.recording!.flags).not.toContain('INCOMPLETE');
    expect(await screen.findByText(/Saved on this device\. Not sent yet/)).toBeTruthy();
  });

  it('cancelling needs a second press, and keeps what was recorded as an incomplete entry', async () => {
    await renderTask(fakeTask('wait'));
    fireEvent.click(screen.getByRole('button', { name: 'Start with the left hand' }));
    await screen.findByText('Task is running');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel the task' }));
    fireEvent.click(screen.getByRole('button', { name: 'No, go on' }));
    expect(screen.getByText('Task is running')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel the task' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel the task' }));

    await screen.findByRole('heading', { name: 'Fake tapping, left hand: cancelled' });
    await waitFor(async () =>
      expect((await queueEntries(user.id)).map((e) => e.state)).toEqual(['incomplete']),
    );
    const [entry] = await queueEntries(user.id);
    expect(entry!.recording!.flags).toEqual(expect.arrayContaining(['INCOMPLETE', 'ABORTED']));
    expect(await screen.findByText(/Saved on this device as an incomplete recording/)).toBeTruthy();
  });

  it('runs the tremor positions the person chose as one recording each, with the same answers', async () => {
    const ran: string[] = [];
    const tremor: TaskPlugin = {
      definition: tremorDefinition,
      run: async (ctx) => {
        ran.push(String(ctx.params['position']));
        ctx.mark('trial-start');
        ctx.mark('trial-end');
      },
      simulate: () => ({ streams: {}, flags: [], durationMs: 0, params: {} }),
    };
    await renderTask(tremor, 'right');
    const positions = screen.getByRole('group', { name: 'Which positions will you do?' });
    expect(within(positions).getByLabelText(/All five/)).toHaveProperty('checked', true);
    fireEvent.click(
      within(screen.getByRole('group', { name: /Do the weight test as well/ })).getByLabelText(/Yes/),
    );
    fireEvent.click(screen.getByLabelText(/^4$/));
    fireEvent.click(screen.getByRole('button', { name: 'Start with the right hand' }));
    const titles = ['Arm stretched out', 'Wing position', 'Finger to nose', 'Your task posture'];
    for (const [k, title] of [...titles, 'Arm stretched out, with a weight'].entries()) {
      const next = await screen.findByRole('button', { name: `Next position: ${title} (${k + 2} of 6)` });
      expect(document.activeElement).toBe(next);
      fireEvent.click(next);
    }
    await waitFor(() => expect(ran).toHaveLength(6));
    await screen.findByRole('heading', { name: 'Phone tremor, right hand: done' });
    expect(screen.queryByRole('button', { name: /^Next position/ })).toBeNull();
    expect(ran).toEqual(['', 'posture', 'wing', 'kinetic', 'task', 'posture-weighted']);
    await waitFor(async () => expect(await queueEntries(user.id)).toHaveLength(6));
    const recordings = (await queueEntries(user.id)).map((e) => e.recording!);
    expect(new Set(recordings.map((r) => r.id)).size).toBe(6);
    for (const r of recordings) {
      expect(r).toMatchObject({ taskId: 'tremor', hand: 'right', context: { selfRating0to10: 4 } });
      expect(r.params).toMatchObject({ positions: 'rest,posture,wing,kinetic,task', weightTest: true });
    }
  });
});

describe('nextInSequence', () => {
  it('gives the next tremor position with its words, and nothing after the last or for other tasks', () => {
    expect(nextInSequence('tremor', { positions: 'rest' })).toBeNull();
    expect(nextInSequence('tremor', { positions: 'rest', weightTest: true })).toEqual({
      params: { positions: 'rest', weightTest: true, position: 'posture-weighted' },
      label: 'Next position: Arm stretched out, with a weight (2 of 2)',
    });
    expect(nextInSequence('tremor', { position: 'nose' })).toBeNull();
    expect(nextInSequence('tapping', { position: 'rest' })).toBeNull();
  });
});
