import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { canonicalJson, scaleRecordingToSmf, type Recording } from '@dystrack/core';
import { scale, simulateRecording, tapping } from '@dystrack/tasks';
import { setClientDeps } from '../api/client.js';
import type { Profile, RecordingSummary, User } from '../api/types.js';
import { configureQueue, enqueueRecording } from '../queue/index.js';
import { openQueueDb } from '../queue/db.js';
import { SessionProvider } from '../session/session.js';
import { midiFileName, RecordingsPage } from './recordings.js';

const user: User = {
  id: '55555555-5555-4555-8555-555555555555',
  username: 'dora',
  displayName: 'Dora',
  role: 'patient',
  roleApproved: true,
  scope: 'full',
};
const profile = { affectedHands: 'right', diagnosisConfirmed: 'yes' } as Profile;

function summaryOf(recording: Recording, erasedAt: string | null = null): RecordingSummary {
  return {
    id: recording.id,
    taskId: recording.taskId,
    taskVersion: recording.taskVersion,
    schemaVersion: recording.schemaVersion,
    hand: recording.hand,
    startedAt: recording.startedAt,
    durationMs: recording.durationMs,
    flags: recording.flags,
    sha256: 'ab'.repeat(32),
    byteLength: 1000,
    receivedAt: recording.startedAt,
    erasedAt,
    supervisedBy: null,
  };
}

/** The server: lists `stored`, answers GET /api/v1/recordings/:id with the recording; sending fails. */
function fakeServer(stored: { recording: Recording; erasedAt?: string | null }[]) {
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const path = String(url);
    if ((init?.method ?? 'GET') === 'GET' && path.startsWith('/api/v1/recordings?'))
      return json({ items: stored.map((s) => summaryOf(s.recording, s.erasedAt ?? null)), nextCursor: null });
    const match = /^\/api\/v1\/recordings\/([^/?]+)$/.exec(path);
    const found = match && stored.find((s) => s.recording.id === decodeURIComponent(match[1]!));
    if ((init?.method ?? 'GET') === 'GET' && found) {
      // the stored canonical JSON embedded as it is
      return new Response(
        `{"summary":${JSON.stringify(summaryOf(found.recording))},"recording":${canonicalJson(found.recording)}}`,
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    }
    throw new TypeError('Failed to fetch');
  });
  setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch });
  return fetch;
}

/** Captures what the page offers for download: the file name and the bytes. */
function captureDownloads() {
  const downloads: { name: string; blob: Blob }[] = [];
  const blobs = new Map<string, Blob>();
  let n = 0;
  URL.createObjectURL = vi.fn((blob: Blob) => {
    const url = `blob:test/${n++}`;
    blobs.set(url, blob);
    return url;
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: blobs.get(this.href)! });
  });
  return downloads;
}

function renderPage(signedIn: User = user) {
  const location = memoryLocation({ path: '/recordings' });
  return render(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <SessionProvider initial={{ user: signedIn, profile }}>
        <RecordingsPage />
      </SessionProvider>
    </Router>,
  );
}

const scaleRecording = {
  ...simulateRecording(scale, { hand: 'right', seed: 8, params: { block: 'a-120', runs: 2 } }),
  startedAt: '2026-11-20T09:30:15.000Z',
};

beforeEach(() => {
  configureQueue({ db: openQueueDb(`recordings-test-${Math.random()}`) });
});
afterEach(() => {
  cleanup();
  setClientDeps();
  vi.restoreAllMocks();
});

