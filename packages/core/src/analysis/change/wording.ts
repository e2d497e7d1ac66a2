import type { ChangeMetric, ChangeResult } from './change.js';

/**
 * Plain-language sentences for a change result. They describe measurements only: they never name a
 * condition, a cause or a treatment effect, and they always say that a doctor interprets them
 * (docs condition.md: the app informs; it does not diagnose).
 */
export interface ChangeWording {
  /** One sentence: how the current value compares with the baseline. */
  summary: string;
  /** Where the comparison's limit comes from (own sessions, published figure, or not enough data). */
  basis: string;
  /** The same reminder on every result. */
  caution: string;
}

/** The reminder shown with every change result. */
export const CHANGE_CAUTION =
  'This compares measurements; it is not a diagnosis. Talk about changes with your doctor, and if you have ' +
  'symptoms that no doctor has seen yet, please see one.';

/** A number with three significant digits, without a trailing `.0`. */
function formatNumber(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toString();
  return Number(x.toPrecision(3)).toString();
}

/** `23 % higher`, `4.1 ms lower` — the size of a change in words. */
function describeChange(definition: ChangeMetric, result: Omit<ChangeResult, 'wording'>): string {
  const change = result.change ?? 0;
  const word = change > 0 ? 'higher' : 'lower';
  if (
    result.changePct !== null &&
    (result.scale === 'log10' || definition.unit === '%' || definition.unit === '1')
  )
    return `${formatNumber(Math.abs(result.changePct))} % ${word}`;
  const unit = definition.unit === '1' ? '' : ` ${definition.unit}`;
  return `${formatNumber(Math.abs(change))}${unit} ${word}`;
}

/**
 * The wording of a change result (see {@link ChangeWording}).
 * @param definition - the metric
 * @param result - the computed statistics
 */
export function changeWording(
  definition: ChangeMetric,
  result: Omit<ChangeResult, 'wording'>,
): ChangeWording {
  const { baseline, basis } = result;
  const setup = 'on the same device and browser';
  let basisText: string;
  if (basis === 'personal') {
    basisText =
      `Compared with the mean of ${baseline.n} baseline sessions ${setup}` +
      (baseline.source === 'injection-pre' ? ' in the two weeks before the injection' : '') +
      '; the limit for a reliable change comes from how much the results varied between those sessions.';
  } else if (basis === 'published') {
    basisText =
      `Only ${baseline.n} baseline session${baseline.n === 1 ? '' : 's'} ${setup} so far: the limit for a reliable ` +
      'change is the published smallest detectable change of this measure, until there are 3.';
  } else if (result.published.log10Threshold === null) {
    basisText =
      `No published limit exists for this measure, so it needs 3 baseline sessions ${setup}; ` +
      `there ${baseline.n === 1 ? 'is' : 'are'} ${baseline.n} so far.`;
  } else {
    basisText = `There is no baseline session ${setup} yet.`;
  }

  let summary: string;
  if (!result.current || result.change === null) {
    summary =
      baseline.n === 0
        ? 'There is nothing to compare yet.'
        : 'This session has no value for this measure, so it cannot be compared.';
  } else if (result.current.excluded) {
    summary = `${capitalise(describeChange(definition, result))} than the baseline, but this session has quality flags, so it is not used to judge change.`;
  } else if (basis === 'insufficient') {
    summary = `${capitalise(describeChange(definition, result))} than the baseline so far; there are not yet enough sessions to tell a real change from day-to-day variation.`;
  } else if (!result.changeIsReliable) {
    summary = `${capitalise(describeChange(definition, result))} than the baseline: within the usual day-to-day variation, so no reliable change.`;
  } else {
    const size = capitalise(describeChange(definition, result));
    const meaning =
      result.direction === 'changed'
        ? 'this measure has no better or worse direction'
        : `for this measure that is the direction counted as ${result.direction}`;
    summary = `${size} than the baseline: more than day-to-day variation explains, a reliable change; ${meaning}.`;
  }
  return { summary, basis: basisText, caution: CHANGE_CAUTION };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
