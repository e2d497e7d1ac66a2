import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { TaskPlugin } from '@dystrack/tasks';
import { setClientDeps } from '../api/client.js';
import type { User } from '../api/types.js';
import { clinicPatient, mockApi, type SeenRequest } from '../clinic/test-api.js';
import { configureQueue, flushQueue, queueEntries, queueSender } from '../queue/index.js';
import { openQueueDb } from '../queue/db.js';
import { SessionProvider } from '../session/session.js';
import { serverSha256 } from '../test/fixtures.js';
import { TaskPage } from './task.js';

/* In-clinic mode of the task page: a clinician records a task for a patient who shares tasks with them. */

const CLINICIAN: User = {
  id: '77777777-7777-4777-8777-777777777777',
  username: 'dr',
  displayName: 'Dr Who',
  role: 'clinician',
  roleApproved: true,
  scope: 'full',
};
const PATIENT_ID = '66666666-6666-4666-8666-666666666666';

const plugin: TaskPlugin = {
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
  run: async (ctx) => {
    ctx.mark('trial-start');
    ctx.mark('trial-end');
  },
  simulate: () => ({ streams: {}, flags: [], durationMs: 0, params: {} }),
};

async function renderTask() {
  const location = memoryLocation({ path: `/clinic/patients/${PATIENT_ID}/tasks/tapping/left` });
  const rendered = render(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <SessionProvider initial={{ user: CLINICIAN, profile: null }}>
        <TaskPage
          taskId="tapping"
          hand="left"
          forPatientId={PATIENT_ID}
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

let seen: SeenRequest[];

beforeEach(() => {
  configureQueue({ db: openQueueDb(`task-clinic-test-${Math.random()}`) });
  seen = mockApi({
    'GET /api/v1/clinician/patients': {
      status: 200,
      body: { items: [clinicPatient({ patientId: PATIENT_ID, scopes: ['tasks'] })] },
    },
    'POST /api/v1/recordings': (request) => {
      const value = request.body as { id: string };
      return { status: 201, body: { id: value.id, sha256: serverSha256(value) } };
    },
  });
});
afterEach(() => {
  cleanup();
  queueSender().setUser(null);
  setClientDeps();
});

describe('task page in clinic mode', () => {
  it('shows the supervised-recording banner with the patient’s name on every step', async () => {
    await renderTask();
    expect(await screen.findByText('Supervised recording for Jane Doe')).toBeTruthy();
    expect(screen.getByRole('note', { name: 'Supervised recording' }).textContent).toContain(
      'the recording is saved to their record',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Start with the left hand' }));
    await screen.findByRole('heading', { name: 'Fake tapping, left hand: done' });
    expect(screen.getByText('Supervised recording for Jane Doe')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to Jane Doe’s page' }).getAttribute('href')).toBe(
      `/clinic/patients/${PATIENT_ID}`,
    );
    expect(screen.getByRole('link', { name: 'Now the right hand' }).getAttribute('href')).toBe(
      `/clinic/patients/${PATIENT_ID}/tasks/tapping/right`,
    );
  });

  it('queues the recording for the patient and sends it to /api/v1/recordings?patient=<id>, content unchanged', async () => {
    await renderTask();
    fireEvent.click(await screen.findByRole('button', { name: 'Start with the left hand' }));
    await screen.findByRole('heading', { name: 'Fake tapping, left hand: done' });
    await waitFor(async () => expect(await queueEntries(CLINICIAN.id)).toHaveLength(1));
    const [entry] = await queueEntries(CLINICIAN.id);
    expect(entry!.forPatientId).toBe(PATIENT_ID);
    const recording = entry!.recording!;
    expect(recording).toMatchObject({ taskId: 'tapping', hand: 'left' });
    expect(JSON.stringify(recording)).not.toContain(PATIENT_ID);

    queueSender().setUser(CLINICIAN.id);
    await flushQueue();
    const posts = seen.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url).toBe(`/api/v1/recordings?patient=${PATIENT_ID}`);
    expect((posts[0]!.body as { id: string }).id).toBe(recording.id);
  });

  it('without forPatientId, there is no banner and no patient lookup', async () => {
    const location = memoryLocation({ path: '/tasks/tapping/left' });
    render(
      <Router hook={location.hook} searchHook={location.searchHook}>
        <SessionProvider initial={{ user: CLINICIAN, profile: null }}>
          <TaskPage
            taskId="tapping"
            hand="left"
            tasks={{
              loadTaskDefinition: () => Promise.resolve(plugin.definition),
              loadCapture: () => Promise.resolve(plugin),
            }}
          />
        </SessionProvider>
      </Router>,
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Fake tapping, left hand' })).toBeTruthy();
    expect(screen.queryByRole('note', { name: 'Supervised recording' })).toBeNull();
    expect(seen.some((r) => r.path === '/api/v1/clinician/patients')).toBe(false);
  });

  it('warns when the patient does not share task recordings (any more)', async () => {
    mockApi({ 'GET /api/v1/clinician/patients': { status: 200, body: { items: [] } } });
    await renderTask();
    expect((await screen.findByRole('alert')).textContent).toContain(
      'does not share task recordings with you at the moment',
    );
  });
});
