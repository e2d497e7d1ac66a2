import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, startServer, type ServerProcess } from './harness.js';
import { onboard, signUp, uniqueName } from './flows.js';

/*
 * Questionnaires and treatments against the real server: a PHQ-9 filled in by keyboard alone with
 * question 9 answered "Several days" (the crisis message shows before anything is saved, with the support
 * service the administrator configured, and again with the result), and a botulinum-toxin injection added and
 * listed.
 */

const CRISIS_LINE = {
  name: 'Records test crisis line',
  contact: '0800 555 0100',
  description: 'Day and night.',
};

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.1 A and AA violations axe-core finds on the page as it is now (as accessibility.e2e.ts). */
async function violations(page: Page): Promise<string[]> {
  // through the debugger, which the page's Content Security Policy (no inline scripts) does not apply to
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations;
  });
  return (found as { id: string; help: string; nodes: { target: string[] }[] }[]).map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Tabs forward until a radio button of the question on screen has focus. */
async function tabToRadio(page: Page): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    const type = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type ?? null);
    if (type === 'radio') return;
  }
  throw new Error('no radio button reached by Tab');
}

/**
 * Answers the question on screen by keyboard: Tab to the first answer, Space picks it (value 0) or
 * ArrowDown moves to the next one and picks it (value 1); Enter goes on.
 */
async function answerByKeyboard(page: Page, value: 0 | 1): Promise<void> {
  await tabToRadio(page);
  await page.keyboard.press(value === 0 ? 'Space' : 'ArrowDown');
  await page.keyboard.press('Enter');
}

describe('questionnaires and treatments in the browser', () => {
  let server: ServerProcess;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let base: string;

  beforeAll(async () => {
    server = await startServer({ env: { CRISIS_RESOURCES: JSON.stringify([CRISIS_LINE]) } });
    base = server.url.replace('127.0.0.1', 'localhost');
    browser = await launchBrowser();
    await signUp(browser.page, base, uniqueName('records'));
    await onboard(browser.page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('fills a PHQ-9 by keyboard: the crisis message shows at once, the result after saving', async () => {
    const page = browser.page;
    await page.goto(`${base}/scales`);
    const start = page.getByRole('button', { name: 'Start the Patient Health Questionnaire (PHQ-9)' });
    await start.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Question 1 of 10').waitFor();

    for (let question = 1; question <= 8; question++) {
      await answerByKeyboard(page, 0);
      await page.getByText(`Question ${question + 1} of 10`).waitFor();
    }
    expect(await page.getByRole('alert').count()).toBe(0);

    // question 9: "Several days" (value 1); the message is there before Enter, before any save
    await tabToRadio(page);
    await page.keyboard.press('ArrowDown');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.getByRole('heading').innerText()).toBe('Please talk to someone now');
    expect(await alert.innerText()).toContain('Nobody watches these answers in real time');
    // the service the administrator configured is there already, fetched when the page opened
    await alert.getByText(CRISIS_LINE.name).waitFor();
    expect(await alert.getByRole('link', { name: CRISIS_LINE.contact }).getAttribute('href')).toBe(
      'tel:08005550100',
    );
    const stored = await page.evaluate(async () => {
      const response = await fetch('/api/v1/questionnaires/responses');
      return ((await response.json()) as { items: unknown[] }).items.length;
    });
    expect(stored).toBe(0);
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await page.getByText('Question 10 of 10').waitFor();
    await answerByKeyboard(page, 0);

    await page.getByRole('heading', { name: /Check your answers/ }).waitFor();
    await page.getByRole('button', { name: 'Save my answers' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your answers are saved' }).waitFor();

    const score = page.locator('.score');
    expect(await score.locator('.score__number').innerText()).toBe('1');
    expect(await score.innerText()).toContain('of 27');
    expect(await score.locator('.score__band').innerText()).toMatch(/^Minimal/);
    const saved = page.getByRole('alert');
    expect(await saved.innerText()).toContain(CRISIS_LINE.name);
    expect(await saved.getByRole('link', { name: CRISIS_LINE.contact }).getAttribute('href')).toBe(
      'tel:08005550100',
    );

    expect(await violations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Back to the questionnaires' }).click();
    await page.getByRole('heading', { name: /Total 1 of 27 \(minimal\)/ }).waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it('adds a botulinum-toxin injection and shows it in the timeline', async () => {
    const page = browser.page;
    await page.goto(`${base}/treatments`);
    await page.getByText('No treatments entered yet.').waitFor();
    // choosing a kind replaces the list of kinds with its form
    await page.getByRole('radio', { name: /^Botulinum toxin injection/ }).click();
    await page.getByLabel('Date of the injections').fill('2025-10-14');
    await page.getByLabel('Xeomin (incobotulinumtoxinA)').check();

    const first = page.getByRole('group', { name: 'Muscle 1' });
    await first.getByLabel('Find a muscle (optional)').fill('FDS');
    await first.getByLabel('Find a muscle (optional)').press('Enter');
    await first.getByText('Flexor digitorum superficialis (FDS)').waitFor();
    await first.getByLabel('Units into muscle 1').fill('20');
    await page.getByRole('button', { name: 'Add another muscle' }).click();
    const second = page.getByRole('group', { name: 'Muscle 2' });
    await second.getByRole('button', { name: /^Flexor pollicis longus/ }).click();
    await second.getByLabel('Units into muscle 2').fill('10');
    await page.getByLabel(/^EMG/).check();
    await page.getByRole('button', { name: 'Add another muscle' }).click();
    // a third row, left empty with its muscle list open, then removed (nothing typed: no question)
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Remove muscle 3' }).click();
    await page.getByRole('button', { name: 'Save the treatment' }).click();

    await page.getByText(/Saved: Botulinum toxin injection: Xeomin/).waitFor();
    const item = page.getByRole('article').first();
    await item.getByText('Flexor digitorum superficialis (FDS), right: 20 units').waitFor();
    expect(await item.innerText()).toContain('Flexor pollicis longus (FPL), right: 10 units');
    expect(await item.innerText()).toContain('30 units on the right');

    const listed = await page.evaluate(async () => {
      const response = await fetch('/api/v1/treatments');
      return ((await response.json()) as { items: { data: { type: string; injections: unknown[] } }[] })
        .items;
    });
    expect(listed).toHaveLength(1);
    expect(listed[0]!.data.type).toBe('botulinum-toxin');
    expect(listed[0]!.data.injections).toHaveLength(2);
    expect(await violations(page)).toEqual([]);
  });
});
