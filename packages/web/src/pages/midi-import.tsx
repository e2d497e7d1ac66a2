import { TASK_RECORDING_SPECS, type Recording } from '@dystrack/core';
import {
  blockTempoBpm,
  importScaleMidiFile,
  readScaleParams,
  resolveParams,
  scaleDefinition,
  ScaleImportError,
  type Hand,
  type ScaleBlock,
} from '@dystrack/tasks';
import { Suspense, useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ErrorSummary, RadioGroup, type FormProblem } from '../components/form.js';
import { useTitle } from '../components/use-title.js';
import { bytesWords, handWords } from '../format.js';
import { enqueueRecording, useQueueEntries } from '../queue/index.js';
import { useSession } from '../session/session.js';
import { errorMessage, useFormProblems } from './form-helpers.js';
import { SessionResults } from './session-results.js';
import { downloadRecording, entryStatusWords } from './task.js';

/** What the file holds: one of the task's blocks, or something else (then the file's own tempo is kept). */
export type PlayedChoice = Exclude<ScaleBlock, 'warm-up'> | 'other';

const BLOCK_LABELS = scaleDefinition.parameters.block.ask.labels;

const PLAYED_CHOICES: { value: PlayedChoice; label: string }[] = [
  { value: 'a-120', label: BLOCK_LABELS['a-120'] },
  { value: 'b-80', label: BLOCK_LABELS['b-80'] },
  { value: 'c-continuation', label: BLOCK_LABELS['c-continuation'] },
  { value: 'd-passage', label: BLOCK_LABELS['d-passage'] },
  { value: 'other', label: 'Something else, or I am not sure' },
];

const HAND_CHOICES = scaleDefinition.hands.map((hand) => ({
  value: hand,
  label: hand === 'both' ? 'Both hands' : `${hand === 'left' ? 'Left' : 'Right'} hand`,
}));

const FIELD = { file: 'midi-file', hand: 'midi-hand', played: 'midi-played' } as const;

/** Largest file a recording can carry as its source (1 MiB). */
const MAX_BYTES = TASK_RECORDING_SPECS.scale.acceptsSourceFile!.maxBytes;

/**
 * The recording of an import with what the person said was played: `block` (kept `import` for
 * "something else"), and the block's metronome tempo as `tempoBpm` — the tempo stored in a file is often
 * the instrument's default rather than the beat played to — with the file's own tempo kept as
 * `fileTempoBpm`.
 */
export function withPlayed(recording: Recording, played: PlayedChoice): Recording {
  const fileTempo = recording.params.tempoBpm ?? null;
  if (played === 'other') return { ...recording, params: { ...recording.params, fileTempoBpm: fileTempo } };
  const tempo = blockTempoBpm(readScaleParams(resolveParams(scaleDefinition, { block: played })));
  return {
    ...recording,
    params: { ...recording.params, block: played, tempoBpm: tempo ?? fileTempo, fileTempoBpm: fileTempo },
  };
}

/**
 * Reads a chosen file into bytes for {@link importScaleMidiFile}. A file over the size limit is not read
 * whole (it could be gigabytes): its first 4 bytes tell a MIDI file that is too large from another file.
 * @throws ScaleImportError `FILE_TOO_LARGE` or `NOT_MIDI` for a file over the limit
 */
export async function readMidiFile(file: Blob): Promise<Uint8Array> {
  if (file.size > MAX_BYTES) {
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    const isMidi = String.fromCharCode(...head) === 'MThd';
    throw new ScaleImportError(isMidi ? 'FILE_TOO_LARGE' : 'NOT_MIDI');
  }
  return new Uint8Array(await file.arrayBuffer());
}

/** Without Web Crypto (a page on plain http other than localhost) the file's fingerprint cannot be made. */
const NOT_SECURE =
  'This page is not opened through a secure (https) address, so the browser cannot take the file’s fingerprint that the server checks. Open Dystrack through its https address to import files.';

/** Why a file was not imported, for the person. */
export function importErrorWords(error: unknown, fileName: string): string {
  if (error instanceof ScaleImportError) {
    if (error.code === 'NOT_MIDI' && /\.midi?$/i.test(fileName))
      return `${error.message} Its name ends in .mid, but what is inside is not a MIDI recording.`;
    return error.message;
  }
  if (!globalThis.crypto?.subtle) return NOT_SECURE;
  return `The file could not be imported: ${errorMessage(error)}`;
}

