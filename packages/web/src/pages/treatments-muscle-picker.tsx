import {
  INJECTED_MUSCLES,
  MUSCLES,
  MUSCLE_REGION_LABELS,
  type InjectedMuscle,
  type MuscleRegion,
} from '@dystrack/core';
import { useEffect, useId, useRef, useState } from 'react';

/*
 * Choosing an injected muscle from core's list: typing narrows the list (a name, part of it, or the
 * abbreviation of an injection chart such as FDS), and each muscle is a large button to tap. Nothing has
 * to be typed: the whole list is there, grouped by where the muscle lies.
 */

/** The muscle's name with its chart abbreviation: "Flexor digitorum superficialis (FDS)". */
export function muscleLabel(muscle: InjectedMuscle): string {
  const info = MUSCLES[muscle];
  return info.abbreviations.length > 0 ? `${info.label} (${info.abbreviations.join(', ')})` : info.label;
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/**
 * The muscles that match a search: every word typed starts a word of the name, or is the start of an
 * abbreviation ("fds", "flex sup", "superf", "1st di").
 */
export function searchMuscles(query: string): InjectedMuscle[] {
  const words = normalize(query)
    .split(/[\s,()-]+/)
    .filter(Boolean);
  if (words.length === 0) return [...INJECTED_MUSCLES];
  return INJECTED_MUSCLES.filter((muscle) => {
    const info = MUSCLES[muscle];
    const nameWords = normalize(info.label).split(/[\s()-]+/);
    const abbreviations = info.abbreviations.map(normalize);
    const joined = abbreviations.map((a) => a.replace(/\s+/g, ''));
    const compact = words.join('');
    if (joined.some((a) => a.startsWith(compact))) return true;
    return words.every((word) => nameWords.some((name) => name.startsWith(word)));
  });
}

const REGIONS = Object.keys(MUSCLE_REGION_LABELS) as MuscleRegion[];

export function MusclePicker({
  id,
  label,
  value,
  onChange,
  error,
}: {
  /** Id of the picker (error summary links focus it). */
  id: string;
  /** e.g. "Muscle 1". */
  label: string;
  value: InjectedMuscle | null;
  onChange: (muscle: InjectedMuscle) => void;
  error?: string | null;
}) {
  const [open, setOpen] = useState(value === null);
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);
  const movedFocus = useRef(false);
  const labelId = useId();
  const countId = useId();
  const errorId = error ? `${id}-error` : undefined;

  // after choosing, focus goes to the chosen muscle's "Change" button; after "Change", to the search
  useEffect(() => {
    if (!movedFocus.current) return;
    movedFocus.current = false;
    if (open) searchRef.current?.focus();
    else changeRef.current?.focus();
  }, [open]);

  if (!open && value !== null) {
    return (
      <div className="muscle-picker muscle-picker--chosen" id={id} tabIndex={-1}>
        <p className="muscle-picker__chosen">
          <span className="muscle-picker__label">{label}:</span> <strong>{muscleLabel(value)}</strong>
        </p>
        <button
          type="button"
          ref={changeRef}
          className="button button--secondary button--compact"
          onClick={() => {
            movedFocus.current = true;
            setQuery('');
            setOpen(true);
          }}
        >
          Change the muscle <span className="visually-hidden">of {label.toLowerCase()}</span>
        </button>
      </div>
    );
  }

  const matches = searchMuscles(query);
  const searchId = `${id}-search`;
  return (
    <div
      className={`muscle-picker${error ? ' field--error' : ''}`}
      id={id}
      tabIndex={-1}
      role="group"
      aria-labelledby={labelId}
      aria-describedby={errorId}
    >
      <p id={labelId} className="muscle-picker__title">
        Which muscle? <span className="visually-hidden">({label})</span>
      </p>
      {error ? (
        <p id={errorId} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={searchId}>Find a muscle (optional)</label>
        <div className="field__hint" id={`${searchId}-hint`}>
          Type part of the name or the abbreviation on your injection chart, such as FDS, or choose from the
          list below.
        </div>
        <input
          id={searchId}
          ref={searchRef}
          type="search"
          autoComplete="off"
          spellCheck={false}
          value={query}
          aria-describedby={`${searchId}-hint ${countId}`}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            // Enter picks the only match (and never sends the form)
            if (event.key === 'Enter') {
              event.preventDefault();
              if (matches.length === 1) {
                movedFocus.current = true;
                onChange(matches[0]!);
                setOpen(false);
              }
            }
          }}
        />
      </div>
      <p id={countId} className="muscle-picker__count" role="status">
        {matches.length === 0
          ? 'No muscle matches. Clear the search, or choose “Another muscle”.'
          : `${matches.length} muscle${matches.length === 1 ? '' : 's'} shown.`}
      </p>
      {REGIONS.map((region) => {
        const inRegion = matches.filter((muscle) => MUSCLES[muscle].region === region);
        if (inRegion.length === 0) return null;
        const regionId = `${id}-${region}`;
        return (
          <div key={region} role="group" aria-labelledby={regionId} className="muscle-picker__region">
            <p id={regionId} className="muscle-picker__region-title">
              {MUSCLE_REGION_LABELS[region]}
            </p>
            <ul className="muscle-picker__list">
              {inRegion.map((muscle) => (
                <li key={muscle}>
                  <button
                    type="button"
                    className="muscle-option"
                    aria-pressed={value === muscle}
                    onClick={() => {
                      movedFocus.current = true;
                      onChange(muscle);
                      setOpen(false);
                    }}
                  >
                    <span>{MUSCLES[muscle].label}</span>
                    {MUSCLES[muscle].abbreviations.length > 0 ? (
                      <span className="muscle-option__abbr">{MUSCLES[muscle].abbreviations.join(', ')}</span>
                    ) : null}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      {value !== null ? (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            movedFocus.current = true;
            setOpen(false);
          }}
        >
          Keep {MUSCLES[value].label}
        </button>
      ) : null}
    </div>
  );
}
