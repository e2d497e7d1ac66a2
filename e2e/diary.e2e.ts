import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness.js';
import { onboard, signUp, uniqueName } from './flows.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What the focused element is, for keyboard-only navigation. */
interface Focused {
  tag: string;
  id: string;
  name: string;
  type: string;
  label: string;
  text: string;
}

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      id: el?.id ?? '',
      name: el?.getAttribute('name') ?? '',
      type: el?.getAttribute('type') ?? '',
      label: el?.getAttribute('aria-label') ?? '',
      text: el?.textContent?.trim() ?? '',
    };
  });
}

/** Presses Tab until the focused element is the wanted one (at most `max` times). */
async function tabTo(page: Page, wanted: (f: Focused) => boolean, max = 120): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (wanted(now)) return now;
  }
  throw new Error(`Tab did not reach the element; last focused: ${JSON.stringify(await focused(page))}`);
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
  return (found as { id: string; help: string; nodes: { target: string[] }[] }[]).map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

describe('the diary in the browser', () => {
  const app = useServerAndBrowser();

  it('makes an entry by keyboard alone, shows it, edits it and shows both revisions', async () => {
    const page = app.browser.page;
    await signUp(page, app.base, uniqueName('diary'));
    await onboard(page);
    await page.goto(`${app.base}/diary`);
    await page.getByRole('heading', { level: 1, name: 'Diary' }).waitFor();
    await page.getByText('No entries yet.').waitFor();
    expect(await violations(page)).toEqual([]);

    const posts: { key: string | undefined; status: number; id: string }[] = [];
    page.on('response', (response) => {
      const request = response.request();
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/diary/entries') {
        void response.json().then(
          (body: { id: string }) =>
            posts.push({ key: request.headers()['idempotency-key'], status: response.status(), id: body.id }),
          () => undefined,
        );
      }
    });

    // Writing 6: Tab into the 0–10 row, then arrow keys (each arrow selects the next number)
    await tabTo(page, (f) => f.name === 'diary-new-severity-writing');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    // a symptom and a body region, each with Tab and Space
    await tabTo(page, (f) => f.id === 'diary-new-symptoms-cramping');
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.label === 'Fingers, your right side');
    const ring = await page.evaluate(() => {
      const shape = document.activeElement!.querySelector('.body-map__shape')!;
      return getComputedStyle(shape).strokeWidth;
    });
    expect(parseFloat(ring)).toBeGreaterThanOrEqual(6);
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.id === 'diary-new-notes');
    await page.keyboard.type('Typed with the keyboard only.');
    await tabTo(page, (f) => f.type === 'submit' && f.text === 'Save the entry');
    await page.keyboard.press('Enter');

    await page.getByText(/^Saved\. Your entry of .* is in your diary\.$/).waitFor();
    await expect.poll(() => posts.length).toBe(1);
    // the key the form chose when it opened became the entry's id
    expect(posts[0]!.status).toBe(201);
    expect(posts[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[0]!.id).toBe(posts[0]!.key);

    const list = page.getByRole('region', { name: 'Recent entries' });
    const entry = list.getByRole('article');
    await expect.poll(() => entry.count()).toBe(1);
    const shown = await entry.innerText();
    expect(shown).toContain('Writing: 6 of 10');
    expect(shown).toContain('Cramping');
    expect(shown).toContain('Your right side: Fingers');
    expect(shown).toContain('Typed with the keyboard only.');
    // the form is empty again, ready for the next entry
    expect(await page.locator('#diary-new-notes').inputValue()).toBe('');

    // edit: the same form, saved as revision 2
    await entry.getByRole('button', { name: /^Edit/ }).click();
    await entry.getByRole('group', { name: 'Writing' }).getByText('8', { exact: true }).click();
    await entry.getByRole('button', { name: 'Save the changes' }).click();
    await entry.getByText('Edited: revision 2').waitFor();
    expect(await entry.innerText()).toContain('Writing: 8 of 10');

    // history: both revisions, and what changed
    await entry.getByRole('button', { name: /^History/ }).click();
    const history = entry.getByRole('region', { name: 'History of this entry' });
    await history.getByText('Revision 2').waitFor();
    const text = (await history.innerText()).replace(/\s+/g, ' ');
    expect(text).toMatch(/Revision 1, as first saved/);
    // "changed to" is there for screen readers, the arrow for the eye
    expect(text).toContain('Revision 2, written');
    expect(text).toContain('Writing (0 = no symptoms, 10 = worst): 6 of 10 → changed to 8 of 10');
    expect(await history.locator('.diary-history__revision').count()).toBe(2);

    // the spread view counts the marked region
    const spread = page.getByRole('region', { name: 'Where your symptoms were' });
    expect(await spread.getByRole('row', { name: /Fingers, your right side/ }).innerText()).toMatch(/1 of 1/);
    expect(await violations(page)).toEqual([]);
  });
});
