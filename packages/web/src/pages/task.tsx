import {
  loadCapture,
  PRE_SESSION_QUESTIONS,
  randomUuid,
  runTask,
  TaskAbortedError,
  loadTaskDefinition,
  tremorSequence,
  type TaskDefinition,
  type Hand,
  type TaskParams,
  type CaptureTask,
} from '@dystrack/tasks';
import type { Recording } from '@dystrack/core';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { canonicalJson } from '@dystrack/core';
import { useTitle } from '../components/use-title.js';
import { downloadText } from '../download.js';
import {
  approxDurationWords,
  durationWords,
  flagsWords,
  handWords,
  inputsWords,
  whenWords,
} from '../format.js';
import {
  createCheckpointWriter,
  enqueueRecording,
  useQueueEntries,
  type QueueEntryView,
} from '../queue/index.js';
import { useSession } from '../session/session.js';
import { listClinicPatients } from '../clinic/api.js';
import { PreSessionForm, type PreSessionResult } from './pre-session.js';
import { errorMessage } from './form-helpers.js';

/** The results after a session, with the analysis core: loaded only when a run ends (not on the capture route). */
const SessionResults = lazy(async () => ({
  default: (await import('./session-results.js')).SessionResults,
}));

type Phase =
  | { name: 'questions' }
  | { name: 'running'; start: PreSessionResult; recordingId: string; runId: string }
  | { name: 'done'; recordingId: string; recording: Recording; start: PreSessionResult }
  | { name: 'cancelled'; recordingId: string; kept: boolean }
  | { name: 'failed'; message: string; recordingId: string }
  /** The recording exists but could not be stored on this device: offer it as a download at once. */
  | { name: 'unsaved'; recording: Recording; message: string };

const INPUT_DEVICE_KEY = 'dystrack.inputDevice.';

function rememberedInputDevice(taskId: string): string {
  try {
    return localStorage.getItem(INPUT_DEVICE_KEY + taskId) ?? '';
  } catch {
    return '';
  }
}

const PARAMS_KEY = 'dystrack.params.';

/** The choices the person made for a task last time (how to tap, …), so the next run starts from them. */
function rememberedParams(taskId: string): TaskParams {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(PARAMS_KEY + taskId) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as TaskParams) : {};
  } catch {
    return {};
  }
}

/**
 * The next recording of a task that runs as a sequence of recordings, with its parameters and the
 * words of its button; null for other tasks and after the last. The tremor task records one position
 * per recording, so that each position's metrics are stored and trended on their own: the positions
 * the person chose run one after the other, with the same answers to the questions before the task.
 */
export function nextInSequence(
  taskId: string,
  params: TaskParams,
): { params: TaskParams; label: string } | null {
  if (taskId !== 'tremor') return null;
  try {
    const { next, count } = tremorSequence(params);
    return next
      ? {
          params: { ...params, position: next.position },
          label: `Next position: ${next.title} (${next.number} of ${count})`,
        }
      : null;
  } catch {
    // parameters of another version of the task: no sequence to continue
    return null;
  }
}

/** A file name for a downloaded recording: task, hand, date and the start of its id. */
export function recordingFileName(
  recording: Pick<Recording, 'taskId' | 'hand' | 'startedAt' | 'id'>,
): string {
  const date = recording.startedAt.slice(0, 19).replace(/[:T]/g, '-');
  return `dystrack-${recording.taskId}-${recording.hand}-${date}-${recording.id.slice(0, 8)}.json`;
}

/** Offers a recording as a JSON file (its canonical JSON: the file's SHA-256 is the recording's fingerprint). */
export function downloadRecording(recording: Recording): void {
  downloadText(recordingFileName(recording), canonicalJson(recording), 'application/json');
}

