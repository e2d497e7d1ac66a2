/**
 * The fixed parameters of the tremor analysis (measures.md §7.3 and its corrections 1, 8–11, 20).
 * They are part of the metric versions: changing one changes the numbers, so bump the versions in
 * metrics.ts.
 */
export const TREMOR_SETTINGS = {
  /** Butterworth order of the band-pass (and of the gravity high-pass), applied forward and backward. */
  filterOrder: 4,
  /** Lower band-pass edge, Hz. */
  bandLowHz: 2,
  /** Upper band-pass edge: min(bandHighMaxHz, bandHighFsFraction · fs). */
  bandHighMaxHz: 20,
  bandHighFsFraction: 0.45,
  /** Peak search range, Hz (inclusive). */
  peakMinHz: 3,
  peakMaxHz: 12,
  /** Band power: Σ PSD·Δf over |f − f_peak| ≤ this, Hz. */
  peakHalfWidthHz: 1,
  /** Denominator of the relative band power: Σ PSD·Δf over this range, Hz (inclusive). */
  totalLowHz: 1,
  totalHighHz: 20,
  /** Welch segment length in seconds: nperseg = round(2.56·fs) (bins of 1/2.56 s ≈ 0.39 Hz). */
  npersegS: 2.56,
  /** Occurrence windows: 3 s with 50 % overlap. */
  windowS: 3,
  /**
   * A window (or the whole recording) has a tremor peak when the summed PSD at its highest bin in
   * 3–12 Hz is at least this many times the median PSD over 3–12 Hz …
   */
  peakToMedianMin: 3,
  /** … and the band power around the peak is at least this fraction of the 1–20 Hz power. */
  relativePowerMin: 0.3,
  /** Fewest tremor windows for the frequency IQR. */
  stabilityMinWindows: 3,
  /** High/low ratio bands, Hz: high = [4, 12], low = [0.5, 4). */
  highBandHz: [4, 12] as const,
  lowBandHz: [0.5, 4] as const,
  /** High-pass that removes gravity from sources that include it, Hz (measures.md §7.3 step 2). */
  gravityHighPassHz: 1,
  /** A sample interval longer than this is a gap (SAMPLE_GAPS), ms: measures.md §7.3 step 1, as the task checks. */
  gapMs: 100,
  /** IRREGULAR_SAMPLING when the IQR of the sample intervals exceeds this fraction of their median. */
  irregularIqrFraction: 0.25,
  /** LOW_SAMPLING_RATE below this delivered rate, Hz (measures.md §7.3 step 1). */
  lowRateHz: 40,
  /** Below this resampling rate no spectral metric is computed (the 3–12 Hz band would not fit). */
  minAnalysisFs: 20,
  /**
   * Seconds left out at each end of a recording's kept trial when `params.edgeDiscardS` does not say
   * (measures.md 7.2: settling into the position, reacting to the end cue).
   */
  edgeDiscardS: 2,
  /** The edges are shortened so that at least this many seconds of a trial are analysed (one 3-s window). */
  minAnalysedS: 3,
} as const;
