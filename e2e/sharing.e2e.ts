import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from './axe.js';
import { launchBrowser, newDataDir, startServer, type ServerProcess } from './harness.js';
import { onboard, pressKey, uniqueName } from './flows.js';
import { apiRequest, approveAccounts, createAdminAccount, signUpAs } from './admin.js';

/*
 * Issue 11 end to end, in Chromium against the built server: a patient shares with a clinician (who adds
 * a treatment, records a visit and runs a supervised task), then stops sharing; a researcher runs a study
 * the patient joins, re-consents to and leaves. An administrator made with the CLI approves the
 * clinician and the researcher. Every new page is checked with axe.
 */

const KEYS = [
  { code: 'KeyJ', key: 'j', keyCode: 74 },
  { code: 'KeyK', key: 'k', keyCode: 75 },
];

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

describe('sharing with a clinician, and research studies, in Chromium', () => {
  const admin = { username: uniqueName('admin') };
  const patient = { username: uniqueName('patient'), displayName: 'Robin Quillfeather' };
  let server: ServerProcess;
  let base: string;
  let patientBrowser: Browser;
  /** axe's findings per page visited, asserted empty at the end of each test. */
  const shots = process.env.E2E_SCREENSHOTS;

  async function check(page: Page, where: string, found: Record<string, string[]>): Promise<void> {
    found[where] = await axeViolations(page);
    if (shots)
      await page.screenshot({
        path: `${shots}/sharing-${where.replace(/[^a-z0-9]+/gi, '-')}.png`,
        fullPage: true,
      });
  }

  beforeAll(async () => {
    const dataDir = newDataDir();
    createAdminAccount(dataDir, admin.username);
    server = await startServer({ dataDir });
    base = server.url.replace('127.0.0.1', 'localhost');
    patientBrowser = await launchBrowser();
    const page = patientBrowser.page;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signUpAs(page, base, { ...patient, role: 'patient' });
    await onboard(page);
  }, 180_000);
  afterAll(async () => {
    await patientBrowser?.close();
    await server?.stop();
  });

  it(
    'a patient shares with a clinician, who adds a treatment, records a visit and runs a supervised task; stopping sharing shuts the clinician out',
    { timeout: 300_000 },
    async () => {
      const a11y: Record<string, string[]> = {};
      const page = patientBrowser.page;
      const clinician = { username: uniqueName('clinician'), displayName: 'Dr Ada Lindqvist' };

      // the patient invites a clinician: tasks, treatments and adding entries, for 3 months
      await page.goto(`${base}/sharing`);
      await page.getByRole('heading', { name: 'Sharing with your clinicians', level: 1 }).waitFor();
      await page.getByText('You share nothing with anyone at the moment.').waitFor();
      await check(page, 'sharing', a11y);
      await page.getByRole('button', { name: 'Invite a clinician' }).click();
      const scopes = page.getByRole('group', { name: 'What may the clinician see?' });
      await scopes.getByLabel(/^Task recordings/).check();
      await scopes.getByLabel(/^Treatments/).check();
      await scopes.getByLabel(/^Let the clinician add entries/).check();
      await page
        .getByRole('group', { name: 'For how long?' })
        .getByLabel(/^For 3 months from today/)
        .check();
      await check(page, 'sharing-invite-form', a11y);
      await page.getByRole('button', { name: 'Make the code for my clinician' }).click();
      await page.getByRole('heading', { name: 'Give this code to your clinician' }).waitFor();
      const codeText = (await page.locator('.sharing__code').innerText()).replace(/^The code:\s*/, '').trim();
      expect(codeText).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      const link = await page.getByLabel('Or send this link to your clinician').inputValue();
      // the link carries the code in its fragment, never in the path or query
      const linkUrl = new URL(link);
      expect(linkUrl.pathname).toBe('/clinic/redeem');
      expect(linkUrl.search).toBe('');
      expect(linkUrl.hash.slice(1).replace(/-/g, '').toUpperCase()).toBe(codeText.replace(/-/g, ''));
      await check(page, 'sharing-new-code', a11y);
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('heading', { name: 'Waiting for the clinician' }).waitFor();

      const clinic = await launchBrowser();
      try {
        const doc = clinic.page;
        await doc.setViewportSize({ width: 1280, height: 900 });
        await signUpAs(doc, base, { ...clinician, role: 'clinician' });
        const approved = await approveAccounts(base, admin, [clinician.username]);
        expect(approved).toEqual([
          expect.objectContaining({ username: clinician.username, role: 'clinician', roleApproved: true }),
        ]);

        // the clinician's dashboard, empty; then the patient's code (the e2e hook stays on for the tab)
        await doc.goto(`${base}/clinic?e2e=1`);
        await doc.getByRole('heading', { name: 'Your patients', level: 1 }).waitFor();
        await doc.getByText('No patient shares with you yet.', { exact: false }).waitFor();
        await check(doc, 'clinic-empty', a11y);
        await doc.getByRole('link', { name: 'I have a patient’s code' }).click();
        await doc.getByRole('heading', { name: 'A patient’s code', level: 1 }).waitFor();
        await check(doc, 'clinic-redeem', a11y);
        // typed as a person might: lower case, with spaces
        await doc.getByLabel('The code').fill(codeText.toLowerCase().replace(/-/g, ' '));
        await doc.getByRole('button', { name: 'Use the code' }).click();
        await doc.getByRole('heading', { name: `${patient.displayName} now shares with you` }).waitFor();
        await doc.getByText(/You may also add rating-scale totals and treatments/).waitFor();
        await check(doc, 'clinic-redeem-done', a11y);

        await doc.getByRole('link', { name: 'Back to your patients' }).click();
        await doc
          .getByRole('heading', { name: new RegExp(`^${patient.displayName} @${patient.username}`) })
          .waitFor();
        await check(doc, 'clinic-with-patient', a11y);
        await doc.getByRole('link', { name: `Open ${patient.displayName}’s page` }).click();
        await doc.getByRole('heading', { name: new RegExp(`^${patient.displayName}`), level: 1 }).waitFor();
        await check(doc, 'clinic-patient-overview', a11y);

        // a visit today
        await doc.getByRole('button', { name: 'Record a visit today' }).click();
        await doc.getByText(/^Visit recorded: last visit /).waitFor();

        // a treatment, entered by the clinician
        const records = doc.getByRole('navigation', { name: `${patient.displayName}’s records` });
        await records.getByRole('link', { name: 'Treatments', exact: true }).click();
        await doc.getByRole('heading', { name: 'Treatments', level: 2 }).waitFor();
        await doc
          .getByRole('group', { name: 'What kind of treatment?' })
          .getByLabel('Medication', { exact: true })
          // the choice opens its form in place of the radio buttons (check() would wait for it to stay)
          .click();
        const form = doc.getByRole('form', { name: 'New: medication' });
        await form.getByLabel('Name of the medication').fill('Trihexyphenidyl');
        await form.getByLabel('Dose each time').fill('2 mg');
        await form.getByRole('group', { name: 'How often?' }).getByLabel('Twice a day').check();
        await check(doc, 'clinic-patient-treatment-form', a11y);
        await form.getByRole('button', { name: 'Save the treatment' }).click();
        await doc.getByText(/^Saved: .*Trihexyphenidyl/).waitFor();
        const entry = doc.getByRole('article', { name: /^Medication, / });
        await entry.getByText('entered by clinician').waitFor();
        await expect(entry.getByRole('heading').textContent()).resolves.toContain('Trihexyphenidyl');
        await check(doc, 'clinic-patient-treatments', a11y);

        // in-clinic mode: the speed tapping task with the keyboard, for the patient, on this device
        await records.getByRole('link', { name: 'Run a task in the clinic' }).click();
        await check(doc, 'clinic-patient-tasks', a11y);
        await doc.getByRole('link', { name: 'Finger tapping, right hand' }).click();
        await doc
          .getByRole('note', { name: 'Supervised recording' })
          .getByText(`Supervised recording for ${patient.displayName}`)
          .waitFor();
        await doc
          .getByRole('group', { name: 'How will you tap?' })
          .getByLabel(/On the keyboard/)
          .check();
        await doc.getByRole('button', { name: 'Start with the right hand' }).click();
        await doc.locator('.dt-tapping-stop:not([disabled])').waitFor({ timeout: 20_000 });
        const cdp = await clinic.context.newCDPSession(doc);
        const start = Date.now() / 1000 + 0.05;
        for (let i = 0; i < 30; i++) await pressKey(cdp, KEYS[i % 2]!, start + i * 0.15, 0.06);
        await doc.locator('.dt-tapping-count', { hasText: '30' }).waitFor();
        // the 20 s trial ends on time
        await doc
          .getByRole('heading', { name: 'Finger tapping, right hand: done' })
          .waitFor({ timeout: 40_000 });
        const queued = await doc.evaluate(async () =>
          (await window.__dystrack!.queueEntries())
            .filter((e) => e.summary.taskId === 'tapping')
            .map((e) => ({ id: e.id, forPatientId: (e as { forPatientId?: string | null }).forPatientId })),
        );
        expect(queued).toHaveLength(1);
        await doc.evaluate(() => window.__dystrack!.flushQueue());

        // the patient's recordings: the supervised recording, uploaded by the clinician
        const patientId = queued[0]!.forPatientId!;
        expect(patientId).toMatch(/^[0-9a-f-]{36}$/);
        await expect
          .poll(
            async () =>
              (
                await apiRequest<{ items: { id: string; supervisedBy: string | null }[] }>(
                  page,
                  'GET',
                  '/api/v1/recordings?limit=50',
                )
              ).body.items.find((item) => item.id === queued[0]!.id)?.supervisedBy ?? null,
            { timeout: 20_000 },
          )
          .toBe(approved[0]!.id);
        await page.goto(`${base}/recordings`);
        await page.getByRole('heading', { name: 'Finger tapping, right hand' }).first().waitFor();
        await page
          .getByText('In the clinic, by a clinician you share with (a supervised recording)')
          .waitFor();

        // the treatment on the patient's own log, and as written by a clinician in its data
        await page.goto(`${base}/treatments`);
        const own = page.getByRole('article').filter({ hasText: 'Trihexyphenidyl' });
        await own.getByText('entered by your clinician').waitFor();
        const treatments = await apiRequest<{
          items: { data: { name?: string }; clinicianEntered?: boolean }[];
        }>(page, 'GET', '/api/v1/treatments');
        expect(treatments.body.items).toEqual([
          expect.objectContaining({
            clinicianEntered: true,
            data: expect.objectContaining({ name: 'Trihexyphenidyl' }),
          }),
        ]);

        // the patient's activity log names the clinician's actions
        await page.goto(`${base}/activity`);
        await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
        const who = `${clinician.displayName} (clinician)`;
        for (const did of ['added a treatment', 'marked a visit', 'made a task recording'])
          await page
            .getByText(new RegExp(`${who.replace(/[()]/g, '\\$&')} ${did}`))
            .first()
            .waitFor();
        await check(page, 'activity', a11y);

        // the patient stops sharing, with the confirmation
        await page.goto(`${base}/sharing`);
        await page.getByRole('heading', { name: 'Sharing now' }).waitFor();
        await page.getByRole('button', { name: `Stop sharing with ${clinician.displayName}` }).click();
        await page
          .getByText(`Stop sharing with ${clinician.displayName}? It takes effect at once`, { exact: false })
          .waitFor();
        await check(page, 'sharing-stop-confirm', a11y);
        await page.getByRole('button', { name: `Yes, stop sharing with ${clinician.displayName}` }).click();
        await page
          .getByText(`Sharing with ${clinician.displayName} has stopped.`, { exact: false })
          .waitFor();
        await page.getByRole('heading', { name: 'Ended' }).waitFor();
        await check(page, 'sharing-ended', a11y);

        // the clinician's next load of the patient page is refused; the patient left the dashboard
        await doc.goto(`${base}/clinic/patients/${patientId}/treatments`);
        await doc.getByRole('heading', { name: 'Not shared with you', level: 1 }).waitFor();
        await check(doc, 'clinic-patient-not-shared', a11y);
        const refused = await apiRequest<{ code: string }>(
          doc,
          'GET',
          `/api/v1/treatments?patient=${patientId}`,
        );
        expect(refused.status).toBe(403);
        await doc.goto(`${base}/clinic`);
        await doc.getByText('No patient shares with you yet.', { exact: false }).waitFor();
        expect(await doc.getByText(patient.displayName).count()).toBe(0);
      } finally {
        await clinic.close();
      }
      expect(a11y).toEqual(Object.fromEntries(Object.keys(a11y).map((where) => [where, []])));
    },
  );

  it(
    'a researcher runs a study: the patient joins with the code, is exported only by pseudonym, re-consents and withdraws with deletion',
    { timeout: 240_000 },
    async () => {
      const a11y: Record<string, string[]> = {};
      const page = patientBrowser.page;
      const researcher = { username: uniqueName('researcher'), displayName: 'Prof Jun Okafor' };
      const title = `Tapping speed over a year ${Date.now().toString(36)}`;

      const lab = await launchBrowser();
      try {
        const res = lab.page;
        await res.setViewportSize({ width: 1280, height: 900 });
        await signUpAs(res, base, { ...researcher, role: 'researcher' });
        const approved = await approveAccounts(base, admin, [researcher.username]);
        expect(approved).toEqual([
          expect.objectContaining({ username: researcher.username, role: 'researcher', roleApproved: true }),
        ]);

        // a new study: finger tapping, a consent text, the participant chooses on withdrawal
        await res.goto(`${base}/studies`);
        await res.getByRole('heading', { name: 'Studies', level: 1 }).waitFor();
        await res.getByText('You have no studies yet.', { exact: false }).waitFor();
        await check(res, 'studies-empty', a11y);
        await res.getByRole('button', { name: 'New study' }).click();
        await res.getByLabel('Title').fill(title);
        await res
          .getByLabel('Description')
          .fill('We follow tapping speed in focal hand dystonia for a year.');
        await res
          .getByRole('group', { name: 'Tasks' })
          .getByLabel(/^Finger tapping/)
          .check();
        await res.getByLabel('Consent text').fill('Version one: you record finger tapping once a week.');
        await res
          .getByRole('group', { name: 'What happens to a participant’s data when they withdraw' })
          .getByLabel(/^The participant chooses when withdrawing/)
          .check();
        await check(res, 'studies-new-form', a11y);
        await res.getByRole('button', { name: 'Create the study' }).click();
        await res.getByRole('heading', { name: title, level: 1 }).waitFor();
        const enrolCode = (await res.locator('.studies__code').innerText()).trim();
        expect(enrolCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
        await res.getByText('No one has joined yet.').waitFor();
        await check(res, 'study', a11y);

        // the patient looks the study up, reads the consent and joins
        await page.goto(`${base}/participation`);
        await page.getByRole('heading', { name: 'Research studies', level: 1 }).waitFor();
        await page.getByText('You are not taking part in any study.').waitFor();
        await check(page, 'participation', a11y);
        await page.getByLabel('Study code').fill(enrolCode.toLowerCase());
        await page.getByRole('button', { name: 'Look up the study' }).click();
        await page.getByRole('heading', { name: title, level: 3 }).waitFor();
        await page.getByText(`Researcher: ${researcher.displayName}`).waitFor();
        await page
          .getByRole('region', { name: `Consent text of ${title}` })
          .getByText(/Version one/)
          .waitFor();
        const join = page.getByRole('button', { name: 'Join the study' });
        expect(await join.isDisabled()).toBe(true);
        await check(page, 'participation-lookup', a11y);
        await page.getByLabel('I have read the consent text and agree to take part in this study').check();
        await join.click();
        await page.getByText(`You joined “${title}”. Thank you.`).waitFor();
        await page.getByText(/^You take part \(consent version 1/).waitFor();
        await check(page, 'participation-joined', a11y);

        // the researcher sees one pseudonymous participant and exports
        await res.reload();
        const table = res.getByRole('table', { name: /Participants by pseudonym/ });
        await table.waitFor();
        const rows = table.locator('tbody tr');
        expect(await rows.count()).toBe(1);
        const pseudonym = (await rows.first().locator('th').innerText()).trim();
        expect(pseudonym).toMatch(/^P-[0-9A-Z]{6}$/);
        const tableText = await table.innerText();
        expect(tableText).not.toContain(patient.username);
        expect(tableText).not.toContain(patient.displayName);
        await check(res, 'study-with-participant', a11y);
        const [download] = await Promise.all([
          res.waitForEvent('download'),
          res.getByRole('button', { name: 'Download de-identified export' }).click(),
        ]);
        expect(download.suggestedFilename()).toMatch(/^study-[0-9a-z]{8}-export\.json$/i);
        const exported = readFileSync((await download.path())!, 'utf8');
        const file = JSON.parse(exported) as { participants: { pseudonym: string; status: string }[] };
        expect(file.participants).toEqual([expect.objectContaining({ pseudonym, status: 'consenting' })]);
        expect(exported).not.toContain(patient.username);
        expect(exported).not.toContain(patient.displayName);
        await res.getByText(/^Saved as study-/).waitFor();

        // a new consent version: everyone must agree again
        await res.getByRole('button', { name: 'Publish a new consent version' }).click();
        await res
          .getByLabel('Consent text, version 2')
          .fill('Version two: you record finger tapping once a week, and we keep the data for ten years.');
        await check(res, 'study-new-consent-form', a11y);
        await res.getByRole('button', { name: 'Publish version 2' }).click();
        await res.getByText('Consent version 2 is published.', { exact: false }).waitFor();
        // the table is re-read after the message: wait for it
        await expect
          .poll(() => rows.first().locator('td').first().innerText(), { timeout: 10_000 })
          .toMatch(/re-consent|agree/i);

        // the patient is asked to re-consent, and does
        await page.goto(`${base}/participation`);
        await page.getByText(/^The study has a new consent text\./).waitFor();
        await page
          .getByRole('region', { name: `New consent text of ${title}, version 2` })
          .getByText(/Version two/)
          .waitFor();
        await check(page, 'participation-reconsent', a11y);
        await page.getByLabel('I have read consent version 2 and agree to keep taking part').check();
        await page.getByRole('button', { name: 'Agree to the new consent' }).click();
        await page.getByText(`You agreed to the new consent of “${title}”.`).waitFor();
        await page.getByText(/^You take part \(consent version 2/).waitFor();

        // then withdraws, choosing to remove the data
        await page.getByRole('button', { name: `Withdraw from ${title}` }).click();
        await page.getByText(`Withdraw from “${title}”?`).waitFor();
        await page
          .getByRole('group', {
            name: 'What should happen to the data you recorded for the study until now?',
          })
          .getByLabel(/^Remove all my data from the study/)
          .check();
        await check(page, 'participation-withdraw-confirm', a11y);
        await page.getByRole('button', { name: 'Yes, withdraw' }).click();
        await page.getByText(`You withdrew from “${title}”.`).waitFor();
        await page.getByText(/^Ended on .*: you withdrew\./).waitFor();
        await check(page, 'participation-withdrawn', a11y);

        // the researcher: withdrawn, and the data gone from the export
        await res.reload();
        await expect(res.getByRole('table').locator('tbody tr').first().innerText()).resolves.toMatch(
          /withdr/i,
        );
        const after = await apiRequest<{ participants: unknown[] }>(
          res,
          'GET',
          `/api/v1/studies/${res.url().split('/').pop()}/export`,
        );
        expect(after.status).toBe(200);
        expect(after.body.participants).toEqual([]);
      } finally {
        await lab.close();
      }
      expect(a11y).toEqual(Object.fromEntries(Object.keys(a11y).map((where) => [where, []])));
    },
  );
});
