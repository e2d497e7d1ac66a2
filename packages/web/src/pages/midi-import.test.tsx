import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { analyzeRecording, scaleFromMidiFile, scaleRecordingToSmf } from '@dystrack/core';
import { scale, ScaleImportError, simulateRecording, type ScaleImportErrorCode } from '@dystrack/tasks';
import { setClientDeps } from '../api/client.js';
import type { Profile, User } from '../api/types.js';
import { configureQueue, queueEntries } from '../queue/index.js';
import { openQueueDb } from '../queue/db.js';
import { App } from '../app.js';
import { SessionProvider } from '../session/session.js';
import { MidiImportPage, readMidiFile, withPlayed } from './midi-import.js';
import { formatMetricValue } from './session-results.js';

const user: User = {
  id: '44444444-4444-4444-8444-444444444444',
  username: 'clara',
  displayName: 'Clara',
  role: 'patient',
  roleApproved: true,
  scope: 'full',
};
const profile: Profile = {
  affectedHands: 'right',
  dominantHand: 'right',
  dystoniaForms: ['musicians'],
  occupation: null,
  essentialHandTasks: [],
  instrument: 'piano',
  onsetYear: null,
  diagnosisConfirmed: 'yes',
  onboardedAt: '2026-01-01T00:00:00Z',
} as Profile;

function renderPage() {
  const location = memoryLocation({ path: '/import/midi' });
  return render(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <SessionProvider initial={{ user, profile }}>
        <MidiImportPage />
      </SessionProvider>
    </Router>,
  );
}

/** A variable-length quantity of a Standard MIDI File. */
function vlq(n: number): number[] {
  const bytes = [n & 0x7f];
  for (let rest = n >>> 7; rest > 0; rest >>>= 7) bytes.unshift((rest & 0x7f) | 0x80);
  return bytes;
}

/** A format-0 SMF (480 ticks per quarter, default tempo 120 bpm) from [delta ticks, ...message bytes]. */
function smf(events: readonly (readonly number[])[]): Uint8Array {
  const track: number[] = [];
  for (const [delta, ...bytes] of events) track.push(...vlq(delta!), ...bytes);
  track.push(0, 0xff, 0x2f, 0x00);
  const n = track.length;
  return Uint8Array.from([
    ...[0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0],
    ...[0x4d, 0x54, 0x72, 0x6b, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff],
    ...track,
  ]);
}

/** `count` notes of 60 ticks each, C4 to B4 over and over. */
function manyNotes(count: number, channel = 0): Uint8Array {
  const events: number[][] = [];
  for (let i = 0; i < count; i++) {
    const pitch = 60 + (i % 12);
    events.push([0, 0x90 | channel, pitch, 64], [60, 0x80 | channel, pitch, 0]);
  }
  return smf(events);
}

function fileOf(bytes: Uint8Array | string, name = 'scale.mid', type = 'audio/midi'): File {
  return new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type });
}

/** Chooses a file with the page's file input (what the big button opens). */
function chooseFile(file: File) {
  fireEvent.change(screen.getByTestId('midi-file-input'), { target: { files: [file] } });
}

function answer(hand = 'Right hand', played: RegExp = /standard test/) {
  fireEvent.click(within(screen.getByRole('group', { name: 'Which hand played?' })).getByLabelText(hand));
  fireEvent.click(within(screen.getByRole('group', { name: 'What did you play?' })).getByLabelText(played));
}

/** A scale recording's own notes as a .mid file: 4 up-and-down runs at 120 bpm, right hand. */
const played = simulateRecording(scale, { hand: 'right', seed: 11, params: { block: 'a-120', runs: 4 } });
const playedSmf = scaleRecordingToSmf(played, { metronome: false });

