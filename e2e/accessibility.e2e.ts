import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness.js';
import { onboard, signUp, uniqueName } from './flows.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The WCAG 2.1 A and AA violations axe-core finds on the page as it is now. */
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
  return (found as Violation[]).map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

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

    await page.goto(`${app.base}/recordings`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    report['recordings'] = await violations(page);

    // the check can fail: an image without a text alternative is reported
    await page.evaluate(() => document.querySelector('main')!.append(document.createElement('img')));
    expect((await violations(page)).join('\n')).toMatch(/image-alt/);

    for (const [where, found] of Object.entries(report))
      console.log(`${where}: ${found.length ? found.join('; ') : 'none'}`);
    expect(report).toEqual(Object.fromEntries(Object.keys(report).map((where) => [where, []])));
  });
});
