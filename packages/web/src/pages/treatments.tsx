import {
  INJECTION_GUIDANCE_LABELS,
  SIDE_LABELS,
  SURGERY_LABELS,
  TASK_MODIFICATION_LABELS,
  THERAPY_LABELS,
  TOXIN_PRODUCT_LABELS,
  TOXIN_SIDE_EFFECT_LABELS,
  TREATMENT_TYPES,
  TREATMENT_TYPE_LABELS,
  type InjectionSide,
  type TreatmentInput,
  type TreatmentType,
} from '@dystrack/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { treatments, type Entry } from '../api/records.js';
import { RadioGroup } from '../components/form.js';
import { useTitle } from '../components/use-title.js';
import { useSession } from '../session/session.js';
import { EntryActions, dayWords, useEntries } from './scales-entry-parts.js';
import { TreatmentForm, draftOf, emptyDraft } from './treatments-form.js';
import { muscleLabel } from './treatments-muscle-picker.js';

/*
 * Treatments (/treatments): add one of each type, and a timeline of what was entered, newest first,
 * each readable in full, with change, delete (confirmed) and its history.
 */

const TYPE_DESCRIPTIONS: Record<TreatmentType, string> = {
  'botulinum-toxin': 'The muscles, sides and units of one injection session, and side effects afterwards.',
  medication: 'A medicine with its dose and how often, from when and until when.',
  therapy: 'For example sensorimotor retraining or physiotherapy.',
  'task-modification': 'For example a thicker pen, an ergonomic keyboard or rest periods.',
  surgery: 'For example a deep brain stimulation implant.',
  'dbs-settings': 'A change of the deep brain stimulation settings.',
};

function period(start: string, stop: string | null): string {
  return stop === null ? `since ${dayWords(start)}` : `from ${dayWords(start)} to ${dayWords(stop)}`;
}

/** The choice, or the person's words for "other". */
function chosen(label: string, code: string, otherText: string | null): string {
  return code === 'other' && otherText ? otherText : label;
}

/** One line saying what the treatment was, for titles and the history. */
export function treatmentTitle(t: TreatmentInput): string {
  switch (t.type) {
    case 'botulinum-toxin':
      return `${TREATMENT_TYPE_LABELS[t.type]}: ${chosen(TOXIN_PRODUCT_LABELS[t.product], t.product, t.otherText)}`;
    case 'medication':
      return `${t.name}, ${t.dose}, ${t.schedule.toLowerCase()}`;
    case 'therapy':
      return chosen(THERAPY_LABELS[t.therapy], t.therapy, t.otherText);
    case 'task-modification':
      return chosen(TASK_MODIFICATION_LABELS[t.modification], t.modification, t.otherText);
    case 'surgery':
      return chosen(SURGERY_LABELS[t.procedure], t.procedure, t.otherText);
    case 'dbs-settings':
      return TREATMENT_TYPE_LABELS[t.type];
  }
}

/** When: the date, or the period. */
export function treatmentWhen(t: TreatmentInput): string {
  return 'date' in t ? dayWords(t.date) : period(t.start, t.stop);
}

/** Units per side, in words: "30 units on the right", "20 units on the left, 15 units on the right". */
function unitsWords(t: Extract<TreatmentInput, { type: 'botulinum-toxin' }>): string {
  const bySide = new Map<InjectionSide, number>();
  for (const injection of t.injections)
    bySide.set(injection.side, (bySide.get(injection.side) ?? 0) + injection.units);
  const parts = [...bySide.entries()].map(([side, units]) => `${units} units on the ${side}`);
  return parts.join(', ');
}