describe('recordings page: a scale recording as a MIDI file', () => {
  it('names the file with the task, hand, date and time', () => {
    expect(midiFileName(scaleRecording)).toBe(
      `dystrack-scale-right-2026-11-20-09-30-15-${scaleRecording.id.slice(0, 8)}.mid`,
    );
  });

  it('offers "Download .mid" for a scale recording on this device: the bytes of scaleRecordingToSmf', async () => {
    fakeServer([]);
    const downloads = captureDownloads();
    await enqueueRecording(user.id, scaleRecording);
    await enqueueRecording(user.id, simulateRecording(tapping, { hand: 'left', seed: 1 }));
    renderPage();
    const scope = await screen.findByRole('region', { name: 'On this device' });
    // one .mid button: the tapping recording has none
    const buttons = await within(scope).findAllByRole('button', { name: /Download \.mid/ });
    expect(buttons).toHaveLength(1);
    expect(within(scope).getAllByRole('button', { name: /^Download\s*this recording$/ })).toHaveLength(2);
    fireEvent.click(buttons[0]!);
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]!.name).toBe(midiFileName(scaleRecording));
    expect(downloads[0]!.blob.type).toBe('audio/midi');
    expect(new Uint8Array(await downloads[0]!.blob.arrayBuffer())).toEqual(
      scaleRecordingToSmf(scaleRecording),
    );
  });

  it('fetches a scale recording stored on the server to make its MIDI file; none for erased or other recordings', async () => {
    const other = simulateRecording(tapping, { hand: 'right', seed: 2 });
    const erased = { ...scaleRecording, id: '00000000-0000-4000-8000-0000000000ee' };
    const fetch = fakeServer([
      { recording: scaleRecording },
      { recording: other },
      { recording: erased, erasedAt: '2026-11-21T00:00:00Z' },
    ]);
    const downloads = captureDownloads();
    renderPage();
    const server = await screen.findByRole('region', { name: 'Stored on the server' });
    await within(server).findAllByRole('heading', { level: 3 });
    const buttons = within(server).getAllByRole('button', { name: /Download \.mid/ });
    expect(buttons).toHaveLength(1);
    fireEvent.click(buttons[0]!);
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(fetch).toHaveBeenCalledWith(`/api/v1/recordings/${scaleRecording.id}`, expect.anything());
    expect(downloads[0]!.name).toBe(midiFileName(scaleRecording));
    expect(new Uint8Array(await downloads[0]!.blob.arrayBuffer())).toEqual(
      scaleRecordingToSmf(scaleRecording),
    );
  });

  it('says so when a scale recording holds no notes, or the server cannot give it', async () => {
    const empty: Recording = {
      ...scaleRecording,
      id: '00000000-0000-4000-8000-0000000000aa',
      streams: {
        ...scaleRecording.streams,
        midi: {
          columns: {
            timeStampMs: { type: 'f64', values: [] },
            bytesHex: { type: 'str', values: [] },
            inputId: { type: 'str', values: [] },
          },
        },
      },
      flags: ['MIDI_UNSUPPORTED'],
    };
    fakeServer([]);
    const downloads = captureDownloads();
    await enqueueRecording(user.id, empty);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: /Download \.mid/ }));
    expect(await screen.findByText(/holds no notes, so there is no MIDI file/)).toBeTruthy();
    expect(downloads).toHaveLength(0);
  });

  it('says why when the stored recording cannot be fetched', async () => {
    const fetch = fakeServer([{ recording: scaleRecording }]);
    renderPage();
    const server = await screen.findByRole('region', { name: 'Stored on the server' });
    const button = await within(server).findByRole('button', { name: /Download \.mid/ });
    fetch.mockImplementation(async () => {
      throw new TypeError('Failed to fetch');
    });
    fireEvent.click(button);
    expect(
      await within(server).findByText(/The MIDI file could not be made: The server could not be reached/),
    ).toBeTruthy();
  });
});

describe('recordings page on a phone signed in for recording only', () => {
  it('lists what waits on the phone and does not ask the server for the stored recordings', async () => {
    const fetch = fakeServer([{ recording: scaleRecording }]);
    await enqueueRecording(user.id, scaleRecording);
    renderPage({ ...user, scope: 'record' });
    const device = await screen.findByRole('region', { name: 'On this device' });
    expect(await within(device).findAllByRole('button', { name: /Download \.mid/ })).toHaveLength(1);
    expect(screen.getByText(/This phone is signed in for recording only/)).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Stored on the server' })).toBeNull();
    expect(
      fetch.mock.calls.map(([url]) => String(url)).filter((u) => u.startsWith('/api/v1/recordings?')),
    ).toEqual([]);
  });
});