beforeEach(() => {
  configureQueue({ db: openQueueDb(`midi-import-test-${Math.random()}`) });
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

describe('MIDI import page', () => {
  it('is at /import/midi, linked from the home page near the task cards', async () => {
    const location = memoryLocation({ path: '/', record: true });
    render(
      <Router hook={location.hook} searchHook={location.searchHook}>
        <SessionProvider initial={{ user, profile }}>
          <App />
        </SessionProvider>
      </Router>,
    );
    const link = await screen.findByRole('link', { name: 'Import a .mid file' });
    expect(link.getAttribute('href')).toBe('/import/midi');
    expect(link.closest('section')?.querySelector('.task-cards')).toBeTruthy();
    fireEvent.click(link);
    expect(await screen.findByRole('heading', { level: 1, name: 'Import a MIDI file' })).toBeTruthy();
    expect(location.history?.at(-1)).toBe('/import/midi');
  });

  it('imports a chosen .mid file, saves it in the upload queue like a task recording, and shows the results', async () => {
    renderPage();
    expect(screen.getByRole('heading', { level: 1, name: 'Import a MIDI file' })).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Choose a .mid file' });
    const input = screen.getByTestId('midi-file-input') as HTMLInputElement;
    const click = vi.spyOn(input, 'click');
    fireEvent.click(button);
    expect(click).toHaveBeenCalled();
    chooseFile(fileOf(playedSmf, 'my scales.mid'));
    expect(screen.getByText(/Chosen: my scales\.mid/)).toBeTruthy();
    answer();
    fireEvent.click(screen.getByRole('button', { name: 'Import and show the results' }));

    await screen.findByRole('heading', { level: 1, name: 'MIDI file imported' });
    await waitFor(async () => expect((await queueEntries(user.id)).map((e) => e.state)).toEqual(['waiting']));
    const [entry] = await queueEntries(user.id);
    const recording = entry!.recording!;
    expect(recording).toMatchObject({ taskId: 'scale', hand: 'right', flags: ['IMPORTED_FILE'] });
    expect(recording.params).toMatchObject({ block: 'a-120', tempoBpm: 120, fileName: 'my scales.mid' });
    expect(recording.source?.fileName).toBe('my scales.mid');
    expect(await screen.findByText(/Saved on this device/)).toBeTruthy();

    // the results of the analysis core, with the note-by-note view
    const metrics = analyzeRecording(recording).metrics;
    expect(metrics.correct_run_count).toBe(analyzeRecording(played).metrics.correct_run_count);
    await screen.findByRole('heading', { name: 'Your results' });
    const sd = document.querySelector('[data-metric="ioi_sd_ms"] .results__value');
    expect(sd?.textContent).toBe(formatMetricValue(metrics.ioi_sd_ms!, 'ms'));
    await screen.findByRole('heading', { name: 'Your timing fingerprint' });
    expect(
      document.querySelector('.scale-results [data-metric="correct_run_count"] dd')?.textContent,
    ).toMatch(new RegExp(`^${metrics.correct_run_count} `));
  });

  it('takes a file dropped on the page too', async () => {
    renderPage();
    const zone = document.getElementById('midi-file')!;
    fireEvent.dragEnter(zone, { dataTransfer: { files: [] } });
    expect(zone.className).toContain('midi-import__drop--over');
    fireEvent.drop(zone, { dataTransfer: { files: [fileOf(playedSmf, 'dropped.mid')] } });
    expect(zone.className).not.toContain('midi-import__drop--over');
    expect(screen.getByText(/Chosen: dropped\.mid/)).toBeTruthy();
    answer('Left hand', /something else/i);
    fireEvent.click(screen.getByRole('button', { name: 'Import and show the results' }));
    await screen.findByRole('heading', { level: 1, name: 'MIDI file imported' });
    const [entry] = await queueEntries(user.id);
    expect(entry!.recording).toMatchObject({ hand: 'left', params: { block: 'import', fileTempoBpm: 120 } });
  });

  it('asks for the file, the hand and what was played before importing anything', async () => {
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Import and show the results' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByText('Choose the .mid file to import.')).toBeTruthy();
    expect(within(summary).getByText('Say which hand played.')).toBeTruthy();
    expect(within(summary).getByText('Say what you played.')).toBeTruthy();
    expect(await queueEntries(user.id)).toEqual([]);
  });

  const tooLarge = new Uint8Array(1_100_000);
  tooLarge.set([0x4d, 0x54, 0x68, 0x64]);
  const cases: [ScaleImportErrorCode, () => File][] = [
    ['NOT_MIDI', () => fileOf('these are my notes: C D E F G', 'notes.mid', '')],
    ['MIDI_CORRUPT', () => fileOf(smf([[0, 0x90, 60, 64]]).slice(0, 25))],
    ['FILE_TOO_LARGE', () => fileOf(tooLarge)],
    ['NO_NOTES', () => fileOf(smf([[0, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20]]))],
    ['ONLY_DRUMS', () => fileOf(manyNotes(20, 9))],
    ['TOO_MANY_EVENTS', () => fileOf(manyNotes(100_000))],
    [
      'TOO_LONG',
      () =>
        fileOf(
          smf([
            [0, 0x90, 60, 64],
            [1_800_000, 0x80, 60, 0],
          ]),
        ),
    ],
  ];
  it.each(cases)('%s: says why in plain words and saves nothing', async (code, make) => {
    renderPage();
    chooseFile(make());
    answer();
    fireEvent.click(screen.getByRole('button', { name: 'Import and show the results' }));
    const alert = await screen.findByText(
      (_, element) =>
        element?.tagName === 'P' &&
        (element.textContent ?? '').startsWith(new ScaleImportError(code).message.slice(0, 40)),
      {},
      { timeout: 10_000 },
    );
    expect(alert.closest('[role="alert"]')?.textContent).toContain('Nothing was saved.');
    if (code === 'NOT_MIDI') {
      expect(alert.textContent).toContain(
        'Its name ends in .mid, but what is inside is not a MIDI recording.',
      );
    }
    expect(screen.getByRole('heading', { level: 1, name: 'Import a MIDI file' })).toBeTruthy();
    expect(await queueEntries(user.id)).toEqual([]);
    // the answers stay for the next file
    expect(
      (
        within(screen.getByRole('group', { name: 'Which hand played?' })).getByLabelText(
          'Right hand',
        ) as HTMLInputElement
      ).checked,
    ).toBe(true);
  });

  it('says that imports need a secure page when the browser has no Web Crypto, and saves nothing', async () => {
    vi.stubGlobal('crypto', {});
    try {
      renderPage();
      chooseFile(fileOf(playedSmf));
      answer();
      fireEvent.click(screen.getByRole('button', { name: 'Import and show the results' }));
      expect(await screen.findByText(/not opened through a secure \(https\) address/)).toBeTruthy();
      expect(await queueEntries(user.id)).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('refuses a 100,000-note file quickly, with the number of events, without reading it twice', async () => {
    const bytes = manyNotes(100_000);
    expect(bytes.length).toBeLessThan(1_048_576);
    renderPage();
    chooseFile(fileOf(bytes, 'long.mid'));
    answer();
    const started = performance.now();
    fireEvent.click(screen.getByRole('button', { name: 'Import and show the results' }));
    expect(await screen.findByText('Reading the file…')).toBeTruthy();
    expect(
      await screen.findByText(
        /too many notes for one recording.*\(200000 events, at most 60000\)/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeTruthy();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await queueEntries(user.id)).toEqual([]);
  });

  it('does not read a file over the limit whole: its first bytes tell a large MIDI file from another file', async () => {
    const big = new Blob([new Uint8Array(2_000_000)]);
    const read = vi.spyOn(big, 'arrayBuffer');
    await expect(readMidiFile(big)).rejects.toMatchObject({ code: 'NOT_MIDI' });
    expect(read).not.toHaveBeenCalled();
    await expect(readMidiFile(fileOf(tooLarge))).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(await readMidiFile(fileOf(playedSmf))).toEqual(playedSmf);
  });

  it('stores what was played: the block and its beat, keeping the file’s own tempo', () => {
    const base = { ...played, params: { ...played.params, block: 'import', tempoBpm: 100 } };
    expect(withPlayed(base, 'b-80').params).toMatchObject({ block: 'b-80', tempoBpm: 80, fileTempoBpm: 100 });
    expect(withPlayed(base, 'c-continuation').params).toMatchObject({ tempoBpm: 120, fileTempoBpm: 100 });
    expect(withPlayed(base, 'd-passage').params).toMatchObject({ block: 'd-passage', tempoBpm: 100 });
    expect(withPlayed(base, 'other').params).toMatchObject({ block: 'import', tempoBpm: 100 });
    // the notes are those of the file
    expect(scaleFromMidiFile(playedSmf).notes.length).toBeGreaterThan(100);
  });
});
