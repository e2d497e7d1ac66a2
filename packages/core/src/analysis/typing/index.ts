import type { TaskAnalyzer } from '../task.js';
import type { AnalysisInput } from '../inputs.js';

/** Placeholder until the typing analysis lands: no metrics. */
export const typingAnalyzer: TaskAnalyzer<Extract<AnalysisInput, { task: 'typing' }>> = {
  task: 'typing',
  metrics: [],
  analyze: () => ({ metrics: {}, flags: [] }),
};
