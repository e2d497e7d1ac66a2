import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scheduleSchema } from '@dystrack/core';
import { setClientDeps } from '../api/client.js';
import type { User } from '../api/types.js';
import type { Study, StudyDetail } from '../studies/api.js';
import { fakeStudiesApi } from '../studies/fake-api.js';
import { localTimeZone } from '../studies/words.js';
import { renderAt } from '../test/session.js';
import { StudiesPage, StudyPage, newStudyProblems } from './studies.js';

const download = vi.hoisted(() => ({ downloadText: vi.fn() }));
vi.mock('../download.js', () => download);

/** An approved researcher (tests only). */
const RESEARCHER: User = {
  id: '22222222-2222-4222-8222-222222222222',
  username: 'rosalind',
  displayName: 'Dr Franklin',
  role: 'researcher',
  roleApproved: true,
  scope: 'full',
};
const RESEARCHER_SESSION = { user: RESEARCHER, profile: null };

const STUDY_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

function study(overrides: Partial<Study> = {}): Study {
  return {
    id: STUDY_ID,
    title: 'Tapping after injections',
    description: 'How tapping changes in the weeks after a botulinum-toxin injection.',
    tasks: ['tapping'],
    schedule: null,
    enrolCode: 'K7QM-3XPA',
    status: 'open',
    consent: {
      version: 1,
      text: 'You agree that your tapping results are studied.',
      withdrawalData: 'keep',
      createdAt: '2026-11-01T10:00:00Z',
    },
    createdAt: '2026-11-01T10:00:00Z',
    counts: { consenting: 2, awaitingReconsent: 0, withdrawn: 1 },
    ...overrides,
  };
}

function detail(overrides: Partial<StudyDetail> = {}): StudyDetail {
  return {
    ...study(),
    participants: [
      { pseudonym: 'P-7F3K2Q', status: 'consenting', consentVersion: 1 },
      { pseudonym: 'P-9ZC1MD', status: 'consenting', consentVersion: 1 },
      { pseudonym: 'P-4HRT0B', status: 'withdrawn', consentVersion: 1 },
    ],
    ...overrides,
  };
}

afterEach(() => {
  cleanup();
  setClientDeps();
  download.downloadText.mockReset();
});

