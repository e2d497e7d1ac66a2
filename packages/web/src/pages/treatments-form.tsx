import {
  INJECTION_GUIDANCE,
  INJECTION_GUIDANCE_LABELS,
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
  TOXIN_SIDE_EFFECTS,
  TOXIN_SIDE_EFFECT_LABELS,
  TREATMENT_TYPE_LABELS,
  treatmentInputSchema,
  type InjectedMuscle,
  type InjectionGuidance,
  type InjectionSide,
  type Surgery,
  type SurgerySide,
  type TaskModification,
  type Therapy,
  type ToxinProduct,
  type ToxinSideEffect,
  type TreatmentBody,
  type TreatmentInput,
  type TreatmentType,
} from '@dystrack/core';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { newIdempotencyKey, treatments, type Entry, type EntryClient } from '../api/records.js';
import {
  CheckboxGroup,
  ErrorSummary,
  RadioGroup,
  TextAreaField,
  TextField,
  type FormProblem,
  type RadioGroupProps,
} from '../components/form.js';
import { fieldIssues } from '../api/client.js';
import { errorMessage, useFormProblems } from './form-helpers.js';
import { localToday } from './scales-entry-parts.js';
import { MusclePicker } from './treatments-muscle-picker.js';

/*
 * The form of one treatment, by type: pickers wherever core has a list, large targets, dates from the
 * browser's date picker. A new treatment gets an idempotency key when its form opens; every try to save
 * it sends the same key, and a failed save keeps everything typed.
 */

// ---------------------------------------------------------------------------------------------
// drafts: what the person edits (text fields hold strings)

export interface InjectionRowDraft {
  /** Stable key of the row in the list (not sent). */
  rowKey: string;
  muscle: InjectedMuscle | null;
  otherText: string;
  side: InjectionSide | null;
  units: string;
  detail: string;
}

/** `unknown` stands for a guidance that was not given (`null` in the data). */
type GuidanceChoice = InjectionGuidance | 'unknown';
type SurgerySideChoice = SurgerySide | 'unknown';
type Ongoing = 'ongoing' | 'stopped';

export type TreatmentDraft =
  | {
      type: 'botulinum-toxin';
      date: string;
      product: ToxinProduct | null;
      otherText: string;
      rows: InjectionRowDraft[];
      guidance: GuidanceChoice | null;
      sideEffects: ToxinSideEffect[];
      sideEffectsText: string;
      notes: string;
    }
  | {
      type: 'medication';
      name: string;
      dose: string;
      schedule: string | null;
      scheduleText: string;
      start: string;
      ongoing: Ongoing | null;
      stop: string;
      notes: string;
    }
  | {
      type: 'therapy';
      choice: Therapy | null;
      otherText: string;
      start: string;
      ongoing: Ongoing | null;
      stop: string;
      notes: string;
    }
  | {
      type: 'task-modification';
      choice: TaskModification | null;
      otherText: string;
      start: string;
      ongoing: Ongoing | null;
      stop: string;
      notes: string;
    }
  | {
      type: 'surgery';
      date: string;
      procedure: Surgery | null;
      otherText: string;
      side: SurgerySideChoice | null;
      notes: string;
    }
  | { type: 'dbs-settings'; date: string; settings: string; notes: string };

/** Common dose schedules, offered as choices (the schedule is stored as words). */
export const SCHEDULES = [
  'Once a day',
  'Twice a day',
  'Three times a day',
  'Four times a day',
  'Once a week',
  'When needed',
] as const;
const OTHER_SCHEDULE = 'other';

let rowCounter = 0;
function newRow(side: InjectionSide | null): InjectionRowDraft {
  rowCounter += 1;
  return { rowKey: `row-${rowCounter}`, muscle: null, otherText: '', side, units: '', detail: '' };
}

function numberText(value: number): string {
  return String(value);
}

/** An empty draft of a type; `side` presets the side of injections (the affected hand). */

/**
 * A group of large radio buttons whose `other` choice opens a text field for what it is (the product,
 * therapy, aid or operation that the list does not name).
 */
