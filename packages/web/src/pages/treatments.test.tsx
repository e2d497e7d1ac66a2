import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClientDeps } from '../api/client.js';
import { fakeRecordsServer } from './scales-test-server.js';
import { searchMuscles } from './treatments-muscle-picker.js';
import { PATIENT_SESSION, renderAt } from '../test/session.js';
import { TreatmentsPage } from './treatments.js';

const TREATMENTS = '/api/v1/treatments';

function renderPage() {
  return renderAt('/treatments', <TreatmentsPage />, PATIENT_SESSION);
}

afterEach(() => {
  cleanup();
  setClientDeps();
});

/** Fills a two-muscle injection: FDS found by typing, FPL chosen by tapping. */
function fillInjection() {
  fireEvent.click(screen.getByLabelText(/^Botulinum toxin injection/));
  fireEvent.change(screen.getByLabelText('Date of the injections'), { target: { value: '2025-10-14' } });
  fireEvent.click(screen.getByLabelText('Xeomin (incobotulinumtoxinA)'));

  const first = screen.getByRole('group', { name: 'Muscle 1' });
  fireEvent.change(within(first).getByLabelText('Find a muscle (optional)'), { target: { value: 'fds' } });
  fireEvent.keyDown(within(first).getByLabelText('Find a muscle (optional)'), { key: 'Enter' });
  expect(within(first).getByText('Flexor digitorum superficialis (FDS)')).toBeTruthy();
  // the side starts at the affected hand of the profile
  expect((within(first).getByLabelText('Right') as HTMLInputElement).checked).toBe(true);
  fireEvent.change(within(first).getByLabelText('Units into muscle 1'), { target: { value: '20' } });
  fireEvent.change(within(first).getByLabelText('Where exactly (optional)'), {
    target: { value: 'to the index finger' },
  });

  fireEvent.click(screen.getByRole('button', { name: 'Add another muscle' }));
  const second = screen.getByRole('group', { name: 'Muscle 2' });
  fireEvent.click(within(second).getByRole('button', { name: /^Flexor pollicis longus/ }));
  fireEvent.change(within(second).getByLabelText('Units into muscle 2'), { target: { value: '10' } });

  fireEvent.click(screen.getByLabelText(/^EMG/));
  fireEvent.click(screen.getByLabelText('Weakness of the hand or fingers'));
  fireEvent.change(screen.getByLabelText('The side effects in your own words (optional)'), {
    target: { value: 'Weak index finger for two weeks.' },
  });
}

const EXPECTED_INJECTION = {
  type: 'botulinum-toxin',
  date: '2025-10-14',
  product: 'incobotulinumtoxinA',
  otherText: null,
  injections: [
    {
      muscle: 'flexor-digitorum-superficialis',
      otherText: null,
      side: 'right',
      units: 20,
      detail: 'to the index finger',
    },
    { muscle: 'flexor-pollicis-longus', otherText: null, side: 'right', units: 10, detail: null },
  ],
  guidance: 'emg',
  sideEffects: ['weakness'],
  sideEffectsText: 'Weak index finger for two weeks.',
  notes: null,
};

