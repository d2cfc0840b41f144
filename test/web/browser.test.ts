/**
 * The web page in a real browser (Debian's Chromium via playwright-core) against `npm start` — the
 * real Temporal dev server, worker, API and embedded store — clicking as a person would:
 * generate → progress moves → 7 variation images load → open it from the gallery → refine → it
 * completes → export downloads PNG, JPG and SVG files; a run is canceled; a run already going
 * (409) is followed; the pages fit a phone. A failing step saves a screenshot under test-results/web.
 * Without Chromium or a Temporal server the tier is skipped with the reason — except with CI=true,
 * where it fails (CI must run it).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { browserSkipReason, launchChromium, screenshot } from '../support/browser.js';
import { startNpmStart, temporalSource, type RunningApp } from '../support/npm-start.js';
import { assertNoSidewaysScroll, recordProgress, waitForLoadedImages, watchForProblems } from '../support/web-page.js';

const temporal = temporalSource();
const skipReason = browserSkipReason() ?? ('skip' in temporal ? temporal.skip : null);
const TILE_IMAGES = '.tile img';
const VARIATION_IMAGES = '.tile[data-kind="variation"] img';

/** Runs a step; when it fails, a screenshot of the page is saved and its path printed. */
async function step(page: Page, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const path = await screenshot(page, `failed-${name}`).catch((e: unknown) => `(no screenshot: ${(e as Error).message})`);
    console.log(`[web] step "${name}" failed; screenshot: ${path}; page URL: ${page.url()}`);
    throw err;
  }
}

