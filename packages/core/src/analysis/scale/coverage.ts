import type { CoverageRow } from '../coverage.js';

/** Every metric that measures.md names for the MIDI scale task (sections 1.1, 2.1 and 2.3). */
export const scaleCoverage: CoverageRow[] = [
  {
    section: '2.3',
    name: 'Note count',
    ids: ['note_count'],
    note: 'Contract ID: all note-ons with velocity > 0.',
  },
  {
    section: '2.3',
    name: 'IOI',
    ids: ['ioi_mean_ms'],
    note: 'Mean over all IOIs of the correct runs.',
  },
  {
    section: '2.3',
    name: 'SD-IOI (per run)',
    ids: ['ioi_sd_ms'],
    note: 'Computed per correct run and averaged (mSD-IOI); per-run values are not reported.',
  },
  {
    section: '2.3, 1.1',
    name: 'mSD-IOI per hand × direction',
    ids: ['ioi_sd_ms', 'ioi_sd_up_ms', 'ioi_sd_down_ms'],
    note: 'One recording is one hand: the hand is the recording’s, the direction is in the ID.',
  },
  {
    section: '2.3, 1.1',
    name: 'Overall unevenness (median of the four mSD-IOI values, LH/RH × up/down)',
    ids: ['overall_unevenness_ms'],
    note: 'Per recording: the median of its two directional mSD-IOI values; the four-value median needs a left- and a right-hand recording (the median of their four directional IDs).',
  },
  {
    section: '2.3, 2.1, 1.1',
    name: 'CV-IOI',
    ids: ['ioi_cv_pct'],
  },
  {
    section: '2.3, 1.1',
    name: 'Line-fit residual RMS(d) per hand × direction',
    ids: ['line_fit_residual_rms_ms', 'line_fit_residual_rms_up_ms', 'line_fit_residual_rms_down_ms'],
  },
  {
    section: '2.3',
    name: 'Systematic profile m[k]',
    ids: ['systematic_profile_rms_ms'],
    note: 'Summarised as the RMS over the 15 positions of the mean deviation profile, per direction, averaged over directions.',
  },
  {
    section: '2.3',
    name: 'Trial-to-trial variability σ[k]',
    ids: ['trial_to_trial_sd_ms'],
  },
  {
    section: '2.3',
    name: 'Key-down duration (SD per run)',
    ids: ['key_down_duration_sd_ms'],
  },
  {
    section: '2.3, 1.1',
    name: 'Legato overlap (SD per run)',
    ids: ['legato_overlap_sd_ms', 'legato_overlap_mean_ms'],
  },
  {
    section: '2.3, 1.1',
    name: 'Velocity variability (SD of velocity per run)',
    ids: ['velocity_sd'],
  },
  {
    section: '2.3',
    name: 'Tempo error (mean IOI − target IOI)',
    ids: ['tempo_error_ms'],
    note: 'Null without a metronome tempo (a recording’s params.tempoBpm or metronome clicks, a MIDI file’s single tempo).',
  },
  {
    section: '2.3',
    name: 'Within-run accelerando (notes on SD-IOI vs RMS(d))',
    ids: ['tempo_drift_ms_per_note'],
  },
  {
    section: '2.3, 1.1',
    name: 'Error rate per run (wrong, missing or extra notes)',
    ids: ['run_error_rate_pct', 'correct_run_count', 'incorrect_run_count', 'unmatched_note_count'],
  },
  {
    section: '2.3',
    name: 'Hand ratio mSD-IOI(affected) / mSD-IOI(unaffected)',
    ids: [],
    note: 'Needs two recordings (one per hand) and which hand is affected; it is a ratio of two recordings’ ioi_sd_ms, not a metric of one input.',
  },
  {
    section: '2.3',
    name: 'Profile shape change (Euclidean distance between m[k] and the baseline profile)',
    ids: [],
    note: 'Needs the person’s baseline profile from earlier sessions; one input cannot give it.',
  },
  {
    section: '2.2, 2.3',
    name: 'Block D provoking passage, analysed against the person’s own baseline (trial-to-trial variability σ[k], tempo, errors, velocity)',
    ids: [
      'passage_timing_sd_ms',
      'passage_duration_cv_pct',
      'correct_run_count',
      'incorrect_run_count',
      'run_error_rate_pct',
      'velocity_sd',
    ],
    note: 'Repetitions cut at the pauses; the template is the most frequent pitch sequence; σ[k] (van Vugt 2012) of tempo-normalised onsets of the correct repetitions; the scale timing metrics are null for a passage.',
  },
  {
    section: '2.3, 2.2',
    name: 'Individuation (block E): taps/10 s, CV of inter-keystroke interval, velocity mean and SD per finger',
    ids: [],
    note: 'A separate protocol (repeated keystrokes on one key per finger) that the scale task does not record.',
  },
];
