import {
  CLINICIAN_SCALES,
  getClinicianScale,
  validateClinicianScaleEntry,
  type ClinicianScale,
  type RaterRole,
} from '@dystrack/core';
import { useId, useState, type FormEvent } from 'react';
import {
  newIdempotencyKey,
  scaleTotals,
  type Entry,
  type EntryClient,
  type ScaleTotalBody,
  type ScaleTotalData,
} from '../api/records.js';
import { ErrorSummary, RadioGroup, TextField, type FormProblem } from '../components/form.js';
import { problemsFromApi, useFormProblems } from './form-helpers.js';
import { EntryActions, dayWords, localToday, useEntries } from './scales-entry-parts.js';

/*
 * Totals of licensed clinician scales (WCRS, ADDS, TCS, BFMDRS, …) as a rater gave them, typically copied
 * from a clinic letter. Only the total, its date and the rater are stored; the scales' item wording is
 * copyrighted and never shown (core's clinician-scales.ts holds their metadata only).
 */

function formatTotal(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 10) / 10);
}

/** The range and steps of a scale's total, in words. */
export function scaleRangeWords(scale: ClinicianScale): string {
  const unit = scale.unit ?? '';
  const range = `from ${scale.min}${unit} to ${scale.max}${unit}`;
  if (scale.allowedValues) {
    const some = scale.allowedValues.slice(0, 4).map(formatTotal).join(`${unit}, `);
    return `${range}, only the values its formula gives (${some}${unit}, …)`;
  }
  if (scale.step === 1) return `${range}, whole numbers`;
  if (scale.step !== null) return `${range}, in steps of ${scale.step}`;
  return range;
}

/** "higher = more impairment" or "higher = better". */
function directionWords(scale: ClinicianScale): string {
  return scale.direction === 'higher-is-worse'
    ? 'higher means more impairment'
    : 'higher means better function';
}

const RATER_WORDS: Record<RaterRole, string> = {
  clinician: 'A clinician (for example your neurologist)',
  self: 'I rated it myself',
};

interface Draft {
  scaleId: string | null;
  date: string;
  role: RaterRole | null;
  name: string;
  total: string;
}

const FIELDS = {
  scaleId: 'scale-total-scale',
  date: 'scale-total-date',
  rater: 'scale-total-rater',
  total: 'scale-total-total',
  entry: 'scale-total-scale',
} as const;

/**
 * Checks a draft with core's validator (range, step, date, who may rate) and gives the body to send.
 * Messages are core's, meant to be shown as they are.
 */
export function draftToScaleTotal(
  draft: Draft,
  today: string,
): { problems: FormProblem[]; body: ScaleTotalBody | null } {
  const problems: FormProblem[] = [];
  if (!draft.scaleId) problems.push({ fieldId: FIELDS.scaleId, message: 'Choose the scale.' });
  if (!draft.date) problems.push({ fieldId: FIELDS.date, message: 'Enter the date of the rating.' });
  if (!draft.role) problems.push({ fieldId: FIELDS.rater, message: 'Say who gave the rating.' });
  const text = draft.total.trim().replace(',', '.');
  const total = text === '' ? Number.NaN : Number(text);
  if (text === '') problems.push({ fieldId: FIELDS.total, message: 'Enter the total.' });
  else if (!Number.isFinite(total))
    problems.push({
      fieldId: FIELDS.total,
      message: `Enter the total as a number, for example 12 (not “${draft.total.trim()}”).`,
    });
  if (!draft.scaleId) return { problems, body: null };
  const name = draft.name.trim();
  // core's validator checks what is there (the range of the total even while the rater is missing)
  const role = draft.role ?? 'clinician';
  const candidate: ScaleTotalBody = {
    scaleId: draft.scaleId,
    total: Number.isFinite(total) ? total : 0,
    date: draft.date || today,
    rater: name ? { role, name } : { role },
  };
  const result = validateClinicianScaleEntry(candidate, { today });
  if (!result.ok) {
    for (const issue of result.issues) {
      if (issue.field === 'total' && !Number.isFinite(total)) continue;
      if (issue.field === 'rater' && !draft.role) continue;
      problems.push({ fieldId: FIELDS[issue.field], message: issue.message });
    }
  }
  if (problems.length > 0 || !draft.role) return { problems, body: null };
  return { problems: [], body: candidate };
}

function toDraft(data?: ScaleTotalData): Draft {
  if (!data) return { scaleId: null, date: localToday(), role: null, name: '', total: '' };
  return {
    scaleId: data.scaleId,
    date: data.date,
    role: data.rater.role,
    name: data.rater.name ?? '',
    total: formatTotal(data.total),
  };
}

