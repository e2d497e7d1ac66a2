import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson, diaryInputSchema, type DiaryData } from '@dystrack/core';
import { setClientDeps } from '../api/client.js';
import type { DiaryEntry, DiaryRevision } from '../api/diary.js';
import { dateTimeWords } from '../format.js';
import { PATIENT_SESSION, TEST_PATIENT, renderAt } from '../test/session.js';
import { DiaryPage } from './diary.js';
import { isoWithOffset, localMinute } from './diary-form.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const STORAGE_KEY = `dystrack.diary.unsent.${TEST_PATIENT.id}`;

// The whole page (a 0–10 row per task, the body map twice over) renders slowly in jsdom on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * An in-memory stand-in for /api/v1/diary/entries: revisions, idempotent create on the key like the
 * real one (same body → 200, other body → 409), newest-first pages with a cursor.
 */
class FakeDiaryServer {
  readonly revisions = new Map<string, DiaryRevision[]>();
  readonly requests: Request[] = [];
  /** How the next POSTs go: `down` never reaches the server, `lose-answer` stores and then fails. */
  postModes: ('ok' | 'down' | 'lose-answer')[] = [];
  /** Every request fails as if the server were down. */
  down = false;
  private clock = Date.parse('2026-05-01T10:00:00Z');

  /** Stores an entry with its revisions (data of each), as if it had been saved earlier. */
  seed(id: string, ...versions: DiaryData[]): void {
    this.revisions.set(
      id,
      versions.map((data, i) => this.revision(i + 1, data)),
    );
  }

  private revision(revision: number, data: DiaryData | null, at?: string): DiaryRevision {
    this.clock += 60_000;
    return {
      revision,
      at: at ?? new Date(Date.parse(data!.at)).toISOString(),
      deleted: data === null,
      revisedAt: new Date(this.clock).toISOString(),
      revisedBy: TEST_PATIENT.id,
      data,
    };
  }

  current(id: string): DiaryEntry | null {
    const last = this.revisions.get(id)?.at(-1);
    if (!last || last.deleted || !last.data) return null;
    return {
      id,
      revision: last.revision,
      at: last.at,
      revisedAt: last.revisedAt,
      revisedBy: last.revisedBy,
      data: last.data,
    };
  }

  posts(): Request[] {
    return this.requests.filter((r) => r.method === 'POST');
  }

  fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    this.requests.push({ method, path: url.pathname + url.search, headers, body });
    if (this.down) throw new TypeError('Failed to fetch');
    const json = (status: number, value?: unknown) =>
      new Response(value === undefined ? null : JSON.stringify(value), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    const notFound = () => json(404, { code: 'E_NOT_FOUND', message: 'Not found.' });
    const base = '/api/v1/diary/entries';
    if (url.pathname === base && method === 'GET') {
      const all = [...this.revisions.keys()]
        .map((id) => this.current(id))
        .filter((e): e is DiaryEntry => e !== null)
        .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : -1));
      const from = Number(url.searchParams.get('cursor') ?? '0');
      const limit = Number(url.searchParams.get('limit') ?? '100');
      const items = all.slice(from, from + limit);
      return json(200, { items, nextCursor: from + limit < all.length ? String(from + limit) : null });
    }
    if (url.pathname === base && method === 'POST') {
      const mode = this.postModes.shift() ?? 'ok';
      if (mode === 'down') throw new TypeError('Failed to fetch');
      const key = headers['idempotency-key'];
      if (!key) throw new Error('the page must send an Idempotency-Key');
      const data = diaryInputSchema.parse(body) as DiaryData;
      const existing = this.revisions.get(key);
      if (existing) {
        if (canonicalJson(existing[0]!.data) !== canonicalJson(data))
          return json(409, { code: 'E_CONFLICT', message: 'This Idempotency-Key was already used.' });
        return json(200, this.current(key));
      }
      this.revisions.set(key, [this.revision(1, data)]);
      if (mode === 'lose-answer') throw new TypeError('The connection was reset');
      return json(201, this.current(key));
    }
    const match = /^\/api\/v1\/diary\/entries\/([^/]+)(\/history)?$/.exec(url.pathname);
    const id = match ? decodeURIComponent(match[1]!) : '';
    const list = this.revisions.get(id);
    if (!match || !list) return notFound();
    if (match[2] && method === 'GET') return json(200, { id, revisions: list });
    if (method === 'GET') return this.current(id) ? json(200, this.current(id)) : notFound();
    if (method === 'PUT') {
      if (!this.current(id)) return notFound();
      list.push(this.revision(list.length + 1, diaryInputSchema.parse(body) as DiaryData));
      return json(200, this.current(id));
    }
    if (method === 'DELETE') {
      if (this.current(id)) list.push(this.revision(list.length + 1, null, list.at(-1)!.at));
      return new Response(null, { status: 204 });
    }
    return notFound();
  };
}

