import { describe, expect, it } from 'vitest';
import { renderClinicianReport, REPORT_FOOTER } from './render.js';
import { pdfFonts, pdfPageTexts } from './test-pdf.js';
import { reportData, reportTask } from './test-utils/report-data.js';

const squash = (text: string) => text.replace(/\s+/g, ' ');

describe('clinician report PDF', () => {
  it('states baseline, now and a reliable change on page 1, then the details with page numbers', async () => {
    // baseline 88, 90, 92, 90, 90 ms (mean 90), then 120 ms: far beyond the SDC95 of these sessions
    const typing = reportTask(
      'typing',
      'right',
      'hold_time_median_ms',
      '2026-01-05',
      [88, 90, 92, 90, 90, 120],
      {
        label: 'Key hold time',
      },
    );
    // two sessions only: not enough for a personal baseline, no published limit for tapping
    const tapping = reportTask('tapping', 'left', 'iti_cv_pct', '2026-02-01', [12, 14], {
      label: 'Unevenness of tapping',
    });
    const pdf = await renderClinicianReport(
      reportData({
        tasks: [typing, tapping],
        injections: [
          {
            date: '2026-02-10',
            product: 'onabotulinumtoxinA',
            otherText: null,
            injections: [
              {
                muscle: 'flexor-digitorum-superficialis',
                otherText: null,
                side: 'right',
                units: 25,
                detail: null,
              },
              { muscle: 'flexor-carpi-ulnaris', otherText: null, side: 'right', units: 10, detail: null },
            ],
            sideEffects: ['weakness'],
          },
        ],
        otherTreatments: [
          {
            type: 'medication',
            name: 'Trihexyphenidyl',
            dose: '2 mg',
            schedule: 'twice a day',
            start: '2025-11-01',
            stop: null,
          },
        ],
        questionnaires: [
          {
            questionnaireId: 'phq-9',
            title: 'PHQ-9',
            date: '2026-02-20',
            total: 7,
            max: 27,
            band: 'Mild',
            reference: null,
          },
          {
            questionnaireId: 'pgic',
            title: 'PGIC',
            date: '2026-03-20',
            total: 5,
            max: 7,
            band: 'A little better',
            reference: { kind: 'injection', date: '2026-02-10', label: null },
          },
        ],
        scaleTotals: [
          {
            scaleId: 'wcrs',
            name: "Writer's Cramp Rating Scale",
            abbreviation: 'WCRS',
            total: 11,
            unit: '',
            max: 30,
            direction: 'higher-is-worse',
            date: '2026-03-02',
            rater: 'clinician, Dr Neuro',
          },
        ],
      }),
    );
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = await pdfPageTexts(pdf);
    expect(pages.length).toBe(3); // summary, typing details, tapping details
    const summary = squash(pages[0]!);
    expect(summary).toContain('Ada Example');
    expect(summary).toContain('affected hand: right hand');
    expect(summary).toContain('Period 2026-01-01 to 2026-03-31');
    expect(summary).toContain('analysis version 1.4.0');
    expect(summary).toMatch(/Typing, right hand Key hold time 90 ms 5 sessions 120 ms 2026-01-10/);
    expect(summary).toContain('Reliable change: worse (+33.3 %, RCI');
    expect(summary).toContain('30 ms higher than the baseline: more than day-to-day variation explains');
    expect(summary).toContain('Not enough sessions (1 of 3 for a baseline)');
    expect(summary).toContain('Flexor digitorum superficialis (FDS), right, 25 U');
    expect(summary).toContain('Botox (onabotulinumtoxinA), 35 U in total');
    expect(summary).toContain('Trihexyphenidyl 2 mg, twice a day');
    expect(summary).toContain('PHQ-9 (total of 27): 2026-02-20: 7 (mild)');
    expect(summary).toContain(
      `PGIC (the person's impression of change): 2026-03-20: "A little better" compared with injection on 2026-02-10`,
    );
    expect(summary).toContain(
      "WCRS (Writer's Cramp Rating Scale, of 30, higher is worse): 2026-03-02: 11 (clinician, Dr Neuro)",
    );
    for (const [i, page] of pages.entries()) {
      expect(squash(page)).toContain(`page ${i + 1} of 3`);
      expect(squash(page)).toContain(squash(REPORT_FOOTER));
    }
    expect(pages[1]).toContain('Typing, right hand: details');
    expect(pages[1]).toContain('2026-01-10 09:00');
    expect(pages[2]).toContain('Finger tapping, left hand: details');
  });

  it('embeds every font it uses (DejaVu Sans, no standard-14 font)', async () => {
    const typing = reportTask('typing', 'right', 'hold_time_median_ms', '2026-01-05', [90, 91, 89]);
    const fonts = pdfFonts(await renderClinicianReport(reportData({ tasks: [typing] })));
    expect(fonts.standard14).toBe(false);
    expect(fonts.fonts).toBe(2);
    expect(fonts.embedded).toBe(fonts.fonts);
    expect(fonts.baseFonts.every((name) => /\+DejaVuSans(-Bold)?$/.test(name))).toBe(true);
  });

  it('gives a one-page PDF that says there is no data for an empty period', async () => {
    const pages = await pdfPageTexts(await renderClinicianReport(reportData()));
    expect(pages.length).toBe(1);
    expect(squash(pages[0]!)).toContain('There is no data in this period');
    expect(squash(pages[0]!)).toContain('No treatment was entered for this period.');
    expect(squash(pages[0]!)).toContain('page 1 of 1');
  });

  it('continues a long table of sessions on further pages with its header', async () => {
    const values = Array.from({ length: 200 }, (_, i) => 90 + (i % 7));
    const typing = reportTask('typing', 'both', 'hold_time_median_ms', '2025-06-01', values, {
      label: 'Key hold time',
    });
    const pages = await pdfPageTexts(
      await renderClinicianReport(
        reportData({ period: { from: '2025-06-01', to: '2025-12-31' }, tasks: [typing] }),
      ),
    );
    expect(pages.length).toBeGreaterThan(3);
    const last = squash(pages.at(-1)!);
    expect(last).toContain('Typing, both hands: sessions (continued)');
    expect(last).toContain('Date (UTC)');
    // every session is listed once
    const listed = pages.join(' ').match(/\d{4}-\d\d-\d\d 09:00/g) ?? [];
    expect(listed.length).toBe(200);
  });
});
