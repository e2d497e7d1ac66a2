import {
  CLINICIAN_SCALES,
  getClinicianScale,
  INJECTION_SIDES,
  SIDE_LABELS,
  SURGERIES,
  SURGERY_LABELS,
  SURGERY_SIDES,
  TASK_MODIFICATIONS,
  TASK_MODIFICATION_LABELS,
  THERAPIES,
  THERAPY_LABELS,
  TOXIN_PRODUCTS,
  TOXIN_PRODUCT_LABELS,
  TREATMENT_TYPES,
  TREATMENT_TYPE_LABELS,
  type TreatmentInput,
  type TreatmentType,
} from '@dystrack/core';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { newIdempotencyKey, type ScaleTotalData } from '../api/records.js';
import { ErrorSummary, RadioGroup, TextAreaField, TextField } from '../components/form.js';
import { draftToScaleTotal } from '../pages/scales-clinician.js';
import { localToday } from '../pages/scales-entry-parts.js';
import {
  draftToBody,
  emptyDraft,
  fieldIds,
  fieldOfPath,
  SCHEDULES,
  type InjectionRowDraft,
  type TreatmentDraft,
} from '../pages/treatments-form.js';
import { MusclePicker } from '../pages/treatments-muscle-picker.js';
import { TreatmentDetails, treatmentTitle, treatmentWhen } from '../pages/treatments.js';
import { fieldIssues } from '../api/client.js';
import { errorMessage, useFormProblems } from '../pages/form-helpers.js';
import {
  addPatientScaleTotal,
  addPatientTreatment,
  patientScaleTotals,
  patientTreatments,
  type SharedEntry,
} from './api.js';
import { dayWords } from './words.js';

/*
 * The patient's treatment log and rating-scale totals on the clinician's patient page: lists, and (with
 * the `add-entries` scope) forms that add entries to the patient's record with `?patient=`. The patient's
 * own forms save to the signed-in user's record and take no patient, so these are smaller forms that
 * reuse their checks (draftToBody, draftToScaleTotal): what the patient's form would refuse, this does too.
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
function EnteredBy({ entry }: { entry: SharedEntry<unknown> }) {
  return entry.clinicianEntered ? <span className="clinic__badge">entered by clinician</span> : null;
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

/** The kinds a clinician adds here: every kind the patient's own form has. */
export const CLINIC_TREATMENT_TYPES: readonly TreatmentType[] = TREATMENT_TYPES;

let rowCounter = 0;
function newRow(): InjectionRowDraft {
  rowCounter += 1;
  return {
    rowKey: `clinic-row-${rowCounter}`,
    muscle: null,
    otherText: '',
    side: null,
    units: '',
    detail: '',
  };
}

function Select<T extends string>({
  id,
  label,
  value,
  choices,
  onChange,
  error,
}: {
  id: string;
  label: string;
  value: T | null;
  choices: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  error: string | null;
}) {
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {error ? <p className="field__error">{error}</p> : null}
      <select
        id={id}
        value={value ?? ''}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value as T)}
      >
        <option value="" disabled>
          Choose…
        </option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const optionsOf = <T extends string>(values: readonly T[], labels: Readonly<Record<T, string>>) =>
  values.map((value) => ({ value, label: labels[value] }));

/** Start, and whether it is still going (with the stop date). */
function PeriodFields({
  draft,
  ids,
  update,
  errorOf,
}: {
  draft: Extract<TreatmentDraft, { type: 'medication' | 'therapy' | 'task-modification' }>;
  ids: ReturnType<typeof fieldIds>;
  update: (patch: Partial<TreatmentDraft>) => void;
  errorOf: (id: string) => string | null;
}) {
  return (
    <>
      <TextField
        id={ids.start}
        label="Started on"
        type="date"
        className="field--short"
        value={draft.start}
        onChange={(start) => update({ start })}
        error={errorOf(ids.start)}
      />
      <RadioGroup
        id={ids.ongoing}
        name={`${ids.ongoing}-radio`}
        legend="Still going?"
        choices={[
          { value: 'ongoing', label: 'Yes, still going' },
          { value: 'stopped', label: 'No, it stopped' },
        ]}
        value={draft.ongoing}
        onChange={(ongoing) => update({ ongoing })}
        error={errorOf(ids.ongoing)}
      />
      {draft.ongoing === 'stopped' ? (
        <TextField
          id={ids.stop}
          label="Stopped on"
          type="date"
          className="field--short"
          value={draft.stop}
          onChange={(stop) => update({ stop })}
          error={errorOf(ids.stop)}
        />
      ) : null}
    </>
  );
}