describe('treatments', { timeout: 60_000 }, () => {
  it('posts a two-muscle injection with an Idempotency-Key, and a retry after a lost answer reuses it', async () => {
    const server = fakeRecordsServer();
    server.failNextWrites('lose-answer');
    renderPage();
    await screen.findByText('No treatments entered yet.');
    fillInjection();

    fireEvent.click(screen.getByRole('button', { name: 'Save the treatment' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /Not saved: .*What you entered is still here/,
    );
    // what was entered is still there
    expect((screen.getByLabelText('Units into muscle 2') as HTMLInputElement).value).toBe('10');

    fireEvent.click(screen.getByRole('button', { name: 'Save the treatment' }));
    await screen.findByText(/Saved: Botulinum toxin injection: Xeomin/);
    const posts = server.writes('POST', TREATMENTS);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.body).toEqual(EXPECTED_INJECTION);
    expect(posts[1]!.body).toEqual(EXPECTED_INJECTION);
    const key = posts[0]!.headers['idempotency-key'];
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(posts[1]!.headers['idempotency-key']).toBe(key);

    // stored once, shown in the timeline in words
    const item = await screen.findByRole('article');
    expect(
      within(item).getByText('Flexor digitorum superficialis (FDS), right: 20 units (to the index finger)'),
    ).toBeTruthy();
    expect(within(item).getByText('Flexor pollicis longus (FPL), right: 10 units')).toBeTruthy();
    expect(within(item).getByText(/^30 units on the right/)).toBeTruthy();
    expect(
      within(item).getByText('Weakness of the hand or fingers; Weak index finger for two weeks.'),
    ).toBeTruthy();
  });

  it('a new treatment gets a new key; a form changed after a lost answer is stored as an edit of that entry', async () => {
    const server = fakeRecordsServer();
    server.failNextWrites('lose-answer');
    renderPage();
    await screen.findByText('No treatments entered yet.');
    fireEvent.click(screen.getByLabelText(/^Therapy/));
    fireEvent.click(screen.getByLabelText('Physiotherapy'));
    fireEvent.change(screen.getByLabelText('Started on'), { target: { value: '2025-01-10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the treatment' }));
    await screen.findByRole('alert');
    fireEvent.click(screen.getByLabelText('Sensorimotor retraining'));
    fireEvent.click(screen.getByRole('button', { name: 'Save the treatment' }));
    await screen.findByText(/Saved: Sensorimotor retraining/);
    const key = server.writes('POST', TREATMENTS)[0]!.headers['idempotency-key'];
    expect(server.writes('POST', TREATMENTS).map((c) => c.headers['idempotency-key'])).toEqual([key, key]);
    expect(server.writes('PUT', TREATMENTS).map((c) => c.path)).toEqual([`${TREATMENTS}/${key}`]);
    expect(await screen.findAllByRole('article')).toHaveLength(1);

    fireEvent.click(screen.getByLabelText(/^Medication/));
    fireEvent.change(screen.getByLabelText('Name of the medication'), {
      target: { value: 'trihexyphenidyl' },
    });
    fireEvent.change(screen.getByLabelText('Dose each time'), { target: { value: '2 mg' } });
    fireEvent.click(screen.getByLabelText('Three times a day'));
    fireEvent.change(screen.getByLabelText('Started on'), { target: { value: '2024-01-10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the treatment' }));
    await screen.findByText(/Saved: trihexyphenidyl, 2 mg, three times a day/);
    const medication = server.writes('POST', TREATMENTS).at(-1)!;
    expect(medication.headers['idempotency-key']).not.toBe(key);
    expect(medication.body).toEqual({
      type: 'medication',
      name: 'trihexyphenidyl',
      dose: '2 mg',
      schedule: 'Three times a day',
      start: '2024-01-10',
      stop: null,
      notes: null,
    });
  });

  it('closes an untouched form at once, and asks before discarding what was typed', async () => {
    fakeRecordsServer();
    renderPage();
    await screen.findByText('No treatments entered yet.');
    fireEvent.click(screen.getByLabelText(/^Therapy/));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('group', { name: 'What kind of treatment?' })).toBeTruthy();

    fireEvent.click(screen.getByLabelText(/^Medication/));
    fireEvent.change(screen.getByLabelText('Name of the medication'), { target: { value: 'baclofen' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByText('Discard what you entered in this form?')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'No, keep editing' }));
    expect((screen.getByLabelText('Name of the medication') as HTMLInputElement).value).toBe('baclofen');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, discard it' }));
    expect(screen.queryByLabelText('Name of the medication')).toBeNull();
  });

  it('refuses units that are not a number, next to the field, and sends nothing', async () => {
    const server = fakeRecordsServer();
    renderPage();
    await screen.findByText('No treatments entered yet.');
    fillInjection();
    fireEvent.change(screen.getByLabelText('Units into muscle 2'), { target: { value: 'ten' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the treatment' }));
    const summary = await screen.findByRole('alert');
    expect(
      within(summary).getByText('Enter the units of row 2 as a number above 0, for example 20.'),
    ).toBeTruthy();
    expect(screen.getByLabelText('Units into muscle 2').getAttribute('aria-invalid')).toBe('true');
    expect(server.writes('POST', TREATMENTS)).toHaveLength(0);
  });

  it('changes a treatment, shows its history, and deletes it only after a confirmation', async () => {
    const server = fakeRecordsServer();
    const id = server.seed(TREATMENTS, {
      type: 'medication',
      name: 'trihexyphenidyl',
      dose: '2 mg',
      schedule: 'Three times a day',
      start: '2024-01-10',
    });
    renderPage();
    await screen.findByRole('heading', { name: /trihexyphenidyl, 2 mg, three times a day/ });

    fireEvent.click(screen.getByRole('button', { name: /^Change the medication/ }));
    fireEvent.change(screen.getByLabelText('Dose each time'), { target: { value: '1 mg' } });
    fireEvent.click(screen.getByLabelText('No, I stopped'));
    fireEvent.change(screen.getByLabelText('Stopped on'), { target: { value: '2024-06-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the change' }));
    await screen.findByRole('heading', { name: /trihexyphenidyl, 1 mg/ });
    const [put] = server.writes('PUT', TREATMENTS);
    expect(put!.path).toBe(`${TREATMENTS}/${id}`);
    expect(put!.body).toMatchObject({ dose: '1 mg', stop: '2024-06-01' });

    fireEvent.click(screen.getByRole('button', { name: /^Show the changes/ }));
    await screen.findByText(/^Saved on/);
    expect(screen.getByText(/^Changed on .*\(version 2\)/)).toBeTruthy();
    expect(screen.getAllByText('2 mg')).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: /^Delete the medication/ }));
    expect(screen.getByText(/It disappears from your lists; its history is kept/)).toBeTruthy();
    expect(server.writes('DELETE', TREATMENTS)).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'No, keep it' }));
    expect(server.writes('DELETE', TREATMENTS)).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: /^Delete the medication/ }));
    fireEvent.click(screen.getByRole('button', { name: /^Yes, delete the medication/ }));
    await screen.findByText('No treatments entered yet.');
    expect(server.writes('DELETE', TREATMENTS).map((c) => c.path)).toEqual([`${TREATMENTS}/${id}`]);
  });
});

describe('muscle search', () => {
  it('finds muscles by chart abbreviation or the start of the words of their name', () => {
    expect(searchMuscles('fcr')).toEqual(['flexor-carpi-radialis']);
    expect(searchMuscles('1st DI')).toEqual(['first-dorsal-interosseous']);
    expect(searchMuscles('flex poll')).toEqual(['flexor-pollicis-longus', 'flexor-pollicis-brevis']);
    expect(searchMuscles('superf')).toEqual(['flexor-digitorum-superficialis']);
    expect(searchMuscles('')).toHaveLength(31);
    expect(searchMuscles('deltoid')).toEqual([]);
  });
});
