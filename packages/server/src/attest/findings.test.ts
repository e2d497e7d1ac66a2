import { describe, expect, it } from 'vitest';
import { EMPTY_PROFILE } from '../api/profile.js';
import { reportData, reportTask } from '../reports/test-utils/report-data.js';
import { measuredTasksFor, taskFinding, workCapacityFindings } from './findings.js';

describe('work-capacity findings', () => {
  it('finds the measured tasks that bear on an essential hand task from its words', () => {
    expect(measuredTasksFor('Typing court transcripts')).toEqual(['typing', 'tapping']);
    expect(measuredTasksFor('Piano repertoire, two hours a day')).toEqual(['scale', 'tapping']);
    expect(measuredTasksFor('Dental instrument work')).toEqual(['precision', 'spiral', 'tremor']);
    expect(measuredTasksFor('Singing')).toEqual([]);
  });

  it('says how often, how severe, how variable and how it changed, in words with the numbers', () => {
    // right hand: 90 ms over five baseline sessions, then 130, 140 and 135 ms; left hand steady at 80 ms
    const right = reportTask(
      'typing',
      'right',
      'hold_time_median_ms',
      '2026-01-05',
      [88, 90, 92, 90, 90, 130, 140, 135],
      {
        label: 'Key hold time',
      },
    );
    right.sessions[7]!.supervised = true;
    const left = reportTask('typing', 'left', 'hold_time_median_ms', '2026-01-05', [80, 81, 79, 80], {
      label: 'Key hold time',
    });
    const data = reportData({
      tasks: [right, left],
      injections: [
        {
          date: '2026-02-01',
          product: 'onabotulinumtoxinA',
          otherText: null,
          injections: [],
          sideEffects: [],
        },
      ],
    });
    const finding = taskFinding(data, right);
    expect(finding.impaired).toBe('measurably worse');
    expect(finding.supervisedSessions).toBe(1);
    expect(finding.often).toMatch(
      /^In 3 of 8 usable sessions the measure was worse than the person's usual range/,
    );
    expect(finding.severity).toBe(
      'Typical value 91 ms against 80 ms with the left hand: 14 % worse than the other hand (a small difference).',
    );
    expect(finding.variability).toMatch(
      /varied by about 2\d % of its average \(moderately variable from day to day\)/,
    );
    expect(finding.treatment).toContain('Reliable change: worse');
    expect(finding.treatment).toContain('botulinum toxin on 2026-02-01');
    expect(finding.treatment).toContain('does not show that the treatment caused it');
    expect(taskFinding(data, left).impaired).toBe('no measurable difference');
  });

  it('groups the findings under the essential tasks and keeps the rest apart', () => {
    const typing = reportTask('typing', 'right', 'hold_time_median_ms', '2026-01-05', [90, 91, 89]);
    const data = reportData({
      patient: {
        displayName: 'Ada',
        profile: { ...EMPTY_PROFILE, essentialHandTasks: ['Playing repertoire', 'Typing'] },
      },
      tasks: [typing],
    });
    const { essential, other } = workCapacityFindings(data);
    expect(essential.map((e) => [e.essentialTask, e.findings.length])).toEqual([
      ['Playing repertoire', 0],
      ['Typing', 1],
    ]);
    expect(other).toEqual([]);
  });
});
