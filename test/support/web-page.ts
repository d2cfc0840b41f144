/** What the browser tests look at on Conceptflow's page: loaded images, the progress bar, problems. */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

interface ImageState {
  complete: boolean;
  naturalWidth: number;
  src: string;
}

/** Waits until at least `count` images match `selector` and every one has loaded (naturalWidth > 0). */
export async function waitForLoadedImages(page: Page, selector: string, count: number, timeoutMs = 60_000): Promise<ImageState[]> {
  const images = page.locator(selector);
  await images.nth(count - 1).waitFor({ timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  let states: ImageState[] = [];
  while (Date.now() < deadline) {
    states = await images.evaluateAll((elements) =>
      elements.map((e) => {
        const img = e as unknown as ImageState;
        return { complete: img.complete, naturalWidth: img.naturalWidth, src: img.src };
      }),
    );
    if (states.length >= count && states.every((s) => s.complete && s.naturalWidth > 0)) return states;
    await page.waitForTimeout(100);
  }
  // Say why: what the server answers for the images that did not load.
  const broken = await Promise.all(
    states
      .filter((s) => !(s.complete && s.naturalWidth > 0))
      .map(async (s) => `${s.complete ? 'broken' : 'pending'} ${s.src} → ${await fetch(s.src).then((r) => r.status, (e: unknown) => String(e))}`),
  );
  assert.fail(`expected at least ${count} loaded images for ${selector}, got ${states.length}; not loaded:\n${broken.join('\n')}`);
}

/** Reads the run page's progress bar until the page leaves /runs/; every value seen, in order. */
export async function recordProgress(page: Page, timeoutMs = 90_000): Promise<number[]> {
  const values: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (page.url().includes('/runs/') && Date.now() < deadline) {
    const value = await page
      .locator('progress')
      .evaluate((p) => (p as unknown as { value: number }).value, undefined, { timeout: 200 })
      .catch(() => null);
    if (value !== null && values.at(-1) !== value) values.push(value);
    await page.waitForTimeout(50);
  }
  return values;
}

/** Collects what must never happen on the page: uncaught errors and CSP violations. */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  return problems;
}

/** The document is no wider than the viewport (nothing to scroll sideways). */
export async function assertNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, viewport } = await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth })') as { scrollWidth: number; viewport: number };
  assert.ok(scrollWidth <= viewport, `page is ${scrollWidth}px wide in a ${viewport}px viewport`);
}
