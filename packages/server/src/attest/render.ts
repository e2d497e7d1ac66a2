import PDFDocument from 'pdfkit';
import { canonicalJson, shortFingerprint, verificationCode, type SignedManifest } from '@dystrack/core';
import type { ReportData } from '../reports/gather.js';
import {
  FOOTER_HEIGHT,
  Layout,
  MARGIN,
  MUTED,
  REPORT_FONTS,
  RULE,
  taskHandTitle,
} from '../reports/render.js';
import { workCapacityFindings, type TaskFinding } from './findings.js';
import { MANIFEST_FILE_NAME } from './pdf-manifest.js';

/*
 * The work-capacity report as a PDF, for an employer, insurer or attorney: the occupation and its
 * essential hand tasks, per measured task in plain language whether and how it is worse, how often, how
 * variable and how it changed with treatment; every recording with how it was made; and the signed
 * manifest, attached as a file and summarised as a printed verification code.
 */

/** The words on every page of the work-capacity report. */
export const WORK_CAPACITY_FOOTER =
  'Measurements of hand tasks made with Dystrack. Recordings marked "self-recorded" were made by the person at home ' +
  'without supervision; effort is not verified for any recording. This is not a diagnosis and not legal advice.';

/** What the report says about itself, on page 1. */
export const WORK_CAPACITY_NOTICE = [
  'What this document is: repeated measurements of the hand tasks this person’s occupation depends on, made with ' +
    'Dystrack in a web browser, and what they show over the period, in plain words. The measurements compare the ' +
    'person with themselves over time and the two hands with each other; there is no population norm for these tasks.',
  'What it is not: it is not a diagnosis, not a medical opinion on fitness for work and not legal advice. A doctor ' +
    'diagnoses dystonia and judges fitness for work; questions of law belong to a lawyer.',
  'Effort is not verified: the software cannot tell whether a person tried their best. Recordings made at home are ' +
    'marked "self-recorded at home"; recordings uploaded by a clinician in a supervised session are marked ' +
    '"supervised in clinic".',
];

const PROVENANCE_WORDS = { self: 'self-recorded at home', supervised: 'supervised in clinic' } as const;

/** Everything the work-capacity PDF shows besides the clinician report's data. */
export interface WorkCapacityInput {
  data: ReportData;
  signed: SignedManifest;
  /** Where the report can be checked (`https://…/verify`). */
  verifyUrl: string;
}

function finding(layout: Layout, f: TaskFinding): void {
  layout.ensure(90);
  layout.paragraph(`${f.title} — ${f.measure}`, { bold: true, size: 9.5 });
  layout.paragraph(f.meaning, { size: 7.5, color: MUTED });
  const supervised = f.supervisedSessions
    ? `${f.supervisedSessions} of them supervised in clinic`
    : 'all self-recorded at home';
  layout.paragraph(
    `Measured: ${f.impaired}. ${f.sessions} session${f.sessions === 1 ? '' : 's'} (${supervised}).`,
    {
      bold: true,
      size: 8.5,
    },
  );
  for (const [label, text] of [
    ['How often', f.often],
    ['How severe', f.severity],
    ['How variable', f.variability],
    ['Over the period and with treatment', f.treatment],
  ] as const)
    layout.paragraph(`${label}: ${text}`, { size: 8.5 });
  layout.doc.y += 4;
}

function firstPage(layout: Layout, input: WorkCapacityInput, code: string): void {
  const { doc } = layout;
  const { data, signed } = input;
  const { manifest } = signed;
  const profile = data.patient.profile;
  layout.font(true, 16);
  doc.text('Work-capacity documentation: hand tasks of the occupation', layout.left, MARGIN, {
    width: layout.width,
  });
  doc.y += 2;
  layout.paragraph(
    [
      data.patient.displayName,
      `occupation: ${profile.occupation ?? 'not given'}`,
      profile.affectedHands ? `affected hand: ${profile.affectedHands}` : null,
    ]
      .filter(Boolean)
      .join(' · '),
    { bold: true, size: 10 },
  );
  layout.paragraph(
    `Period ${data.period.from} to ${data.period.to} · issued ${manifest.issuedAt.slice(0, 16).replace('T', ' ')} UTC · ` +
      `report ${manifest.reportId} · analysis version ${manifest.analysisVersion} · verification code ${code}`,
    { size: 8, color: MUTED, gap: 6 },
  );
  for (const text of WORK_CAPACITY_NOTICE) layout.paragraph(text, { size: 8.5, gap: 4 });

  const { essential, other } = workCapacityFindings(data);
  layout.heading('Essential hand tasks of the occupation');
  if (essential.length === 0)
    layout.paragraph(
      'The person has not listed the hand tasks their occupation depends on; every measured task follows.',
      { size: 8.5 },
    );
  for (const item of essential) {
    layout.paragraph(`“${item.essentialTask}”`, { bold: true, size: 10.5, gap: 3 });
    if (item.findings.length === 0)
      layout.paragraph('No task measured in this period bears directly on this hand task.', {
        size: 8.5,
        gap: 6,
      });
    for (const f of item.findings) finding(layout, f);
  }
  if (other.length) {
    layout.heading(essential.length ? 'Other measured tasks' : 'Measured tasks');
    for (const f of other) finding(layout, f);
  }
  if (data.tasks.length === 0) layout.paragraph('No task was recorded in this period.', { size: 8.5 });

  layout.heading('Treatments in the period');
  if (data.injections.length === 0 && data.otherTreatments.length === 0)
    layout.paragraph('No treatment was entered for this period.', { size: 8.5 });
  for (const injection of data.injections)
    layout.paragraph(`${injection.date} — botulinum toxin injection`, { size: 8.5 });
  for (const treatment of data.otherTreatments) {
    const when =
      typeof treatment.date === 'string'
        ? treatment.date
        : `${String(treatment.start ?? '?')} to ${String(treatment.stop ?? 'ongoing')}`;
    layout.paragraph(`${when} — ${treatment.type.replace(/-/g, ' ')}`, { size: 8.5 });
  }
}

