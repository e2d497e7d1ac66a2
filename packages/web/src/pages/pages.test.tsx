import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TaskPlugin } from '@dystrack/tasks';
import { setClientDeps } from '../api/client.js';
import { App } from '../app.js';
import { TEST_PATIENT as patient, TEST_PROFILE as fullProfile, renderAt } from '../test/session.js';
import { TaskCards } from './home.js';
import { SignUpPage, validateSignUp } from './sign-up.js';

function definition(id: string, overrides: Partial<TaskPlugin['definition']> = {}): TaskPlugin {
  return {
    definition: {
      id: id as TaskPlugin['definition']['id'],
      version: '1.0.0',
      title: `Title of ${id}`,
      summary: `Summary of ${id}.`,
      instructions: ['Do it.'],
      hands: ['left', 'right'],
      inputs: ['keyboard', 'touch'],
      approxDurationS: 90,
      parameters: {},
      ...overrides,
    },
    run: async () => undefined,
    simulate: () => ({ streams: {}, flags: [], durationMs: 0, params: {} }),
  };
}

beforeEach(() => {
  setClientDeps({
    fetch: vi.fn(
      async () =>
        new Response(JSON.stringify({ code: 'E_NETWORK_TEST', message: 'not mocked' }), { status: 599 }),
    ),
  });
});
afterEach(() => {
  cleanup();
  setClientDeps();
});

describe('sign-up form', () => {
  it('validateSignUp names each problem in plain words', () => {
    expect(validateSignUp({ username: '', password: '', role: null }).map((p) => p.message)).toEqual([
      'Enter a user name.',
      'Choose a password.',
      'Choose what the account is for.',
    ]);
    expect(
      validateSignUp({ username: 'ab', password: 'short', role: 'patient' }).map((p) => p.message),
    ).toEqual([
      'Use at least 3 characters for the user name.',
      'Too short: 5 more characters needed. A few words in a row work well.',
    ]);
    expect(
      validateSignUp({ username: 'ada', password: 'ada loves long walks', role: 'patient' }).map(
        (p) => p.message,
      ),
    ).toEqual(['Do not use your user name in the password.']);
    expect(validateSignUp({ username: 'ada', password: 'green kettle morning', role: 'clinician' })).toEqual(
      [],
    );
  });

  it('shows the problems in a summary and next to each field, linked with aria-describedby', () => {
    renderAt('/signup', <SignUpPage />, { user: null });
    expect(screen.getByRole('heading', { level: 1, name: 'Create an account' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'abc' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the account' }));

    const summary = screen.getByRole('alert');
    expect(within(summary).getByText('Enter a user name.')).toBeTruthy();
    expect(within(summary).getByText(/Too short: 7 more characters needed/)).toBeTruthy();

    const username = screen.getByLabelText('User name');
    expect(username.getAttribute('aria-invalid')).toBe('true');
    const described = (username.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '');
    expect(described.join(' ')).toContain('Enter a user name.');
    expect(described.join(' ')).toContain('3 to 64 characters');
  });

  it('gives a live plain-words password hint and notes that clinician accounts need approval', () => {
    renderAt('/signup', <SignUpPage />, { user: null });
    const password = screen.getByLabelText('Password');
    expect(screen.getByTestId('password-hint').textContent).toMatch(/at least 10 characters/);
    fireEvent.change(password, { target: { value: 'river stone candle lamp' } });
    expect(screen.getByTestId('password-hint').textContent).toMatch(/^Strong/);
    expect(screen.getByLabelText(/I am a clinician/).getAttribute('aria-describedby')).toBeTruthy();
    expect(
      screen.getByText(/An administrator of this Dystrack service must approve the account first/, {
        selector: '#signup-role-clinician-description',
      }),
    ).toBeTruthy();
  });
});

describe('task cards', () => {
  it('renders one card per task of the registry, with duration, inputs and a Start button per hand', () => {
    const tasks = [
      definition('tapping'),
      definition('typing', { hands: ['both', 'left', 'right'], inputs: ['keyboard'], approxDurationS: 30 }),
    ].map((plugin) => plugin.definition);
    renderAt('/', <TaskCards tasks={tasks} profile={fullProfile} />, { user: patient, profile: fullProfile });
    const cards = screen.getAllByRole('article');
    expect(cards).toHaveLength(2);
    const tapping = within(cards[0]!);
    expect(tapping.getByRole('heading', { name: 'Title of tapping' })).toBeTruthy();
    expect(tapping.getByText('about 2 minutes')).toBeTruthy();
    expect(tapping.getByText('keyboard or touch screen')).toBeTruthy();
    const starts = tapping.getAllByRole('link').map((link) => [link.textContent, link.getAttribute('href')]);
    expect(starts).toEqual([
      ['Start with the left hand', '/tasks/tapping/left'],
      ['Start with the right handyour affected hand', '/tasks/tapping/right'],
    ]);
    const typing = within(cards[1]!);
    expect(typing.getAllByRole('link')).toHaveLength(3);
    expect(typing.getByText('about 30 seconds')).toBeTruthy();
  });
});

describe('routing', () => {
  it('sends a signed-out visitor to sign-in, remembering where they wanted to go', async () => {
    const { location } = renderAt('/recordings', <App />, { user: null });
    expect(location.history?.at(-1)).toBe('/login?next=%2Frecordings');
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
  });

  it('sends a patient without a completed profile to onboarding', () => {
    const { location } = renderAt('/', <App />, {
      user: patient,
      profile: { ...fullProfile, onboardedAt: null },
    });
    expect(location.history?.at(-1)).toBe('/onboarding');
  });

  it('shows the task cards to a patient with a completed profile, inside the shared layout', async () => {
    renderAt('/', <App />, { user: patient, profile: fullProfile });
    // the home page is loaded lazily (it is not part of a capture page's JavaScript)
    expect(await screen.findByRole('heading', { level: 1, name: 'Tasks' })).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
    expect(screen.getByRole('contentinfo').textContent).toMatch(/not a diagnostic device/);
    expect(screen.getByRole('link', { name: 'Skip to main content' })).toBeTruthy();
    expect(document.title).toBe('Tasks · Dystrack');
  });
});
