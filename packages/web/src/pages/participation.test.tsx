import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClientDeps } from '../api/client.js';
import type { Enrolment, StudyLookup, WithdrawalData } from '../studies/api.js';
import { fakeStudiesApi } from '../studies/fake-api.js';
import { PATIENT_SESSION, renderAt } from '../test/session.js';
import { ParticipationPage } from './participation.js';

const STUDY_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const STUDY = {
  id: STUDY_ID,
  title: 'Tapping after injections',
  description: 'How tapping changes after an injection.',
  researcher: { displayName: 'Dr Franklin' },
  tasks: ['tapping'],
  schedule: {
    version: 1 as const,
    timeZone: 'UTC',
    items: [
      {
        id: 'study-tapping',
        type: 'recurring' as const,
        activity: 'tapping',
        repeat: { kind: 'weekdays' as const, weekdays: ['mon' as const, 'thu' as const] },
        time: '18:00',
      },
    ],
  },
  status: 'open' as const,
};

function lookup(overrides: Partial<StudyLookup> = {}): StudyLookup {
  return {
    ...STUDY,
    consent: { version: 2, text: 'The full consent text of the study.', withdrawalData: 'keep' },
    enrolment: null,
    ...overrides,
  };
}

function enrolment(overrides: Partial<Enrolment> = {}, withdrawalData: WithdrawalData = 'keep'): Enrolment {
  return {
    study: STUDY,
    status: 'consenting',
    consentVersion: 2,
    consentedAt: '2026-11-20T10:00:00Z',
    withdrawnAt: null,
    withdrawalData: null,
    currentConsent: { version: 2, text: 'The full consent text of the study.', withdrawalData },
    agreedConsent: { version: 2, text: 'The full consent text of the study.', withdrawalData },
    ...overrides,
  };
}

afterEach(() => {
  cleanup();
  setClientDeps();
});

function renderPage() {
  return renderAt('/participation', <ParticipationPage />, PATIENT_SESSION);
}