/** The form of one total: new (with its own idempotency key) or an edit of an entry. */
export function ScaleTotalForm({
  entry,
  onSaved,
  onCancel,
  client = scaleTotals,
}: {
  entry?: Entry<ScaleTotalData>;
  /** Where the total is saved: the patient's own record, or (a clinician) a sharing patient's (`scaleTotalsOf`). */
  client?: EntryClient<ScaleTotalBody, ScaleTotalData>;
  onSaved: (message: string) => void;
  onCancel?: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(entry?.data));
  // one key per form: a retry after a lost answer cannot store the total twice
  const [key] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const headingId = useId();
  const scale = draft.scaleId ? getClinicianScale(draft.scaleId) : undefined;
  const update = <K extends keyof Draft>(field: K, value: Draft[K]) =>
    setDraft((previous) => ({ ...previous, [field]: value }));
  // an edit form sits beside others in the list: its fields' ids carry the entry's id
  const idPrefix = entry ? `${entry.id}-` : '';
  const id = (field: keyof typeof FIELDS) => `${idPrefix}${FIELDS[field]}`;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { problems: found, body } = draftToScaleTotal(draft, localToday());
    show(found.map((problem) => ({ ...problem, fieldId: `${idPrefix}${problem.fieldId}` })));
    if (!body) return;
    setBusy(true);
    try {
      const saved = entry ? await client.update(entry.id, body) : await client.saveNew(body, key);
      const savedScale = getClinicianScale(saved.data.scaleId);
      onSaved(
        `Saved: ${savedScale?.abbreviation ?? saved.data.scaleId} total ${formatTotal(saved.data.total)}${savedScale?.unit ?? ''} ` +
          `of ${dayWords(saved.data.date)}.`,
      );
    } catch (error) {
      // what was typed stays; the server's messages go next to their fields
      show(
        problemsFromApi(
          error,
          {
            scaleId: id('scaleId'),
            total: id('total'),
            date: id('date'),
            rater: id('rater'),
            'rater.role': id('rater'),
            'rater.name': id('rater'),
          },
          id('total'),
        ),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="form records-form"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-labelledby={headingId}
    >
      <h3 id={headingId}>{entry ? 'Change this total' : 'Add a total'}</h3>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <RadioGroup
        id={id('scaleId')}
        name={`${idPrefix}scale`}
        legend="Which scale?"
        choices={CLINICIAN_SCALES.map((s) => ({
          value: s.id,
          label: `${s.name} (${s.abbreviation})`,
          description: `Total ${scaleRangeWords(s)}; ${directionWords(s)}.`,
        }))}
        value={draft.scaleId}
        onChange={(value) => {
          // a scale that only a clinician rates has one possible rater: chosen for the person
          const raters = getClinicianScale(value)?.raters ?? [];
          setDraft((previous) => ({
            ...previous,
            scaleId: value,
            role:
              previous.role && raters.includes(previous.role)
                ? previous.role
                : raters.length === 1
                  ? raters[0]!
                  : null,
          }));
        }}
        error={errorOf(id('scaleId'))}
      />
      <TextField
        id={id('total')}
        label={scale ? `Total of the ${scale.abbreviation}` : 'Total'}
        hint={
          scale ? (
            <>
              {`From ${scaleRangeWords(scale).replace(/^from /, '')}. `}
              {scale.totalMeaning}
            </>
          ) : (
            'Choose the scale first: its range is shown here.'
          )
        }
        inputMode="decimal"
        autoComplete="off"
        className="field--short"
        value={draft.total}
        onChange={(value) => update('total', value)}
        error={errorOf(id('total'))}
      />
      <TextField
        id={id('date')}
        label="Date of the rating"
        type="date"
        max={localToday()}
        className="field--short"
        value={draft.date}
        onChange={(value) => update('date', value)}
        error={errorOf(id('date'))}
      />
      <RadioGroup
        id={id('rater')}
        name={`${idPrefix}rater`}
        legend="Who gave the rating?"
        hint={
          scale && !scale.raters.includes('self')
            ? `The ${scale.abbreviation} is rated by a clinician: copy the total from the clinic letter.`
            : undefined
        }
        choices={(['clinician', 'self'] as const)
          .filter((role) => !scale || scale.raters.includes(role) || draft.role === role)
          .map((role) => ({ value: role, label: RATER_WORDS[role] }))}
        value={draft.role}
        onChange={(value) => update('role', value)}
        error={errorOf(id('rater'))}
      />
      <TextField
        id={`${idPrefix}scale-total-name`}
        label="Name of the rater (optional)"
        hint="For example the neurologist who rated it."
        autoComplete="off"
        maxLength={200}
        value={draft.name}
        onChange={(value) => update('name', value)}
      />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : entry ? 'Save the change' : 'Save the total'}
        </button>
        {onCancel ? (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

function describeTotal(data: ScaleTotalData) {
  const scale = getClinicianScale(data.scaleId);
  const unit = scale?.unit ?? '';
  return (
    <p>
      {scale ? `${scale.abbreviation} ` : `${data.scaleId} `}total {formatTotal(data.total)}
      {unit}
      {scale ? ` of ${scale.max}${unit} (${directionWords(scale)})` : ''}, rated on {dayWords(data.date)} by{' '}
      {data.rater.role === 'self' ? 'yourself' : 'a clinician'}
      {data.rater.name ? ` (${data.rater.name})` : ''}.
    </p>
  );
}

/** One stored total with edit, delete and its changes. */
function ScaleTotalItem({
  entry,
  onChanged,
}: {
  entry: Entry<ScaleTotalData>;
  onChanged: (message: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const scale = getClinicianScale(entry.data.scaleId);
  const titleId = `total-${entry.id}`;
  const what = `the ${scale?.abbreviation ?? entry.data.scaleId} total of ${dayWords(entry.data.date)}`;
  if (editing) {
    return (
      <li className="entry">
        <ScaleTotalForm
          entry={entry}
          onSaved={(message) => {
            setEditing(false);
            onChanged(message);
          }}
          onCancel={() => setEditing(false)}
        />
      </li>
    );
  }
  return (
    <li className="entry">
      <article aria-labelledby={titleId}>
        <h4 id={titleId} className="entry__title">
          {scale ? `${scale.name} (${scale.abbreviation})` : entry.data.scaleId}:{' '}
          {formatTotal(entry.data.total)}
          {scale?.unit ?? ''}
          <span className="entry__date">{dayWords(entry.data.date)}</span>
          {entry.clinicianEntered ? <span className="entry__badge">entered by your clinician</span> : null}
        </h4>
        {describeTotal(entry.data)}
        {entry.revision > 1 ? <p className="muted">Changed {entry.revision - 1} time(s).</p> : null}
        <EntryActions
          what={what}
          entryId={entry.id}
          client={scaleTotals}
          onEdit={() => setEditing(true)}
          onChanged={onChanged}
          describe={describeTotal}
        />
      </article>
    </li>
  );
}

/** The clinician-scale totals: the form to add one and the list. */
export function ClinicianScalesSection() {
  const { entries, reload } = useEntries(scaleTotals);
  const [message, setMessage] = useState<string | null>(null);
  // a new form (and a new key) after each saved total
  const [formKey, setFormKey] = useState(0);
  const [adding, setAdding] = useState(false);
  const changed = (text: string) => {
    setMessage(text);
    reload();
  };
  return (
    <section aria-labelledby="clinician-heading" className="records-section">
      <h2 id="clinician-heading">Clinician rating scales</h2>
      <p>
        Copy the total of a rating scale from a clinic letter, such as the Writer’s Cramp Rating Scale or the
        Arm Dystonia Disability Scale. Only the total, its date and the rater are kept. The questions of these
        scales are copyrighted, so Dystrack does not show them.
      </p>
      <p role="status" className="status-line">
        {message}
      </p>
      {adding ? (
        <ScaleTotalForm
          key={formKey}
          onSaved={(text) => {
            setAdding(false);
            setFormKey((n) => n + 1);
            changed(text);
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <div className="actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setMessage(null);
              setAdding(true);
            }}
          >
            Add a total
          </button>
        </div>
      )}
      <h3>Your totals</h3>
      {entries.state === 'loading' ? <p role="status">Loading your totals…</p> : null}
      {entries.state === 'error' ? (
        <div className="notice notice--error" role="alert">
          <p>Your totals could not be loaded: {entries.message}</p>
          <button type="button" className="button button--secondary" onClick={reload}>
            Try again
          </button>
        </div>
      ) : null}
      {entries.state === 'ready' && entries.value.length === 0 ? <p>No totals yet.</p> : null}
      {entries.state === 'ready' && entries.value.length > 0 ? (
        <ul className="entries">
          {entries.value.map((entry) => (
            <ScaleTotalItem key={`${entry.id}-${entry.revision}`} entry={entry} onChanged={changed} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