function ChoiceWithOther<T extends string>({
  id,
  other,
  ...group
}: Omit<RadioGroupProps<T>, 'name' | 'id'> & {
  id: string;
  other: {
    id: string;
    label: string;
    value: string;
    onChange: (value: string) => void;
    error: string | null;
  };
}) {
  return (
    <>
      <RadioGroup<T> id={id} name={`${id}-radio`} {...group} />
      {group.value === 'other' ? (
        <TextField
          id={other.id}
          label={other.label}
          maxLength={200}
          value={other.value}
          onChange={other.onChange}
          error={other.error}
        />
      ) : null}
    </>
  );
}

export function emptyDraft(type: TreatmentType, side: InjectionSide | null): TreatmentDraft {
  const today = localToday();
  switch (type) {
    case 'botulinum-toxin':
      return {
        type,
        date: today,
        product: null,
        otherText: '',
        rows: [newRow(side)],
        guidance: null,
        sideEffects: [],
        sideEffectsText: '',
        notes: '',
      };
    case 'medication':
      return {
        type,
        name: '',
        dose: '',
        schedule: null,
        scheduleText: '',
        start: today,
        ongoing: 'ongoing',
        stop: '',
        notes: '',
      };
    case 'therapy':
    case 'task-modification':
      return { type, choice: null, otherText: '', start: today, ongoing: 'ongoing', stop: '', notes: '' };
    case 'surgery':
      return { type, date: today, procedure: null, otherText: '', side: null, notes: '' };
    case 'dbs-settings':
      return { type, date: today, settings: '', notes: '' };
  }
}

/** A stored treatment as a draft to edit. */
export function draftOf(data: TreatmentInput): TreatmentDraft {
  switch (data.type) {
    case 'botulinum-toxin':
      return {
        type: data.type,
        date: data.date,
        product: data.product,
        otherText: data.otherText ?? '',
        rows: data.injections.map((injection) => ({
          ...newRow(injection.side),
          muscle: injection.muscle,
          otherText: injection.otherText ?? '',
          units: numberText(injection.units),
          detail: injection.detail ?? '',
        })),
        guidance: data.guidance ?? 'unknown',
        sideEffects: [...data.sideEffects],
        sideEffectsText: data.sideEffectsText ?? '',
        notes: data.notes ?? '',
      };
    case 'medication': {
      const listed = (SCHEDULES as readonly string[]).includes(data.schedule);
      return {
        type: data.type,
        name: data.name,
        dose: data.dose,
        schedule: listed ? data.schedule : OTHER_SCHEDULE,
        scheduleText: listed ? '' : data.schedule,
        start: data.start,
        ongoing: data.stop === null ? 'ongoing' : 'stopped',
        stop: data.stop ?? '',
        notes: data.notes ?? '',
      };
    }
    case 'therapy':
      return {
        type: data.type,
        choice: data.therapy,
        otherText: data.otherText ?? '',
        start: data.start,
        ongoing: data.stop === null ? 'ongoing' : 'stopped',
        stop: data.stop ?? '',
        notes: data.notes ?? '',
      };
    case 'task-modification':
      return {
        type: data.type,
        choice: data.modification,
        otherText: data.otherText ?? '',
        start: data.start,
        ongoing: data.stop === null ? 'ongoing' : 'stopped',
        stop: data.stop ?? '',
        notes: data.notes ?? '',
      };
    case 'surgery':
      return {
        type: data.type,
        date: data.date,
        procedure: data.procedure,
        otherText: data.otherText ?? '',
        side: data.side ?? 'unknown',
        notes: data.notes ?? '',
      };
    case 'dbs-settings':
      return { type: data.type, date: data.date, settings: data.settings, notes: data.notes ?? '' };
  }
}

// ---------------------------------------------------------------------------------------------
// checking a draft

