import {
  TREATMENT_TYPES,
  TREATMENT_TYPE_LABELS,
  getClinicianScale,
  type TreatmentType,
} from '@dystrack/core';
import { useEffect, useState } from 'react';
import { scaleTotalsOf, treatmentsOf, type Entry, type ScaleTotalData } from '../api/records.js';
import { RadioGroup } from '../components/form.js';
import { ScaleTotalForm } from '../pages/scales-clinician.js';
import { TreatmentForm, emptyDraft } from '../pages/treatments-form.js';
import { TreatmentDetails, treatmentTitle, treatmentWhen } from '../pages/treatments.js';
import { errorMessage } from '../pages/form-helpers.js';
import { patientScaleTotals, patientTreatments } from './api.js';
import { dayWords } from './words.js';

/*
 * The patient's treatment log and rating-scale totals on the clinician's patient page: lists, and (with
 * the `add-entries` scope) the patient's own forms, saving to the patient's record with `?patient=`
 * (`treatmentsOf`, `scaleTotalsOf`); the entries are marked as entered by a clinician.
 */

type Load<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

function useList<T>(load: (signal: AbortSignal) => Promise<{ items: T[] }>, deps: unknown[]) {
  const [state, setState] = useState<Load<T[]>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (page) => setState({ state: 'ready', value: page.items }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ state: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the loader depends on
  }, [...deps, attempt]);
  return { state, reload: () => setAttempt((n) => n + 1) };
}

/** The badge of an entry a clinician wrote. */
function EnteredBy({ entry }: { entry: Entry<unknown> }) {
  return entry.clinicianEntered ? <span className="entry__badge">entered by clinician</span> : null;
}

function ListStatus<T>({ state, what, onRetry }: { state: Load<T[]>; what: string; onRetry: () => void }) {
  if (state.state === 'loading') return <p role="status">Loading the {what}…</p>;
  if (state.state === 'error')
    return (
      <div className="notice notice--error" role="alert">
        <p>
          The {what} could not be loaded: {state.message}
        </p>
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  if (state.value.length === 0) return <p>No {what} entered yet.</p>;
  return null;
}

// ---------------------------------------------------------------------------------------------
// treatments

/** The patient's treatment log, newest first, with the add form when the patient allows it. */
export function TreatmentsSection({ patientId, canAdd }: { patientId: string; canAdd: boolean }) {
  const { state, reload } = useList((signal) => patientTreatments(patientId, signal), [patientId]);
  const [type, setType] = useState<TreatmentType | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <>
      <p role="status" className="status-line">
        {message}
      </p>
      {canAdd ? (
        <section aria-labelledby="clinic-add-treatment" className="clinic__section">
          <h3 id="clinic-add-treatment">Add a treatment</h3>
          {type ? (
            <TreatmentForm
              initial={emptyDraft(type, null)}
              defaultSide={null}
              client={treatmentsOf(patientId)}
              onSaved={(saved) => {
                setType(null);
                setMessage(`Saved: ${treatmentTitle(saved.data)}, ${treatmentWhen(saved.data)}.`);
                reload();
              }}
              onCancel={() => setType(null)}
            />
          ) : (
            <RadioGroup
              name="clinic-treatment-type"
              legend="What kind of treatment?"
              choices={TREATMENT_TYPES.map((value) => ({
                value,
                label: TREATMENT_TYPE_LABELS[value],
              }))}
              value={type}
              onChange={(next) => {
                setMessage(null);
                setType(next);
              }}
            />
          )}
        </section>
      ) : null}
      <h3>Treatment log, newest first</h3>
      <ListStatus state={state} what="treatments" onRetry={reload} />
      {state.state === 'ready' && state.value.length ? (
        <ol className="clinic__entries">
          {state.value.map((entry) => (
            <li key={`${entry.id}-${entry.revision}`} className="panel">
              <article aria-label={`${TREATMENT_TYPE_LABELS[entry.data.type]}, ${treatmentWhen(entry.data)}`}>
                <p className="timeline__when">{treatmentWhen(entry.data)}</p>
                <h4 className="entry__title">
                  {TREATMENT_TYPE_LABELS[entry.data.type]}
                  {entry.data.type === 'botulinum-toxin' || entry.data.type === 'dbs-settings'
                    ? null
                    : `: ${treatmentTitle(entry.data)}`}
                  <EnteredBy entry={entry} />
                </h4>
                <TreatmentDetails t={entry.data} />
              </article>
            </li>
          ))}
        </ol>
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// rating-scale totals

function totalWords(data: ScaleTotalData): string {
  const scale = getClinicianScale(data.scaleId);
  return `${scale?.abbreviation ?? data.scaleId} total ${data.total}${scale?.unit ?? ''}`;
}

/** The patient's rating-scale totals, newest first, with the add form when the patient allows it. */
export function ScalesSection({ patientId, canAdd }: { patientId: string; canAdd: boolean }) {
  const { state, reload } = useList((signal) => patientScaleTotals(patientId, signal), [patientId]);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <>
      <p role="status" className="status-line">
        {message}
      </p>
      {canAdd ? (
        <ScaleTotalForm
          client={scaleTotalsOf(patientId)}
          onSaved={(text) => {
            setMessage(text);
            reload();
          }}
        />
      ) : null}
      <h3>Rating-scale totals, newest first</h3>
      <ListStatus state={state} what="rating-scale totals" onRetry={reload} />
      {state.state === 'ready' && state.value.length ? (
        <ul className="clinic__entries">
          {state.value.map((entry) => (
            <li key={`${entry.id}-${entry.revision}`} className="panel">
              <p>
                <strong>{totalWords(entry.data)}</strong> · {dayWords(entry.data.date)} · rated by{' '}
                {entry.data.rater.role === 'self' ? 'the patient' : 'a clinician'}
                {entry.data.rater.name ? ` (${entry.data.rater.name})` : ''}
                <EnteredBy entry={entry} />
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