/** Lets the browser paint (the "Reading the file…" status) before the file is parsed. */
const nextPaint = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

type Phase =
  | { name: 'form' }
  | { name: 'reading' }
  | { name: 'done'; recording: Recording; played: PlayedChoice; fileName: string }
  /** Imported, but it could not be stored on this device: offered as a download at once. */
  | { name: 'unsaved'; recording: Recording; message: string };

/** Where the imported recording is (saved on this device, sent), kept up to date. */
function SaveStatus({ userId, recordingId }: { userId: string; recordingId: string }) {
  const entries = useQueueEntries(userId);
  const { text, tone } = entryStatusWords(entries?.find((e) => e.id === recordingId));
  return (
    <div className={`save-status save-status--${tone}`}>
      <p role="status" aria-live="polite">
        {text}
      </p>
    </div>
  );
}

/**
 * Import of a Standard MIDI File recorded on a digital piano (for people whose browser has no Web MIDI,
 * or who recorded away from the computer): choose the file (a large button, or drop it on the page),
 * say which hand played and what, then the file becomes a scale recording (`importScaleMidiFile`), is
 * saved through the upload queue like a task's recording, and its results are shown. A file that cannot
 * be imported gets a plain message and nothing is saved.
 */
export function MidiImportPage({
  importFile = importScaleMidiFile,
}: {
  importFile?: typeof importScaleMidiFile;
} = {}) {
  useTitle('Import a MIDI file');
  const session = useSession();
  const userId = session.user?.id ?? '';
  const [phase, setPhase] = useState<Phase>({ name: 'form' });
  const [file, setFile] = useState<File | null>(null);
  const [hand, setHand] = useState<Hand | null>(null);
  const [played, setPlayed] = useState<PlayedChoice | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const inputRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  // a file dropped next to the drop area would make the browser open it and leave the page
  useEffect(() => {
    const keep = (event: globalThis.DragEvent) => {
      if (Array.from(event.dataTransfer?.types ?? []).includes('Files')) event.preventDefault();
    };
    window.addEventListener('dragover', keep);
    window.addEventListener('drop', keep);
    return () => {
      window.removeEventListener('dragover', keep);
      window.removeEventListener('drop', keep);
    };
  }, []);

  function choose(chosen: File | null | undefined) {
    if (!chosen) return;
    setFile(chosen);
    setFileError(null);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0]);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const missing: FormProblem[] = [];
    if (!file) missing.push({ fieldId: FIELD.file, message: 'Choose the .mid file to import.' });
    if (!hand) missing.push({ fieldId: FIELD.hand, message: 'Say which hand played.' });
    if (!played) missing.push({ fieldId: FIELD.played, message: 'Say what you played.' });
    show(missing);
    if (!file || !hand || !played) return;
    setFileError(null);
    setPhase({ name: 'reading' });
    await nextPaint();
    let recording: Recording;
    try {
      recording = withPlayed(
        await importFile(await readMidiFile(file), { fileName: file.name, mediaType: file.type, hand }),
        played,
      );
    } catch (error) {
      // nothing was saved: say why, and keep the answers for another file
      setFileError(importErrorWords(error, file.name));
      setPhase({ name: 'form' });
      requestAnimationFrame(() => alertRef.current?.focus());
      return;
    }
    try {
      await enqueueRecording(userId, recording);
      setPhase({ name: 'done', recording, played, fileName: file.name });
    } catch (error) {
      setPhase({ name: 'unsaved', recording, message: errorMessage(error) });
    }
  }

  function again() {
    setFile(null);
    setFileError(null);
    if (inputRef.current) inputRef.current.value = '';
    setPhase({ name: 'form' });
  }

  const links = (
    <div className="actions actions--row">
      <button type="button" className="button button--primary" onClick={again}>
        Import another file
      </button>
      <Link href="/recordings" className="button button--secondary">
        Your recordings
      </Link>
      <Link href="/" className="button button--secondary">
        Back to the tasks
      </Link>
    </div>
  );

  if (phase.name === 'done') {
    const playedLabel = PLAYED_CHOICES.find((c) => c.value === phase.played)?.label ?? phase.played;
    return (
      <div className="page page--narrow">
        <h1>MIDI file imported</h1>
        <SaveStatus userId={userId} recordingId={phase.recording.id} />
        <dl className="facts">
          <div>
            <dt>File</dt>
            <dd>{phase.fileName}</dd>
          </div>
          <div>
            <dt>Played with</dt>
            <dd>the {handWords(phase.recording.hand)}</dd>
          </div>
          <div>
            <dt>What was played</dt>
            <dd>{playedLabel}</dd>
          </div>
        </dl>
        <Suspense fallback={<p role="status">Computing your results…</p>}>
          <SessionResults recording={phase.recording} />
        </Suspense>
        {links}
      </div>
    );
  }
  if (phase.name === 'unsaved') {
    return (
      <div className="page page--narrow">
        <h1>MIDI file imported, but not saved</h1>
        <div className="notice notice--error" role="alert">
          <p>
            The recording could not be saved on this device: {phase.message} Download it now so that it is not
            lost; you can import the original .mid file again later.
          </p>
        </div>
        <div className="actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => downloadRecording(phase.recording)}
          >
            Download the recording
          </button>
        </div>
        {links}
      </div>
    );
  }

  const reading = phase.name === 'reading';
  const fileProblem = errorOf(FIELD.file);
  return (
    <div className="page page--narrow">
      <h1>Import a MIDI file</h1>
      <p className="lead">
        Played your scales on a digital piano that this browser cannot connect to? Most digital pianos can
        record what you play as a MIDI file (.mid), onto a USB stick or into an app. Import the file here to
        measure it like the scale task does.
      </p>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      {fileError ? (
        <div className="notice notice--error" role="alert" tabIndex={-1} ref={alertRef}>
          <p>{fileError}</p>
          <p>Nothing was saved. Choose another file, or record the scales again.</p>
        </div>
      ) : null}
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="form">
        <div
          id={FIELD.file}
          tabIndex={-1}
          className={`field midi-import__drop${dragging ? ' midi-import__drop--over' : ''}${fileProblem ? ' field--error' : ''}`}
          onDragEnter={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragOver={(event) => event.preventDefault()}
          onDragLeave={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
          }}
          onDrop={onDrop}
        >
          <p className="midi-import__label" id={`${FIELD.file}-label`}>
            The MIDI file
          </p>
          {fileProblem ? (
            <p id={`${FIELD.file}-error`} className="field__error">
              <span className="visually-hidden">Error: </span>
              {fileProblem}
            </p>
          ) : null}
          <input
            ref={inputRef}
            type="file"
            accept=".mid,.midi,audio/midi,audio/x-midi"
            className="visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            data-testid="midi-file-input"
            onChange={(event) => choose(event.target.files?.[0])}
          />
          <button
            type="button"
            className="button button--secondary button--large midi-import__choose"
            aria-describedby={`${FIELD.file}-chosen${fileProblem ? ` ${FIELD.file}-error` : ''}`}
            onClick={() => inputRef.current?.click()}
            disabled={reading}
          >
            {file ? 'Choose another .mid file' : 'Choose a .mid file'}
          </button>
          <p className="midi-import__chosen" id={`${FIELD.file}-chosen`} aria-live="polite">
            {file ? `Chosen: ${file.name} (${bytesWords(file.size)})` : 'No file chosen yet.'}
          </p>
          <p className="midi-import__hint">You can also drop the file here.</p>
        </div>
        <RadioGroup
          id={FIELD.hand}
          name="midi-hand"
          legend="Which hand played?"
          choices={HAND_CHOICES}
          value={hand}
          onChange={setHand}
          error={errorOf(FIELD.hand)}
        />
        <RadioGroup
          id={FIELD.played}
          name="midi-played"
          legend="What did you play?"
          hint="Scales are measured note by note; your own passage is kept to compare with your later recordings of it."
          choices={PLAYED_CHOICES}
          value={played}
          onChange={setPlayed}
          error={errorOf(FIELD.played)}
        />
        <div className="actions">
          <button type="submit" className="button button--primary button--large" disabled={reading}>
            Import and show the results
          </button>
        </div>
        <p role="status" className="status-line">
          {reading ? 'Reading the file…' : ''}
        </p>
      </form>
      <p>
        <Link href="/">Back to the tasks</Link>
      </p>
    </div>
  );
}
