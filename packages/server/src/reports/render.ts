import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import {
  MUSCLES,
  SIDE_LABELS,
  SURGERY_LABELS,
  TASK_MODIFICATION_LABELS,
  THERAPY_LABELS,
  TOXIN_PRODUCT_LABELS,
  TREATMENT_TYPE_LABELS,
  type InjectedMuscle,
  type Surgery,
  type TaskModification,
  type Therapy,
  type ToxinProduct,
  type TreatmentType,
} from '@dystrack/core';
import type { ReportData, ReportMetric, ReportOtherTreatment, ReportTask } from './gather.js';
import { periodInstants } from './gather.js';

/*
 * The clinician report as a PDF (pdfkit, DejaVu Sans embedded from the dejavu-fonts-ttf package: no
 * font is fetched and no browser runs). Page 1 is the one-page summary; then one section per task and
 * hand with a chart of each headline metric and the table of sessions. Every page has the same footer
 * (what the recordings are and are not, and that Dystrack does not diagnose) and "page n of N".
 */

const require = createRequire(import.meta.url);
/** The font files, resolved inside the installed package (TTF: pdfkit cannot read WOFF2). */
export const REPORT_FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

export const MARGIN = 48;
export const FOOTER_HEIGHT = 40;
const INK = '#1a1a1a';
export const MUTED = '#555555';
export const RULE = '#c8c8c8';
const BAND = '#dbe8f5';
const LINE = '#1f5f99';

/** The words on every page's footer. */
export const REPORT_FOOTER =
  'Recordings are made by the person at home without supervision, unless marked "supervised"; effort is not ' +
  'verified. Dystrack compares measurements over time; it does not diagnose. Interpretation is for the treating clinician.';

const TASK_NAMES: Record<string, string> = {
  typing: 'Typing',
  tapping: 'Finger tapping',
  scale: 'Scales on a MIDI instrument',
  spiral: 'Spiral drawing',
  handwriting: 'Handwriting',
  precision: 'Precision pointing',
  tremor: 'Tremor (phone in the hand)',
};
const HAND_NAMES: Record<string, string> = { left: 'left hand', right: 'right hand', both: 'both hands' };

/** `Typing, right hand`. */
export function taskHandTitle(task: string, hand: string): string {
  return `${TASK_NAMES[task] ?? task}, ${HAND_NAMES[hand] ?? hand}`;
}

/** Three significant digits, no trailing `.0`. */
function num(x: number): string {
  if (Math.abs(x) >= 1000) return Math.round(x).toString();
  return Number(x.toPrecision(3)).toString();
}

/** A value with its unit (`90 ms`, `12 %`, `1.2`). */
export function withUnit(value: number | null, unit: string): string {
  if (value === null) return '–';
  if (unit === '1' || unit === 'count') return num(value);
  return `${num(value)} ${unit}`;
}

function isoDate(time: number | Date): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** What the change statistics say, in a few words for the summary table. */
export function reliabilityWords(metric: ReportMetric): string {
  const { change } = metric;
  if (change.basis === 'insufficient')
    return `Not enough sessions (${change.baseline.n} of 3 for a baseline)`;
  if (!change.current || change.change === null) return 'Latest session cannot be compared';
  const size = [
    change.changePct === null
      ? null
      : `${change.changePct > 0 ? '+' : '−'}${num(Math.abs(change.changePct))} %`,
    change.rci === null ? null : `RCI ${change.rci.toFixed(1).replace('-', '−')}`,
  ].filter(Boolean);
  const detail = size.length ? ` (${size.join(', ')})` : '';
  if (!change.changeIsReliable) return `No reliable change${detail}`;
  return `Reliable change: ${change.direction}${detail}`;
}

