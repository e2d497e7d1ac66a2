import {
  metricCatalogue,
  recordingSetupKey,
  tremorAnalysedSpan,
  type AnalysisOutput,
  type Recording,
} from '@dystrack/core';
import {
  isTremorPosition,
  TREMOR_POSITIONS,
  TREMOR_TEXT,
  tremorSequence,
  type TrialRecord,
  type TrialProblem,
} from '@dystrack/tasks';
import { useEffect, useId, useMemo, useState } from 'react';
import { getMetricSeries } from '../api/endpoints.js';
import { whenWords } from '../format.js';
import { errorMessage } from './form-helpers.js';
import { formatMetricValue } from './session-results.js';

/** Tremor measures beyond the headline ones, with what each means in plain words. */
export const MORE_TREMOR_MEASURES: readonly { id: string; label: string; meaning: string }[] = [
  {
    id: 'tremor_occurrence_pct',
    label: 'Time with shaking',
    meaning:
      'The share of 3-second stretches of the position in which a regular shaking stood out. Lower means shaking less of the time.',
  },
  {
    id: 'relative_band_power',
    label: 'Share of the movement that was shaking',
    meaning:
      'How much of the phone’s movement (from 1 to 20 times a second) was at the rhythm of the shaking: 0 is none of it, 1 is all of it.',
  },
  {
    id: 'tremor_frequency_iqr_hz',
    label: 'Steadiness of the rhythm',
    meaning:
      'How much the speed of the shaking changed from one 3-second stretch to the next. Lower means a steadier rhythm.',
  },
  {
    id: 'gyro_rms_deg_per_s',
    label: 'Turning of the phone',
    meaning: 'How strongly the phone turned back and forth with the shaking, in degrees per second.',
  },
  {
    id: 'sampling_rate_hz',
    label: 'Readings per second',
    meaning:
      'How many motion readings the phone sent each second. At least 40 are needed to measure shaking of up to 12 times a second.',
  },
];

/** The trial facts the run stored in `params.trials` (empty for a recording without them). */
function trialsOf(recording: Recording): TrialRecord[] {
  const trials = recording.params['trials'];
  return Array.isArray(trials) ? (trials as unknown as TrialRecord[]) : [];
}

/**
 * What was measured, in plain sentences: the position and where it stands in the person's sequence,
 * how the phone was held, which part of the hold was analysed, what the sensor delivered, and the
 * tries that were discarded or kept despite a problem.
 */
export function tremorTrialNotes(recording: Recording, output: AnalysisOutput): string[] {
  const notes: string[] = [];
  const params = recording.params;
  const position = typeof params['position'] === 'string' ? params['position'] : '';
  if (isTremorPosition(position)) {
    let place = '';
    try {
      const sequence: Record<string, string | boolean> = { position };
      if (typeof params['positions'] === 'string') sequence['positions'] = params['positions'];
      if (typeof params['weightTest'] === 'boolean') sequence['weightTest'] = params['weightTest'];
      const step = tremorSequence(sequence);
      if (step.number > 0 && step.count > 1) place = ` (position ${step.number} of ${step.count})`;
    } catch {
      // a recording of other parameters: the place in the sequence is left out
    }
    const held = params['mount'] === 'strap' ? 'strapped to the back of the hand' : 'held in the hand';
    notes.push(`Position: ${TREMOR_POSITIONS[position].title}${place}, with the phone ${held}.`);
  }
  const span = tremorAnalysedSpan(recording);
  const attempt = span?.attempt;
  if (attempt && attempt.endMs !== null) {
    const heldS = Math.round((attempt.endMs - attempt.startMs) / 100) / 10;
    const analysedS = Math.round((span.toMs - span.fromMs) / 100) / 10;
    notes.push(
      span.edgeS > 0
        ? `The middle ${analysedS} seconds of your ${heldS}-second hold were measured: the first and last ${Math.round(span.edgeS * 10) / 10} seconds are left out, while you settle into the position and when you hear the end beeps.`
        : `All ${heldS} seconds of your hold were measured: it was too short to leave out its first and last seconds.`,
    );
  }
  const rate = output.metrics['sampling_rate_hz'];
  if (typeof rate === 'number') {
    notes.push(
      rate < 40
        ? `The phone sent only ${Math.round(rate)} motion readings a second, fewer than the 40 needed to measure shaking: these numbers are not reliable.`
        : `The phone sent ${Math.round(rate)} motion readings a second.`,
    );
  }
  const trials = trialsOf(recording).filter((t) => t.position === (attempt?.position ?? position));
  const discarded = trials.filter((t) => t.outcome === 'discarded').length;
  if (discarded > 0) {
    notes.push(
      `${discarded === 1 ? 'One earlier try was' : `${discarded} earlier tries were`} discarded: ${discarded === 1 ? 'it stays' : 'they stay'} in the recording but ${discarded === 1 ? 'is' : 'are'} not measured.`,
    );
  }
  const kept = trials.filter((t) => t.outcome !== 'discarded').at(-1);
  if (kept?.outcome === 'flagged') {
    const problems = (kept.problems as TrialProblem[]).map((p) => TREMOR_TEXT.problems[p]).join(' ');
    notes.push(
      `You kept this position although the phone could not measure it well. ${problems} It is marked as unreliable and left out of your trends.`,
    );
  }
  if (output.quality_flags.includes('NO_TREMOR_PEAK')) {
    notes.push(
      'No regular shaking stood out in this position: the numbers above then describe small, irregular movements, and the speed of the shaking says little.',
    );
  }
  return notes;
}

