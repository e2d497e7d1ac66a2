import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import { makeRecording, serverSha256 } from '../test/fixtures.js';
import { openQueueDb, type QueueDb } from './db.js';
import { Sender } from './sender.js';
import { compactCheckpoints, requestSend, saveCheckpoint, saveRecording } from './store.js';

/*
 * In-clinic mode: a clinician records a task for a patient. The entry is the clinician's (only their
 * session sends it), and the POST names the patient, so that the server stores it as the patient's.
 */

const CLINICIAN = '44444444-4444-4444-8444-444444444444';
const PATIENT = '55555555-5555-4555-8555-555555555555';

let db: QueueDb;
let sender: Sender | null = null;
const calls: { url: string; body: string }[] = [];

beforeEach(() => {
  db = openQueueDb('for-patient-test', { indexedDB: new IDBFactory(), IDBKeyRange });
  calls.length = 0;
  // the real request path (the sender's default post), answered like the server: 201 with the SHA-256
  setClientDeps({
    fetch: vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const body = String(init?.body ?? '');
      calls.push({ url: String(input), body });
      const value = JSON.parse(body) as { id: string };
      return new Response(JSON.stringify({ id: value.id, sha256: serverSha256(value) }), {
        status: 201,
        headers: { 'content-type': 'application/json' },
      });
    }),
    csrfToken: () => 'csrf',
  });
});

afterEach(() => {
  sender?.stop();
  sender = null;
  db.close();
  setClientDeps();
});

function newSender(): Sender {
  sender = new Sender({ db, refreshCsrf: async () => undefined, locks: null, random: () => 0 });
  sender.setUser(CLINICIAN);
  return sender;
}

describe('queue entries recorded for a patient', () => {
  it('keeps forPatientId on the entry and posts to /api/v1/recordings?patient=<id>', async () => {
    const recording = makeRecording();
    await saveRecording(db, CLINICIAN, recording, { forPatientId: PATIENT });
    expect((await db.entries.get(recording.id))!).toMatchObject({
      userId: CLINICIAN,
      forPatientId: PATIENT,
      state: 'waiting',
    });
    expect(await newSender().flush()).toMatchObject({ sent: 1 });
    expect(calls.map((c) => c.url)).toEqual([`/api/v1/recordings?patient=${PATIENT}`]);
    // the recording itself is unchanged: the same bytes as one's own recording
    expect(JSON.parse(calls[0]!.body)).toEqual(recording);
    expect((await db.entries.get(recording.id))!.state).toBe('sent');
  });

  it('one’s own recordings still go to /api/v1/recordings without a patient', async () => {
    const own = makeRecording();
    const forPatient = makeRecording();
    await saveRecording(db, CLINICIAN, own, { now: 1 });
    await saveRecording(db, CLINICIAN, forPatient, { now: 2, forPatientId: PATIENT });
    expect((await db.entries.get(own.id))!.forPatientId).toBeUndefined();
    await newSender().flush();
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/recordings', `/api/v1/recordings?patient=${PATIENT}`]);
  });

  it('an incomplete in-clinic recording the clinician chooses to send also goes to the patient', async () => {
    const partial = makeRecording({ flags: ['ABORTED'] });
    await saveCheckpoint(db, CLINICIAN, partial, { runId: 'run-1', forPatientId: PATIENT });
    await compactCheckpoints(db, partial.id);
    expect(await requestSend(db, partial.id, CLINICIAN)).toBe(true);
    await newSender().flush();
    expect(calls.map((c) => c.url)).toEqual([`/api/v1/recordings?patient=${PATIENT}`]);
  });

  it('the finished recording of an in-clinic run replaces its checkpoint and keeps the patient', async () => {
    const partial = makeRecording({ durationMs: 1000 });
    await saveCheckpoint(db, CLINICIAN, partial, { runId: 'run-2', forPatientId: PATIENT });
    await saveRecording(
      db,
      CLINICIAN,
      { ...partial, durationMs: 20_000 },
      {
        runId: 'run-2',
        forPatientId: PATIENT,
      },
    );
    const entries = await db.entries.toArray();
    expect(entries.map((e) => [e.state, e.forPatientId])).toEqual([['waiting', PATIENT]]);
  });

  it('a 403 for the patient (sharing stopped) keeps the entry as refused and does not hold up other uploads', async () => {
    const forPatient = makeRecording();
    const own = makeRecording();
    await saveRecording(db, CLINICIAN, forPatient, { now: 1, forPatientId: PATIENT });
    await saveRecording(db, CLINICIAN, own, { now: 2 });
    setClientDeps({
      csrfToken: () => 'csrf',
      fetch: vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = String(input);
        calls.push({ url, body: String(init?.body) });
        if (url.includes('?patient='))
          return new Response(
            JSON.stringify({ code: 'E_FORBIDDEN', message: 'This patient does not share tasks with you.' }),
            { status: 403, headers: { 'content-type': 'application/json' } },
          );
        const value = JSON.parse(String(init?.body)) as { id: string };
        return new Response(JSON.stringify({ id: value.id, sha256: serverSha256(value) }), { status: 201 });
      }),
    });
    const sender = newSender();
    expect(await sender.flush()).toMatchObject({ sent: 1, rejected: 1 });
    expect(sender.status).not.toBe('needs-sign-in');
    expect((await db.entries.get(forPatient.id))!).toMatchObject({
      state: 'rejected',
      recording: forPatient,
      lastError: { status: 403, code: 'E_FORBIDDEN' },
    });
    expect((await db.entries.get(own.id))!.state).toBe('sent');
  });
});
