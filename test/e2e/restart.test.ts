/**
 * `npm start` survives its own crash: a run is submitted, the app is killed with SIGKILL while the
 * image provider call is in flight (the dev server it started lives on), `npm start` runs again on
 * the same DATA_DIR, adopts that dev server, and the run completes. The Web UI answers meanwhile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { devServerRecord } from '../../src/temporal/dev-server.js';
import { isAlive } from '../../src/temporal/dev-server-process.js';
import { startApp, stopDevServerOf, type AppProcess } from '../support/app-process.js';
import { IMAGE_GENERATION, JIGSAWSTACK_TEST_KEY, startJigsawStackServer, type JigsawStackServer } from '../support/jigsawstack-server.js';
import { freePort } from '../support/ports.js';
import { sendBytes } from '../support/provider-server.js';
import { describeWithTemporalCli } from '../support/temporal-env.js';

describeWithTemporalCli('npm start after a crash (SIGKILL mid-run)', (cliPath) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cf-restart-'));
  const logFile = join(dataDir, 'app.log');
  let provider: JigsawStackServer;
  let app: AppProcess | undefined;
  let options: Parameters<typeof startApp>[0];

  before(async () => {
    provider = await startJigsawStackServer(7);
    // The image call takes 3 s: long enough to crash the app while it is in flight.
    provider.on('POST', IMAGE_GENERATION, async (_req, res) => {
      await new Promise((r) => setTimeout(r, 3_000));
      if (!res.destroyed) sendBytes(res, provider.image, 'image/png');
    });
    options = {
      dataDir,
      logFile,
      port: await freePort(),
      temporalPort: await freePort(),
      uiPort: await freePort(),
      env: {
        TEMPORAL_CLI_PATH: cliPath,
        IMAGE_PROVIDER: 'jigsawstack',
        PALETTE_PROVIDER: 'jigsawstack',
        JIGSAWSTACK_API_KEY: JIGSAWSTACK_TEST_KEY,
        JIGSAWSTACK_BASE_URL: provider.origin,
      },
    };
  });

  after(async () => {
    if (app && app.child.exitCode === null) await app.crash();
    await stopDevServerOf(dataDir);
    await provider?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adopts the dev server the crashed app left running, and the run completes', async () => {
    app = await startApp(options);
    const ui = await fetch(app.uiUrl);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /<html/i, 'the Web UI answers on TEMPORAL_UI_PORT');
    const server = devServerRecord(dataDir);
    assert.ok(server && isAlive(server.pid), 'the dev server runs with a pid file in DATA_DIR');
    assert.equal(server.port, options.temporalPort);

    const started = await fetch(`${app.baseUrl}/api/concepts/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ logo_description: 'Summit Coffee, a mountain peak', theme_description: 'warm sunrise, earthy' }),
    });
    assert.equal(started.status, 202);
    const { task_id: taskId } = (await started.json()) as { task_id: string };
    for (let i = 0; i < 400 && provider.requestsTo(IMAGE_GENERATION).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(provider.requestsTo(IMAGE_GENERATION).length, 1, 'the image call is in flight');

    await app.crash();
    assert.ok(isAlive(server.pid), 'the dev server outlives the crashed app');

    app = await startApp(options);
    assert.equal(devServerRecord(dataDir)?.pid, server.pid, 'the same dev server is adopted, not a second one started');
    assert.match(readFileSync(logFile, 'utf8'), /adopted the running Temporal dev server/);

    let task: { status: string; result_id: string | null } = { status: '', result_id: null };
    for (let i = 0; i < 240 && task.status !== 'completed'; i++) {
      task = (await (await fetch(`${app.baseUrl}/api/tasks/${taskId}`)).json()) as typeof task;
      if (task.status !== 'completed') await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(task.status, 'completed');
    const concept = (await (await fetch(`${app.baseUrl}/api/concepts/${task.result_id}`)).json()) as { color_variations: unknown[] };
    assert.equal(concept.color_variations.length, 7);
    assert.ok(provider.requestsTo(IMAGE_GENERATION).length >= 2, 'the interrupted image call was retried');

    // A graceful stop ends the dev server it manages too.
    assert.equal(await app.stop(), 0);
    assert.equal(isAlive(server.pid), false, 'the dev server stops with the app');
    assert.equal(devServerRecord(dataDir), undefined, 'and its pid file is removed');
  });
});