function recordingsTable(layout: Layout, signed: SignedManifest): void {
  const { doc } = layout;
  layout.heading('Every recording of this report, and how it was made');
  layout.paragraph(
    'Each recording is listed with its content fingerprint (SHA-256 of the stored recording): the signed manifest ' +
      'attached to this PDF holds the same list, so that a recording left out, added or changed is detected.',
    { size: 7.5, color: MUTED, gap: 4 },
  );
  const cols = [
    { title: 'Started (UTC)', width: 0.2 },
    { title: 'Task and hand', width: 0.3 },
    { title: 'How it was made', width: 0.22 },
    { title: 'Content SHA-256 (first 16)', width: 0.28 },
  ].map((c) => ({ ...c, width: c.width * layout.width }));
  const xs = cols.map((_, i) => layout.left + cols.slice(0, i).reduce((sum, c) => sum + c.width, 0));
  const header = () => {
    layout.font(true, 7.5);
    layout.ensure(24);
    const y = doc.y;
    cols.forEach((c, i) => doc.text(c.title, xs[i]!, y, { width: c.width - 4, lineBreak: false }));
    doc
      .moveTo(layout.left, y + 10)
      .lineTo(layout.left + layout.width, y + 10)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    doc.y = y + 12;
  };
  header();
  if (signed.manifest.recordings.length === 0) layout.paragraph('No recording.', { size: 8 });
  for (const r of signed.manifest.recordings) {
    if (doc.y + 10 > layout.bottom) {
      layout.newPage();
      header();
    }
    const y = doc.y;
    layout.font(false, 7.5);
    const cells = [
      r.startedAt.slice(0, 16).replace('T', ' '),
      taskHandTitle(r.taskId, r.hand),
      PROVENANCE_WORDS[r.provenance],
      r.sha256.slice(0, 16),
    ];
    cells.forEach((text, i) => doc.text(text, xs[i]!, y, { width: cols[i]!.width - 4, lineBreak: false }));
    doc.x = layout.left;
    doc.y = y + 10;
  }
}

function verificationSection(layout: Layout, input: WorkCapacityInput, code: string): void {
  const { signed, verifyUrl } = input;
  // the section stays on one page
  layout.ensure(130);
  layout.heading('How to check that this report is unaltered');
  layout.paragraph(`Verification code: ${code}`, { bold: true, size: 11 });
  layout.paragraph(
    `Open ${verifyUrl} and give it this PDF: it says, for each recording, “matches”, “altered”, or “recording ` +
      'erased by its owner on <date>”, and shows the verification code, which must be the one printed here. ' +
      'Without a network: dystrack verify <this file> --public-key <the server’s key>.',
    { size: 8.5 },
  );
  layout.paragraph(
    `Signed by the Dystrack server’s Ed25519 key, fingerprint ${shortFingerprint(signed.keyFingerprint)} ` +
      `(full: ${signed.keyFingerprint}). The signed manifest is attached to this PDF as ${MANIFEST_FILE_NAME}. ` +
      'The signature covers the list of recordings, their content fingerprints, how each was made, the analysis ' +
      'version and the issue date; it does not cover a printed copy.',
    { size: 7.5, color: MUTED },
  );
}

function footers(doc: PDFKit.PDFDocument, code: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN - FOOTER_HEIGHT + 12;
    const width = doc.page.width - 2 * MARGIN;
    doc
      .moveTo(MARGIN, y - 4)
      .lineTo(MARGIN + width, y - 4)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    doc.font(REPORT_FONTS.regular).fontSize(7).fillColor(MUTED);
    const pageText = `code ${code} · page ${i - range.start + 1} of ${range.count}`;
    const pageWidth = doc.widthOfString(pageText) + 8;
    doc.text(WORK_CAPACITY_FOOTER, MARGIN, y, { width: width - pageWidth });
    doc.text(pageText, MARGIN + width - pageWidth, y, { width: pageWidth, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

/**
 * Renders the work-capacity report with its signed manifest attached (uncompressed, so that
 * `dystrack verify` can read it without a PDF library).
 */
export function renderWorkCapacityReport(input: WorkCapacityInput): Promise<Buffer> {
  const { data, signed } = input;
  const issued = new Date(signed.manifest.issuedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN },
    bufferPages: true,
    font: REPORT_FONTS.regular,
    info: {
      Title: `Work-capacity documentation ${data.period.from} to ${data.period.to}`,
      Author: 'Dystrack',
      Subject: `Hand tasks of the occupation; signed report ${signed.manifest.reportId}`,
      CreationDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const code = verificationCode(signed);
  const layout = new Layout(doc);
  firstPage(layout, input, code);
  recordingsTable(layout, signed);
  verificationSection(layout, input, code);
  footers(doc, code);
  // the attachment's stream is written uncompressed: readable by `dystrack verify` without a PDF library
  const compress = doc.compress;
  doc.compress = false;
  doc.file(Buffer.from(canonicalJson(signed), 'utf8'), {
    name: MANIFEST_FILE_NAME,
    type: 'application/json',
    description: 'Signed manifest of this report (check with dystrack verify or the verification page)',
    creationDate: issued,
    modifiedDate: issued,
  });
  doc.compress = compress;
  doc.end();
  return done;
}