function injectionText(injection: ReportData['injections'][number]): string {
  const product =
    injection.product === 'other' && injection.otherText
      ? injection.otherText
      : (TOXIN_PRODUCT_LABELS[injection.product as ToxinProduct] ?? injection.product);
  const rows = injection.injections.map((row) => {
    const info = MUSCLES[row.muscle as InjectedMuscle];
    const muscle = row.muscle === 'other' && row.otherText ? row.otherText : (info?.label ?? row.muscle);
    const abbr = info?.abbreviations[0] ? ` (${info.abbreviations[0]})` : '';
    const side = SIDE_LABELS[row.side as 'left' | 'right']?.toLowerCase() ?? row.side;
    return `${muscle}${abbr}, ${side}, ${num(row.units)} U${row.detail ? ` (${row.detail})` : ''}`;
  });
  const total = injection.injections.reduce((sum, row) => sum + row.units, 0);
  const effects = injection.sideEffects.length
    ? ` Side effects reported: ${injection.sideEffects.join(', ')}.`
    : '';
  return `${injection.date} — ${product}, ${num(total)} U in total: ${rows.join('; ')}.${effects}`;
}

function otherTreatmentText(data: ReportOtherTreatment): string {
  const s = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);
  const type = TREATMENT_TYPE_LABELS[data.type as TreatmentType] ?? data.type;
  const other = s('otherText');
  const when = s('date') ?? `${s('start') ?? '?'} to ${s('stop') ?? 'ongoing'}`;
  let what: string;
  switch (data.type) {
    case 'medication':
      what = `${s('name') ?? ''} ${s('dose') ?? ''}, ${s('schedule') ?? ''}`;
      break;
    case 'therapy':
      what = other ?? THERAPY_LABELS[s('therapy') as Therapy] ?? '';
      break;
    case 'task-modification':
      what = other ?? TASK_MODIFICATION_LABELS[s('modification') as TaskModification] ?? '';
      break;
    case 'surgery':
      what = other ?? SURGERY_LABELS[s('procedure') as Surgery] ?? '';
      break;
    default:
      what = s('settings') ?? '';
  }
  return `${when} — ${type}: ${what.trim()}`;
}

type Doc = PDFKit.PDFDocument;