function data(overrides: Partial<DiaryData> = {}): DiaryData {
  return {
    ...(diaryInputSchema.parse({ at: '2026-04-20T09:30:00+02:00' }) as DiaryData),
    ...overrides,
  };
}

let server: FakeDiaryServer;

function renderPage() {
  return renderAt('/diary', <DiaryPage />, PATIENT_SESSION);
}

/** The new-entry form's region of the page. */
function newEntry() {
  return within(region(/^(New entry|Your entry that was not sent yet)$/));
}

/** A section of the page by its heading (by text: role queries are slow on a page this size). */
function region(heading: string | RegExp): HTMLElement {
  return screen.getByText(heading, { selector: 'h2' }).closest('section')!;
}

/** Picks a value of a 0–10 row by its legend. */
function rate(scope: ReturnType<typeof within>, legend: string, value: number) {
  fireEvent.click(within(scale(scope, legend)).getByLabelText(new RegExp(`^${value}\\b`)));
}

/** A 0–10 row by its legend (by text: role queries are slow on a page this size). */
function scale(scope: ReturnType<typeof within>, legend: string): HTMLElement {
  return scope.getByText(legend, { selector: 'legend' }).closest('fieldset')!;
}

/** The first entry of the list, once loaded (by its element: role queries over the page are slow). */
function firstEntry(): Promise<HTMLElement> {
  return waitFor(() => {
    const article = document.querySelector<HTMLElement>('.diary-entry > article');
    if (!article) throw new Error('no entry listed yet');
    return article;
  });
}

function storedUnsent(): { key: string; body: unknown }[] {
  return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as { key: string; body: unknown }[];
}

beforeEach(() => {
  localStorage.clear();
  server = new FakeDiaryServer();
  setClientDeps({ fetch: server.fetch as typeof fetch, csrfToken: () => 'csrf' });
});
afterEach(() => {
  cleanup();
  setClientDeps();
  vi.restoreAllMocks();
});