type Shift =
  | { state: 'loading' }
  | { state: 'none'; reason: string }
  | { state: 'ready'; withoutHz: number; shiftHz: number; when: string };

/**
 * For the posture with the weight (measures.md 7.2 item 6): the weight-load shift of 7.3, f_peak without
 * the weight minus f_peak with it, from the person's latest posture recording of the same hand and
 * setup (its stored metrics) and this recording.
 */
function useWeightShift(
  recording: Recording,
  output: AnalysisOutput,
  fetchSeries: typeof getMetricSeries,
): Shift | null {
  const weighted = recording.params['position'] === 'posture-weighted';
  const withHz = output.metrics['tremor_peak_frequency_hz'] ?? null;
  const [shift, setShift] = useState<{ id: string; shift: Shift }>({ id: '', shift: { state: 'loading' } });
  useEffect(() => {
    if (!weighted || withHz === null) return undefined;
    const controller = new AbortController();
    const postureKey = recordingSetupKey({
      ...recording,
      params: { ...recording.params, position: 'posture' },
    });
    const settle = (value: Shift) => setShift({ id: recording.id, shift: value });
    fetchSeries('tremor_peak_frequency_hz', { task: 'tremor', hand: recording.hand }, controller.signal).then(
      (series) => {
        const before = Date.parse(recording.startedAt);
        const posture = series.points
          .filter(
            (p) =>
              p.setupKey === postureKey &&
              p.value !== null &&
              !p.excluded &&
              Date.parse(p.startedAt) <= before &&
              p.recordingId !== recording.id,
          )
          .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
          .at(-1);
        settle(
          posture
            ? {
                state: 'ready',
                withoutHz: posture.value!,
                shiftHz: posture.value! - withHz,
                when: whenWords(Date.parse(posture.startedAt)),
              }
            : {
                state: 'none',
                reason: 'there is no reliable recording of the arm stretched out without the weight yet',
              },
        );
      },
      (error: unknown) => {
        if (!controller.signal.aborted) settle({ state: 'none', reason: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [weighted, withHz, recording, fetchSeries]);
  if (!weighted || withHz === null) return null;
  return shift.id === recording.id ? shift.shift : { state: 'loading' };
}

/**
 * The tremor part of the session results (loaded only for tremor recordings): what was measured and
 * how well, the tremor measures beyond the headline ones with what each means, and for the posture
 * with a weight the change of rhythm the weight brought.
 */
export function TremorResults({
  recording,
  output,
  fetchSeries = getMetricSeries,
}: {
  recording: Recording;
  output: AnalysisOutput;
  fetchSeries?: typeof getMetricSeries;
}) {
  const headingId = useId();
  const units = useMemo(() => new Map(metricCatalogue('tremor').map((d) => [d.id, d.unit])), []);
  const notes = tremorTrialNotes(recording, output);
  const more = MORE_TREMOR_MEASURES.filter((m) => output.metrics[m.id] != null);
  const shift = useWeightShift(recording, output, fetchSeries);
  return (
    <section className="results__setup tremor-results" aria-labelledby={headingId}>
      <h3 id={headingId}>What was measured</h3>
      <ul>
        {notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
      {shift ? (
        <dl className="results__list tremor-results__shift">
          <div className="results__item" data-metric="weight_load_shift_hz">
            <dt>Change of rhythm with the weight</dt>
            <dd>
              <p className="results__value">
                {shift.state === 'ready' ? formatMetricValue(shift.shiftHz, 'Hz') : 'not available'}
              </p>
              <p className="results__meaning">
                How much slower the shaking was with the weight on the wrist than without it (a minus sign
                means faster). Your doctor can use it to tell kinds of shaking apart.
              </p>
              <p className="results__change">
                {shift.state === 'loading'
                  ? 'Looking for your recording without the weight…'
                  : shift.state === 'none'
                    ? `Not available: ${shift.reason}.`
                    : `Without the weight (${shift.when}): ${formatMetricValue(shift.withoutHz, 'Hz')}.`}
              </p>
            </dd>
          </div>
        </dl>
      ) : null}
      {more.length > 0 ? (
        <>
          <h3>More about the shaking</h3>
          <dl className="results__list tremor-results__more">
            {more.map((m) => (
              <div className="results__item" key={m.id} data-metric={m.id}>
                <dt>{m.label}</dt>
                <dd>
                  <p className="results__value">
                    {formatMetricValue(output.metrics[m.id] ?? null, units.get(m.id) ?? '1')}
                  </p>
                  <p className="results__meaning">{m.meaning}</p>
                </dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </section>
  );
}