/** Cuts a text to fit a width on one line, with an ellipsis. */
function fit(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let cut = text;
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export class Layout {
  readonly left = MARGIN;
  readonly width: number;
  readonly bottom: number;
  constructor(readonly doc: Doc) {
    this.width = doc.page.width - 2 * MARGIN;
    this.bottom = doc.page.height - MARGIN - FOOTER_HEIGHT;
  }

  get y(): number {
    return this.doc.y;
  }

  /** Starts a new page when `height` does not fit on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = MARGIN;
  }

  font(bold: boolean, size: number, color = INK): Doc {
    // by path: pdfkit caches a font under the name it was first opened with (a registered name that
    // resolves to the same file as the default font would be parsed again on every switch)
    return this.doc
      .font(bold ? REPORT_FONTS.bold : REPORT_FONTS.regular)
      .fontSize(size)
      .fillColor(color);
  }

  /** A paragraph across the page (wrapped), starting a page first when it does not fit. */
  paragraph(
    text: string,
    options: { bold?: boolean; size?: number; color?: string; gap?: number } = {},
  ): void {
    this.font(options.bold ?? false, options.size ?? 9, options.color);
    const height = this.doc.heightOfString(text, { width: this.width });
    this.ensure(height);
    this.doc.text(text, this.left, this.doc.y, { width: this.width });
    this.doc.y += options.gap ?? 2;
  }

  heading(text: string, size = 11): void {
    this.font(true, size);
    this.ensure(this.doc.heightOfString(text, { width: this.width }) + 30);
    this.doc.y += 6;
    this.doc.text(text, this.left, this.doc.y, { width: this.width });
    this.doc
      .moveTo(this.left, this.doc.y + 1)
      .lineTo(this.left + this.width, this.doc.y + 1)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    this.doc.y += 4;
  }
}

function summaryPage(layout: Layout, data: ReportData): void {
  const { doc } = layout;
  const profile = data.patient.profile;
  layout.font(true, 16);
  doc.text('Clinician report: hand tasks, treatments and scales', layout.left, MARGIN, {
    width: layout.width,
  });
  doc.y += 2;
  const who = [
    data.patient.displayName,
    profile.affectedHands ? `affected hand: ${HAND_NAMES[profile.affectedHands]}` : 'affected hand not given',
    profile.dominantHand ? `dominant hand: ${profile.dominantHand}` : null,
    profile.occupation ? `occupation: ${profile.occupation}` : null,
  ].filter(Boolean);
  layout.paragraph(who.join(' · '), { bold: true, size: 10 });
  layout.paragraph(
    `Period ${data.period.from} to ${data.period.to} · generated ${data.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · analysis version ${data.analysisVersion}`,
    { size: 8.5, color: MUTED },
  );

  layout.heading('Hand tasks: baseline against now');
  if (data.tasks.length === 0) {
    layout.paragraph('There is no data in this period: no task was recorded between these dates.', {
      size: 9,
    });
  } else {
    layout.paragraph(
      'Baseline: the mean of the first sessions of the period on the same device and browser (geometric mean for ' +
        'variability and amplitude measures). Now: the latest session without quality flags. A change is reliable when ' +
        "it exceeds the smallest detectable change (SDC95) from the person's own baseline variation, or a published limit.",
      { size: 7.5, color: MUTED, gap: 4 },
    );
    const cols = [
      { title: 'Task and measure', width: 0.3 },
      { title: 'Baseline', width: 0.15 },
      { title: 'Now', width: 0.15 },
      { title: 'Reliable change?', width: 0.4 },
    ].map((c) => ({ ...c, width: c.width * layout.width }));
    const xs = cols.map((_, i) => layout.left + cols.slice(0, i).reduce((sum, c) => sum + c.width, 0));
    layout.font(true, 8);
    layout.ensure(24);
    const headY = doc.y;
    cols.forEach((c, i) => doc.text(c.title, xs[i]!, headY, { width: c.width - 4, lineBreak: false }));
    doc.y = headY + 11;
    for (const task of data.tasks) {
      const metric = task.metrics[0]!;
      const { change, definition } = metric;
      const cells = [
        `${taskHandTitle(task.task, task.hand)}\n${metric.label}`,
        `${withUnit(change.baseline.value, definition.unit)}\n${change.baseline.n} session${change.baseline.n === 1 ? '' : 's'}`,
        `${withUnit(change.current?.value ?? null, definition.unit)}\n${change.current?.time ? isoDate(change.current.time) : ''}`,
        reliabilityWords(metric),
      ];
      const words = change.wording.summary;
      layout.font(false, 8);
      const cellHeight = Math.max(
        ...cells.map((text, i) => doc.heightOfString(text, { width: cols[i]!.width - 4 })),
      );
      layout.font(false, 7.5);
      const wordsHeight = doc.heightOfString(words, { width: layout.width - cols[0]!.width });
      layout.ensure(cellHeight + wordsHeight + 6);
      const y = doc.y;
      doc
        .moveTo(layout.left, y)
        .lineTo(layout.left + layout.width, y)
        .lineWidth(0.3)
        .strokeColor(RULE)
        .stroke();
      cells.forEach((text, i) => {
        layout.font(i === 3 && change.changeIsReliable, 8);
        doc.text(text, xs[i]!, y + 2, { width: cols[i]!.width - 4 });
      });
      layout.font(false, 7.5, MUTED);
      doc.text(words, xs[1]!, y + 2 + cellHeight, { width: layout.width - cols[0]!.width });
      doc.y = y + 4 + cellHeight + wordsHeight;
    }
  }

  layout.heading('Treatments in the period');
  if (data.injections.length === 0 && data.otherTreatments.length === 0)
    layout.paragraph('No treatment was entered for this period.');
  for (const injection of data.injections)
    layout.paragraph(`Botulinum toxin: ${injectionText(injection)}`, { size: 8.5 });
  for (const other of data.otherTreatments) layout.paragraph(otherTreatmentText(other), { size: 8.5 });

  layout.heading('Questionnaires and clinical scales');
  if (data.questionnaires.length === 0 && data.scaleTotals.length === 0)
    layout.paragraph('No questionnaire or scale total was entered for this period.');
  // one line per questionnaire and scale, its results in date order
  const groups = new Map<string, string[]>();
  const add = (key: string, item: string) => groups.set(key, [...(groups.get(key) ?? []), item]);
  for (const q of data.questionnaires) {
    if (q.questionnaireId === 'pgic') {
      const reference = q.reference
        ? ` compared with ${q.reference.kind.replace('-', ' ')} on ${q.reference.date}${q.reference.label ? ` (${q.reference.label})` : ''}`
        : '';
      add("PGIC (the person's impression of change)", `${q.date}: "${q.band ?? 'not answered'}"${reference}`);
    } else {
      const total =
        q.total === null
          ? 'no total (too many questions unanswered)'
          : `${num(q.total)}${q.band ? ` (${q.band.toLowerCase()})` : ''}`;
      add(`${q.title} (total of ${q.max})`, `${q.date}: ${total}`);
    }
  }
  for (const s of data.scaleTotals) {
    const reading = s.direction === 'higher-is-worse' ? 'higher is worse' : 'higher is better';
    const range = s.unit ? s.unit : `of ${s.max}`;
    add(
      `${s.abbreviation} (${s.name}, ${range}, ${reading})`,
      `${s.date}: ${num(s.total)}${s.unit ? ` ${s.unit}` : ''} (${s.rater})`,
    );
  }
  for (const [title, items] of groups) layout.paragraph(`${title}: ${items.join('; ')}`, { size: 8.5 });
  layout.paragraph(
    'PHQ-9 and GAD-7 are self-report screening questionnaires; PGIC is the person’s own impression of change. ' +
      'Scale totals are as entered by the person from the rater’s record.',
    { size: 7.5, color: MUTED },
  );
}

/** A line chart of one metric over the period, with the baseline band (baseline ± SDC95) shaded. */
function chart(layout: Layout, data: ReportData, hand: string, metric: ReportMetric): void {
  const { doc } = layout;
  const height = 78;
  const gutter = 44;
  layout.ensure(height + 34);
  const { definition, change, points } = metric;
  const unit = definition.unit === '1' || definition.unit === 'count' ? '' : ` (${definition.unit})`;
  layout.font(true, 8.5);
  const titleY = doc.y;
  const title = fit(doc, `${metric.label}${unit}`, layout.width / 2);
  const bandWidth = layout.width - doc.widthOfString(title) - 12;
  doc.text(title, layout.left, titleY, { lineBreak: false });
  layout.font(false, 7.5, MUTED);
  const band = change.band
    ? `baseline ${withUnit(change.baseline.value, definition.unit)}, reliable-change band ${withUnit(change.band.low, definition.unit)} to ${withUnit(change.band.high, definition.unit)}`
    : `baseline ${withUnit(change.baseline.value, definition.unit)}; no reliable-change band yet`;
  doc.text(fit(doc, band, bandWidth), layout.left + layout.width - bandWidth, titleY + 1, {
    width: bandWidth,
    align: 'right',
    lineBreak: false,
  });
  const top = titleY + 13;
  const x0 = layout.left + gutter;
  const w = layout.width - gutter;
  const { start, end } = periodInstants(data.period);
  const t0 = start.getTime();
  const t1 = end.getTime();
  const values = points.map((p) => p.value);
  if (change.band) values.push(change.band.low, change.band.high);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-9) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const span = hi - lo;
  lo -= span * 0.06;
  hi += span * 0.06;
  const x = (t: number) => x0 + ((t - t0) / (t1 - t0)) * w;
  const y = (v: number) => top + height - ((v - lo) / (hi - lo)) * height;

  doc.rect(x0, top, w, height).lineWidth(0.5).strokeColor(RULE).stroke();
  if (change.band) {
    doc
      .rect(x0, y(change.band.high), w, y(change.band.low) - y(change.band.high))
      .fillColor(BAND)
      .fill();
  }
  if (change.baseline.value !== null) {
    doc
      .moveTo(x0, y(change.baseline.value))
      .lineTo(x0 + w, y(change.baseline.value))
      .dash(3, { space: 2 })
      .lineWidth(0.6)
      .strokeColor(LINE)
      .stroke()
      .undash();
  }
  // injections in the period as vertical lines
  for (const injection of data.injections) {
    // the injections of this hand's side (all of them for a task done with both hands)
    if (hand !== 'both' && !injection.injections.some((row) => row.side === hand)) continue;
    const t = Date.parse(`${injection.date}T00:00:00Z`);
    if (t < t0 || t >= t1) continue;
    doc
      .moveTo(x(t), top)
      .lineTo(x(t), top + height)
      .dash(1, { space: 2 })
      .lineWidth(0.6)
      .strokeColor('#a33')
      .stroke()
      .undash();
    layout.font(false, 6, '#a33');
    doc.text('BoNT', x(t) + 1.5, top + 1.5, { lineBreak: false });
  }
  const used = points.filter((p) => !p.excluded);
  if (used.length > 1) {
    doc.moveTo(x(used[0]!.time), y(used[0]!.value));
    for (const p of used.slice(1)) doc.lineTo(x(p.time), y(p.value));
    doc.lineWidth(0.7).strokeColor(LINE).stroke();
  }
  for (const p of points) {
    if (p.excluded) doc.circle(x(p.time), y(p.value), 1.6).lineWidth(0.5).strokeColor('#888').stroke();
    else doc.circle(x(p.time), y(p.value), 1.3).fillColor(LINE).fill();
  }
  layout.font(false, 6.5, MUTED);
  for (const v of [hi - (hi - lo) * 0.06, lo + (hi - lo) * 0.06]) {
    doc.text(num(v), layout.left, y(v) - 3, { width: gutter - 4, align: 'right', lineBreak: false });
  }
  const dates = [t0, (t0 + t1) / 2, t1 - 1];
  dates.forEach((t, i) => {
    const label = isoDate(t);
    const lw = doc.widthOfString(label);
    const lx = i === 0 ? x0 : i === 2 ? x0 + w - lw : x(t) - lw / 2;
    doc.text(label, lx, top + height + 2, { lineBreak: false });
  });
  doc.x = layout.left;
  doc.y = top + height + 14;
}

