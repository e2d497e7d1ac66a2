import {
  BODY_REGIONS_BEYOND_ARM,
  DIARY_CONTEXT_LABELS,
  DIARY_CONTEXT_RATINGS,
  DIARY_DRINKS_MAX,
  DIARY_NOTES_MAX,
  DIARY_SYMPTOM_LABELS,
  DIARY_SYMPTOMS,
  DIARY_TASK_LABELS,
  DIARY_TASKS,
  checkRedFlags,
  diaryInputSchema,
  newBodyRegions,
  sideRegionWords,
  type DiaryBodyMap,
  type DiaryContextRating,
  type DiaryData,
  type DiaryInput,
  type DiarySymptom,
  type DiaryTask,
  type SideRegion,
} from '@dystrack/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  dropUnsentDiarySave,
  isRetryableSaveError,
  keepUnsentDiarySave,
  sendDiarySave,
  type DiaryEntry,
  type DiarySave,
  type SaveOutcome,
  type UnsentDiarySave,
} from '../api/diary.js';
import type { DystoniaForm, Profile } from '../api/types.js';
import { BodyMap } from '../components/body-map.js';
import { CheckboxGroup, ErrorSummary, TextField, type FormProblem } from '../components/form.js';
import { SeeADoctor } from '../components/see-a-doctor.js';
import { useNow } from '../components/use-now.js';
import { errorMessage, useFormProblems } from './form-helpers.js';

/*
 * The diary form, for a new entry and for an edit. A new entry gets its idempotency key when the form
 * opens and keeps it for every try of the same save; a save that does not reach the server is kept on
 * this device (api/diary.ts) and the form keeps everything typed.
 */

