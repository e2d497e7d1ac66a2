/**
 * Millimetre metrics need a real screen scale (issue 7: "Without a valid calibration, millimetre
 * metrics are null with a flag"). A pen recording made in the browser holds CSS px; only a screen
 * calibration (`params.pxPerMm`, measures.md 3.2 item 2) turns them into mm. Without one,
 * `penFromRecording` converts at the nominal 96 px/in so that the unitless and time metrics can still
 * be computed, and flags the input `NOMINAL_SCALE`; the analysers then set every metric that is in mm
 * (unit mm, mm/s, mm/s², mm/turn, ln(mm²/…)) or built from mm (FTM-like score, time within 1 mm) to null.
 * Contract CSV input is in mm already and is never flagged `NOMINAL_SCALE`, so nothing changes for it.
 */
import type { QualityFlag } from '../flags.js';
import type { PenInput } from '../inputs.js';
import type { MetricDefinition } from '../metric.js';

/** The input flag that says the screen scale is the nominal one (no calibration). */
export const UNCALIBRATED_SCALE_FLAG: QualityFlag = 'NOMINAL_SCALE';

/** Metrics without mm in their unit whose value still rests on mm. */
const BUILT_FROM_MM: ReadonlySet<string> = new Set(['ftm_like_severity_score', 'time_within_1mm_pct']);

/** Whether a pen metric needs a calibrated screen scale: its unit has mm in it, or it is built from mm. */
export function needsScreenScale(definition: Pick<MetricDefinition, 'id' | 'unit'>): boolean {
  return /mm/.test(definition.unit) || BUILT_FROM_MM.has(definition.id);
}

/** What the definition of a scale-dependent metric adds. */
export const SCALE_NOTE =
  ' Null for a browser recording without a screen calibration (params.pxPerMm), flag NOMINAL_SCALE; contract ' +
  'CSV input is in mm and unaffected.';

/**
 * A pen catalogue with the scale rule written into it: each scale-dependent metric's definition gets
 * {@link SCALE_NOTE}, and its version `1.0.0` becomes `1.1.0` (values are unchanged where they are
 * computed; they are now null without a calibration).
 */
export function withScaleRule(definitions: readonly MetricDefinition[]): MetricDefinition[] {
  return definitions.map((d) =>
    needsScreenScale(d)
      ? { ...d, definition: d.definition + SCALE_NOTE, version: d.version === '1.0.0' ? '1.1.0' : d.version }
      : d,
  );
}

/** The metrics with every scale-dependent one set to null when the input's scale is the nominal one. */
export function dropUncalibratedMillimetres<M extends Record<string, number | null>>(
  input: Pick<PenInput, 'flags'>,
  definitions: readonly MetricDefinition[],
  metrics: M,
): M {
  if (!input.flags.includes(UNCALIBRATED_SCALE_FLAG)) return metrics;
  const out: Record<string, number | null> = { ...metrics };
  for (const d of definitions) if (needsScreenScale(d) && Object.hasOwn(out, d.id)) out[d.id] = null;
  return out as M;
}