/** Where a saved recording is, in words, for the end of a task and the recordings page. */
export function entryStatusWords(entry: QueueEntryView | undefined): {
  text: string;
  tone: 'ok' | 'wait' | 'warn';
} {
  if (!entry) return { text: 'Saving on this device…', tone: 'wait' };
  switch (entry.state) {
    case 'incomplete':
      return {
        text: 'Saved on this device as an incomplete recording. It is not sent unless you choose to.',
        tone: 'wait',
      };
    case 'waiting':
      if (entry.lastError?.status === 401 || entry.lastError?.status === 403) {
        return { text: 'Saved on this device. It will be sent once you are signed in again.', tone: 'wait' };
      }
      if (entry.lastError) {
        return {
          text: `Saved on this device. Not sent yet: ${entry.lastError.message} It will be tried again automatically${entry.nextAttemptAt > Date.now() ? `, next ${whenWords(entry.nextAttemptAt)}` : ''}.`,
          tone: 'wait',
        };
      }
      return { text: 'Saved on this device. Waiting to be sent…', tone: 'wait' };
    case 'sending':
      return { text: 'Saved on this device. Sending to the server…', tone: 'wait' };
    case 'sent':
      if (entry.lastError)
        return {
          text: `Uploaded ${whenWords(entry.sentAt ?? entry.updatedAt)}. ${entry.lastError.message}`,
          tone: 'warn',
        };
      return {
        text: `Saved on this device and uploaded to the server ${whenWords(entry.sentAt ?? entry.updatedAt)}.`,
        tone: 'ok',
      };
    case 'rejected':
      return {
        text: `Saved on this device, but the server refused it: ${entry.lastError?.message ?? 'no reason given.'} It stays on this device.`,
        tone: 'warn',
      };
  }
}

/** The live status of one saved recording. */
function SavedStatus({ userId, recordingId }: { userId: string; recordingId: string }) {
  const entries = useQueueEntries(userId);
  const entry = entries?.find((e) => e.id === recordingId);
  const { text, tone } = entryStatusWords(entry);
  return (
    <div className={`save-status save-status--${tone}`}>
      <p role="status" aria-live="polite">
        {text}
      </p>
      {entry ? (
        <dl className="facts">
          <div>
            <dt>Length</dt>
            <dd>{durationWords(entry.summary.durationMs)}</dd>
          </div>
          <div>
            <dt>Quality notes</dt>
            <dd>{flagsWords(entry.summary.flags.filter((f) => f !== 'INCOMPLETE'))}</dd>
          </div>
        </dl>
      ) : null}
      {entry?.state === 'rejected' || entry?.state === 'incomplete' ? (
        <p>
          <Link href="/recordings">Choose what to do with it on the Recordings page</Link>
        </p>
      ) : null}
    </div>
  );
}

/**
 * In-clinic mode: the patient's name and whether they share task recordings (from the clinician's
 * patients list, which the clinic pages also read; small, no chart code); null while it loads or if it
 * cannot be read (the id is shown instead).
 */
