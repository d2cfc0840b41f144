/**
 * The web page when the API requires tokens (SUPABASE_JWT_SECRET set): it signs in anonymously
 * through supabase-js against the Supabase Auth stand-in, sends `Authorization: Bearer` on every
 * call and on the event stream, and a generation runs to completion by clicking. The session is
 * kept across reloads (no second sign-in). Skipped or failed like browser.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium, screenshot } from '../support/browser.js';
import { startGoTrueServer, type GoTrueServer } from '../support/gotrue-server.js';
import { startNpmStart, temporalSource, type RunningApp } from '../support/npm-start.js';
import { recordProgress, waitForLoadedImages, watchForProblems } from '../support/web-page.js';

const JWT_SECRET = 'browser-auth-test-secret-with-at-least-32-chars';
const ANON_KEY = 'anon-key-for-the-browser-test';
const temporal = temporalSource();
const skipReason = browserSkipReason() ?? ('skip' in temporal ? temporal.skip : null);

if (skipReason !== null) {
  if (process.env.CI === 'true') {
    it('web page with API auth (Supabase anonymous sign-in)', () => assert.fail(`CI must run the browser tier, but: ${skipReason}`));
  } else {
    it('web page with API auth (Supabase anonymous sign-in)', { skip: skipReason }, () => {});
  }
} else {
  describe('web page with API auth (Supabase anonymous sign-in)', () => {
    let gotrue: GoTrueServer;
    let app: RunningApp;
    let browser: Browser;
    let page: Page;
    let problems: string[];

    before(async () => {
      gotrue = await startGoTrueServer(JWT_SECRET, ANON_KEY);
      app = await startNpmStart('env' in temporal ? temporal.env : {}, {
        SUPABASE_JWT_SECRET: JWT_SECRET,
        SUPABASE_AUTH_URL: gotrue.origin,
        SUPABASE_ANON_KEY: ANON_KEY,
      });
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      problems = watchForProblems(page);
    });

    after(async () => {
      await browser?.close();
      await app?.stop();
      await gotrue?.stop();
    });

    it('the API refuses calls without a token', async () => {
      const res = await fetch(`${app.baseUrl}/api/concepts`);
      assert.equal(res.status, 401);
    });

    it('signs in anonymously and runs a generation with the bearer token, progress included', async () => {
      try {
        await page.goto(`${app.baseUrl}/`);
        await page.getByText('Guest', { exact: true }).waitFor();
        assert.equal(gotrue.signups.length, 1);
        await page.getByLabel('Logo description').fill('Northwind, a compass rose');
        await page.getByLabel('Theme description').fill('cold nordic sea');
        await page.getByRole('button', { name: 'Generate concept' }).click();
        await page.waitForURL(/\/runs\//);
        const values = await recordProgress(page);
        assert.ok(values.length > 0, 'progress came through the authenticated event stream');
        await page.waitForURL(/\/concepts\/[0-9a-f-]+$/);
        await waitForLoadedImages(page, '.tile img', 8);
        await page.reload();
        await page.getByRole('heading', { name: '7 colour variations' }).waitFor();
        assert.equal(gotrue.signups.length, 1, 'the session survives a reload');
        assert.deepEqual(problems, []);
      } catch (err) {
        console.log(`[web] auth flow failed; screenshot: ${await screenshot(page, 'failed-auth')}`);
        throw err;
      }
    });
  });
}
