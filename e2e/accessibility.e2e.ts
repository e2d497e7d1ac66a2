import { describe, expect, it } from 'vitest';
import { axeViolations as violations } from './axe.js';
import { useServerAndBrowser } from './harness.js';
import { onboard, signUp, uniqueName } from './flows.js';

describe('accessibility (axe-core, WCAG 2.1 A and AA)', () => {
  const app = useServerAndBrowser();

  it('finds no violation on the pages a patient uses to measure a task', async () => {
    const page = app.browser.page;
    const report: Record<string, string[]> = {};
    await page.goto(`${app.base}/signup`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    report['sign-up'] = await violations(page);
    await signUp(page, app.base, uniqueName('a11y'));
    await onboard(page);
    await page.goto(`${app.base}/`);
    await page.getByRole('heading', { level: 1, name: 'Tasks' }).waitFor();
    report['task cards'] = await violations(page);

    await page.goto(`${app.base}/tasks/typing/right`);
    await page.getByRole('button', { name: 'Start with the right hand' }).waitFor();
    report['typing: before the run'] = await violations(page);
    await page.getByRole('button', { name: 'Start with the right hand' }).click();
    await page.locator('.dt-typing-input:not([readonly])').waitFor({ timeout: 20_000 });
    report['typing: during the run'] = await violations(page);
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('button', { name: 'Press again to finish' }).click();
    await page.getByRole('heading', { level: 1, name: /done/ }).waitFor({ timeout: 20_000 });
    report['typing: end of the run'] = await violations(page);

    await page.goto(`${app.base}/tasks/tapping/left`);
    await page.getByRole('button', { name: 'Start with the left hand' }).waitFor();
    report['tapping: before the run'] = await violations(page);
    await page
      .getByRole('group', { name: 'How will you tap?' })
      .getByLabel(/On the screen/)
      .check();
    await page.getByRole('button', { name: 'Start with the left hand' }).click();
    await page.locator('.dt-tapping-stop:not([disabled])').waitFor({ timeout: 20_000 });
    report['tapping: during the run'] = await violations(page);

    // the other pages of the app, each as a patient without data first sees it
    for (const [where, path] of [
      ['recordings', '/recordings'],
      ['trends', '/trends'],
      ['injection cycles', '/trends/cycles'],
      ['triggers', '/trends/triggers'],
      ['reports', '/reports'],
      ['work-capacity report', '/reports/work-capacity'],
      ['verify a report', '/verify'],
      ['record on your phone', '/handover'],
      ['learn', '/learn'],
      ['learn: a page', '/learn/spread'],
    ] as const) {
      await page.goto(`${app.base}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      // the page's own data has arrived: no "Loading…" status is left (a page may show several at first)
      await page.waitForFunction(
        () => ![...document.querySelectorAll('[role="status"]')].some((e) => e.textContent === 'Loading…'),
      );
      report[where] = await violations(page);
    }

    // the check can fail: an image without a text alternative is reported
    await page.evaluate(() => document.querySelector('main')!.append(document.createElement('img')));
    expect((await violations(page)).join('\n')).toMatch(/image-alt/);

    for (const [where, found] of Object.entries(report))
      console.log(`${where}: ${found.length ? found.join('; ') : 'none'}`);
    expect(report).toEqual(Object.fromEntries(Object.keys(report).map((where) => [where, []])));
  });
});