function sessionTable(layout: Layout, task: ReportTask): void {
  const { doc } = layout;
  const dateWidth = 72;
  const metricWidth = Math.min(62, (layout.width * 0.62) / task.metrics.length);
  const flagsX = layout.left + dateWidth + metricWidth * task.metrics.length;
  const flagsWidth = layout.left + layout.width - flagsX;
  const rowHeight = 9.5;
  const header = () => {
    layout.font(true, 7);
    const titles = task.metrics.map((m) => {
      const unit =
        m.definition.unit === '1' || m.definition.unit === 'count' ? '' : ` (${m.definition.unit})`;
      return `${m.label}${unit}`;
    });
    const height = Math.max(10, ...titles.map((t) => doc.heightOfString(t, { width: metricWidth - 4 })));
    layout.ensure(height + rowHeight * 3);
    const y = doc.y;
    doc.text('Date (UTC)', layout.left, y, { width: dateWidth - 4 });
    titles.forEach((t, i) =>
      doc.text(t, layout.left + dateWidth + i * metricWidth, y, { width: metricWidth - 4, align: 'right' }),
    );
    doc.text('Quality flags (excluded: left out of the change statistics)', flagsX + 6, y, {
      width: flagsWidth - 6,
    });
    doc
      .moveTo(layout.left, y + height + 1)
      .lineTo(layout.left + layout.width, y + height + 1)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    doc.y = y + height + 3;
  };
  header();
  for (const session of task.sessions) {
    if (doc.y + rowHeight > layout.bottom) {
      layout.newPage();
      layout.font(true, 8, MUTED);
      doc.text(`${taskHandTitle(task.task, task.hand)}: sessions (continued)`, layout.left, doc.y);
      doc.y += 3;
      header();
    }
    const y = doc.y;
    layout.font(false, 7, session.excluded ? MUTED : INK);
    doc.text(new Date(session.time).toISOString().slice(0, 16).replace('T', ' '), layout.left, y, {
      lineBreak: false,
    });
    task.metrics.forEach((m, i) => {
      const value = session.values[m.definition.id];
      doc.text(
        value === null || value === undefined ? '–' : num(value),
        layout.left + dateWidth + i * metricWidth,
        y,
        {
          width: metricWidth - 4,
          align: 'right',
          lineBreak: false,
        },
      );
    });
    const notes = [
      session.supervised ? 'supervised' : null,
      session.excluded ? 'excluded' : null,
      ...session.flags,
    ].filter(Boolean);
    doc.text(fit(doc, notes.join(', '), flagsWidth - 6), flagsX + 6, y, { lineBreak: false });
    doc.x = layout.left;
    doc.y = y + rowHeight;
  }
}