/** Everything entered about a treatment, readable. */
export function TreatmentDetails({ t }: { t: TreatmentInput }) {
  const facts: [string, ReactNode][] = [];
  switch (t.type) {
    case 'botulinum-toxin':
      facts.push(['Product', chosen(TOXIN_PRODUCT_LABELS[t.product], t.product, t.otherText)]);
      facts.push([
        'Muscles',
        <ul className="injections" key="muscles">
          {t.injections.map((injection, i) => (
            <li key={i}>
              {injection.muscle === 'other' && injection.otherText
                ? injection.otherText
                : muscleLabel(injection.muscle)}
              , {SIDE_LABELS[injection.side].toLowerCase()}: {injection.units} units
              {injection.detail ? ` (${injection.detail})` : ''}
            </li>
          ))}
        </ul>,
      ]);
      facts.push([
        'Units in total',
        <>
          {unitsWords(t)}{' '}
          <span className="treatment-facts__note">(units of one product do not compare with another’s)</span>
        </>,
      ]);
      facts.push(['Needle guided by', t.guidance ? INJECTION_GUIDANCE_LABELS[t.guidance] : 'Not given']);
      facts.push([
        'Side effects',
        t.sideEffects.length === 0 && !t.sideEffectsText
          ? 'None entered'
          : [
              ...t.sideEffects.filter((e) => e !== 'other').map((e) => TOXIN_SIDE_EFFECT_LABELS[e]),
              t.sideEffectsText,
            ]
              .filter(Boolean)
              .join('; '),
      ]);
      break;
    case 'medication':
      facts.push(['Medication', t.name]);
      facts.push(['Dose', t.dose]);
      facts.push(['How often', t.schedule]);
      facts.push(['Taken', period(t.start, t.stop)]);
      break;
    case 'therapy':
    case 'task-modification':
      facts.push([t.type === 'therapy' ? 'Therapy' : 'Change or aid', treatmentTitle(t)]);
      facts.push([t.type === 'therapy' ? 'Period' : 'In use', period(t.start, t.stop)]);
      break;
    case 'surgery':
      facts.push(['Operation', treatmentTitle(t)]);
      facts.push(['Side', t.side ? SIDE_LABELS[t.side] : 'Not given']);
      break;
    case 'dbs-settings':
      facts.push([
        'Settings',
        <span className="pre-wrap" key="settings">
          {t.settings}
        </span>,
      ]);
      break;
  }
  if (t.notes)
    facts.push([
      'Notes',
      <span className="pre-wrap" key="notes">
        {t.notes}
      </span>,
    ]);
  return (
    <dl className="treatment-facts">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One treatment in the timeline: readable, with change, delete and history. */
function TreatmentItem({
  entry,
  defaultSide,
  onChanged,
}: {
  entry: Entry<TreatmentInput>;
  defaultSide: InjectionSide | null;
  onChanged: (message: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const t = entry.data;
  const titleId = `treatment-${entry.id}`;
  const what = `the ${TREATMENT_TYPE_LABELS[t.type].toLowerCase()} of ${treatmentWhen(t)}`;
  if (editing) {
    return (
      <li className="entry timeline__item">
        <TreatmentForm
          initial={draftOf(t)}
          entry={entry}
          defaultSide={defaultSide}
          onSaved={(saved) => {
            setEditing(false);
            onChanged(`Saved the change: ${treatmentTitle(saved.data)}.`);
          }}
          onCancel={() => setEditing(false)}
        />
      </li>
    );
  }
  return (
    <li className={`entry timeline__item timeline__item--${t.type}`}>
      <article aria-labelledby={titleId}>
        <p className="timeline__when">{treatmentWhen(t)}</p>
        <h3 id={titleId} className="entry__title">
          <span className="timeline__type">{TREATMENT_TYPE_LABELS[t.type]}</span>
          {t.type === 'botulinum-toxin' || t.type === 'dbs-settings' ? null : (
            <span>{treatmentTitle(t)}</span>
          )}
          {entry.clinicianEntered ? <span className="entry__badge">entered by your clinician</span> : null}
        </h3>
        <TreatmentDetails t={t} />
        <EntryActions
          what={what}
          entryId={entry.id}
          client={treatments}
          onEdit={() => setEditing(true)}
          onChanged={onChanged}
          describe={(data) => <TreatmentDetails t={data} />}
        />
      </article>
    </li>
  );
}

/** The treatments page. */
export function TreatmentsPage() {
  useTitle('Treatments');
  const session = useSession();
  const affected = session.profile?.affectedHands;
  const defaultSide: InjectionSide | null = affected === 'left' || affected === 'right' ? affected : null;
  const { entries, reload } = useEntries(treatments);
  const [type, setType] = useState<TreatmentType | null>(null);
  // a new form (and a new idempotency key) for each treatment added
  const [formKey, setFormKey] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (message) statusRef.current?.focus();
  }, [message]);

  const changed = (text: string) => {
    setMessage(text);
    reload();
  };

  return (
    <div className="page page--narrow records">
      <h1>Treatments</h1>
      <p className="lead">
        Keep a record of your treatments, for example from a clinic letter: injections, medication, therapy,
        changes to how you do the task, and operations. Dystrack shows your measurements next to them; it does
        not suggest any treatment.
      </p>
      <p>
        <Link href="/learn/treatments">Learn about the treatments for focal hand dystonia</Link>
      </p>
      <p role="status" className="status-line" ref={statusRef} tabIndex={-1}>
        {message}
      </p>
      <section aria-labelledby="add-heading" className="records-section">
        <h2 id="add-heading">Add a treatment</h2>
        {type ? (
          <TreatmentForm
            key={`${type}-${formKey}`}
            initial={emptyDraft(type, defaultSide)}
            defaultSide={defaultSide}
            onSaved={(saved) => {
              setType(null);
              setFormKey((n) => n + 1);
              changed(`Saved: ${treatmentTitle(saved.data)}, ${treatmentWhen(saved.data)}.`);
            }}
            onCancel={() => setType(null)}
          />
        ) : (
          // The kinds are offered only while no form is open: a stray tap cannot swap a half-filled form.
          <RadioGroup
            id="treatment-type"
            name="treatment-type"
            legend="What kind of treatment?"
            choices={TREATMENT_TYPES.map((value) => ({
              value,
              label: TREATMENT_TYPE_LABELS[value],
              description: TYPE_DESCRIPTIONS[value],
            }))}
            value={type}
            onChange={(next) => {
              setMessage(null);
              setType(next);
              setFormKey((n) => n + 1);
            }}
          />
        )}
      </section>
      <section aria-labelledby="timeline-heading" className="records-section">
        <h2 id="timeline-heading">Your treatments, newest first</h2>
        {entries.state === 'loading' ? <p role="status">Loading your treatments…</p> : null}
        {entries.state === 'error' ? (
          <div className="notice notice--error" role="alert">
            <p>Your treatments could not be loaded: {entries.message}</p>
            <button type="button" className="button button--secondary" onClick={reload}>
              Try again
            </button>
          </div>
        ) : null}
        {entries.state === 'ready' && entries.value.length === 0 ? <p>No treatments entered yet.</p> : null}
        {entries.state === 'ready' && entries.value.length > 0 ? (
          <ol className="entries timeline">
            {entries.value.map((entry) => (
              <TreatmentItem
                key={`${entry.id}-${entry.revision}`}
                entry={entry}
                defaultSide={defaultSide}
                onChanged={changed}
              />
            ))}
          </ol>
        ) : null}
      </section>
    </div>
  );
}
