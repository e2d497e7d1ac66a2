import { apiGet } from '../api/client.js';
import { getMetricSeries } from '../api/endpoints.js';
import type { MetricSeries } from '../api/types.js';
import type { SeriesChange } from './trend-model.js';

/** A metric as the server describes it (the parts the trends page reads). */
export interface MetricInfo {
  id: string;
  task: string;
  unit: string;
  definition: string;
  direction: 'higher-worse' | 'lower-worse' | 'neutral';
  /** Change is judged on log10 values (variability and amplitude measures, measures.md 10.3). */
  logScale: boolean;
}

/** One task, metric and hand with stored values (`GET /api/v1/metrics/overview`). */
export interface OverviewItem {
  task: string;
  metricId: string;
  hand: string;
  sessions: number;
  first: string;
  last: string;
  metric: MetricInfo | null;
}

export interface MetricsOverview {
  analysisVersion: string;
  items: OverviewItem[];
}

/** A metric's series with its definition and the change of the latest session. */
export interface TrendSeries extends MetricSeries {
  metric: MetricInfo;
  change: SeriesChange;
}

/** Which metrics of which tasks and hands the signed-in patient has values of. */
export function getMetricsOverview(signal?: AbortSignal): Promise<MetricsOverview> {
  return apiGet('/api/v1/metrics/overview', { signal });
}

/** A metric's series for one hand, as the trends page reads it. */
export async function getTrendSeries(
  metricId: string,
  query: { task: string; hand: string },
  signal?: AbortSignal,
): Promise<TrendSeries> {
  return (await getMetricSeries(metricId, query, signal)) as TrendSeries;
}