function detailPages(layout: Layout, data: ReportData): void {
  for (const task of data.tasks) {
    layout.newPage();
    layout.heading(`${taskHandTitle(task.task, task.hand)}: details`, 12);
    layout.paragraph(
      `${task.sessions.length} session${task.sessions.length === 1 ? '' : 's'} in the period. Blue dots: sessions used; ` +
        'grey rings: sessions with quality flags, left out of the change statistics. Shaded: the baseline ± SDC95; dashed: the baseline.',
      { size: 7.5, color: MUTED, gap: 6 },
    );
    for (const metric of task.metrics) chart(layout, data, task.hand, metric);
    layout.font(true, 9);
    layout.ensure(40);
    layout.doc.text('Sessions', layout.left, layout.doc.y + 2);
    layout.doc.y += 2;
    sessionTable(layout, task);
  }
}

function footers(d: Doc): void {
  const range = d.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    d.switchToPage(i);
    const bottom = d.page.margins.bottom;
    d.page.margins.bottom = 0;
    const y = d.page.height - MARGIN - FOOTER_HEIGHT + 12;
    const width = d.page.width - 2 * MARGIN;
    d.moveTo(MARGIN, y - 4)
      .lineTo(MARGIN + width, y - 4)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    d.font(REPORT_FONTS.regular).fontSize(7).fillColor(MUTED);
    const pageText = `page ${i - range.start + 1} of ${range.count}`;
    const pageWidth = d.widthOfString(pageText) + 8;
    d.text(REPORT_FOOTER, MARGIN, y, { width: width - pageWidth });
    d.text(pageText, MARGIN + width - pageWidth, y, { width: pageWidth, align: 'right', lineBreak: false });
    d.page.margins.bottom = bottom;
  }
}

/**
 * Renders the clinician report.
 * @param data - what {@link gatherReport} gathered
 * @returns the PDF file
 */
export function renderClinicianReport(data: ReportData): Promise<Buffer> {
  const d = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN },
    bufferPages: true,
    font: REPORT_FONTS.regular,
    info: {
      Title: `Clinician report ${data.period.from} to ${data.period.to}`,
      Author: 'Dystrack',
      Subject: 'Hand-task measurements, treatments and scales for a period',
      CreationDate: data.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    d.on('data', (chunk: Buffer) => chunks.push(chunk));
    d.on('end', () => resolve(Buffer.concat(chunks)));
    d.on('error', reject);
  });
  const layout = new Layout(d);
  summaryPage(layout, data);
  detailPages(layout, data);
  footers(d);
  d.end();
  return done;
}