/** Field ids of a form; `prefix` keeps the ids of an edit form apart from the new-treatment form. */
export function fieldIds(prefix: string) {
  return {
    date: `${prefix}treatment-date`,
    product: `${prefix}treatment-product`,
    otherText: `${prefix}treatment-other`,
    injections: `${prefix}treatment-rows`,
    rowMuscle: (i: number) => `${prefix}treatment-row-${i}-muscle`,
    rowOther: (i: number) => `${prefix}treatment-row-${i}-other`,
    rowSide: (i: number) => `${prefix}treatment-row-${i}-side`,
    rowUnits: (i: number) => `${prefix}treatment-row-${i}-units`,
    rowDetail: (i: number) => `${prefix}treatment-row-${i}-detail`,
    guidance: `${prefix}treatment-guidance`,
    sideEffects: `${prefix}treatment-side-effects`,
    sideEffectsText: `${prefix}treatment-side-effects-text`,
    notes: `${prefix}treatment-notes`,
    name: `${prefix}treatment-name`,
    dose: `${prefix}treatment-dose`,
    schedule: `${prefix}treatment-schedule`,
    scheduleText: `${prefix}treatment-schedule-text`,
    start: `${prefix}treatment-start`,
    ongoing: `${prefix}treatment-ongoing`,
    stop: `${prefix}treatment-stop`,
    choice: `${prefix}treatment-choice`,
    procedure: `${prefix}treatment-procedure`,
    side: `${prefix}treatment-side`,
    settings: `${prefix}treatment-settings`,
  };
}
type FieldIds = ReturnType<typeof fieldIds>;

