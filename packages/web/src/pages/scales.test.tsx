import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PGIC, PHQ9, PHQ_FREQUENCY } from '@dystrack/core';
import { setClientDeps } from '../api/client.js';
import { forgetCrisisResources } from '../api/records.js';
import { PATIENT_SESSION, renderAt } from '../test/session.js';
import { ScalesPage } from './scales.js';
import { fakeRecordsServer } from './scales-test-server.js';

const RESPONSES = '/api/v1/questionnaires/responses';
const TOTALS = '/api/v1/clinician-scales/totals';

function renderPage() {
  return renderAt('/scales', <ScalesPage />, PATIENT_SESSION);
}

afterEach(() => {
  cleanup();
  setClientDeps();
  // each test's fake server has its own services: none may come from an earlier test's cache
  forgetCrisisResources();
});

/** The text of answer option `value` (0–3) of the PHQ frequency items, from core's definitions. */
const frequency = (value: number) => PHQ_FREQUENCY.options.find((o) => o.value === value)!.text;

/** Answers the question on screen by its option text, then presses Next (or Check my answers). */
function answer(optionText: string) {
  fireEvent.click(screen.getByLabelText(optionText));
  fireEvent.click(screen.getByRole('button', { name: /^(Next|Check my answers)$/ }));
}

async function startPhq9() {
  renderPage();
  fireEvent.click(await screen.findByRole('button', { name: `Start the ${PHQ9.title}` }));
  await screen.findByText('Question 1 of 10');
}

