import { TASK_DEFINITIONS } from '@dystrack/tasks';
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { DiaryEntry } from '../api/diary.js';
import {
  listClinicPatients,
  patientDiary,
  recordVisit,
  type ClinicPatient,
  type ShareScope,
} from '../clinic/api.js';
import { ScalesSection, TreatmentsSection } from '../clinic/entries.js';
import { PatientOverview } from '../clinic/overview.js';
import {
  changeItemWords,
  changesHeadline,
  dayWords,
  patientName,
  RELIABLE_CHANGE_WORDS,
  SCOPE_WORDS,
  scopesWords,
  untilWords,
} from '../clinic/words.js';
import { useTitle } from '../components/use-title.js';
import { handWords } from '../format.js';
import { errorMessage } from './form-helpers.js';
import { ClinicianReportDownload } from './reports.js';
import './clinic.css';

/*
 * One patient as their clinician sees them (/clinic/patients/:patientId/:section?): what they share and
 * until when, and a section per kind of data. A section the patient does not share says so; it is never
 * an error. Every read and write names the patient (`?patient=`): the patient's shares decide on the server.
 */

/** The sections of the page, their titles, and the share scope each needs. */
export const SECTIONS = [
  { id: 'overview', title: 'Overview', scope: 'tasks' },
  { id: 'treatments', title: 'Treatments', scope: 'treatments' },
  { id: 'scales', title: 'Scale totals', scope: 'scales' },
  { id: 'diary', title: 'Diary', scope: 'diary' },
  { id: 'reports', title: 'Reports', scope: 'reports' },
  { id: 'tasks', title: 'Run a task in the clinic', scope: 'tasks' },
] as const satisfies readonly { id: string; title: string; scope: ShareScope }[];
type SectionId = (typeof SECTIONS)[number]['id'];

type Load<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

