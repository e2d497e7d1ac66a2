import { buildApp } from '../../app.js';
import { testConfig } from '../../config.js';
import type { Database } from '../../db/database.js';
import { TestClient, type TestApp } from '../../test-utils/test-app.js';
import { createTestDatabase } from '../../test-utils/test-database.js';
import { sampleRecording } from '../../test-utils/recordings.js';
import type { RecordingV1 } from '@dystrack/core';
import type { MetricsAnalyzer } from '../analyzer.js';
import { attachMetricsJob, MetricsJob, metricsJobFor, type MetricsJobOptions } from '../job.js';

/**
 * A typing recording whose analysis is known exactly: `presses` key presses 200 ms apart, each held
 * `holdMs` (so hold_time_median_ms = holdMs, iki_median_ms = 200, keystroke_count = presses).
 * @param options - hold time, presses, hand, start, input device and recording overrides
 */
export function typingRecording(
  options: {
    holdMs?: number;
    presses?: number;
    hand?: RecordingV1['hand'];
    startedAt?: string;
    inputDevice?: string | null;
    flags?: string[];
    /** Uneven timing instead: holds of 55–150 ms and intervals of 140–310 ms, varied per press. */
    uneven?: boolean;
    /** The run's parameters (default none). */
    params?: RecordingV1['params'];
  } = {},
): RecordingV1 {
  const { holdMs = 90, presses = 40 } = options;
  const events: { type: string; ms: number; code: string }[] = [];
  let down = 1000;
  for (let i = 0; i < presses; i++) {
    const code = `Key${String.fromCharCode(65 + ((i * 7) % 26))}`;
    const hold = options.uneven ? 55 + ((i * 37) % 95) + 0.125 * (i % 8) : holdMs;
    events.push({ type: 'keydown', ms: down, code });
    events.push({ type: 'keyup', ms: down + hold, code });
    down += options.uneven ? 140 + ((i * 53) % 170) + 0.375 * (i % 4) : 200;
  }
  events.sort((a, b) => a.ms - b.ms);
  const base = sampleRecording('typing');
  return {
    ...base,
    hand: options.hand ?? 'both',
    startedAt: options.startedAt ?? base.startedAt,
    params: options.params ?? base.params,
    flags: options.flags ?? [],
    device: { ...base.device, inputDevice: options.inputDevice ?? null },
    streams: {
      keyboard: {
        columns: {
          type: { type: 'str', values: events.map((e) => e.type) },
          timeStampMs: { type: 'f64', values: events.map((e) => e.ms) },
          code: { type: 'str', values: events.map((e) => e.code) },
          repeat: { type: 'bool', values: events.map(() => false) },
          isComposing: { type: 'bool', values: events.map(() => false) },
        },
      },
    },
  };
}

/**
 * A test app on a fresh database (or on `database`, for a restart) whose metrics job uses the given
 * analyzer and job options; `job` is the app's job.
 */
export async function createMetricsTestApp(
  options: {
    analyzer?: MetricsAnalyzer;
    job?: Omit<MetricsJobOptions, 'analyzer'>;
    database?: Database;
  } = {},
): Promise<TestApp & { job: MetricsJob; closeApp(): Promise<void> }> {
  const database = options.database ?? (await createTestDatabase());
  if (options.analyzer || options.job)
    attachMetricsJob(
      new MetricsJob(database.db, {
        retryDelayMs: () => 1,
        ...options.job,
        ...(options.analyzer ? { analyzer: options.analyzer } : {}),
      }),
    );
  const app = await buildApp({ db: database.db, config: testConfig(), databaseKind: database.kind });
  await app.ready();
  return {
    app,
    database,
    job: metricsJobFor(database.db),
    client: () => new TestClient(app),
    closeApp: () => app.close(),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