function usePatient(patientId: string | undefined): { name: string; sharesTasks: boolean } | null {
  const [patient, setPatient] = useState<{ id: string; name: string; sharesTasks: boolean } | null>(null);
  useEffect(() => {
    if (!patientId) return undefined;
    const controller = new AbortController();
    listClinicPatients(controller.signal).then(
      (items) => {
        const found = items.find((p) => p.patientId === patientId);
        setPatient({
          id: patientId,
          name: found ? found.displayName || found.username : patientId,
          sharesTasks: found?.scopes.includes('tasks') ?? false,
        });
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [patientId]);
  return patient && patient.id === patientId ? patient : null;
}

/** The banner of an in-clinic (supervised) recording, on every step of the task page. */
function SupervisedBanner({ name, sharesTasks }: { name: string; sharesTasks: boolean }) {
  return (
    <div className="notice supervised-banner" role="note" aria-label="Supervised recording">
      <p>
        <strong>Supervised recording for {name}</strong> — the recording is saved to their record.
      </p>
      {sharesTasks ? null : (
        <p role="alert">
          {name} does not share task recordings with you at the moment, so the server would refuse a recording
          made now. It would stay on this device.
        </p>
      )}
    </div>
  );
}

/** The part of the page where the task runs, with the Cancel control and the screen-reader announcements. */
function Runner({
  plugin,
  hand,
  userId,
  forPatientId,
  phase,
  onEnd,
}: {
  plugin: CaptureTask;
  hand: Hand;
  userId: string;
  /** In-clinic mode: the recording (and its checkpoints) are queued for this patient. */
  forPatientId: string | undefined;
  phase: Extract<Phase, { name: 'running' }>;
  onEnd: (next: Phase) => void;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<AbortController | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [confirming, setConfirming] = useState(false);
  const onEndRef = useRef(onEnd);
  useEffect(() => {
    onEndRef.current = onEnd;
  });

  useEffect(() => {
    const element = containerRef.current;
    if (!element) return undefined;
    const controller = new AbortController();
    controllerRef.current = controller;
    let active = true;
    const writer = createCheckpointWriter(userId, phase.runId, { forPatientId });
    const { recordingId } = phase;
    runTask(plugin, {
      element,
      hand,
      context: phase.start.context,
      inputDevice: phase.start.inputDevice,
      params: phase.start.params,
      signal: controller.signal,
      id: recordingId,
      onCheckpoint: (delta) => writer.push(delta),
      announce: (message) => setAnnouncement(message),
      reducedMotion: window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false,
    }).then(
      async (recording) => {
        await writer.close();
        try {
          await enqueueRecording(userId, recording, { runId: phase.runId, forPatientId });
          if (active) onEndRef.current({ name: 'done', recordingId, recording, start: phase.start });
        } catch (error) {
          // Nothing is lost: the recording is still in memory and offered as a file.
          if (active) onEndRef.current({ name: 'unsaved', recording, message: errorMessage(error) });
        }
      },
      async (error: unknown) => {
        // the run's checkpoint chunks become its incomplete recording, stored whole
        await writer.close({ assemble: true });
        if (error instanceof TaskAbortedError) {
          if (active) onEndRef.current({ name: 'cancelled', recordingId, kept: error.recording !== null });
          return;
        }
        if (active) onEndRef.current({ name: 'failed', recordingId, message: errorMessage(error) });
      },
    );
    // Closing or reloading the tab by accident during a run: the browser asks first.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      // Leaving the page aborts the run; its last checkpoint stays on this device.
      active = false;
      window.removeEventListener('beforeunload', onBeforeUnload);
      controller.abort();
    };
  }, [plugin, hand, userId, forPatientId, phase]);

  return (
    <div className="runner">
      <div className="runner__bar">
        {confirming ? (
          <div className="runner__confirm" role="group" aria-label="Cancel the task?">
            <p>Cancel the task? What was recorded so far stays on this device, marked as incomplete.</p>
            <div className="actions actions--row">
              <button
                type="button"
                className="button button--danger"
                onClick={() => controllerRef.current?.abort()}
              >
                Yes, cancel the task
              </button>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setConfirming(false)}
                autoFocus
              >
                No, go on
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="button button--stop" onClick={() => setConfirming(true)}>
            Cancel the task
          </button>
        )}
      </div>
      <div ref={containerRef} className="task-stage" data-task={plugin.definition.id} />
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}

/** One task for one hand: the pre-session questions, the run, then where the recording went. */
export function TaskPage({
  taskId,
  hand,
  forPatientId,
  tasks = { loadTaskDefinition, loadCapture },
}: {
  taskId: string;
  hand: string;
  /** In-clinic mode: a clinician records the task for this patient (the recording is the patient's, supervised). */
  forPatientId?: string;
  tasks?: { loadTaskDefinition: typeof loadTaskDefinition; loadCapture: typeof loadCapture };
}) {
  // the task's definition is a chunk of its own: the first bundle of a task page holds no task's texts
  const [found, setFound] = useState<
    { taskId: string; definition: TaskDefinition | undefined } | { taskId: string; error: string } | null
  >(null);
  const { loadTaskDefinition: loadDefinition } = tasks;
  useEffect(() => {
    let live = true;
    loadDefinition(taskId).then(
      (definition) => {
        if (live) setFound({ taskId, definition });
      },
      (error: unknown) => {
        if (live) setFound({ taskId, error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [loadDefinition, taskId]);
  const current = found?.taskId === taskId ? found : null;
  const definition = current && 'definition' in current ? current.definition : undefined;
  const title = !current
    ? 'Loading the task'
    : definition
      ? `${definition.title}, ${handWords(hand)}`
      : 'error' in current
        ? 'The task could not be loaded'
        : 'Task not found';
  useTitle(title);
  const session = useSession();
  const [phase, setPhase] = useState<Phase>({ name: 'questions' });
  // the task's capture code, fetched while the person reads the instructions
  const [loaded, setLoaded] = useState<
    { taskId: string; plugin: CaptureTask } | { taskId: string; error: string } | null
  >(null);
  const { loadCapture: load } = tasks;
  useEffect(() => {
    if (!definition) return undefined;
    let live = true;
    load(taskId).then(
      (plugin) => {
        if (live && plugin) setLoaded({ taskId, plugin });
      },
      (error: unknown) => {
        if (live) setLoaded({ taskId, error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [definition, load, taskId]);
  const userId = session.user?.id ?? '';
  const patient = usePatient(forPatientId);
  const patientName = patient && patient.name !== forPatientId ? patient.name : null;
  // in-clinic mode: the patient's name (their id until the name is loaded), and links back to their page
  const banner = forPatientId ? (
    <SupervisedBanner name={patientName ?? forPatientId} sharesTasks={patient?.sharesTasks ?? true} />
  ) : null;
  const patientPage = forPatientId ? `/clinic/patients/${encodeURIComponent(forPatientId)}` : null;
  const taskHref = (id: string, h: string) =>
    patientPage ? `${patientPage}/tasks/${id}/${h}` : `/tasks/${id}/${h}`;
  const backLink = patientPage ? (
    <Link href={patientPage} className="button button--secondary">
      Back to {patientName ? `${patientName}’s` : 'the patient’s'} page
    </Link>
  ) : (
    <Link href="/" className="button button--secondary">
      Back to the tasks
    </Link>
  );

  if (!current || 'error' in current) {
    return (
      <div className="page page--narrow">
        {banner}
        <h1>{title}</h1>
        {current && 'error' in current ? (
          <div className="notice notice--error" role="alert">
            <p>
              This device could not fetch the task ({current.error}). Check the connection and reload the
              page; recordings already saved on this device are safe.
            </p>
          </div>
        ) : (
          <p role="status">Loading…</p>
        )}
        <p>{backLink}</p>
      </div>
    );
  }
  if (!definition) {
    return (
      <div className="page page--narrow">
        {banner}
        <h1>Task not found</h1>
        <p>There is no task called “{taskId}” in this version of Dystrack.</p>
        <p>{backLink}</p>
      </div>
    );
  }
  const plugin = loaded?.taskId === taskId && 'plugin' in loaded ? loaded.plugin : null;
  const loadError = loaded?.taskId === taskId && 'error' in loaded ? loaded.error : null;
  if (!(definition.hands as readonly string[]).includes(hand)) {
    return (
      <div className="page page--narrow">
        {banner}
        <h1>{definition.title}</h1>
        <p>
          This task is done with {definition.hands.map(handWords).join(' or ')}, not with {handWords(hand)}.
        </p>
        <p>{backLink}</p>
      </div>
    );
  }
  const validHand = hand as Hand;
  const otherHands = definition.hands.filter((h) => h !== validHand);

  if (phase.name === 'running') {
    return (
      <div className="page page--task">
        {banner}
        <h1 className="task-title">{title}</h1>
        {plugin ? (
          <Runner
            plugin={plugin}
            hand={validHand}
            userId={userId}
            forPatientId={forPatientId}
            phase={phase}
            onEnd={setPhase}
          />
        ) : loadError ? (
          <div className="notice notice--error" role="alert">
            <p>
              The task could not be loaded ({loadError}). Check the connection and reload the page; nothing
              was recorded yet.
            </p>
          </div>
        ) : (
          <p role="status">Loading the task…</p>
        )}
      </div>
    );
  }

  const again = (
    <div className="actions actions--row">
      <button
        type="button"
        className="button button--primary"
        onClick={() => setPhase({ name: 'questions' })}
      >
        Do it again with the {handWords(validHand)}
      </button>
      {otherHands.map((other) => (
        <Link key={other} href={taskHref(definition.id, other)} className="button button--secondary">
          {other === 'both' ? 'Now with both hands' : `Now the ${handWords(other)}`}
        </Link>
      ))}
      {backLink}
    </div>
  );

  if (phase.name === 'done') {
    const next = nextInSequence(definition.id, phase.start.params);
    return (
      <div className="page page--narrow">
        {banner}
        <h1>{title}: done</h1>
        <p className="lead">Thank you. Well done.</p>
        {next ? (
          <div className="actions">
            <button
              type="button"
              className="button button--primary"
              autoFocus
              onClick={() =>
                setPhase({
                  name: 'running',
                  start: { ...phase.start, params: next.params },
                  recordingId: randomUuid(),
                  runId: randomUuid(),
                })
              }
            >
              {next.label}
            </button>
          </div>
        ) : null}
        <SavedStatus userId={userId} recordingId={phase.recordingId} />
        <Suspense fallback={<p role="status">Computing your results…</p>}>
          <SessionResults recording={phase.recording} />
        </Suspense>
        {again}
      </div>
    );
  }
  if (phase.name === 'cancelled' || phase.name === 'failed') {
    return (
      <div className="page page--narrow">
        {banner}
        <h1>
          {title}: {phase.name === 'cancelled' ? 'cancelled' : 'stopped by an error'}
        </h1>
        {phase.name === 'failed' ? (
          <div className="notice notice--error" role="alert">
            <p>The task stopped because of an error: {phase.message}</p>
          </div>
        ) : null}
        {phase.name === 'cancelled' && !phase.kept ? (
          <p role="status">The task was cancelled before it started; nothing was recorded.</p>
        ) : (
          <SavedStatus userId={userId} recordingId={phase.recordingId} />
        )}
        {again}
      </div>
    );
  }
  if (phase.name === 'unsaved') {
    return (
      <div className="page page--narrow">
        {banner}
        <h1>{title}: not saved</h1>
        <div className="notice notice--error" role="alert">
          <p>
            The recording could not be saved on this device: {phase.message} Please download it now so that it
            is not lost; you can send the file to your clinic or import it later.
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
        {again}
      </div>
    );
  }

  return (
    <div className="page page--narrow">
      {banner}
      <h1>{title}</h1>
      <p className="lead">{definition.summary}</p>
      <dl className="facts">
        <div>
          <dt>Takes</dt>
          <dd>{approxDurationWords(definition.approxDurationS)}</dd>
        </div>
        <div>
          <dt>You can use</dt>
          <dd>{inputsWords(definition.inputs)}</dd>
        </div>
      </dl>
      <section className="panel" aria-labelledby="how-heading">
        <h2 id="how-heading">How it works</h2>
        <ol className="steps">
          {definition.instructions.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      </section>
      <PreSessionForm
        questions={PRE_SESSION_QUESTIONS}
        startLabel={`Start with the ${handWords(validHand)}`}
        initialInputDevice={rememberedInputDevice(definition.id)}
        parameters={definition.parameters}
        initialParams={rememberedParams(definition.id)}
        onStart={(start) => {
          try {
            if (start.inputDevice) localStorage.setItem(INPUT_DEVICE_KEY + definition.id, start.inputDevice);
            localStorage.setItem(PARAMS_KEY + definition.id, JSON.stringify(start.params));
          } catch {
            // private mode: nothing to remember
          }
          setPhase({ name: 'running', start, recordingId: randomUuid(), runId: randomUuid() });
        }}
      />
    </div>
  );
}
