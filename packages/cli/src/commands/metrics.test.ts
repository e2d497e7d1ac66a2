import { describe, expect, it } from 'vitest';
import { ANALYSIS_VERSION, TASK_IDS, metricCatalogue } from '@dystrack/core';
import { run } from '../test-utils/cli.js';

describe('dystrack metrics', () => {
  it('--format json prints every metric as exactly { id, task, unit, definition, citation, analysis_version }', async () => {
    const result = await run(['metrics', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as Record<string, string>[];
    const catalogue = metricCatalogue();
    expect(entries).toHaveLength(catalogue.length);
    entries.forEach((entry, i) => {
      expect(Object.keys(entry)).toEqual([
        'id',
        'task',
        'unit',
        'definition',
        'citation',
        'analysis_version',
      ]);
      const metric = catalogue[i]!;
      expect(entry).toEqual({
        id: metric.id,
        task: metric.task,
        unit: metric.unit,
        definition: metric.definition,
        citation: metric.citation,
        analysis_version: ANALYSIS_VERSION,
      });
    });
  });

  it.each(TASK_IDS)('metrics %s --format json lists only that task’s metrics', async (task) => {
    const result = await run(['metrics', task, '--format', 'json']);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as { id: string; task: string }[];
    expect(entries.map((entry) => entry.id)).toEqual(metricCatalogue(task).map((metric) => metric.id));
    for (const entry of entries) expect(entry.task).toBe(task);
  });

  it('markdown (the default) is a table per task with every ID and its unit and version', async () => {
    const result = await run(['metrics']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`analysis_version ${ANALYSIS_VERSION}`);
    for (const task of TASK_IDS) expect(result.stdout).toContain(`## ${task}\n`);
    // each task's table lists its metrics with their versions (an ID can stand in several tasks' tables)
    for (const task of TASK_IDS) {
      const table = result.stdout.split(`## ${task}\n`)[1]!.split('\n## ')[0]!;
      for (const metric of metricCatalogue(task)) {
        const line = table.split('\n').find((text) => text.startsWith(`| \`${metric.id}\` |`)) ?? '';
        expect(line, `${task} ${metric.id}`).toContain(` ${metric.version} `);
      }
    }
    expect((await run(['metrics', '--format', 'markdown'])).stdout).toBe(result.stdout);
  });

  it('metrics TASK in markdown has only that task’s section', async () => {
    const result = await run(['metrics', 'tremor']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('## tremor\n');
    for (const task of TASK_IDS.filter((t) => t !== 'tremor'))
      expect(result.stdout).not.toContain(`## ${task}\n`);
  });

  it.each([
    [['metrics', 'juggling'], 'unknown task "juggling"'],
    [['metrics', '--format', 'yaml'], 'invalid --format "yaml"'],
    [['metrics', 'spiral', 'tremor'], 'unexpected argument "tremor"'],
    [['metrics', '--verbose'], "Unknown option '--verbose'"],
  ])('dystrack %j is a usage error: %s, exit 2', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("'dystrack metrics --help'");
  });
});