/** The field of an issue path of the schema or the server (`injections.1.units`, `stop`, …). */
export function fieldOfPath(path: string, ids: FieldIds, type: TreatmentType): string | null {
  const row = /^injections\.(\d+)\.(\w+)$/.exec(path);
  if (row) {
    const i = Number(row[1]);
    const field = row[2];
    if (field === 'muscle') return ids.rowMuscle(i);
    if (field === 'otherText') return ids.rowOther(i);
    if (field === 'side') return ids.rowSide(i);
    if (field === 'units') return ids.rowUnits(i);
    if (field === 'detail') return ids.rowDetail(i);
    return ids.injections;
  }
  if (path.startsWith('injections')) return ids.injections;
  if (path === 'therapy' || path === 'modification') return ids.choice;
  if (path === 'schedule') return ids.schedule;
  if (path === 'otherText' && (type === 'therapy' || type === 'task-modification')) return ids.otherText;
  const direct = (ids as Record<string, unknown>)[path];
  return typeof direct === 'string' ? direct : null;
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** Parses units typed with a comma or a point ("12,5"); NaN when it is not a number. */
function parseUnits(text: string): number {
  const cleaned = text.trim().replace(',', '.');
  return /^\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}

const OTHER_NEEDS_TEXT: Record<string, string> = {
  'botulinum-toxin': 'Say which product it was.',
  therapy: 'Say which therapy it is.',
  'task-modification': 'Say what the change or aid is.',
  surgery: 'Say which operation it was.',
};

/**
 * Checks a draft and builds the body to send. The person's words come first (a missing date, units
 * that are not a number); then core's schema, the same the server uses, catches the rest.
 */
export function draftToBody(
  draft: TreatmentDraft,
  ids: FieldIds,
): { problems: FormProblem[]; body: TreatmentBody | null } {
  const problems: FormProblem[] = [];
  const need = (condition: boolean, fieldId: string, message: string) => {
    if (condition) problems.push({ fieldId, message });
  };
  const text = (value: string) => value.trim();
  let body: TreatmentBody;
  switch (draft.type) {
    case 'botulinum-toxin': {
      need(!draft.date, ids.date, 'Enter the date of the injections.');
      need(!draft.product, ids.product, 'Choose the product, or “Another product”.');
      need(
        draft.product === 'other' && !text(draft.otherText),
        ids.otherText,
        OTHER_NEEDS_TEXT['botulinum-toxin']!,
      );
      draft.rows.forEach((row, i) => {
        const n = i + 1;
        need(!row.muscle, ids.rowMuscle(i), `Choose the muscle of row ${n}.`);
        need(
          row.muscle === 'other' && !text(row.otherText),
          ids.rowOther(i),
          `Say which muscle row ${n} is.`,
        );
        need(!row.side, ids.rowSide(i), `Choose the side of row ${n}.`);
        const units = parseUnits(row.units);
        need(!text(row.units), ids.rowUnits(i), `Enter the units of row ${n}.`);
        need(
          text(row.units) !== '' && !(units > 0),
          ids.rowUnits(i),
          `Enter the units of row ${n} as a number above 0, for example 20.`,
        );
      });
      need(draft.rows.length === 0, ids.injections, 'Add at least one muscle.');
      body = {
        type: 'botulinum-toxin',
        date: draft.date,
        product: draft.product ?? 'other',
        otherText: draft.product === 'other' ? text(draft.otherText) : null,
        injections: draft.rows.map((row) => ({
          muscle: row.muscle ?? 'other',
          otherText: row.muscle === 'other' ? text(row.otherText) : null,
          side: row.side ?? 'left',
          units: parseUnits(row.units),
          detail: text(row.detail) || null,
        })),
        guidance: draft.guidance === 'unknown' || draft.guidance === null ? null : draft.guidance,
        sideEffects: draft.sideEffects,
        sideEffectsText: text(draft.sideEffectsText) || null,
        notes: text(draft.notes) || null,
      };
      break;
    }
    case 'medication': {
      need(!text(draft.name), ids.name, 'Enter the name of the medication.');
      need(!text(draft.dose), ids.dose, 'Enter the dose, for example “2 mg”.');
      need(!draft.schedule, ids.schedule, 'Choose how often you take it.');
      need(
        draft.schedule === OTHER_SCHEDULE && !text(draft.scheduleText),
        ids.scheduleText,
        'Say how often you take it.',
      );
      need(!draft.start, ids.start, 'Enter when you started.');
      need(draft.ongoing === 'stopped' && !draft.stop, ids.stop, 'Enter when you stopped.');
      body = {
        type: 'medication',
        name: text(draft.name),
        dose: text(draft.dose),
        schedule: draft.schedule === OTHER_SCHEDULE ? text(draft.scheduleText) : (draft.schedule ?? ''),
        start: draft.start,
        stop: draft.ongoing === 'stopped' ? draft.stop : null,
        notes: text(draft.notes) || null,
      };
      break;
    }
    case 'therapy':
    case 'task-modification': {
      need(
        !draft.choice,
        ids.choice,
        draft.type === 'therapy' ? 'Choose the therapy.' : 'Choose the change or aid.',
      );
      need(draft.choice === 'other' && !text(draft.otherText), ids.otherText, OTHER_NEEDS_TEXT[draft.type]!);
      need(!draft.start, ids.start, 'Enter when it started.');
      need(draft.ongoing === 'stopped' && !draft.stop, ids.stop, 'Enter when it stopped.');
      const common = {
        otherText: draft.choice === 'other' ? text(draft.otherText) : null,
        start: draft.start,
        stop: draft.ongoing === 'stopped' ? draft.stop : null,
        notes: text(draft.notes) || null,
      };
      body =
        draft.type === 'therapy'
          ? { type: 'therapy', therapy: (draft.choice as Therapy | null) ?? 'other', ...common }
          : {
              type: 'task-modification',
              modification: (draft.choice as TaskModification | null) ?? 'other',
              ...common,
            };
      break;
    }
    case 'surgery': {
      need(!draft.date, ids.date, 'Enter the date of the operation.');
      need(!draft.procedure, ids.procedure, 'Choose the operation, or “Another operation”.');
      need(draft.procedure === 'other' && !text(draft.otherText), ids.otherText, OTHER_NEEDS_TEXT.surgery!);
      body = {
        type: 'surgery',
        date: draft.date,
        procedure: draft.procedure ?? 'other',
        otherText: draft.procedure === 'other' ? text(draft.otherText) : null,
        side: draft.side === 'unknown' || draft.side === null ? null : draft.side,
        notes: text(draft.notes) || null,
      };
      break;
    }
    case 'dbs-settings': {
      need(!draft.date, ids.date, 'Enter the date of the change.');
      need(!text(draft.settings), ids.settings, 'Enter the settings as the clinic wrote them.');
      body = {
        type: 'dbs-settings',
        date: draft.date,
        settings: text(draft.settings),
        notes: text(draft.notes) || null,
      };
      break;
    }
  }
  if (problems.length > 0) return { problems, body: null };
  const parsed = treatmentInputSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      problems.push({
        fieldId: fieldOfPath(path, ids, draft.type) ?? ids.notes,
        message: capitalize(issue.message),
      });
    }
    return { problems, body: null };
  }
  return { problems: [], body };
}