/** "Record a visit today": the change flags count from the visit on. */
function VisitButton({ patientId, onRecorded }: { patientId: string; onRecorded: (at: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  async function record() {
    setBusy(true);
    setStatus(null);
    try {
      const { lastVisitAt } = await recordVisit(patientId);
      onRecorded(lastVisitAt);
      setStatus({ ok: true, text: `Visit recorded: last visit ${dayWords(lastVisitAt)}.` });
    } catch (error) {
      setStatus({ ok: false, text: `The visit was not recorded: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="clinic__visit">
      <button type="button" className="button button--primary" disabled={busy} onClick={() => void record()}>
        {busy ? 'Recording the visit…' : 'Record a visit today'}
      </button>
      <p className="field__hint">The changes on your patient list then count from today.</p>
      {status ? (
        <p
          role={status.ok ? 'status' : 'alert'}
          className={status.ok ? 'status-line' : 'notice notice--error'}
        >
          {status.text}
        </p>
      ) : null}
    </div>
  );
}

function DiarySection({ patientId }: { patientId: string }) {
  const [state, setState] = useState<Load<DiaryEntry[]>>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    patientDiary(patientId, controller.signal).then(
      (page) => setState({ state: 'ready', value: page.items }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ state: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [patientId]);
  if (state.state === 'loading') return <p role="status">Loading the diary…</p>;
  if (state.state === 'error')
    return (
      <p className="notice notice--error" role="alert">
        The diary could not be loaded: {state.message}
      </p>
    );
  if (state.value.length === 0) return <p>No diary entries yet.</p>;
  const severityNames: Record<string, string> = {
    writing: 'Writing',
    typing: 'Typing',
    instrument: 'Instrument',
    toolUse: 'Tool use',
  };
  return (
    <ol className="clinic__entries">
      {state.value.map((entry) => {
        const severity = Object.entries(entry.data.severity).filter(([, v]) => typeof v === 'number');
        return (
          <li key={entry.id} className="panel">
            <h4>{dayWords(entry.at)}</h4>
            <dl className="facts">
              <div>
                <dt>Severity (0 none – 10 worst)</dt>
                <dd>
                  {severity.length
                    ? severity.map(([k, v]) => `${severityNames[k] ?? k} ${String(v)} of 10`).join(', ')
                    : 'Not rated'}
                </dd>
              </div>
              <div>
                <dt>Pain (0–10)</dt>
                <dd>{entry.data.painLevel === null ? 'Not rated' : `${entry.data.painLevel} of 10`}</dd>
              </div>
              {entry.data.notes ? (
                <div>
                  <dt>Notes</dt>
                  <dd className="pre-wrap">{entry.data.notes}</dd>
                </div>
              ) : null}
            </dl>
          </li>
        );
      })}
    </ol>
  );
}

function ReportsSection({ patientId }: { patientId: string }) {
  return (
    <>
      <p>
        The clinician report sums up the period: each task’s usual result at the start and now and whether the
        difference is larger than the patient’s day-to-day variation, the treatments, and the questionnaires
        and rating scales, with a chart and table of every session. It does not diagnose.
      </p>
      <ClinicianReportDownload patientId={patientId} name="clinic-report-period" />
    </>
  );
}

function TasksSection({ patientId, name }: { patientId: string; name: string }) {
  return (
    <>
      <p>
        A supervised recording: {name} does the task on this device, and the recording is saved to their
        record, marked as supervised by you. Nothing about the task itself changes.
      </p>
      <ul className="clinic__tasks">
        {TASK_DEFINITIONS.map((task) => (
          <li key={task.id} className="panel">
            <h4>{task.title}</h4>
            <p>{task.summary}</p>
            <div className="actions">
              {task.hands.map((hand) => (
                <Link
                  key={hand}
                  href={`/clinic/patients/${encodeURIComponent(patientId)}/tasks/${task.id}/${hand}`}
                  className="button button--secondary"
                >
                  {task.title}, {handWords(hand)}
                </Link>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The changes since the last visit, in words, on the overview. */
function ChangesSummary({ patient }: { patient: ClinicPatient }) {
  const changes = patient.changes;
  return (
    <section className="panel" aria-labelledby="clinic-changes-heading">
      <h3 id="clinic-changes-heading">{changesHeadline(changes)}</h3>
      {changes?.items.length ? (
        <ul className="clinic__change-list">
          {[...changes.items]
            .sort((a, b) => (a.direction === b.direction ? 0 : a.direction === 'worse' ? -1 : 1))
            .map((item) => (
              <li
                key={`${item.task}/${item.metricId}/${item.hand}`}
                className={`clinic__change clinic__change--${item.direction}`}
              >
                {changeItemWords(item)}
              </li>
            ))}
        </ul>
      ) : null}
      <p className="clinic__explain">{RELIABLE_CHANGE_WORDS}</p>
    </section>
  );
}

/** The patient page. */
export function ClinicPatientPage({ patientId, section }: { patientId: string; section?: string }) {
  const [state, setState] = useState<Load<ClinicPatient | null>>({ state: 'loading' });
  const [lastVisit, setLastVisit] = useState<string | null>(null);
  const current: SectionId = SECTIONS.some((s) => s.id === section) ? (section as SectionId) : 'overview';
  const patient = state.state === 'ready' ? state.value : null;
  const name = patient ? patientName(patient) : 'Patient';
  const currentSection = SECTIONS.find((s) => s.id === current)!;
  useTitle(`${name}: ${currentSection.title}`);

  useEffect(() => {
    const controller = new AbortController();
    listClinicPatients(controller.signal).then(
      (items) => setState({ state: 'ready', value: items.find((p) => p.patientId === patientId) ?? null }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ state: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [patientId]);

  if (state.state === 'loading')
    return (
      <div className="page clinic">
        <h1>Patient</h1>
        <p role="status">Loading…</p>
      </div>
    );
  if (state.state === 'error')
    return (
      <div className="page clinic">
        <h1>Patient</h1>
        <div className="notice notice--error" role="alert">
          <p>The patient’s page could not be loaded: {state.message}</p>
        </div>
        <p>
          <Link href="/clinic">Back to your patients</Link>
        </p>
      </div>
    );
  if (!patient)
    return (
      <div className="page clinic">
        <h1>Not shared with you</h1>
        <p className="notice" role="status">
          This patient does not share anything with you at the moment: they may have stopped sharing, or the
          sharing period ended. They can share again at any time.
        </p>
        <p>
          <Link href="/clinic">Back to your patients</Link>
        </p>
      </div>
    );

  const shares = (scope: ShareScope) => patient.scopes.includes(scope);
  const canAdd = shares('add-entries');
  const base = `/clinic/patients/${encodeURIComponent(patientId)}`;
  const visit = lastVisit ?? patient.lastVisitAt;

  let body: ReactNode;
  if (!shares(currentSection.scope)) {
    body = (
      <p className="notice" role="status">
        Not shared: {name} does not share their {SCOPE_WORDS[currentSection.scope]} with you.
      </p>
    );
  } else if (current === 'overview')
    body = (
      <>
        <ChangesSummary patient={patient} />
        <PatientOverview
          patientId={patientId}
          shared={{ diary: shares('diary'), treatments: shares('treatments') }}
        />
      </>
    );
  else if (current === 'treatments')
    body = <TreatmentsSection patientId={patientId} canAdd={canAdd && shares('treatments')} />;
  else if (current === 'scales')
    body = <ScalesSection patientId={patientId} canAdd={canAdd && shares('scales')} />;
  else if (current === 'diary') body = <DiarySection patientId={patientId} />;
  else if (current === 'reports') body = <ReportsSection patientId={patientId} />;
  else body = <TasksSection patientId={patientId} name={name} />;

  return (
    <div className="page clinic">
      <p>
        <Link href="/clinic">← Your patients</Link>
      </p>
      <h1>
        {name} <span className="muted">@{patient.username}</span>
      </h1>
      <dl className="facts clinic__facts">
        <div>
          <dt>Shares with you</dt>
          <dd>{scopesWords(patient.scopes)}</dd>
        </div>
        <div>
          <dt>Shared</dt>
          <dd>
            since {dayWords(patient.sharedSince)}, {untilWords(patient.expiresAt)}
          </dd>
        </div>
        <div>
          <dt>Last visit</dt>
          <dd>{visit ? dayWords(visit) : 'None recorded'}</dd>
        </div>
      </dl>
      <VisitButton patientId={patientId} onRecorded={setLastVisit} />
      <nav className="clinic__nav" aria-label={`${name}’s records`}>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.id}>
              <Link
                href={s.id === 'overview' ? base : `${base}/${s.id}`}
                aria-current={s.id === current ? 'page' : undefined}
              >
                {s.title}
                {shares(s.scope) ? null : (
                  <>
                    {' '}
                    <span className="clinic__not-shared">(not shared)</span>
                  </>
                )}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="clinic-section-heading">
        <h2 id="clinic-section-heading">{currentSection.title}</h2>
        {body}
      </section>
    </div>
  );
}