async function exportEndpointExists(baseUrl: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/api/export/process`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  return !(response.status === 404 && /no route/i.test(body.error?.message ?? ''));
}

if (skipReason !== null) {
  if (process.env.CI === 'true') {
    it('web page in Chromium against npm start', () => assert.fail(`CI must run the browser tier, but: ${skipReason}`));
  } else {
    console.log(`[web] browser tier skipped: ${skipReason}`);
    it('web page in Chromium against npm start', { skip: skipReason }, () => {});
  }
} else {
  describe('web page in Chromium against npm start', () => {
    let app: RunningApp;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let problems: string[];
    let conceptId = '';

    before(async () => {
      app = await startNpmStart('env' in temporal ? temporal.env : {});
      console.log(`[web] npm start at ${app.baseUrl} (Temporal from ${'description' in temporal ? temporal.description : '?'})`);
      browser = await launchChromium();
      context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      page = await context.newPage();
      problems = watchForProblems(page);
    });

    after(async () => {
      await browser?.close();
      if (app) {
        if (problems?.length) console.log(`[web] npm start output (tail):\n${app.tail()}`);
        await app.stop();
      }
    });

    it('shows the API field messages next to the fields', async () => {
      await step(page, 'field-messages', async () => {
        await page.goto(`${app.baseUrl}/`);
        await page.getByLabel('Logo description').fill('ab');
        await page.getByRole('button', { name: 'Generate concept' }).click();
        const logo = page.getByLabel('Logo description');
        await page.locator('textarea[name="logo_description"][aria-invalid="true"]').waitFor();
        // The API's message for the field ("logo_description must be at least 3 characters"),
        // under the field and tied to it.
        const errorId = (await logo.getAttribute('aria-describedby'))?.split(' ').at(-1);
        assert.equal(await page.locator(`[id="${errorId}"]`).innerText(), 'Must be at least 3 characters');
        assert.equal(await page.getByLabel('Theme description').getAttribute('aria-invalid'), 'true');
        assert.ok(page.url().endsWith('/'), 'no run started');
      });
    });

    it('generates a concept by clicking, with live progress, and shows the base logo and 7 variations', async () => {
      await step(page, 'generate', async () => {
        await page.getByLabel('Logo description').fill('Summit Coffee, a mountain peak inside a coffee cup');
        await page.getByLabel('Theme description').fill('warm sunrise, earthy and friendly');
        await page.getByRole('button', { name: 'Generate concept' }).click();
        await page.waitForURL(/\/runs\/[0-9a-f-]+$/);
        const values = await recordProgress(page);
        assert.ok(values.some((v) => v > 0 && v < 100), `progress moved through the run: ${values.join(', ')}`);
        assert.deepEqual([...values].sort((a, b) => a - b), values, 'progress never goes back');
        await page.waitForURL(/\/concepts\/[0-9a-f-]+$/);
        conceptId = page.url().split('/').at(-1)!;
        await waitForLoadedImages(page, TILE_IMAGES, 8);
        assert.equal(await page.locator(VARIATION_IMAGES).count(), 7);
        await page.getByRole('heading', { name: '7 colour variations' }).waitFor();
        assert.equal(await page.getByRole('button', { name: /^Copy #[0-9A-F]{6}$/ }).count(), 35, '5 swatches per palette');
        console.log(`[web] screenshot: ${await screenshot(page, 'desktop-concept')}`);
      });
    });

    it('opens the concept from the gallery', async () => {
      await step(page, 'gallery', async () => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Gallery' }).click();
        await page.getByRole('heading', { name: 'Your concepts' }).waitFor();
        await waitForLoadedImages(page, '.concept-card__image img', 1);
        console.log(`[web] screenshot: ${await screenshot(page, 'desktop-gallery')}`);
        await page.getByRole('link', { name: /Summit Coffee/ }).first().click();
        await page.waitForURL(`**/concepts/${conceptId}`);
        await waitForLoadedImages(page, TILE_IMAGES, 8);
      });
    });

    it('refines it and follows the refinement to the refined concept', async () => {
      await step(page, 'refine', async () => {
        await page.getByLabel('What should change?').fill('darker and bolder');
        await page.getByRole('checkbox', { name: 'Layout' }).check();
        await page.getByRole('button', { name: 'Refine concept' }).click();
        await page.waitForURL(/\/runs\//);
        await page.getByRole('heading', { name: 'Refining your concept' }).waitFor();
        await page.waitForURL(/\/concepts\/[0-9a-f-]+$/, { timeout: 90_000 });
        const refinedId = page.url().split('/').at(-1)!;
        assert.notEqual(refinedId, conceptId);
        await page.getByText('Refined from').waitFor();
        assert.equal(await page.getByRole('link', { name: 'the original concept' }).getAttribute('href'), `/concepts/${conceptId}`);
        await waitForLoadedImages(page, TILE_IMAGES, 8);
      });
    });

    it('exports a variation as PNG, JPG and SVG downloads', async (t: TestContext) => {
      const available = await exportEndpointExists(app.baseUrl);
      await step(page, 'export', async () => {
        await page.locator('.tile[data-kind="variation"]').first().getByRole('button', { name: /^Export / }).click();
        const dialog = page.getByRole('dialog');
        /** Picks format and size, downloads; the file and the width the size label promised. */
        const download = async (format: 'PNG' | 'JPG' | 'SVG', size: 'Small' | 'Medium') => {
          await dialog.getByRole('radio', { name: new RegExp(`^${format}`) }).check();
          const sizeRadio = dialog.getByRole('radio', { name: new RegExp(`^${size}`) });
          await sizeRadio.check();
          const promisedWidth = Number(/(\d+) px/.exec(await sizeRadio.locator('xpath=..').innerText())?.[1]);
          const [file] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: `Download ${format}` }).click()]);
          await dialog.getByText(`Downloaded ${file.suggestedFilename()}`).waitFor();
          return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()), promisedWidth };
        };
        if (!available) {
          await dialog.getByRole('radio', { name: /^PNG/ }).check();
          await dialog.getByRole('button', { name: 'Download PNG' }).click();
          await dialog.getByRole('alert').getByText('Export is not available on this server yet').waitFor();
          await page.keyboard.press('Escape');
          t.skip('this build has no POST /api/export/process (the page shows that as a readable error)');
          return;
        }
        const png = await download('PNG', 'Medium');
        assert.match(png.name, /\.png$/);
        const pngMeta = await sharp(png.bytes).metadata();
        assert.equal(pngMeta.format, 'png');
        assert.equal(pngMeta.width, png.promisedWidth, 'the PNG is as wide as the size the dialog promised');
        const jpg = await download('JPG', 'Small');
        assert.match(jpg.name, /\.jpg$/);
        const jpgMeta = await sharp(jpg.bytes).metadata();
        assert.equal(jpgMeta.format, 'jpeg');
        assert.equal(jpgMeta.width, jpg.promisedWidth);
        const svg = await download('SVG', 'Small');
        assert.match(svg.name, /\.svg$/);
        assert.match(svg.bytes.toString('utf8'), /<svg[\s>]/);
        await page.keyboard.press('Escape');
      });
    });

    it('cancels a running generation from its run page', async () => {
      await step(page, 'cancel', async () => {
        // A local run takes seconds; the cancel lands within a second of the start. Should a run
        // still win the race (a very loaded machine), it is tried again, at most three times.
        const outcomes: string[] = [];
        for (let attempt = 1; attempt <= 3 && !outcomes.includes('canceled'); attempt++) {
          await page.goto(`${app.baseUrl}/`);
          await page.getByLabel('Logo description').fill(`Tidepool ${attempt}, a wave curling into a circle`);
          await page.getByLabel('Theme description').fill('calm ocean blues');
          await page.getByLabel('Colour variations').selectOption('12');
          await page.getByRole('button', { name: 'Generate concept' }).click();
          await page.waitForURL(/\/runs\//);
          await page.getByRole('button', { name: 'Cancel run' }).click();
          const canceled = page.getByRole('heading', { name: 'This run was canceled' });
          await Promise.race([canceled.waitFor({ timeout: 60_000 }), page.waitForURL(/\/concepts\//, { timeout: 60_000 })]);
          outcomes.push(page.url().includes('/concepts/') ? 'completed first' : 'canceled');
        }
        console.log(`[web] cancel attempts: ${outcomes.join(', ')}`);
        assert.ok(outcomes.includes('canceled'), `cancel attempts: ${outcomes.join(', ')}`);
        await page.getByText('Nothing was kept from this run.').waitFor();
      });
    });

    it('offers to follow the generation that is already running (409)', async () => {
      await step(page, 'conflict', async () => {
        await page.goto(`${app.baseUrl}/`);
        await page.getByLabel('Logo description').fill('Pixel Forge, a hammer made of pixels');
        await page.getByLabel('Theme description').fill('retro arcade');
        // Another tab (here: a direct API call) starts a generation; this page then asks for one too.
        const response = await fetch(`${app.baseUrl}/api/concepts/generate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ logo_description: 'Orbit Labs, a ring around a dot', theme_description: 'deep space', num_palettes: 12 }),
        });
        assert.equal(response.status, 202);
        const running = (await response.json()) as { task_id: string };
        await page.getByRole('button', { name: 'Generate concept' }).click();
        await page.getByText('A generation is already running').waitFor();
        await page.getByRole('button', { name: 'Follow the running generation' }).click();
        await page.waitForURL(`**/runs/${running.task_id}`);
        await page.getByText('Orbit Labs, a ring around a dot').first().waitFor();
        await page.waitForURL(/\/concepts\//, { timeout: 90_000 });
      });
    });

    it('pages through the gallery with the API\'s next links', async () => {
      await step(page, 'gallery-pages', async () => {
        const all = (await (await fetch(`${app.baseUrl}/api/concepts?limit=50`)).json()) as { concepts: { id: string }[] };
        assert.ok(all.concepts.length >= 3, `concepts so far: ${all.concepts.length}`);
        // The page asks for 12 at a time; here the real API answers 2 at a time, so the page has to
        // follow the `next` links (which keep limit=2) to show everything.
        await page.route(/\/api\/concepts\?limit=12$/, async (route) => route.fulfill({ response: await route.fetch({ url: route.request().url().replace('limit=12', 'limit=2') }) }));
        await page.goto(`${app.baseUrl}/concepts`);
        const cards = page.locator('.concept-card a');
        await cards.nth(1).waitFor();
        for (let shown = 2; shown < all.concepts.length; shown = await cards.count()) {
          await page.getByRole('button', { name: 'Show more' }).click();
          await cards.nth(Math.min(shown + 1, all.concepts.length - 1)).waitFor();
        }
        await page.getByRole('button', { name: 'Show more' }).waitFor({ state: 'detached' });
        const hrefs = await cards.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        assert.deepEqual(hrefs, all.concepts.map((c) => `/concepts/${c.id}`), 'every concept once, newest first');
        await page.unroute(/\/api\/concepts\?limit=12$/);
      });
    });

    it('fits a phone screen (390 px) without sideways scrolling', async () => {
      await step(page, 'phone', async () => {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`${app.baseUrl}/concepts/${conceptId}`);
        await waitForLoadedImages(page, TILE_IMAGES, 8);
        await assertNoSidewaysScroll(page);
        console.log(`[web] screenshot: ${await screenshot(page, 'phone-concept')}`);
        await page.goto(`${app.baseUrl}/`);
        await page.getByRole('button', { name: 'Generate concept' }).waitFor();
        await assertNoSidewaysScroll(page);
        console.log(`[web] screenshot: ${await screenshot(page, 'phone-create')}`);
        await page.goto(`${app.baseUrl}/concepts`);
        await waitForLoadedImages(page, '.concept-card__image img', 2);
        await assertNoSidewaysScroll(page);
        console.log(`[web] screenshot: ${await screenshot(page, 'phone-gallery')}`);
      });
    });

    it('had no page errors and no Content-Security-Policy violations', () => {
      assert.deepEqual(problems, []);
    });
  });
}