/** A treatment added by the clinician to the patient's log. */
function ClinicTreatmentForm({
  patientId,
  type,
  onSaved,
  onCancel,
}: {
  patientId: string;
  type: TreatmentType;
  onSaved: (entry: SharedEntry<TreatmentInput>) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<TreatmentDraft>(() => emptyDraft(type, null));
  const [key] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const ids = fieldIds('clinic-');
  const update = (patch: Partial<TreatmentDraft>) =>
    setDraft((previous) => ({ ...previous, ...patch }) as TreatmentDraft);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { problems: found, body } = draftToBody(draft, ids);
    show(found);
    if (!body) return;
    setBusy(true);
    setSaveError(null);
    try {
      onSaved(await addPatientTreatment(patientId, body, key));
    } catch (error) {
      const mapped = Object.entries(fieldIssues(error)).flatMap(([path, message]) => {
        const fieldId = fieldOfPath(path, ids, draft.type);
        return fieldId ? [{ fieldId, message }] : [];
      });
      if (mapped.length > 0) show(mapped);
      else
        setSaveError(`Not saved: ${errorMessage(error)} What you entered is still here; please try again.`);
    } finally {
      setBusy(false);
    }
  }

  let fields: ReactNode = null;
  if (draft.type === 'botulinum-toxin') {
    const rows = draft.rows.length ? draft.rows : [newRow()];
    const setRow = (index: number, patch: Partial<InjectionRowDraft>) =>
      update({ rows: rows.map((row, i) => (i === index ? { ...row, ...patch } : row)) });
    fields = (
      <>
        <TextField
          id={ids.date}
          label="Date of the injections"
          type="date"
          className="field--short"
          value={draft.date}
          onChange={(date) => update({ date })}
          error={errorOf(ids.date)}
        />
        <Select
          id={ids.product}
          label="Product"
          value={draft.product}
          choices={optionsOf(TOXIN_PRODUCTS, TOXIN_PRODUCT_LABELS)}
          onChange={(product) => update({ product })}
          error={errorOf(ids.product)}
        />
        {draft.product === 'other' ? (
          <TextField
            id={ids.otherText}
            label="Which product?"
            maxLength={200}
            value={draft.otherText}
            onChange={(otherText) => update({ otherText })}
            error={errorOf(ids.otherText)}
          />
        ) : null}
        <fieldset id={ids.injections} tabIndex={-1}>
          <legend>Muscles injected</legend>
          {errorOf(ids.injections) ? <p className="field__error">{errorOf(ids.injections)}</p> : null}
          {rows.map((row, i) => (
            <fieldset key={row.rowKey}>
              <legend>Muscle {i + 1}</legend>
              <MusclePicker
                id={ids.rowMuscle(i)}
                label={`Muscle ${i + 1}`}
                value={row.muscle}
                onChange={(muscle) => setRow(i, { muscle })}
                error={errorOf(ids.rowMuscle(i))}
              />
              {row.muscle === 'other' ? (
                <TextField
                  id={ids.rowOther(i)}
                  label={`Which muscle is muscle ${i + 1}?`}
                  maxLength={200}
                  value={row.otherText}
                  onChange={(otherText) => setRow(i, { otherText })}
                  error={errorOf(ids.rowOther(i))}
                />
              ) : null}
              <RadioGroup
                id={ids.rowSide(i)}
                name={`${ids.rowSide(i)}-radio`}
                legend={`Side of muscle ${i + 1}`}
                choices={optionsOf(INJECTION_SIDES, SIDE_LABELS)}
                value={row.side}
                onChange={(side) => setRow(i, { side })}
                error={errorOf(ids.rowSide(i))}
              />
              <TextField
                id={ids.rowUnits(i)}
                label={`Units into muscle ${i + 1}`}
                inputMode="decimal"
                autoComplete="off"
                className="field--short"
                value={row.units}
                onChange={(units) => setRow(i, { units })}
                error={errorOf(ids.rowUnits(i))}
              />
              {rows.length > 1 ? (
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => update({ rows: rows.filter((_, k) => k !== i) })}
                >
                  Remove muscle {i + 1}
                </button>
              ) : null}
            </fieldset>
          ))}
          <button
            type="button"
            className="button button--secondary"
            onClick={() => update({ rows: [...rows, newRow()] })}
          >
            Add another muscle
          </button>
        </fieldset>
      </>
    );
  } else if (draft.type === 'medication') {
    fields = (
      <>
        <TextField
          id={ids.name}
          label="Medication"
          maxLength={200}
          value={draft.name}
          onChange={(name) => update({ name })}
          error={errorOf(ids.name)}
        />
        <TextField
          id={ids.dose}
          label="Dose"
          hint="For example “2 mg”."
          maxLength={200}
          value={draft.dose}
          onChange={(dose) => update({ dose })}
          error={errorOf(ids.dose)}
        />
        <Select
          id={ids.schedule}
          label="How often"
          value={draft.schedule}
          choices={[
            ...SCHEDULES.map((s) => ({ value: s as string, label: s })),
            { value: 'other', label: 'Other' },
          ]}
          onChange={(schedule) => update({ schedule })}
          error={errorOf(ids.schedule)}
        />
        {draft.schedule === 'other' ? (
          <TextField
            id={ids.scheduleText}
            label="How often, in words"
            maxLength={200}
            value={draft.scheduleText}
            onChange={(scheduleText) => update({ scheduleText })}
            error={errorOf(ids.scheduleText)}
          />
        ) : null}
        <PeriodFields draft={draft} ids={ids} update={update} errorOf={errorOf} />
      </>
    );
  } else if (draft.type === 'therapy') {
    fields = (
      <>
        <Select
          id={ids.choice}
          label="Therapy"
          value={draft.choice}
          choices={optionsOf(THERAPIES, THERAPY_LABELS)}
          onChange={(choice) => update({ choice })}
          error={errorOf(ids.choice)}
        />
        {draft.choice === 'other' ? (
          <TextField
            id={ids.otherText}
            label="Which therapy?"
            maxLength={200}
            value={draft.otherText}
            onChange={(otherText) => update({ otherText })}
            error={errorOf(ids.otherText)}
          />
        ) : null}
        <PeriodFields draft={draft} ids={ids} update={update} errorOf={errorOf} />
      </>
    );
  } else if (draft.type === 'task-modification') {
    fields = (
      <>
        <Select
          id={ids.choice}
          label="Change or aid"
          value={draft.choice}
          choices={optionsOf(TASK_MODIFICATIONS, TASK_MODIFICATION_LABELS)}
          onChange={(choice) => update({ choice })}
          error={errorOf(ids.choice)}
        />
        {draft.choice === 'other' ? (
          <TextField
            id={ids.otherText}
            label="Which change or aid?"
            maxLength={200}
            value={draft.otherText}
            onChange={(otherText) => update({ otherText })}
            error={errorOf(ids.otherText)}
          />
        ) : null}
        <PeriodFields draft={draft} ids={ids} update={update} errorOf={errorOf} />
      </>
    );
  } else if (draft.type === 'surgery') {
    fields = (
      <>
        <TextField
          id={ids.date}
          label="Date of the operation"
          type="date"
          className="field--short"
          value={draft.date}
          onChange={(date) => update({ date })}
          error={errorOf(ids.date)}
        />
        <Select
          id={ids.procedure}
          label="Operation"
          value={draft.procedure}
          choices={optionsOf(SURGERIES, SURGERY_LABELS)}
          onChange={(procedure) => update({ procedure })}
          error={errorOf(ids.procedure)}
        />
        {draft.procedure === 'other' ? (
          <TextField
            id={ids.otherText}
            label="Which operation?"
            maxLength={200}
            value={draft.otherText}
            onChange={(otherText) => update({ otherText })}
            error={errorOf(ids.otherText)}
          />
        ) : null}
        <RadioGroup
          id={ids.side}
          name={`${ids.side}-radio`}
          legend="Side"
          choices={[
            ...optionsOf(SURGERY_SIDES, SIDE_LABELS),
            { value: 'unknown' as const, label: 'Not known' },
          ]}
          value={draft.side}
          onChange={(side) => update({ side })}
          error={errorOf(ids.side)}
        />
      </>
    );
  } else if (draft.type === 'dbs-settings') {
    fields = (
      <>
        <TextField
          id={ids.date}
          label="Date of the change"
          type="date"
          className="field--short"
          value={draft.date}
          onChange={(date) => update({ date })}
          error={errorOf(ids.date)}
        />
        <TextAreaField
          id={ids.settings}
          label="Settings"
          hint="For example contacts, amplitude, pulse width and frequency per side."
          maxLength={2000}
          value={draft.settings}
          onChange={(settings) => update({ settings })}
          error={errorOf(ids.settings)}
        />
      </>
    );
  }

  return (
    <form
      className="form panel"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-label={`Add: ${TREATMENT_TYPE_LABELS[type]}`}
    >
      <h4>{TREATMENT_TYPE_LABELS[type]}</h4>
      <p className="field__hint">Added to the patient’s log, marked as entered by a clinician.</p>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      {fields}
      <TextAreaField
        id={ids.notes}
        label="Notes (optional)"
        maxLength={2000}
        value={draft.notes}
        onChange={(notes) => update({ notes })}
        error={errorOf(ids.notes)}
      />
      {saveError ? (
        <p className="notice notice--error" role="alert">
          {saveError}
        </p>
      ) : null}
      <div className="actions actions--row">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save the treatment'}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

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
            <ClinicTreatmentForm
              patientId={patientId}
              type={type}
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
              choices={CLINIC_TREATMENT_TYPES.map((value) => ({
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

/** A total added by the clinician (rated by a clinician). */
function ClinicScaleForm({ patientId, onSaved }: { patientId: string; onSaved: (message: string) => void }) {
  const [scaleId, setScaleId] = useState<string | null>(null);
  const [total, setTotal] = useState('');
  const [date, setDate] = useState(localToday);
  const [name, setName] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const scale = scaleId ? getClinicianScale(scaleId) : undefined;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { problems: found, body } = draftToScaleTotal(
      { scaleId, date, role: 'clinician', name, total },
      localToday(),
    );
    show(found);
    if (!body) return;
    setBusy(true);
    setSaveError(null);
    try {
      const saved = await addPatientScaleTotal(patientId, body, key);
      setTotal('');
      setKey(newIdempotencyKey());
      onSaved(`Saved: ${totalWords(saved.data)} of ${dayWords(saved.data.date)}.`);
    } catch (error) {
      setSaveError(`Not saved: ${errorMessage(error)} What you entered is still here; please try again.`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="form panel"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-labelledby="clinic-add-total"
    >
      <h3 id="clinic-add-total">Add a rating-scale total</h3>
      <p className="field__hint">Added to the patient’s record as rated by a clinician.</p>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <Select
        id="scale-total-scale"
        label="Scale"
        value={scaleId}
        choices={CLINICIAN_SCALES.filter((s) => s.raters.includes('clinician')).map((s) => ({
          value: s.id,
          label: `${s.name} (${s.abbreviation})`,
        }))}
        onChange={setScaleId}
        error={errorOf('scale-total-scale')}
      />
      <TextField
        id="scale-total-total"
        label={scale ? `Total of the ${scale.abbreviation}` : 'Total'}
        hint={scale ? scale.totalMeaning : 'Choose the scale first.'}
        inputMode="decimal"
        autoComplete="off"
        className="field--short"
        value={total}
        onChange={setTotal}
        error={errorOf('scale-total-total')}
      />
      <TextField
        id="scale-total-date"
        label="Date of the rating"
        type="date"
        max={localToday()}
        className="field--short"
        value={date}
        onChange={setDate}
        error={errorOf('scale-total-date')}
      />
      <TextField
        id="scale-total-name"
        label="Name of the rater (optional)"
        autoComplete="off"
        maxLength={200}
        value={name}
        onChange={setName}
        error={errorOf('scale-total-rater')}
      />
      {saveError ? (
        <p className="notice notice--error" role="alert">
          {saveError}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save the total'}
        </button>
      </div>
    </form>
  );
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
        <ClinicScaleForm
          patientId={patientId}
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