describe('diary page: a new entry', () => {
  it('a complete entry in four taps posts the right body with an Idempotency-Key, then the form starts afresh', async () => {
    renderPage();
    await screen.findByText('No entries yet.');
    const form = newEntry();
    const before = isoWithOffset(localMinute());
    rate(form, 'Writing', 6);
    fireEvent.click(form.getByLabelText('Cramping'));
    fireEvent.click(form.getByLabelText('Fingers, your right side'));
    fireEvent.click(form.getByText('Save the entry', { selector: 'button' }));

    const status = await screen.findByText(/^Saved\. Your entry of .* is in your diary\.$/);
    expect(status.closest('[role="status"]')).not.toBeNull();
    const after = isoWithOffset(localMinute());
    const [post] = server.posts();
    expect(server.posts()).toHaveLength(1);
    expect(post!.headers['idempotency-key']).toMatch(UUID);
    expect(post!.headers['x-csrf-token']).toBe('csrf');
    const body = post!.body as DiaryData;
    // "now" by default, to the minute, with the device's offset
    expect([before, after]).toContain(body.at);
    expect(body).toEqual({
      at: body.at,
      severity: { writing: 6 },
      symptoms: ['cramping'],
      painLevel: null,
      context: {},
      bodyMap: { left: [], right: ['fingers'] },
      notes: null,
    });

    // reset: nothing chosen, and the next save has a new key
    expect(
      within(scale(form, 'Writing'))
        .getAllByRole('radio')
        .some((r) => (r as HTMLInputElement).checked),
    ).toBe(false);
    expect(form.getByLabelText('Fingers, your right side').getAttribute('aria-checked')).toBe('false');
    const list = region('Recent entries');
    expect(within(list).getByText('Writing: 6 of 10')).toBeTruthy();
    rate(form, 'Writing', 2);
    fireEvent.click(form.getByText('Save the entry', { selector: 'button' }));
    await waitFor(() => expect(server.posts()).toHaveLength(2));
    expect(server.posts()[1]!.headers['idempotency-key']).toMatch(UUID);
    expect(server.posts()[1]!.headers['idempotency-key']).not.toBe(post!.headers['idempotency-key']);
  });

  it('shows the other tasks, pain and the triggers only when asked, and sends what was entered there', async () => {
    renderPage();
    await screen.findByText('No entries yet.');
    const form = newEntry();
    expect(form.getByText('Typing', { selector: 'legend' }).closest('[hidden]')).not.toBeNull();
    expect(form.queryByText('How strong was the pain?', { selector: 'legend' })).toBeNull();
    expect(form.getByText('Stress', { selector: 'legend' }).closest('[hidden]')).not.toBeNull();

    const other = form.getByRole('button', { name: /Other tasks/ });
    expect(other.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(other);
    expect(other.getAttribute('aria-expanded')).toBe('true');
    expect(scale(form, 'Typing').closest('[hidden]')).toBeNull();
    rate(form, 'Typing', 3);
    fireEvent.click(form.getByLabelText('Pain'));
    rate(form, 'How strong was the pain?', 5);
    fireEvent.click(form.getByRole('button', { name: /Triggers and context/ }));
    expect(scale(form, 'Stress').closest('[hidden]')).toBeNull();
    rate(form, 'Stress', 7);
    fireEvent.change(form.getByLabelText('Hours of practice or writing'), { target: { value: '2,5' } });
    fireEvent.change(form.getByLabelText('Hours of sleep'), { target: { value: '6' } });
    fireEvent.change(form.getByLabelText('Drinks with caffeine (coffee, tea, cola)'), {
      target: { value: '2' },
    });
    fireEvent.click(form.getByLabelText('Cold hands or a cold room'));
    const notes = form.getByLabelText('Notes');
    fireEvent.change(notes, { target: { value: 'Long exam.' } });
    expect(form.getByText('10 of 2000 characters')).toBeTruthy();
    expect(notes.getAttribute('maxlength')).toBe('2000');
    fireEvent.click(form.getByText('Save the entry', { selector: 'button' }));
    await screen.findByText(/^Saved\./);
    expect(server.posts()[0]!.body).toMatchObject({
      severity: { typing: 3 },
      symptoms: ['pain'],
      painLevel: 5,
      context: { stress: 7, practiceHours: 2.5, sleepHours: 6, caffeineDrinks: 2, cold: true },
      notes: 'Long exam.',
    });
  });

  it('names a number that is not one next to its field and sends nothing', async () => {
    renderPage();
    await screen.findByText('No entries yet.');
    const form = newEntry();
    fireEvent.click(form.getByRole('button', { name: /Triggers and context/ }));
    fireEvent.change(form.getByLabelText('Hours of sleep'), { target: { value: '30' } });
    fireEvent.click(form.getByText('Save the entry', { selector: 'button' }));
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('Hours of sleep: enter a number of hours from 0 to 24');
    expect(form.getByLabelText('Hours of sleep').getAttribute('aria-invalid')).toBe('true');
    expect(server.posts()).toHaveLength(0);
  });
});

describe('diary page: saving when the server cannot be reached', () => {
  it('a failed save keeps the entry in the form and on the device; the retry sends the same key once', async () => {
    renderPage();
    await screen.findByText('No entries yet.');
    server.postModes = ['down'];
    const form = newEntry();
    rate(form, 'Writing', 4);
    fireEvent.change(form.getByLabelText('Notes'), { target: { value: 'after the exam' } });
    fireEvent.click(form.getByText('Save the entry', { selector: 'button' }));

    const alert = await form.findByRole('alert');
    expect(alert.textContent).toMatch(/Not saved yet: .*kept on this device, so nothing you typed is lost/);
    // everything typed is still there
    expect((form.getByLabelText('Notes') as HTMLTextAreaElement).value).toBe('after the exam');
    expect((within(scale(form, 'Writing')).getByLabelText('4') as HTMLInputElement).checked).toBe(true);
    const key = server.posts()[0]!.headers['idempotency-key']!;
    expect(storedUnsent()).toEqual([
      expect.objectContaining({ key, body: expect.objectContaining({ notes: 'after the exam' }) }),
    ]);

    fireEvent.click(form.getByRole('button', { name: /Try again/ }));
    await screen.findByText(/^Saved\. Your entry of/);
    expect(server.posts().map((p) => p.headers['idempotency-key'])).toEqual([key, key]);
    expect(server.posts()[1]!.body).toEqual(server.posts()[0]!.body);
    expect(storedUnsent()).toEqual([]);
    expect(server.revisions.size).toBe(1);
  });

  it('a save whose answer was lost is stored once: the retry with the same key is answered from the stored entry', async () => {
    renderPage();
    await screen.findByText('No entries yet.');
    server.postModes = ['lose-answer'];
    const form = newEntry();
    rate(form, 'Writing', 5);
    fireEvent.click(form.getByText('Save the entry', { selector: 'button' }));
    await form.findByRole('alert');
    fireEvent.click(form.getByRole('button', { name: /Try again/ }));
    await screen.findByText(/an earlier try had already reached the server/);
    expect(server.posts()).toHaveLength(2);
    expect(server.revisions.size).toBe(1);
    expect(within(region('Recent entries')).getAllByRole('article')).toHaveLength(1);
  });

  it('an entry left unsent is offered again after the page is opened anew, and sent with its key', async () => {
    server.postModes = ['down'];
    renderPage();
    await screen.findByText('No entries yet.');
    rate(newEntry(), 'Writing', 7);
    fireEvent.click(newEntry().getByText('Save the entry', { selector: 'button' }));
    await newEntry().findByRole('alert');
    const key = server.posts()[0]!.headers['idempotency-key'];
    cleanup();

    renderPage();
    const unsent = await screen.findByRole('region', { name: 'Not sent yet' });
    expect(unsent.textContent).toMatch(/A new entry of/);
    fireEvent.click(within(unsent).getByRole('button', { name: 'Send it now' }));
    await screen.findByText(/^Saved\. Your entry of/);
    expect(server.posts().at(-1)!.headers['idempotency-key']).toBe(key);
    expect(storedUnsent()).toEqual([]);
    expect(screen.queryByRole('region', { name: 'Not sent yet' })).toBeNull();
    expect(within(region('Recent entries')).getByText('Writing: 7 of 10')).toBeTruthy();
  });

  it('an unsent entry can be opened in the form again, keeping its key', async () => {
    server.postModes = ['down'];
    renderPage();
    await screen.findByText('No entries yet.');
    fireEvent.change(newEntry().getByLabelText('Notes'), { target: { value: 'kept' } });
    fireEvent.click(newEntry().getByText('Save the entry', { selector: 'button' }));
    await newEntry().findByRole('alert');
    const key = server.posts()[0]!.headers['idempotency-key'];
    cleanup();

    renderPage();
    const unsent = await screen.findByRole('region', { name: 'Not sent yet' });
    fireEvent.click(within(unsent).getByRole('button', { name: 'Open it in the form' }));
    const form = within(region('Your entry that was not sent yet'));
    expect((form.getByLabelText('Notes') as HTMLTextAreaElement).value).toBe('kept');
    fireEvent.click(form.getByText('Save the entry', { selector: 'button' }));
    await screen.findByText(/^Saved\./);
    expect(server.posts().at(-1)!.headers['idempotency-key']).toBe(key);
  });
});

describe('diary page: the list', () => {
  const ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

  it('shows an entry readably: time in the locale, each number with its meaning, regions by side', async () => {
    const entry = data({
      severity: { writing: 6 },
      symptoms: ['clenching-or-curling-fingers', 'pain'],
      painLevel: 3,
      context: { stress: 7, sleepHours: 6 },
      bodyMap: { left: [], right: ['fingers', 'forearm'] },
      notes: 'Long exam.',
    });
    server.seed(ID, entry);
    renderPage();
    const article = await screen.findByRole('article', { name: dateTimeWords(entry.at) });
    const text = article.textContent ?? '';
    expect(text).toContain('Severity (0 = no symptoms, 10 = worst)Writing: 6 of 10');
    expect(text).toContain('Clenching or curling fingers, Pain');
    expect(text).toContain('Pain (0 = no pain, 10 = worst pain)3 of 10');
    expect(text).toContain('Stress: 7 of 10Hours of sleep: 6 hours');
    expect(text).toContain('Your left side: none');
    expect(text).toContain('Your right side: Fingers, Forearm');
    expect(text).toContain('Long exam.');
  });

  it('edit puts a new revision of the entry with the changes', async () => {
    server.seed(ID, data({ severity: { writing: 6 }, notes: 'first' }));
    renderPage();
    const article = await firstEntry();
    fireEvent.click(within(article).getByRole('button', { name: /^Edit/ }));
    const form = within(article);
    expect((form.getByLabelText('Notes') as HTMLTextAreaElement).value).toBe('first');
    rate(form, 'Writing', 8);
    fireEvent.click(form.getByText('Save the changes', { selector: 'button' }));
    await screen.findByText(/as revision 2\. The earlier version is kept in its history\./);
    const put = server.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/api/v1/diary/entries/${ID}`);
    expect(put?.body).toMatchObject({
      severity: { writing: 8 },
      notes: 'first',
      at: '2026-04-20T09:30:00+02:00',
    });
    expect(server.posts()).toHaveLength(0);
    const updated = screen.getByRole('article');
    expect(updated.textContent).toContain('Edited: revision 2');
    expect(updated.textContent).toContain('Writing: 8 of 10');
  });

  it('delete asks first, says the history is kept, and deletes only after "Yes"', async () => {
    server.seed(ID, data({ severity: { writing: 6 } }));
    renderPage();
    const article = await firstEntry();
    fireEvent.click(within(article).getByRole('button', { name: /^Delete/ }));
    const question = within(article).getByRole('group', { name: /Delete the entry of/ });
    expect(question.textContent).toMatch(/Its history is kept/);
    const keep = within(question).getByRole('button', { name: 'No, keep it' });
    expect(document.activeElement).toBe(keep);
    fireEvent.click(keep);
    expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false);

    fireEvent.click(within(article).getByRole('button', { name: /^Delete/ }));
    fireEvent.click(within(article).getByRole('button', { name: 'Yes, delete this entry' }));
    await screen.findByText(/^Deleted the entry of .*\. Its history is kept\.$/);
    expect(server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `/api/v1/diary/entries/${ID}`,
    ]);
    expect(screen.queryByRole('article')).toBeNull();
  });

  it('history shows each revision and what changed between them', async () => {
    const first = data({ severity: { writing: 6 }, symptoms: ['cramping'] });
    server.seed(ID, first, { ...first, severity: { writing: 8 }, symptoms: ['cramping', 'tremor'] });
    renderPage();
    const article = await firstEntry();
    const button = within(article).getByRole('button', { name: /^History/ });
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const history = await within(article).findByRole('region', { name: 'History of this entry' });
    const revisions = await within(history).findAllByRole('listitem');
    expect(revisions[0]!.textContent).toMatch(/^Revision 1, as first saved, written/);
    expect(revisions[0]!.textContent).toContain('Writing: 6 of 10');
    const changes = within(history).getByRole('list', { name: 'What revision 2 changed' });
    expect(
      within(changes)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Writing (0 = no symptoms, 10 = worst): 6 of 10 →  changed to 8 of 10',
      'Symptoms: Cramping →  changed to Tremor (shaking), Cramping',
    ]);
  });

  it('lists the newest first, ten at a time, with "Show older entries"', async () => {
    for (let day = 1; day <= 12; day++) {
      server.seed(
        `00000000-0000-4000-8000-${String(day).padStart(12, '0')}`,
        data({ at: `2026-04-${String(day).padStart(2, '0')}T08:00:00Z`, severity: { writing: day % 11 } }),
      );
    }
    renderPage();
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(10));
    expect(screen.getAllByRole('article')[0]!.textContent).toContain(dateTimeWords('2026-04-12T08:00:00Z'));
    fireEvent.click(screen.getByRole('button', { name: 'Show older entries' }));
    expect(screen.getAllByRole('article')).toHaveLength(12);
    expect(screen.getAllByRole('article')[11]!.textContent).toContain(dateTimeWords('2026-04-01T08:00:00Z'));
    expect(screen.queryByRole('button', { name: 'Show older entries' })).toBeNull();
  });
});

describe('diary page: where symptoms were', () => {
  it('counts each region and side over the last 90 days and marks the new ones with their first date', async () => {
    const day = 86_400_000;
    const at = (daysAgo: number) => isoWithOffset(localMinute(Date.now() - daysAgo * day))!;
    server.seed(
      '10000000-0000-4000-8000-000000000001',
      data({ at: at(120), bodyMap: { left: [], right: ['hand'] } }),
    );
    server.seed(
      '10000000-0000-4000-8000-000000000002',
      data({ at: at(30), bodyMap: { left: [], right: ['hand'] } }),
    );
    server.seed(
      '10000000-0000-4000-8000-000000000003',
      data({ at: at(3), bodyMap: { left: ['forearm'], right: ['hand'] } }),
    );
    renderPage();
    const spread = await screen.findByRole('region', { name: 'Where your symptoms were' });
    expect(spread.textContent).toContain('Symptoms can spread to other body regions over time');
    const rows = within(spread).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      `Forearm, your left side1 of 2${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(at(3)))} New`,
      `Hand, your right side2 of 2${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(at(120)))}`,
    ]);
  });

  it('regions beyond the hand and arm marked for the first time bring the see-a-doctor notice; known ones do not', async () => {
    server.seed('20000000-0000-4000-8000-000000000001', data({ bodyMap: { left: ['neck'], right: [] } }));
    renderPage();
    await firstEntry();
    const form = newEntry();
    fireEvent.click(form.getByLabelText('Neck, your left side'));
    expect(form.queryByText('Please see a doctor about your hand')).toBeNull();
    fireEvent.click(form.getByLabelText('Face, your right side'));
    expect(form.getByText('Please see a doctor about your hand')).toBeTruthy();
    expect(form.getByText(/Marked for the first time:/).parentElement!.textContent).toContain(
      'Face, your right side',
    );
    fireEvent.click(form.getByLabelText('Face, your right side'));
    expect(form.queryByText('Please see a doctor about your hand')).toBeNull();
    // a new region of the arm alone is no reason
    fireEvent.click(form.getByLabelText('Shoulder, your left side'));
    expect(form.queryByText('Please see a doctor about your hand')).toBeNull();
    await act(async () => {});
  });
});