// ---------------------------------------------------------------------------------------------
// the form

function options<T extends string>(values: readonly T[], labels: Readonly<Record<T, string>>) {
  return values.map((value) => ({ value, label: labels[value] }));
}

const ONGOING_WORDS = {
  medication: {
    legend: 'Are you still taking it?',
    ongoing: 'Yes, I still take it',
    stopped: 'No, I stopped',
  },
  therapy: { legend: 'Is it still going on?', ongoing: 'Yes, still going on', stopped: 'No, it has ended' },
  'task-modification': {
    legend: 'Do you still use it?',
    ongoing: 'Yes, still in use',
    stopped: 'No, I stopped',
  },
} as const;

/** A date field limited to today at the latest. */
function DateField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
  hint?: ReactNode;
}) {
  return (
    <TextField
      id={id}
      label={label}
      hint={hint}
      type="date"
      min="1900-01-01"
      max={localToday()}
      className="field--short"
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

/** When an ongoing treatment started, whether it goes on, and when it stopped. */
function PeriodFields({
  ids,
  kind,
  stopLabel,
  draft,
  update,
  errorOf,
}: {
  ids: { start: string; ongoing: string; stop: string };
  kind: keyof typeof ONGOING_WORDS;
  stopLabel: string;
  draft: { start: string; ongoing: Ongoing | null; stop: string };
  update: (patch: { start?: string; ongoing?: Ongoing; stop?: string }) => void;
  errorOf: (fieldId: string) => string | null;
}) {
  const words = ONGOING_WORDS[kind];
  return (
    <>
      <DateField
        id={ids.start}
        label="Started on"
        value={draft.start}
        onChange={(start) => update({ start })}
        error={errorOf(ids.start)}
      />
      <RadioGroup
        id={ids.ongoing}
        name={`${ids.ongoing}-radio`}
        legend={words.legend}
        choices={[
          { value: 'ongoing', label: words.ongoing },
          { value: 'stopped', label: words.stopped },
        ]}
        value={draft.ongoing}
        onChange={(ongoing) => update({ ongoing })}
      />
      {draft.ongoing === 'stopped' ? (
        <DateField
          id={ids.stop}
          label={stopLabel}
          value={draft.stop}
          onChange={(stop) => update({ stop })}
          error={errorOf(ids.stop)}
        />
      ) : null}
    </>
  );
}

/**
 * The form of one treatment. New treatments are created with the form's idempotency key; an `entry` is
 * edited (a new revision).
 */
export function TreatmentForm({
  initial,
  entry,
  defaultSide,
  onSaved,
  onCancel,
  client = treatments,
}: {
  initial: TreatmentDraft;
  entry?: Entry<TreatmentInput>;
  /** Where the treatment is saved: the patient's own log, or (a clinician) a sharing patient's (`treatmentsOf`). */
  client?: EntryClient<TreatmentBody, TreatmentInput>;
  /** The side a new injection row starts with. */
  defaultSide: InjectionSide | null;
  onSaved: (saved: Entry<TreatmentInput>) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<TreatmentDraft>(initial);
  const [key] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  // what the form opened with (the prop is rebuilt on every render of the page)
  const [opened] = useState(initial);
  const dirty = JSON.stringify(draft) !== JSON.stringify(opened);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const headingId = useId();
  const ids = fieldIds(entry ? `${entry.id}-` : '');

  function update(patch: Partial<TreatmentDraft>) {
    setDraft((previous) => ({ ...previous, ...patch }) as TreatmentDraft);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { problems: found, body } = draftToBody(draft, ids);
    show(found);
    if (!body) return;
    setBusy(true);
    setSaveError(null);
    try {
      const saved = entry ? await client.update(entry.id, body) : await client.saveNew(body, key);
      onSaved(saved);
    } catch (error) {
      // Everything typed stays. The server's field messages go next to their fields; anything else
      // (no connection, the server down) is said beside the Save button.
      const mapped = Object.entries(fieldIssues(error)).flatMap(([path, message]) => {
        const fieldId = fieldOfPath(path, ids, draft.type);
        return fieldId ? [{ fieldId, message: capitalize(message) }] : [];
      });
      if (mapped.length > 0) show(mapped);
      else
        setSaveError(`Not saved: ${errorMessage(error)} What you entered is still here; please try again.`);
    } finally {
      setBusy(false);
    }
  }

  const typeLabel = TREATMENT_TYPE_LABELS[draft.type];
  let fields: ReactNode;
  switch (draft.type) {
    case 'botulinum-toxin': {
      const rows = draft.rows;
      const setRow = (index: number, patch: Partial<InjectionRowDraft>) =>
        update({ rows: rows.map((row, i) => (i === index ? { ...row, ...patch } : row)) });
      fields = (
        <>
          <DateField
            id={ids.date}
            label="Date of the injections"
            hint="Day 0 of this injection cycle."
            value={draft.date}
            onChange={(date) => update({ date })}
            error={errorOf(ids.date)}
          />
          <ChoiceWithOther
            id={ids.product}
            legend="Which product?"
            hint="As on the clinic’s record. Units of one product are not the same as units of another."
            choices={options(TOXIN_PRODUCTS, TOXIN_PRODUCT_LABELS)}
            value={draft.product}
            onChange={(product) => update({ product })}
            error={errorOf(ids.product)}
            other={{
              id: ids.otherText,
              label: 'Which product?',
              value: draft.otherText,
              onChange: (otherText) => update({ otherText }),
              error: errorOf(ids.otherText),
            }}
          />
          <fieldset className="injection-rows" id={ids.injections} tabIndex={-1}>
            <legend>Muscles injected</legend>
            <p className="field__hint">One row per muscle and side, with the units it received.</p>
            {errorOf(ids.injections) ? <p className="field__error">{errorOf(ids.injections)}</p> : null}
            <ol className="injection-rows__list">
              {rows.map((row, i) => {
                const n = i + 1;
                const filled = row.muscle !== null || row.units.trim() !== '' || row.detail.trim() !== '';
                return (
                  <li key={row.rowKey} className="injection-row">
                    <fieldset className="injection-row__fieldset">
                      <legend>Muscle {n}</legend>
                      <MusclePicker
                        id={ids.rowMuscle(i)}
                        label={`Muscle ${n}`}
                        value={row.muscle}
                        onChange={(muscle) => setRow(i, { muscle })}
                        error={errorOf(ids.rowMuscle(i))}
                      />
                      {row.muscle === 'other' ? (
                        <TextField
                          id={ids.rowOther(i)}
                          label={`Which muscle is muscle ${n}?`}
                          maxLength={200}
                          value={row.otherText}
                          onChange={(otherText) => setRow(i, { otherText })}
                          error={errorOf(ids.rowOther(i))}
                        />
                      ) : null}
                      <RadioGroup
                        id={ids.rowSide(i)}
                        name={`${ids.rowSide(i)}-radio`}
                        legend={`Side of muscle ${n}`}
                        choices={options(INJECTION_SIDES, SIDE_LABELS)}
                        value={row.side}
                        onChange={(side) => setRow(i, { side })}
                        error={errorOf(ids.rowSide(i))}
                      />
                      <TextField
                        id={ids.rowUnits(i)}
                        label={`Units into muscle ${n}`}
                        hint="A number, for example 20."
                        inputMode="decimal"
                        autoComplete="off"
                        className="field--short"
                        value={row.units}
                        onChange={(units) => setRow(i, { units })}
                        error={errorOf(ids.rowUnits(i))}
                      />
                      <TextField
                        id={ids.rowDetail(i)}
                        label={`Where exactly (optional)`}
                        hint="For example “to the index finger”."
                        maxLength={200}
                        value={row.detail}
                        onChange={(detail) => setRow(i, { detail })}
                      />
                      {rows.length > 1 ? (
                        removing === row.rowKey ? (
                          <div className="confirm" role="group" aria-label={`Remove muscle ${n}?`}>
                            <p className="confirm__question">Remove muscle {n} from this form?</p>
                            <div className="actions actions--row">
                              <button
                                type="button"
                                className="button button--danger"
                                onClick={() => {
                                  setRemoving(null);
                                  update({ rows: rows.filter((r) => r.rowKey !== row.rowKey) });
                                }}
                              >
                                Yes, remove muscle {n}
                              </button>
                              <button
                                type="button"
                                className="button button--secondary"
                                onClick={() => setRemoving(null)}
                              >
                                No, keep it
                              </button>
                            </div>
                          </div>
                        ) : (
                          <button
                            type="button"
                            className="button button--secondary button--compact"
                            onClick={() =>
                              filled
                                ? setRemoving(row.rowKey)
                                : update({ rows: rows.filter((r) => r.rowKey !== row.rowKey) })
                            }
                          >
                            Remove muscle {n}
                          </button>
                        )
                      ) : null}
                    </fieldset>
                  </li>
                );
              })}
            </ol>
            <button
              type="button"
              className="button button--secondary"
              disabled={rows.length >= 40}
              onClick={() => update({ rows: [...rows, newRow(rows.at(-1)?.side ?? defaultSide)] })}
            >
              Add another muscle
            </button>
          </fieldset>
          <RadioGroup
            id={ids.guidance}
            name={`${ids.guidance}-radio`}
            legend="How was the needle guided?"
            choices={[
              ...options(INJECTION_GUIDANCE, INJECTION_GUIDANCE_LABELS),
              { value: 'unknown' as const, label: 'I do not know' },
            ]}
            value={draft.guidance}
            onChange={(guidance) => update({ guidance })}
            error={errorOf(ids.guidance)}
          />
          <CheckboxGroup
            id={ids.sideEffects}
            name={`${ids.sideEffects}-box`}
            legend="Side effects afterwards (optional)"
            hint="Tick all that you noticed. You can add them later by changing this entry."
            choices={options(TOXIN_SIDE_EFFECTS, TOXIN_SIDE_EFFECT_LABELS)}
            values={draft.sideEffects}
            onChange={(sideEffects) => update({ sideEffects })}
            error={errorOf(ids.sideEffects)}
          />
          <TextAreaField
            id={ids.sideEffectsText}
            label="The side effects in your own words (optional)"
            hint="For example how long a weakness lasted."
            maxLength={2000}
            value={draft.sideEffectsText}
            onChange={(sideEffectsText) => update({ sideEffectsText })}
            error={errorOf(ids.sideEffectsText)}
          />
        </>
      );
      break;
    }
    case 'medication': {
      fields = (
        <>
          <TextField
            id={ids.name}
            label="Name of the medication"
            hint="As on the pack or prescription."
            maxLength={200}
            autoComplete="off"
            value={draft.name}
            onChange={(name) => update({ name })}
            error={errorOf(ids.name)}
          />
          <TextField
            id={ids.dose}
            label="Dose each time"
            hint="For example “2 mg”."
            maxLength={100}
            autoComplete="off"
            className="field--short"
            value={draft.dose}
            onChange={(dose) => update({ dose })}
            error={errorOf(ids.dose)}
          />
          <RadioGroup
            id={ids.schedule}
            name={`${ids.schedule}-radio`}
            legend="How often?"
            choices={[
              ...SCHEDULES.map((value) => ({ value, label: value })),
              { value: OTHER_SCHEDULE, label: 'Another schedule' },
            ]}
            value={draft.schedule}
            onChange={(schedule) => update({ schedule })}
            error={errorOf(ids.schedule)}
          />
          {draft.schedule === OTHER_SCHEDULE ? (
            <TextField
              id={ids.scheduleText}
              label="How often do you take it?"
              maxLength={200}
              value={draft.scheduleText}
              onChange={(scheduleText) => update({ scheduleText })}
              error={errorOf(ids.scheduleText)}
            />
          ) : null}
          <PeriodFields
            ids={ids}
            kind="medication"
            stopLabel="Stopped on"
            draft={draft}
            update={update}
            errorOf={errorOf}
          />
        </>
      );
      break;
    }
    case 'therapy':
    case 'task-modification': {
      const isTherapy = draft.type === 'therapy';
      fields = (
        <>
          <ChoiceWithOther<string>
            id={ids.choice}
            legend={isTherapy ? 'Which therapy?' : 'Which change or aid?'}
            choices={
              isTherapy
                ? options(THERAPIES, THERAPY_LABELS)
                : options(TASK_MODIFICATIONS, TASK_MODIFICATION_LABELS)
            }
            value={draft.choice}
            onChange={(choice) => update({ choice } as Partial<TreatmentDraft>)}
            error={errorOf(ids.choice)}
            other={{
              id: ids.otherText,
              label: isTherapy ? 'Which therapy?' : 'What is the change or aid?',
              value: draft.otherText,
              onChange: (otherText) => update({ otherText }),
              error: errorOf(ids.otherText),
            }}
          />
          <PeriodFields
            ids={ids}
            kind={draft.type}
            stopLabel="Ended on"
            draft={draft}
            update={update}
            errorOf={errorOf}
          />
        </>
      );
      break;
    }
    case 'surgery':
      fields = (
        <>
          <DateField
            id={ids.date}
            label="Date of the operation"
            value={draft.date}
            onChange={(date) => update({ date })}
            error={errorOf(ids.date)}
          />
          <ChoiceWithOther
            id={ids.procedure}
            legend="Which operation?"
            choices={options(SURGERIES, SURGERY_LABELS)}
            value={draft.procedure}
            onChange={(procedure) => update({ procedure })}
            error={errorOf(ids.procedure)}
            other={{
              id: ids.otherText,
              label: 'Which operation?',
              value: draft.otherText,
              onChange: (otherText) => update({ otherText }),
              error: errorOf(ids.otherText),
            }}
          />
          <RadioGroup
            id={ids.side}
            name={`${ids.side}-radio`}
            legend="On which side of the brain or body? (optional)"
            choices={[
              ...options(SURGERY_SIDES, SIDE_LABELS),
              { value: 'unknown' as const, label: 'Not given' },
            ]}
            value={draft.side}
            onChange={(side) => update({ side })}
          />
        </>
      );
      break;
    case 'dbs-settings':
      fields = (
        <>
          <DateField
            id={ids.date}
            label="Date of the setting change"
            value={draft.date}
            onChange={(date) => update({ date })}
            error={errorOf(ids.date)}
          />
          <TextAreaField
            id={ids.settings}
            label="The new settings"
            hint="Copy them as the clinic wrote them, for example “C+ 1−, 2.5 V, 60 µs, 130 Hz”."
            maxLength={4000}
            value={draft.settings}
            onChange={(settings) => update({ settings })}
            error={errorOf(ids.settings)}
          />
        </>
      );
      break;
  }

  return (
    <form
      className="form records-form"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-labelledby={headingId}
    >
      <h3 id={headingId}>
        {entry ? `Change: ${typeLabel.toLowerCase()}` : `New: ${typeLabel.toLowerCase()}`}
      </h3>
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
        <div className="notice notice--error" role="alert">
          <p>{saveError}</p>
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : entry ? 'Save the change' : 'Save the treatment'}
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => (dirty ? setConfirmCancel(true) : onCancel())}
        >
          Cancel
        </button>
      </div>
      {confirmCancel ? (
        <div className="confirm" role="group" aria-label="Discard what you entered?">
          <p className="confirm__question">Discard what you entered in this form?</p>
          <div className="actions actions--row">
            <button type="button" className="button button--danger" onClick={onCancel}>
              Yes, discard it
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setConfirmCancel(false)}
            >
              No, keep editing
            </button>
          </div>
        </div>
      ) : null}
    </form>
  );
}