// Rendering a whole page per step is slow on a busy machine: generous timeouts, no timed assertions.
describe('PHQ-9', { timeout: 30_000 }, () => {
  it('shows the crisis message with the configured services at once when question 9 is answered above 0, before anything is saved', async () => {
    const server = fakeRecordsServer();
    await startPhq9();
    // fetched when the page opened
    await waitFor(() => expect(server.calls.some((c) => c.path === '/api/v1/crisis-resources')).toBe(true));
    for (let i = 0; i < 8; i++) answer(frequency(0));
    expect(screen.getByText('Question 9 of 10')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    fireEvent.click(screen.getByLabelText(frequency(1)));
    const alert = screen.getByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Please talk to someone now' })).toBeTruthy();
    expect(within(alert).getByText(/Nobody watches these answers in real time/)).toBeTruthy();
    expect(within(alert).getByText(/call your local emergency number now/)).toBeTruthy();
    expect(within(alert).getByText('Test crisis line')).toBeTruthy();
    expect(within(alert).getByText('Free, day and night.')).toBeTruthy();
    expect(within(alert).getByRole('link', { name: '0800 111 222' }).getAttribute('href')).toBe(
      'tel:0800111222',
    );
    expect(within(alert).queryByText(/When you save these answers/)).toBeNull();
    expect(server.writes('POST', RESPONSES)).toHaveLength(0);

    // still there on the next question and on the review; gone when the answer goes back to 0
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(within(screen.getByRole('alert')).getByText('Test crisis line')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    fireEvent.click(screen.getByLabelText(frequency(0)));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("keeps core's general line in the crisis message when the services could not be fetched", async () => {
    const server = fakeRecordsServer({ crisisResourcesDown: true });
    await startPhq9();
    await waitFor(() => expect(server.calls.some((c) => c.path === '/api/v1/crisis-resources')).toBe(true));
    for (let i = 0; i < 8; i++) answer(frequency(0));
    fireEvent.click(screen.getByLabelText(frequency(2)));
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText(/Nobody watches these answers in real time/)).toBeTruthy();
    expect(within(alert).getByText(/When you save these answers, the support services/)).toBeTruthy();
    expect(within(alert).queryByText('Test crisis line')).toBeNull();
  });

  it('posts the chosen answers with an idempotency key and shows the total, its band and each answer', async () => {
    const server = fakeRecordsServer();
    await startPhq9();
    const values = [1, 2, 1, 0, 3, 2, 1, 0, 1];
    for (const value of values) answer(frequency(value));
    answer('Somewhat difficult');

    expect(screen.getByRole('heading', { name: /Check your answers/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save my answers' }));
    await screen.findByRole('heading', { name: 'Your answers are saved' });

    const posts = server.writes('POST', RESPONSES);
    expect(posts).toHaveLength(1);
    const body = posts[0]!.body as { questionnaireId: string; answers: Record<string, string> };
    expect(body.questionnaireId).toBe('phq-9');
    expect(body.answers).toEqual({
      ...Object.fromEntries(
        values.map((value, i) => [
          `phq9-${i + 1}`,
          PHQ_FREQUENCY.options.find((o) => o.value === value)!.code,
        ]),
      ),
      'phq9-difficulty': 'somewhat-difficult',
    });
    expect(posts[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);

    // 1+2+1+0+3+2+1+0+1 = 11: moderate (10–14)
    const result = document.querySelector('.score') as HTMLElement;
    expect(within(result).getByText('11')).toBeTruthy();
    expect(within(result).getByText(/of 27/)).toBeTruthy();
    expect(within(result).getByText(/^Moderate/)).toBeTruthy();
    expect(within(result).getByText(/This is a screening score, not a diagnosis/)).toBeTruthy();
    expect(screen.getAllByText(frequency(3)).length).toBeGreaterThan(0);
    // the server's crisis answer brings the configured support services
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText('Test crisis line')).toBeTruthy();
    expect(within(alert).getByRole('link', { name: '0800 111 222' }).getAttribute('href')).toBe(
      'tel:0800111222',
    );
  });

  it('keeps the answers when saving fails, and sends the same key again', async () => {
    const server = fakeRecordsServer();
    server.failNextWrites('down');
    await startPhq9();
    for (let i = 0; i < 9; i++) answer(frequency(0));
    answer('Not difficult at all');
    fireEvent.click(screen.getByRole('button', { name: 'Save my answers' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Your answers were not saved/);
    fireEvent.click(screen.getByRole('button', { name: 'Save my answers' }));
    await screen.findByRole('heading', { name: 'Your answers are saved' });
    const posts = server.writes('POST', RESPONSES);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.headers['idempotency-key']).toBe(posts[0]!.headers['idempotency-key']);
    expect(posts[1]!.body).toEqual(posts[0]!.body);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lists earlier responses with their totals and a summary of the trend', async () => {
    const server = fakeRecordsServer();
    const answers = (value: number) =>
      Object.fromEntries(
        Array.from({ length: 9 }, (_, i) => [`phq9-${i + 1}`, PHQ_FREQUENCY.options[value]!.code]),
      );
    server.seed(RESPONSES, {
      questionnaireId: 'phq-9',
      answers: answers(2),
      completedAt: '2026-01-05T09:00:00Z',
    });
    server.seed(RESPONSES, {
      questionnaireId: 'phq-9',
      answers: answers(1),
      completedAt: '2026-02-05T09:00:00Z',
    });
    renderPage();
    expect(await screen.findByRole('heading', { name: /Total 9 of 27 \(mild\)/ })).toBeTruthy();
    expect(screen.getByRole('heading', { name: /Total 18 of 27 \(moderately severe\)/ })).toBeTruthy();
    expect(
      screen.getByText(/2 totals from .*: 18, 9; latest 9 of 27 \(mild\), lowest 9, highest 18/),
    ).toBeTruthy();
  });
});

describe('earlier responses', { timeout: 30_000 }, () => {
  it('changes the answers of a response (a new revision), and deletes it after a confirmation', async () => {
    const server = fakeRecordsServer();
    const answers = Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [`gad7-${i + 1}`, PHQ_FREQUENCY.options[1]!.code]),
    );
    const id = server.seed(RESPONSES, {
      questionnaireId: 'gad-7',
      answers,
      completedAt: '2026-02-01T08:00:00Z',
    });
    renderPage();
    await screen.findByRole('heading', { name: /Total 7 of 21 \(mild\)/ });

    fireEvent.click(screen.getByRole('button', { name: /^Change the answers of the GAD-7/ }));
    expect(screen.getByRole('heading', { level: 1, name: 'Change your answers' })).toBeTruthy();
    // the earlier answers are there: question 1 shows "Several days" chosen
    expect((screen.getByLabelText(frequency(1)) as HTMLInputElement).checked).toBe(true);
    answer(frequency(3));
    for (let i = 0; i < 6; i++) fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(screen.getByRole('button', { name: 'Check my answers' }));
    expect(screen.getByText(/One question is/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save the changed answers' }));
    await screen.findByRole('heading', { name: 'Your answers are saved' });
    const [put] = server.writes('PUT', RESPONSES);
    expect(put!.path).toBe(`${RESPONSES}/${id}`);
    expect(put!.body).toEqual({
      questionnaireId: 'gad-7',
      answers: { ...answers, 'gad7-1': 'nearly-every-day' },
      completedAt: '2026-02-01T08:00:00Z',
    });
    expect(server.writes('POST', RESPONSES)).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Back to the questionnaires' }));
    await screen.findByRole('heading', { name: /Total 9 of 21 \(mild\)/ });
    fireEvent.click(screen.getByRole('button', { name: /^Delete the GAD-7/ }));
    fireEvent.click(screen.getByRole('button', { name: /^Yes, delete the GAD-7/ }));
    await screen.findByText('You have not filled in a questionnaire yet.');
    expect(server.writes('DELETE', RESPONSES).map((c) => c.path)).toEqual([`${RESPONSES}/${id}`]);
  });
});

describe('clinician-scale totals', { timeout: 30_000 }, () => {
  async function fillTotal(scale: RegExp, total: string) {
    fireEvent.click(screen.getByRole('button', { name: 'Add a total' }));
    fireEvent.click(screen.getByLabelText(scale));
    fireEvent.change(screen.getByLabelText(/^Total of the/), { target: { value: total } });
    fireEvent.click(screen.getByLabelText(/A clinician/));
  }

  it('refuses a total outside the scale’s range with a clear message, and sends nothing', async () => {
    const server = fakeRecordsServer();
    renderPage();
    await screen.findByText('No totals yet.');
    await fillTotal(/^Writer’s Cramp Rating Scale/, '31');
    fireEvent.click(screen.getByRole('button', { name: 'Save the total' }));
    const message =
      'The Writer’s Cramp Rating Scale (WCRS) total must be between 0 and 30; 31 is outside this range.';
    expect(within(screen.getByRole('alert')).getByText(message)).toBeTruthy();
    expect(screen.getByLabelText(/^Total of the WCRS/).getAttribute('aria-invalid')).toBe('true');
    expect(server.writes('POST', TOTALS)).toHaveLength(0);
  });

  it('checks the range before the rater is chosen, and names every problem at once', async () => {
    const server = fakeRecordsServer();
    renderPage();
    await screen.findByText('No totals yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Add a total' }));
    fireEvent.click(screen.getByLabelText(/^Arm Dystonia Disability Scale/));
    fireEvent.change(screen.getByLabelText(/^Total of the ADDS/), { target: { value: '87' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the total' }));
    const summary = screen.getByRole('alert');
    expect(
      within(summary).getByText(/can only be one of the values its formula gives .* 87% is not one of them/),
    ).toBeTruthy();
    expect(within(summary).getByText('Say who gave the rating.')).toBeTruthy();
    expect(server.writes('POST', TOTALS)).toHaveLength(0);
  });

  it('tells the range of the chosen scale next to its total field', async () => {
    fakeRecordsServer();
    renderPage();
    await screen.findByText('No totals yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Add a total' }));
    fireEvent.click(screen.getByLabelText(/^Arm Dystonia Disability Scale/));
    const total = screen.getByLabelText(/^Total of the ADDS/);
    const hint = (total.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    expect(hint).toContain('only the values its formula gives (100%, 95%, 90%, 85.7%, …)');
    expect(hint).toContain('100 % = no difficulty');
  });

  it('saves a total, then changes it, shows its history and deletes it after a confirmation', async () => {
    const server = fakeRecordsServer();
    renderPage();
    await screen.findByText('No totals yet.');
    await fillTotal(/^Writer’s Cramp Rating Scale/, '12');
    fireEvent.change(screen.getByLabelText('Date of the rating'), { target: { value: '2026-02-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the total' }));
    await screen.findByRole('heading', { name: /Writer’s Cramp Rating Scale \(WCRS\): 12/ });
    const post = server.writes('POST', TOTALS)[0]!;
    expect(post.body).toEqual({
      scaleId: 'wcrs',
      total: 12,
      date: '2026-02-01',
      rater: { role: 'clinician' },
    });
    expect(post.headers['idempotency-key']).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: /^Change the WCRS total/ }));
    fireEvent.change(screen.getByLabelText(/^Total of the WCRS/), { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the change' }));
    await screen.findByRole('heading', { name: /\(WCRS\): 10/ });
    const [put] = server.writes('PUT', TOTALS);
    expect(put!.path).toBe(`${TOTALS}/${post.headers['idempotency-key']}`);
    expect((put!.body as { total: number }).total).toBe(10);

    fireEvent.click(screen.getByRole('button', { name: /^Show the changes/ }));
    await screen.findByText(/Saved on/);
    expect(screen.getByText(/Changed on .*\(version 2\)/)).toBeTruthy();
    expect(screen.getByText(/WCRS total 12 of 30/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: /^Delete the WCRS total/ }));
    expect(server.writes('DELETE', TOTALS)).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: /^Yes, delete the WCRS total/ }));
    await screen.findByText('No totals yet.');
    expect(server.writes('DELETE', TOTALS).map((c) => c.path)).toEqual([
      `${TOTALS}/${post.headers['idempotency-key']}`,
    ]);
  });
});

describe('red-flag check', { timeout: 30_000 }, () => {
  it('shows the see-a-doctor message with the answers that raised it when a rule fires', async () => {
    const server = fakeRecordsServer();
    renderPage();
    const group = screen.getByRole('group', { name: /Is there weakness/ });
    fireEvent.click(within(group).getByLabelText('Yes'));
    fireEvent.click(screen.getByRole('button', { name: 'Check my answers' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Please see a doctor' })).toBeTruthy();
    expect(within(alert).getByRole('heading', { name: 'Please see a doctor about your hand' })).toBeTruthy();
    expect(within(alert).getByText('Weakness, not only cramping or curling.')).toBeTruthy();
    expect(server.writes('POST', '/api/v1/red-flags/check')[0]!.body).toEqual({ weakness: true });
  });

  it('says that symptoms that began within minutes or hours need help now, even without the server', async () => {
    const server = fakeRecordsServer();
    renderPage();
    await screen.findByText('No totals yet.');
    // the server cannot be reached for the check itself
    server.fetch.mockImplementationOnce(async () => {
      throw new TypeError('Failed to fetch');
    });
    fireEvent.click(screen.getByLabelText('Suddenly, within minutes or hours'));
    fireEvent.click(screen.getByRole('button', { name: 'Check my answers' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Please get medical help now' })).toBeTruthy();
    await waitFor(() => expect(within(alert).getByText(/emergency number/)).toBeTruthy());
  });
});

describe('PGIC reference point', { timeout: 30_000 }, () => {
  const TREATMENTS = '/api/v1/treatments';
  const injection = (date: string) => ({
    type: 'botulinum-toxin',
    date,
    product: 'incobotulinumtoxinA',
    otherText: null,
    injections: [
      { muscle: 'flexor-digitorum-superficialis', otherText: null, side: 'right', units: 20, detail: null },
    ],
  });

  async function startPgic() {
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: `Start the ${PGIC.title}` }));
    await screen.findByRole('group', { name: 'Compared with when?' });
  }

  it('asks "Compared with when?" offering the last injection, shows it with the question, sends and shows it back', async () => {
    const server = fakeRecordsServer();
    server.seed(TREATMENTS, injection('2026-01-20'));
    server.seed(TREATMENTS, injection('2026-03-03'));
    await startPgic();
    // the latest of the two injections, with its date
    const choice = await screen.findByLabelText('My last botulinum-toxin injection (3 March 2026)');
    // nothing chosen: a clear message, no questions yet
    fireEvent.click(screen.getByRole('button', { name: 'Go on to the questions' }));
    expect(screen.getByText('Choose what to compare with.')).toBeTruthy();
    fireEvent.click(choice);
    fireEvent.click(screen.getByRole('button', { name: 'Go on to the questions' }));

    await screen.findByText('Question 1 of 3');
    const question = screen.getByRole('group', { name: PGIC.items[0]!.text });
    expect(
      within(question).getByText('Compared with 3 March 2026, your last botulinum-toxin injection.'),
    ).toBeTruthy();
    answer('A little better');
    answer('No change');
    fireEvent.click(screen.getByRole('button', { name: 'Check my answers' }));
    await screen.findByRole('heading', { name: /Check your answers/ });
    fireEvent.click(screen.getByRole('button', { name: 'Save my answers' }));
    await screen.findByRole('heading', { name: 'Your answers are saved' });

    const posts = server.writes('POST', RESPONSES);
    expect(posts).toHaveLength(1);
    expect((posts[0]!.body as { reference: unknown }).reference).toEqual({
      kind: 'injection',
      date: '2026-03-03',
    });
    expect(screen.getByText('Compared with 3 March 2026, your last botulinum-toxin injection')).toBeTruthy();

    // and in the list of earlier responses
    fireEvent.click(screen.getByRole('button', { name: 'Back to the questionnaires' }));
    // the section of earlier PGIC responses (its title is shared by the start card and the result)
    await waitFor(() =>
      expect(document.querySelector('section[aria-labelledby="earlier-pgic"]')).toBeTruthy(),
    );
    const earlier = document.querySelector<HTMLElement>('section[aria-labelledby="earlier-pgic"]')!;
    expect(
      (
        await within(earlier).findAllByText('Compared with 3 March 2026, your last botulinum-toxin injection')
      )[0],
    ).toBeTruthy();
  });

  it('without injections offers the other choices; another date needs a past date and sends its label', async () => {
    const server = fakeRecordsServer();
    await startPgic();
    await waitFor(() => expect(server.calls.some((c) => c.path.startsWith(TREATMENTS))).toBe(true));
    expect(screen.queryByLabelText(/My last botulinum-toxin injection/)).toBeNull();
    expect(screen.getByLabelText('The start of a therapy')).toBeTruthy();
    expect(screen.getByLabelText('When I started using Dystrack')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Another date'));
    fireEvent.change(screen.getByLabelText('Which date?'), { target: { value: '2999-01-01' } });
    fireEvent.change(screen.getByLabelText('What happened then? (optional)'), {
      target: { value: 'started the new splint' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Go on to the questions' }));
    expect(screen.getByText('The date cannot be in the future.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Which date?'), { target: { value: '2026-02-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Go on to the questions' }));

    await screen.findByText('Question 1 of 3');
    expect(screen.getByText('Compared with 1 February 2026, started the new splint.')).toBeTruthy();
    answer('Much worse');
    fireEvent.click(screen.getByRole('button', { name: 'Skip this question' }));
    fireEvent.click(screen.getByRole('button', { name: 'Check my answers' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Save my answers' }));
    await screen.findByRole('heading', { name: 'Your answers are saved' });
    expect((server.writes('POST', RESPONSES)[0]!.body as { reference: unknown }).reference).toEqual({
      kind: 'other',
      date: '2026-02-01',
      label: 'started the new splint',
    });
  });
});
