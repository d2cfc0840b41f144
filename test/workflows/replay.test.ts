/**
 * Offline determinism guard: every recorded history under test/fixtures/histories/ replays against
 * the current workflow code (no server needed), and the recorded generation stays small and free of
 * image bytes. See test/support/history-fixtures.ts for how fixtures are recorded and when not to.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { HISTORY_FIXTURES, loadHistoryFixtures } from '../support/history-fixtures.js';
import { imageBytesIn, payloadsOf } from '../support/history-payloads.js';
import { workflowBundle } from '../support/temporal-env.js';

const HISTORY_LIMIT_BYTES = 64 * 1024;
const fixtures = loadHistoryFixtures();

describe('recorded workflow histories', () => {
  it('has a fixture for every scenario (and keeps the archived ones of earlier workflow shapes)', () => {
    assert.deepEqual(fixtures.filter((f) => !f.name.startsWith('archive/')).map((f) => f.name).sort(), [...HISTORY_FIXTURES].sort());
    assert.ok(fixtures.some((f) => f.name === 'archive/regular-row-writes/generation-success'), 'histories from before the row writes became local activities');
  });

  it('replays every recorded history against the current workflow code', async () => {
    const bundle = await workflowBundle();
    const results = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: bundle, replayName: 'fixtures' },
      fixtures.map((f) => ({ workflowId: f.workflowId, history: f.history })),
    )) {
      results.push(result);
    }
    assert.equal(results.length, fixtures.length);
    for (const result of results) assert.equal(result.error, undefined, `${result.workflowId}: ${result.error?.message}`);
  });

  it('keeps the 7-variation generation under 64 KB with no image bytes in any payload', () => {
    const success = fixtures.find((f) => f.name === 'generation-success');
    assert.ok(success, 'generation-success fixture');
    const scheduled = success.history.events?.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'createVariation');
    assert.equal(scheduled?.length, 7, 'the recorded generation has 7 variations');
    const encoded = proto.temporal.api.history.v1.History.encode(success.history).finish().length;
    assert.ok(encoded < HISTORY_LIMIT_BYTES, `history is ${encoded} bytes (protobuf)`);
    const json = Buffer.byteLength(JSON.stringify(success.json));
    assert.ok(json < HISTORY_LIMIT_BYTES, `history is ${json} bytes (JSON)`);
    for (const fixture of fixtures) {
      const payloads = payloadsOf(fixture.json);
      assert.ok(payloads.length > 0, `${fixture.name}: payloads found`);
      for (const payload of payloads) {
        const data = Buffer.from(payload.data ?? '', 'base64');
        assert.equal(imageBytesIn(data), undefined, `${fixture.name}: a payload holds image bytes`);
        assert.ok(data.length < 8 * 1024, `${fixture.name}: a payload of ${data.length} bytes`);
      }
    }
  });
});