/** The form's fields as the person edits them (number fields hold text). */
export interface DiaryDraft {
  /** `YYYY-MM-DDTHH:mm`, local time. */
  time: string;
  /** The time follows the clock until the person changes it (or a save fixes it). */
  timeIsNow: boolean;
  /**
   * The stored `at` of an edited (or resumed) entry: sent as it is while `time` still shows it, so that an
   * edit from another time zone does not rewrite the time.
   */
  keepAt: string | null;
  severity: Partial<Record<DiaryTask, number>>;
  symptoms: DiarySymptom[];
  painLevel: number | null;
  ratings: Partial<Record<DiaryContextRating, number>>;
  practiceHours: string;
  sleepHours: string;
  caffeineDrinks: string;
  alcoholDrinks: string;
  /** Undefined until the person touches the box. */
  cold: boolean | undefined;
  bodyMap: DiaryBodyMap;
  notes: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A time as a `datetime-local` value (`YYYY-MM-DDTHH:mm`, local time). */
export function localMinute(ms: number = Date.now()): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A `datetime-local` value as ISO 8601 with the device's offset at that time, so that the entry keeps
 * the person's local time of day ("2026-03-02T09:30:00+01:00"); null when it is not a time.
 */
export function isoWithOffset(local: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const [y, mo, d, h, mi] = match.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** An empty form whose time is now. */
export function emptyDraft(now: number = Date.now()): DiaryDraft {
  return {
    time: localMinute(now),
    timeIsNow: true,
    keepAt: null,
    severity: {},
    symptoms: [],
    painLevel: null,
    ratings: {},
    practiceHours: '',
    sleepHours: '',
    caffeineDrinks: '',
    alcoholDrinks: '',
    cold: undefined,
    bodyMap: { left: [], right: [] },
    notes: '',
  };
}

const numberText = (value: number | undefined) => (value === undefined ? '' : String(value));

/** A stored entry (or a kept save) as the form shows it. */
export function entryToDraft(data: DiaryData): DiaryDraft {
  const ratings: DiaryDraft['ratings'] = {};
  for (const field of DIARY_CONTEXT_RATINGS) {
    const value = data.context[field];
    if (value !== undefined) ratings[field] = value;
  }
  return {
    time: localMinute(Date.parse(data.at)),
    timeIsNow: false,
    keepAt: data.at,
    severity: { ...data.severity },
    symptoms: [...data.symptoms],
    painLevel: data.painLevel,
    ratings,
    practiceHours: numberText(data.context.practiceHours),
    sleepHours: numberText(data.context.sleepHours),
    caffeineDrinks: numberText(data.context.caffeineDrinks),
    alcoholDrinks: numberText(data.context.alcoholDrinks),
    cold: data.context.cold,
    bodyMap: { left: [...data.bodyMap.left], right: [...data.bodyMap.right] },
    notes: data.notes ?? '',
  };
}

/** The tasks a profile names as affected, in the diary's order; all of them when it names none. */
export function primaryTasks(profile: Profile | null): DiaryTask[] {
  const byForm: Record<DystoniaForm, DiaryTask | null> = {
    'writers-cramp': 'writing',
    musicians: 'instrument',
    typists: 'typing',
    'tool-use': 'toolUse',
    other: null,
  };
  const named = new Set((profile?.dystoniaForms ?? []).map((form) => byForm[form]));
  const tasks = DIARY_TASKS.filter((task) => named.has(task));
  return tasks.length > 0 ? tasks : [...DIARY_TASKS];
}

/** The ids of a form's fields, for labels and the error summary. */
export function fieldIds(prefix: string) {
  return {
    time: `${prefix}-time`,
    severity: (task: DiaryTask) => `${prefix}-severity-${task}`,
    symptoms: `${prefix}-symptoms`,
    pain: `${prefix}-pain`,
    rating: (field: DiaryContextRating) => `${prefix}-context-${field}`,
    practiceHours: `${prefix}-context-practiceHours`,
    sleepHours: `${prefix}-context-sleepHours`,
    caffeineDrinks: `${prefix}-context-caffeineDrinks`,
    alcoholDrinks: `${prefix}-context-alcoholDrinks`,
    cold: `${prefix}-context-cold`,
    bodyMap: `${prefix}-bodymap`,
    notes: `${prefix}-notes`,
  };
}

/** A decimal number as typed ("2.5" or "2,5"); NaN when it is not one. */
function parseDecimal(text: string): number {
  const t = text.trim().replace(',', '.');
  return /^\d+(\.\d+)?$|^\.\d+$/.test(t) ? Number(t) : Number.NaN;
}

/**
 * Checks a draft and turns it into the entry to send (defaults filled in by core's schema).
 * @returns the problems by field id, or the entry
 */
export function draftToInput(
  draft: DiaryDraft,
  prefix: string,
): { problems: FormProblem[]; input: DiaryInput | null } {
  const ids = fieldIds(prefix);
  const problems: FormProblem[] = [];
  const at =
    draft.keepAt !== null && draft.time === localMinute(Date.parse(draft.keepAt))
      ? draft.keepAt
      : isoWithOffset(draft.time);
  if (!at) problems.push({ fieldId: ids.time, message: 'Enter the date and time of the entry.' });

  const context: Record<string, number | boolean> = {};
  for (const field of DIARY_CONTEXT_RATINGS) {
    const value = draft.ratings[field];
    if (value !== undefined) context[field] = value;
  }
  for (const field of ['practiceHours', 'sleepHours'] as const) {
    if (draft[field].trim() === '') continue;
    const value = parseDecimal(draft[field]);
    if (!(value >= 0 && value <= 24)) {
      problems.push({
        fieldId: ids[field],
        message: `${DIARY_CONTEXT_LABELS[field]}: enter a number of hours from 0 to 24, such as 2.5.`,
      });
    } else context[field] = value;
  }
  for (const field of ['caffeineDrinks', 'alcoholDrinks'] as const) {
    if (draft[field].trim() === '') continue;
    const value = parseDecimal(draft[field]);
    if (!(Number.isInteger(value) && value >= 0 && value <= DIARY_DRINKS_MAX)) {
      problems.push({
        fieldId: ids[field],
        message: `${DIARY_CONTEXT_LABELS[field]}: enter a whole number from 0 to ${DIARY_DRINKS_MAX}.`,
      });
    } else context[field] = value;
  }
  if (draft.cold !== undefined) context.cold = draft.cold;
  if (problems.length > 0 || !at) return { problems, input: null };

  const parsed = diaryInputSchema.safeParse({
    at,
    severity: draft.severity,
    symptoms: DIARY_SYMPTOMS.filter((s) => draft.symptoms.includes(s)),
    painLevel: draft.symptoms.includes('pain') ? draft.painLevel : null,
    context,
    bodyMap: draft.bodyMap,
    notes: draft.notes,
  });
  if (parsed.success) return { problems: [], input: parsed.data };
  // What the fields above cannot hold: a time in the future, notes too long.
  for (const issue of parsed.error.issues) {
    const path = issue.path.join('.');
    const fieldId = path === 'at' ? ids.time : path === 'notes' ? ids.notes : ids.time;
    const message =
      path === 'at'
        ? `The time: ${issue.message}.`
        : path === 'notes'
          ? `The notes can have at most ${DIARY_NOTES_MAX} characters.`
          : `${path}: ${issue.message}`;
    if (!problems.some((p) => p.message === message)) problems.push({ fieldId, message });
  }
  return { problems, input: null };
}

/** A new UUID for an idempotency key (with a fallback where `randomUUID` is missing: plain http). */
export function newSaveKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** 0–10 as eleven large radio buttons in a row, with what the ends mean (the app's `.scale`). */
export function RatingScale({
  id,
  legend,
  value,
  onChange,
  minLabel,
  maxLabel,
  hint,
}: {
  id: string;
  legend: string;
  value: number | undefined | null;
  onChange: (value: number | undefined) => void;
  minLabel: string;
  maxLabel: string;
  hint?: ReactNode;
}) {
  const endsId = `${id}-ends`;
  return (
    <fieldset id={id} className="choices scale diary-scale" tabIndex={-1} aria-describedby={endsId}>
      <legend>{legend}</legend>
      {hint ? <p className="field__hint">{hint}</p> : null}
      <div className="scale__row">
        {Array.from({ length: 11 }, (_, n) => (
          <div className="scale__item" key={n}>
            <input
              type="radio"
              id={`${id}-${n}`}
              name={id}
              value={n}
              checked={value === n}
              onChange={() => onChange(n)}
            />
            <label htmlFor={`${id}-${n}`}>
              {n}
              {n === 0 ? <span className="visually-hidden">: {minLabel}</span> : null}
              {n === 10 ? <span className="visually-hidden">: {maxLabel}</span> : null}
            </label>
          </div>
        ))}
      </div>
      <div className="scale__ends" id={endsId}>
        <span>0 = {minLabel}</span>
        <span>10 = {maxLabel}</span>
      </div>
      {value !== undefined && value !== null ? (
        <button type="button" className="button button--link" onClick={() => onChange(undefined)}>
          Clear<span className="visually-hidden"> {legend}</span>
        </button>
      ) : null}
    </fieldset>
  );
}

/** A section that is collapsed behind a large button (one tap away), e.g. "Triggers and context". */
function Disclosure({
  id,
  title,
  summary,
  open,
  onToggle,
  children,
}: {
  id: string;
  title: string;
  summary?: string;
  open: boolean;
  onToggle: () => void;
  children: ReactNode;
}) {
  return (
    <div className="diary-form__more">
      <button
        type="button"
        className="button button--secondary diary-form__toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={onToggle}
      >
        <span>
          <span aria-hidden="true">{open ? '▾ ' : '▸ '}</span>
          {title}
        </span>
        {summary ? <span className="button__note">{summary}</span> : null}
      </button>
      <div id={id} hidden={!open} className="diary-form__more-body">
        {children}
      </div>
    </div>
  );
}

/** A copy of a record with `key` set to `value`, or left out when `value` is undefined. */
function withValue<K extends string>(
  record: Partial<Record<K, number>>,
  key: K,
  value: number | undefined,
): Partial<Record<K, number>> {
  const next = { ...record };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

const isBeyondArm = (r: SideRegion) => BODY_REGIONS_BEYOND_ARM.includes(r.region);

/** What a save reports to the page. */
export interface DiarySaved {
  entry: DiaryEntry;
  outcome: SaveOutcome;
  /** Regions beyond the hand and arm that this entry marks for the first time. */
  firstBeyondArm: SideRegion[];
}

export interface DiaryFormProps {
  /** Prefix of every id inside (the new-entry form and an edit form can be on the page together). */
  idPrefix: string;
  userId: string;
  profile: Profile | null;
  /** The entry being edited; absent for a new entry. */
  editing?: DiaryEntry;
  /** A save kept on this device, to continue in the form (its key is kept). */
  resume?: UnsentDiarySave;
  /** The person's entries, to tell which regions are marked for the first time; null while loading. */
  knownEntries: readonly DiaryEntry[] | null;
  onSaved: (saved: DiarySaved) => void;
  /** An edit form's Cancel; `unsent` is the save kept on this device, if the last try failed. */
  onCancel?: (unsent: UnsentDiarySave | null) => void;
}

/** The diary form: a complete entry in a few taps; a failed save keeps everything. */
export function DiaryForm({
  idPrefix,
  userId,
  profile,
  editing,
  resume,
  knownEntries,
  onSaved,
  onCancel,
}: DiaryFormProps) {
  const ids = fieldIds(idPrefix);
  const now = useNow(15_000);
  const [draft, setDraft] = useState<DiaryDraft>(() =>
    editing ? entryToDraft(editing.data) : resume ? entryToDraft(resume.body) : emptyDraft(),
  );
  // The key is chosen when the form opens and kept for every try of the same save.
  const [key, setKey] = useState(() => (editing ? `${editing.id}/edit` : resume ? resume.key : newSaveKey()));
  const [state, setState] = useState<'idle' | 'saving' | 'failed'>('idle');
  /** Why the last try failed: kept on this device, not kept (storage refused), or refused by the server. */
  const [failure, setFailure] = useState<{
    message: string;
    kind: 'kept' | 'not-kept' | 'refused';
  } | null>(null);
  const [unsent, setUnsent] = useState<UnsentDiarySave | null>(null);
  const { problems, show, errorOf, summaryRef } = useFormProblems();

  const primary = primaryTasks(profile);
  const others = DIARY_TASKS.filter((task) => !primary.includes(task));
  /** A 0–10 severity row per task (the profile's tasks first, the others behind a disclosure). */
  const severityScales = (tasks: readonly DiaryTask[]) =>
    tasks.map((task) => (
      <RatingScale
        key={task}
        id={ids.severity(task)}
        legend={DIARY_TASK_LABELS[task]}
        value={draft.severity[task]}
        onChange={(v) => update({ severity: withValue(draft.severity, task, v) })}
        minLabel="no symptoms"
        maxLabel="worst"
      />
    ));
  const [othersOpen, setOthersOpen] = useState(() =>
    others.some((task) => draft.severity[task] !== undefined),
  );
  const [contextOpen, setContextOpen] = useState(
    () =>
      Object.keys(draft.ratings).length > 0 ||
      draft.cold !== undefined ||
      [draft.practiceHours, draft.sleepHours, draft.caffeineDrinks, draft.alcoholDrinks].some(
        (t) => t !== '',
      ),
  );

  const update = (patch: Partial<DiaryDraft>) => setDraft((d) => ({ ...d, ...patch }));

  // Regions beyond the hand and arm that no other entry marks: core's red-flag rule decides.
  const earlier = knownEntries?.filter((e) => e.id !== editing?.id).map((e) => e.data) ?? null;
  const firstBeyondArm = earlier ? newBodyRegions(draft.bodyMap, earlier).filter(isBeyondArm) : [];
  const spreadFlag = checkRedFlags({ spreadQuickly: firstBeyondArm.length > 0 }).flags.some(
    (flag) => flag.code === 'rapid-spread',
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (state === 'saving') return;
    // "Now" is fixed at the first try, so that every retry sends the same entry.
    const fixed = draft.timeIsNow ? { ...draft, time: localMinute(), timeIsNow: false } : draft;
    if (fixed !== draft) setDraft(fixed);
    const { problems: found, input } = draftToInput(fixed, idPrefix);
    if (found.some((p) => p.fieldId.startsWith(`${idPrefix}-context-`))) setContextOpen(true);
    show(found);
    if (!input) return;
    const save: DiarySave = { key, entryId: editing?.id ?? null, body: input };
    setState('saving');
    setFailure(null);
    try {
      const result = await sendDiarySave(save);
      dropUnsentDiarySave(userId, key);
      setUnsent(null);
      setState('idle');
      if (!editing) {
        // A fresh form with a new key for the next entry.
        setDraft(emptyDraft());
        setKey(newSaveKey());
      }
      onSaved({ entry: result.entry, outcome: result.outcome, firstBeyondArm });
    } catch (error) {
      setState('failed');
      if (!isRetryableSaveError(error)) {
        // Sending it again as it is cannot work; the form still holds everything to correct.
        dropUnsentDiarySave(userId, key);
        setUnsent(null);
        setFailure({ message: errorMessage(error), kind: 'refused' });
        return;
      }
      const kept = keepUnsentDiarySave(userId, { ...save, error: errorMessage(error) });
      setUnsent(kept.save);
      setFailure({ message: errorMessage(error), kind: kept.stored ? 'kept' : 'not-kept' });
    }
  }

  const notesLeft = DIARY_NOTES_MAX - draft.notes.length;
  const title = editing ? 'Save the changes' : 'Save the entry';

  return (
    <form className="form diary-form" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />

      <div className="field diary-form__time">
        <label htmlFor={ids.time}>When</label>
        <p id={`${ids.time}-hint`} className="field__hint">
          {draft.timeIsNow
            ? 'Now. Change it if the entry is about another time.'
            : 'The date and time the entry is about.'}
        </p>
        {errorOf(ids.time) ? (
          <p id={`${ids.time}-error`} className="field__error">
            <span className="visually-hidden">Error: </span>
            {errorOf(ids.time)}
          </p>
        ) : null}
        <div className="diary-form__time-row">
          <input
            id={ids.time}
            type="datetime-local"
            value={draft.timeIsNow ? localMinute(now) : draft.time}
            max={localMinute(now)}
            onChange={(event) => update({ time: event.target.value, timeIsNow: false })}
            aria-invalid={errorOf(ids.time) ? true : undefined}
            aria-describedby={`${ids.time}-hint${errorOf(ids.time) ? ` ${ids.time}-error` : ''}`}
          />
          {!draft.timeIsNow ? (
            <button
              type="button"
              className="button button--secondary button--compact"
              onClick={() => update({ timeIsNow: true })}
            >
              Now
            </button>
          ) : null}
        </div>
      </div>

      <section className="diary-form__group" aria-labelledby={`${idPrefix}-severity-heading`}>
        <h3 id={`${idPrefix}-severity-heading`}>How bad was it?</h3>
        <p className="field__hint">
          For each task you did: 0 = no symptoms, 10 = worst. Leave out the tasks you did not do.
        </p>
        {severityScales(primary)}
        {others.length > 0 ? (
          <Disclosure
            id={`${idPrefix}-other-tasks`}
            title="Other tasks"
            summary={others.map((t) => DIARY_TASK_LABELS[t]).join(', ')}
            open={othersOpen}
            onToggle={() => setOthersOpen((o) => !o)}
          >
            {severityScales(others)}
          </Disclosure>
        ) : null}
      </section>

      <div className="diary-form__symptoms">
        <CheckboxGroup
          id={ids.symptoms}
          legend="Symptoms"
          name={ids.symptoms}
          hint="Tick all you had."
          choices={DIARY_SYMPTOMS.map((s) => ({ value: s, label: DIARY_SYMPTOM_LABELS[s] }))}
          values={draft.symptoms}
          onChange={(symptoms) => update({ symptoms: DIARY_SYMPTOMS.filter((s) => symptoms.includes(s)) })}
        />
      </div>
      {draft.symptoms.includes('pain') ? (
        <RatingScale
          id={ids.pain}
          legend="How strong was the pain?"
          value={draft.painLevel}
          onChange={(v) => update({ painLevel: v ?? null })}
          minLabel="no pain"
          maxLabel="worst pain"
        />
      ) : null}

      <BodyMap idPrefix={ids.bodyMap} value={draft.bodyMap} onChange={(bodyMap) => update({ bodyMap })} />
      <div aria-live="polite" className="diary-form__care">
        {spreadFlag ? (
          <>
            <p className="diary-form__first-marked">
              <strong>Marked for the first time:</strong>{' '}
              {firstBeyondArm.map((r) => sideRegionWords(r)).join('; ')}.
            </p>
            <SeeADoctor />
          </>
        ) : null}
      </div>

      <Disclosure
        id={`${idPrefix}-context`}
        title="Triggers and context"
        summary="Stress, tiredness, anxiety, practice, sleep, drinks, cold"
        open={contextOpen}
        onToggle={() => setContextOpen((o) => !o)}
      >
        {DIARY_CONTEXT_RATINGS.map((field) => (
          <RatingScale
            key={field}
            id={ids.rating(field)}
            legend={DIARY_CONTEXT_LABELS[field]}
            value={draft.ratings[field]}
            onChange={(v) => update({ ratings: withValue(draft.ratings, field, v) })}
            minLabel="none"
            maxLabel="worst"
          />
        ))}
        <div className="diary-form__numbers">
          {(['practiceHours', 'sleepHours'] as const).map((field) => (
            <TextField
              key={field}
              id={ids[field]}
              className="field--short"
              label={DIARY_CONTEXT_LABELS[field]}
              hint={field === 'sleepHours' ? 'Last night, in hours, e.g. 7.5' : 'Today, in hours, e.g. 2.5'}
              inputMode="decimal"
              autoComplete="off"
              value={draft[field]}
              onChange={(v) => update({ [field]: v })}
              error={errorOf(ids[field])}
            />
          ))}
          {(['caffeineDrinks', 'alcoholDrinks'] as const).map((field) => (
            <TextField
              key={field}
              id={ids[field]}
              className="field--short"
              label={DIARY_CONTEXT_LABELS[field]}
              hint="Today, number of drinks"
              inputMode="numeric"
              autoComplete="off"
              value={draft[field]}
              onChange={(v) => update({ [field]: v })}
              error={errorOf(ids[field])}
            />
          ))}
        </div>
        <div className="choices">
          <div className="choice">
            <input
              type="checkbox"
              id={ids.cold}
              checked={draft.cold === true}
              onChange={(event) => update({ cold: event.target.checked })}
            />
            <label htmlFor={ids.cold}>{DIARY_CONTEXT_LABELS.cold}</label>
          </div>
        </div>
      </Disclosure>

      <div className={`field${errorOf(ids.notes) ? ' field--error' : ''}`}>
        <label htmlFor={ids.notes}>Notes</label>
        <p id={`${ids.notes}-hint`} className="field__hint">
          Anything else: what you were doing, what made it better or worse.
        </p>
        <textarea
          id={ids.notes}
          value={draft.notes}
          maxLength={DIARY_NOTES_MAX}
          rows={4}
          onChange={(event) => update({ notes: event.target.value })}
          aria-describedby={`${ids.notes}-hint ${ids.notes}-count`}
        />
        <p id={`${ids.notes}-count`} className="diary-form__count">
          {draft.notes.length} of {DIARY_NOTES_MAX} characters
        </p>
        {/* Announced only when the limit comes close, not at every key. */}
        <p className="visually-hidden" aria-live="polite">
          {notesLeft <= 0
            ? `You reached the limit of ${DIARY_NOTES_MAX} characters.`
            : notesLeft <= 100
              ? 'Fewer than 100 characters left.'
              : ''}
        </p>
      </div>

      {failure ? (
        <div className="notice notice--error diary-form__failure" role="alert">
          <p>
            Not saved yet: {failure.message}{' '}
            {failure.kind === 'kept'
              ? 'The entry is kept on this device, so nothing you typed is lost. Try again when the connection is back.'
              : failure.kind === 'not-kept'
                ? 'It could not be kept on this device either: please keep this page open and try again.'
                : 'Please check the entry and try again.'}
          </p>
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="button button--primary button--large" disabled={state === 'saving'}>
          {state === 'failed' && unsent ? 'Try again' : title}
          {state === 'failed' && unsent ? <span className="button__note">{title.toLowerCase()}</span> : null}
        </button>
        {onCancel ? (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => onCancel(unsent)}
            disabled={state === 'saving'}
          >
            Cancel
          </button>
        ) : null}
      </div>
      <p role="status" className="status-line">
        {state === 'saving' ? 'Saving…' : ''}
      </p>
    </form>
  );
}
