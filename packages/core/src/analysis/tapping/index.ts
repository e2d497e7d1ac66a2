import type { TaskAnalyzer } from '../task.js';
import type { AnalysisInput } from '../inputs.js';

/** Placeholder until the tapping analysis lands: no metrics. */
export const tappingAnalyzer: TaskAnalyzer<Extract<AnalysisInput, { task: 'tapping' }>> = {
  task: 'tapping',
  metrics: [],
  analyze: () => ({ metrics: {}, flags: [] }),
};
