import { latestToday } from '@dystrack/core';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { treatments, type ReferenceKind, type ReferencePoint } from '../api/records.js';
import { RadioGroup, TextField } from '../components/form.js';

/*
 * The reference point of the PGIC: its question compares the hand now with a moment the person chooses
 * (the last botulinum-toxin injection, the start of a therapy, when they started tracking, another date).
 * It is asked before the questions and shown with them, in the result and in the history.
 */

/** A calendar date `YYYY-MM-DD` in words, e.g. "3 March 2026" (the date as written, no time zone shift). */
export function calendarDateWords(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return parsed.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

const KIND_WORDS: Record<ReferenceKind, string> = {
  injection: 'your last botulinum-toxin injection',
  therapy: 'the start of a therapy',
  'tracking-start': 'when you started using Dystrack',
  other: 'another date',
};

/** The reference point in words: "3 March 2026, your last botulinum-toxin injection". */
export function referenceWords(reference: ReferencePoint): string {
  const date = calendarDateWords(reference.date);
  const label = reference.label?.trim();
  if (reference.kind === 'other') return label ? `${date}, ${label}` : date;
  return `${date}, ${KIND_WORDS[reference.kind]}${label ? ` (${label})` : ''}`;
}

/** The date of the latest botulinum-toxin injection in the treatment log, or null when there is none. */
export async function lastInjectionDate(signal: AbortSignal): Promise<string | null> {
  const page = await treatments.list({ limit: 100 }, signal);
  let latest: string | null = null;
  for (const entry of page.items) {
    const data = entry.data as { type?: string; date?: string };
    if (data.type === 'botulinum-toxin' && data.date && (latest === null || data.date > latest))
      latest = data.date;
  }
  return latest;
}

/**
 * "Compared with when?": large choices, a date where the person gives one. The last injection is offered
 * with its date when the treatment log has one.
 */
export function ReferenceChooser({
  initial,
  onChosen,
  onCancel,
}: {
  initial?: ReferencePoint;
  onChosen: (reference: ReferencePoint) => void;
  onCancel: () => void;
}) {
  const headingId = useId();
  const [injection, setInjection] = useState<string | null>(null);
  const [kind, setKind] = useState<ReferenceKind | null>(initial?.kind ?? null);
  const [date, setDate] = useState(initial && initial.kind !== 'injection' ? initial.date : '');
  const [label, setLabel] = useState(initial?.label ?? '');
  const [problem, setProblem] = useState<{ field: 'kind' | 'date'; message: string } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    lastInjectionDate(controller.signal).then(
      (found) => setInjection(found),
      // without the treatment log the other choices still work
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  // a problem moves focus to its field, so that the message is read out with it
  useEffect(() => {
    if (problem)
      document.getElementById(problem.field === 'kind' ? 'pgic-reference' : 'pgic-reference-date')?.focus();
  }, [problem]);

  const today = latestToday();
  const injectionDate = injection ?? (initial?.kind === 'injection' ? initial.date : null);
  const choices: { value: ReferenceKind; label: string }[] = [
    ...(injectionDate
      ? [
          {
            value: 'injection' as const,
            label: `My last botulinum-toxin injection (${calendarDateWords(injectionDate)})`,
          },
        ]
      : []),
    { value: 'therapy', label: 'The start of a therapy' },
    { value: 'tracking-start', label: 'When I started using Dystrack' },
    { value: 'other', label: 'Another date' },
  ];
  const needsDate = kind !== null && kind !== 'injection';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === null) {
      setProblem({ field: 'kind', message: 'Choose what to compare with.' });
      return;
    }
    if (kind === 'injection' && injectionDate) {
      onChosen({ kind, date: injectionDate });
      return;
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date < '1900-01-01') {
      setProblem({ field: 'date', message: 'Enter the date, for example 3 March 2026.' });
      return;
    }
    if (date > today) {
      setProblem({ field: 'date', message: 'The date cannot be in the future.' });
      return;
    }
    onChosen(kind === 'other' && label.trim() !== '' ? { kind, date, label: label.trim() } : { kind, date });
  };

  return (
    <section className="questionnaire" aria-labelledby={headingId}>
      <h2 id={headingId}>Compared with when?</h2>
      <p className="muted">
        The next questions ask how your hand has changed since a moment you choose. It is shown with the
        questions and saved with your answers.
      </p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <RadioGroup
          id="pgic-reference"
          name="pgic-reference"
          legend="Compared with when?"
          choices={choices}
          value={kind}
          onChange={(next) => {
            setKind(next);
            setProblem(null);
          }}
          error={problem?.field === 'kind' ? problem.message : undefined}
        />
        {needsDate ? (
          <TextField
            id="pgic-reference-date"
            label={
              kind === 'therapy'
                ? 'When did the therapy start?'
                : kind === 'tracking-start'
                  ? 'When did you start using Dystrack? (about)'
                  : 'Which date?'
            }
            type="date"
            max={today}
            min="1900-01-01"
            value={date}
            onChange={(value) => {
              setDate(value);
              setProblem(null);
            }}
            error={problem?.field === 'date' ? problem.message : undefined}
          />
        ) : null}
        {kind === 'other' ? (
          <TextField
            id="pgic-reference-label"
            label="What happened then? (optional)"
            hint="At most 120 characters, for example “started the new splint”."
            maxLength={120}
            value={label}
            onChange={setLabel}
          />
        ) : null}
        <div className="actions">
          <button type="submit" className="button button--primary">
            Go on to the questions
          </button>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Back to the questionnaires
          </button>
        </div>
      </form>
    </section>
  );
}