describe('the studies list', () => {
  it('shows each study with its status, code, consent version and counts', async () => {
    fakeStudiesApi({ 'GET /api/v1/studies': () => ({ body: { items: [study()] } }) });
    renderAt('/studies', <StudiesPage />, RESEARCHER_SESSION);
    const link = await screen.findByRole('link', { name: 'Tapping after injections' });
    expect(link.getAttribute('href')).toBe(`/studies/${STUDY_ID}`);
    const item = link.closest('li')!;
    expect(within(item).getByText('K7QM-3XPA')).toBeTruthy();
    expect(within(item).getByText('Open for enrolment')).toBeTruthy();
    expect(within(item).getByText('Consenting').nextElementSibling?.textContent).toMatch(/^2 /);
    expect(within(item).getByText('Withdrawn').nextElementSibling?.textContent).toMatch(/^1 /);
    expect(screen.getByText(/pseudonymous/)).toBeTruthy();
  });

  it('creates a study with the tasks, routine, consent text and withdrawal choice', async () => {
    const api = fakeStudiesApi({
      'GET /api/v1/studies': () => ({ body: { items: [] } }),
      'POST /api/v1/studies': () => ({ status: 201, body: study() }),
    });
    const { location } = renderAt('/studies', <StudiesPage />, RESEARCHER_SESSION);
    await screen.findByText(/You have no studies yet/);
    fireEvent.click(screen.getByRole('button', { name: 'New study' }));

    fireEvent.change(screen.getByLabelText(/^Title/), { target: { value: ' Tapping study ' } });
    fireEvent.change(screen.getByLabelText(/^Description/), { target: { value: 'Why we study tapping.' } });
    // ticked in the other order: the body keeps the catalogue's order
    fireEvent.click(screen.getByRole('checkbox', { name: /^Spiral drawing/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /^Finger tapping/ }));
    const tapping = screen.getByRole('group', { name: 'How often: Finger tapping' });
    fireEvent.click(within(tapping).getByRole('radio', { name: /^Twice a week/ }));
    fireEvent.change(screen.getByLabelText(/^Time of day/), { target: { value: '09:30' } });
    expect(screen.getByText(/Finger tapping: on Mondays and Thursdays, around 09:30/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Consent text/), { target: { value: 'I agree to…' } });
    fireEvent.click(screen.getByRole('radio', { name: /^The participant chooses when withdrawing/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Create the study' }));

    await waitFor(() => expect(location.history.at(-1)).toBe(`/studies/${STUDY_ID}`));
    const posts = api.callsTo('POST', '/api/v1/studies');
    expect(posts).toHaveLength(1);
    const expectedSchedule = {
      version: 1,
      timeZone: localTimeZone(),
      items: [
        {
          id: 'study-tapping',
          type: 'recurring',
          activity: 'tapping',
          repeat: { kind: 'weekdays', weekdays: ['mon', 'thu'] },
          time: '09:30',
        },
      ],
    };
    expect(posts[0]!.body).toEqual({
      title: 'Tapping study',
      description: 'Why we study tapping.',
      tasks: ['tapping', 'spiral'],
      schedule: expectedSchedule,
      consent: { text: 'I agree to…', withdrawalData: 'participant-chooses' },
    });
    // the routine is one the server's model accepts
    expect(scheduleSchema.safeParse(expectedSchedule).success).toBe(true);
  });

  it('sends no study while required answers are missing, and says which', async () => {
    const api = fakeStudiesApi({ 'GET /api/v1/studies': () => ({ body: { items: [] } }) });
    renderAt('/studies', <StudiesPage />, RESEARCHER_SESSION);
    fireEvent.click(screen.getByRole('button', { name: 'New study' }));
    fireEvent.change(screen.getByLabelText(/^Title/), { target: { value: 'A study' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the study' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByText('Choose at least one task.')).toBeTruthy();
    expect(within(summary).getByText('Write the consent text participants agree to.')).toBeTruthy();
    expect(api.callsTo('POST', '/api/v1/studies')).toHaveLength(0);
  });

  it('checks the time of a routine and a missing withdrawal choice', () => {
    const base = { title: 't', description: 'd', tasks: ['tapping'], consentText: 'c', withdrawal: null };
    expect(newStudyProblems({ ...base, time: null }).map((p) => p.fieldId)).toEqual(['study-withdrawal']);
    expect(newStudyProblems({ ...base, withdrawal: 'keep', time: '' }).map((p) => p.fieldId)).toEqual([
      'study-routine-time',
    ]);
    expect(newStudyProblems({ ...base, withdrawal: 'keep', time: '18:00' })).toEqual([]);
  });
});

describe('one study', () => {
  it('shows the code to give out and the participants by pseudonym only', async () => {
    fakeStudiesApi({ [`GET /api/v1/studies/${STUDY_ID}`]: () => ({ body: detail() }) });
    renderAt(`/studies/${STUDY_ID}`, <StudyPage studyId={STUDY_ID} />, RESEARCHER_SESSION);
    expect(await screen.findByRole('heading', { level: 1, name: 'Tapping after injections' })).toBeTruthy();
    expect(screen.getByText('K7QM-3XPA', { selector: '.studies__code' })).toBeTruthy();
    expect(screen.getByText(/Give this code to the people you invite/)).toBeTruthy();
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual([
      'PseudonymStatusConsent version agreed',
      'P-7F3K2QConsenting1',
      'P-9ZC1MDConsenting1',
      'P-4HRT0BWithdrawn1',
    ]);
  });

  it('publishes a new consent version and warns that everyone must agree again', async () => {
    let version = 1;
    const api = fakeStudiesApi({
      [`GET /api/v1/studies/${STUDY_ID}`]: () => ({
        body: detail({
          consent: {
            version,
            text: `Text ${version}`,
            withdrawalData: 'delete',
            createdAt: '2026-11-02T10:00:00Z',
          },
          participants: [
            {
              pseudonym: 'P-7F3K2Q',
              status: version > 1 ? 'awaiting-reconsent' : 'consenting',
              consentVersion: 1,
            },
          ],
        }),
      }),
      [`POST /api/v1/studies/${STUDY_ID}/consent-versions`]: () => {
        version = 2;
        return {
          status: 201,
          body: study({
            consent: {
              version: 2,
              text: 'Text 2',
              withdrawalData: 'delete',
              createdAt: '2026-11-02T10:00:00Z',
            },
          }),
        };
      },
    });
    renderAt(`/studies/${STUDY_ID}`, <StudyPage studyId={STUDY_ID} />, RESEARCHER_SESSION);
    fireEvent.click(await screen.findByRole('button', { name: 'Publish a new consent version' }));
    expect(screen.getByText(/Every participant must agree again/)).toBeTruthy();
    // unchanged text: nothing to publish
    fireEvent.click(screen.getByRole('button', { name: 'Publish version 2' }));
    expect(await screen.findByText(/Nothing changed/, { selector: 'a' })).toBeTruthy();
    expect(api.callsTo('POST', `/api/v1/studies/${STUDY_ID}/consent-versions`)).toHaveLength(0);

    fireEvent.change(screen.getByLabelText(/^Consent text, version 2/), { target: { value: 'Text 2' } });
    fireEvent.click(screen.getByRole('radio', { name: /^Remove all of the participant’s data/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Publish version 2' }));
    expect(await screen.findByText(/Consent version 2 is published/)).toBeTruthy();
    expect(api.callsTo('POST', `/api/v1/studies/${STUDY_ID}/consent-versions`).map((c) => c.body)).toEqual([
      { text: 'Text 2', withdrawalData: 'delete' },
    ]);
    // the participants are read again: they now await re-consent
    expect(await screen.findByText('Awaiting re-consent', { selector: 'td' })).toBeTruthy();
  });

  it('closes enrolment only after a confirmation', async () => {
    const api = fakeStudiesApi({
      [`GET /api/v1/studies/${STUDY_ID}`]: () => ({ body: detail() }),
      [`POST /api/v1/studies/${STUDY_ID}/close`]: () => ({ body: study({ status: 'closed' }) }),
    });
    renderAt(`/studies/${STUDY_ID}`, <StudyPage studyId={STUDY_ID} />, RESEARCHER_SESSION);
    fireEvent.click(await screen.findByRole('button', { name: 'Close enrolment' }));
    expect(api.callsTo('POST', `/api/v1/studies/${STUDY_ID}/close`)).toHaveLength(0);
    expect(document.activeElement?.textContent).toBe('No, keep it open');
    fireEvent.click(screen.getByRole('button', { name: 'No, keep it open' }));
    fireEvent.click(screen.getByRole('button', { name: 'Close enrolment' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, close enrolment' }));
    expect(
      await screen.findByText(/Enrolment is closed: the code no longer lets anyone join\./),
    ).toBeTruthy();
    expect(api.callsTo('POST', `/api/v1/studies/${STUDY_ID}/close`)).toHaveLength(1);
  });

  it('downloads the de-identified export under the server’s file name', async () => {
    const exported = {
      study: { title: 'Tapping after injections' },
      participants: [{ pseudonym: 'P-7F3K2Q' }],
    };
    const api = fakeStudiesApi({
      [`GET /api/v1/studies/${STUDY_ID}`]: () => ({ body: detail() }),
      [`GET /api/v1/studies/${STUDY_ID}/export`]: () => ({
        body: exported,
        headers: { 'content-disposition': 'attachment; filename="study-aaaaaaaa-export.json"' },
      }),
    });
    renderAt(`/studies/${STUDY_ID}`, <StudyPage studyId={STUDY_ID} />, RESEARCHER_SESSION);
    expect(await screen.findByText(/never/, { selector: 'p' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Download de-identified export' }));
    expect(await screen.findByText('Saved as study-aaaaaaaa-export.json.')).toBeTruthy();
    expect(api.callsTo('GET', `/api/v1/studies/${STUDY_ID}/export`)).toHaveLength(1);
    expect(download.downloadText).toHaveBeenCalledTimes(1);
    const [name, text, type] = download.downloadText.mock.calls[0] as [string, string, string];
    expect(name).toBe('study-aaaaaaaa-export.json');
    expect(JSON.parse(text)).toEqual(exported);
    expect(type).toBe('application/json');
  });

  it('says so when the study is not the researcher’s', async () => {
    fakeStudiesApi({});
    renderAt(`/studies/${STUDY_ID}`, <StudyPage studyId={STUDY_ID} />, RESEARCHER_SESSION);
    expect((await screen.findByRole('alert')).textContent).toBe('There is no such study among yours.');
  });
});