describe('joining a study', () => {
  it('shows the study and its consent, and joins only after “I agree”', async () => {
    const api = fakeStudiesApi({
      'GET /api/v1/participation': () => ({ body: { items: [] } }),
      'POST /api/v1/studies/lookup': () => ({ body: lookup() }),
      [`POST /api/v1/studies/${STUDY_ID}/enrol`]: () => ({ status: 201, body: enrolment() }),
    });
    renderPage();
    expect(screen.getByText(/never sees your name/)).toBeTruthy();
    expect(await screen.findByText('You are not taking part in any study.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Study code/), { target: { value: ' k7qm-3xpa ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up the study' }));

    const heading = await screen.findByRole('heading', { name: 'Tapping after injections' });
    const study = heading.closest('article')!;
    expect(api.callsTo('POST', '/api/v1/studies/lookup').map((c) => c.body)).toEqual([{ code: 'k7qm-3xpa' }]);
    expect(within(study).getByText('Researcher: Dr Franklin')).toBeTruthy();
    expect(within(study).getByText(/Finger tapping: on Mondays and Thursdays, around 18:00/)).toBeTruthy();
    expect(within(study).getByRole('region', { name: /Consent text of/ }).textContent).toBe(
      'The full consent text of the study.',
    );
    expect(within(study).getByText(/stays in the study’s data, under your pseudonym/)).toBeTruthy();

    const join = within(study).getByRole('button', { name: 'Join the study' }) as HTMLButtonElement;
    expect(join.disabled).toBe(true);
    fireEvent.click(join);
    expect(api.callsTo('POST', `/api/v1/studies/${STUDY_ID}/enrol`)).toHaveLength(0);

    fireEvent.click(within(study).getByRole('checkbox', { name: /agree to take part/ }));
    expect(join.disabled).toBe(false);
    fireEvent.click(join);
    expect(await screen.findByText('You joined “Tapping after injections”. Thank you.')).toBeTruthy();
    expect(api.callsTo('POST', `/api/v1/studies/${STUDY_ID}/enrol`).map((c) => c.body)).toEqual([
      { consentVersion: 2, agree: true },
    ]);
    const mine = screen.getByRole('region', { name: 'My studies' });
    expect(within(mine).getByText(/You take part \(consent version 2/)).toBeTruthy();
  });

  it('says when a code is unknown', async () => {
    fakeStudiesApi({
      'GET /api/v1/participation': () => ({ body: { items: [] } }),
      'POST /api/v1/studies/lookup': () => ({
        status: 404,
        body: { code: 'E_NOT_FOUND', message: 'No study has this code.', details: null },
      }),
    });
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Look up the study' }));
    expect(await screen.findByText('Enter the code the researcher gave you.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Study code/), { target: { value: 'ZZZZ-ZZZZ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up the study' }));
    expect(
      await screen.findByText('No study has this code. Check the code with the researcher.'),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Join the study' })).toBeNull();
  });

  it('offers no joining of a closed study', async () => {
    fakeStudiesApi({
      'GET /api/v1/participation': () => ({ body: { items: [] } }),
      'POST /api/v1/studies/lookup': () => ({ body: lookup({ status: 'closed' }) }),
    });
    renderPage();
    fireEvent.change(screen.getByLabelText(/^Study code/), { target: { value: 'K7QM-3XPA' } });
    fireEvent.click(screen.getByRole('button', { name: 'Look up the study' }));
    expect(await screen.findByText('This study no longer takes new participants.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Join the study' })).toBeNull();
  });
});

describe('my studies', () => {
  it('asks to agree to a new consent version, with its text', async () => {
    const waiting = enrolment({
      status: 'awaiting-reconsent',
      consentVersion: 2,
      currentConsent: { version: 3, text: 'The new consent text.', withdrawalData: 'delete' },
    });
    const api = fakeStudiesApi({
      'GET /api/v1/participation': () => ({ body: { items: [waiting] } }),
      [`POST /api/v1/participation/${STUDY_ID}/consent`]: () => ({
        body: { ...waiting, status: 'consenting', consentVersion: 3 },
      }),
    });
    renderPage();
    expect(
      await screen.findByText(/you agreed to consent version 2; the researcher has published version 3/),
    ).toBeTruthy();
    expect(screen.getByRole('region', { name: /version 3$/ }).textContent).toBe('The new consent text.');
    expect(screen.getByText(/all of your data leaves the study/)).toBeTruthy();
    const agree = screen.getByRole('button', { name: 'Agree to the new consent' }) as HTMLButtonElement;
    expect(agree.disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: /I have read consent version 3/ }));
    fireEvent.click(agree);
    expect(
      await screen.findByText('You agreed to the new consent of “Tapping after injections”.'),
    ).toBeTruthy();
    expect(api.callsTo('POST', `/api/v1/participation/${STUDY_ID}/consent`).map((c) => c.body)).toEqual([
      { consentVersion: 3, agree: true },
    ]);
    expect(screen.getByText(/You take part \(consent version 3/)).toBeTruthy();
  });

  it('withdraws with the participant’s choice when the consent lets them choose, and not without one', async () => {
    const api = fakeStudiesApi({
      'GET /api/v1/participation': () => ({ body: { items: [enrolment({}, 'participant-chooses')] } }),
      [`POST /api/v1/participation/${STUDY_ID}/withdraw`]: () => ({
        body: enrolment(
          { status: 'withdrawn', withdrawnAt: '2026-11-26T10:00:00Z', withdrawalData: 'delete' },
          'participant-chooses',
        ),
      }),
    });
    renderPage();
    expect(await screen.findByText('What the study asks of you')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw from Tapping after injections' }));
    const confirm = screen.getByRole('group', { name: 'Withdraw from “Tapping after injections”?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, withdraw' }));
    expect(within(confirm).getByText('Choose what happens to your data.')).toBeTruthy();
    expect(api.callsTo('POST', `/api/v1/participation/${STUDY_ID}/withdraw`)).toHaveLength(0);

    fireEvent.click(within(confirm).getByRole('radio', { name: /^Remove all my data from the study/ }));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, withdraw' }));
    expect(await screen.findByText('You withdrew from “Tapping after injections”.')).toBeTruthy();
    expect(api.callsTo('POST', `/api/v1/participation/${STUDY_ID}/withdraw`).map((c) => c.body)).toEqual([
      { data: 'delete' },
    ]);
    expect(screen.getByText(/^Ended on .*: you withdrew\.$/)).toBeTruthy();
    expect(screen.getByText('All of your data was removed from the study.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Withdraw/ })).toBeNull();
  });

  it('withdraws without a choice when the consent decides, and can be called off', async () => {
    const api = fakeStudiesApi({
      'GET /api/v1/participation': () => ({ body: { items: [enrolment({}, 'keep')] } }),
      [`POST /api/v1/participation/${STUDY_ID}/withdraw`]: () => ({
        body: enrolment({ status: 'withdrawn', withdrawnAt: '2026-11-26T10:00:00Z', withdrawalData: 'keep' }),
      }),
    });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Withdraw from Tapping after injections' }));
    expect(screen.queryByRole('radio')).toBeNull();
    expect(screen.getByText(/your data until today stays in the study/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'No, stay in the study' }));
    expect(screen.queryByRole('button', { name: 'Yes, withdraw' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw from Tapping after injections' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, withdraw' }));
    await waitFor(() =>
      expect(api.callsTo('POST', `/api/v1/participation/${STUDY_ID}/withdraw`).map((c) => c.body)).toEqual([
        {},
      ]),
    );
    expect(await screen.findByText(/Your data until the withdrawal stays in the study/)).toBeTruthy();
  });
  it('while awaiting re-consent, the consent agreed to decides: its choice is asked for, not the newer text’s promise', async () => {
    const waiting = enrolment({
      status: 'awaiting-reconsent',
      consentVersion: 1,
      currentConsent: { version: 2, text: 'Newer text.', withdrawalData: 'keep' },
      agreedConsent: { version: 1, text: 'First text.', withdrawalData: 'participant-chooses' },
    });
    const api = fakeStudiesApi({
      'GET /api/v1/participation': () => ({ body: { items: [waiting] } }),
      [`POST /api/v1/participation/${STUDY_ID}/withdraw`]: (body) =>
        (body as { data?: string }).data
          ? {
              body: {
                ...waiting,
                status: 'withdrawn',
                withdrawnAt: '2026-11-26T10:00:00Z',
                withdrawalData: 'keep',
              },
            }
          : {
              status: 400,
              body: {
                code: 'E_VALIDATION',
                message: 'Choose whether the study may keep the data you gave so far.',
                details: {
                  issues: [
                    {
                      path: 'body.data',
                      message: 'required: the consent lets you choose `keep` or `delete`',
                    },
                  ],
                },
              },
            },
    });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Withdraw from Tapping after injections' }));
    expect(screen.getByText(/The consent you agreed to \(version 1\)/)).toBeTruthy();
    // nothing is sent without a choice
    fireEvent.click(screen.getByRole('button', { name: 'Yes, withdraw' }));
    expect(await screen.findByText('Choose what happens to your data.')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: /^Keep what I recorded so far/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, withdraw' }));
    expect(await screen.findByText('You withdrew from “Tapping after injections”.')).toBeTruthy();
    expect(api.callsTo('POST', `/api/v1/participation/${STUDY_ID}/withdraw`).map((c) => c.body)).toEqual([
      { data: 'keep' },
    ]);
  });
});
