/**
 * Internal text never reaches users (issue 10, defect 4): Temporal connection errors (with
 * addresses) and provider error bodies (with partial API keys) stay out of `error_message`, API
 * bodies and Temporal failure messages; the details are logged with the task id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { pino } from 'pino';
import request from 'supertest';
import { toActivityFailure, UNEXPECTED_ERROR_TYPE } from '../../src/activities/failures.js';
import type { TaskView } from '../../src/api/presenters.js';
import { START_FAILED_MESSAGE } from '../../src/usecases/start-run.js';
import { ErrorType, StorageError, toReadableErrorMessage } from '../../src/domain/errors.js';
import { errorForStatus, transportError } from '../../src/providers/http/errors.js';
import { createHarness, seedTask, validGenerate, type Harness } from './harness.js';

const TEMPORAL_DOWN = '14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.20.30.40:7233 (temporal-frontend.internal:7233)';
const PARTIAL_KEY = 'sk-proj-Ab12**************************Yz9';
const LEAKS = /10\.20\.30\.40|7233|temporal-frontend|ECONNREFUSED|UNAVAILABLE|sk-proj|Ab12|JIGSAWSTACK_API_KEY/;
const jigsaw = { name: 'JigsawStack', keyVariable: 'JIGSAWSTACK_API_KEY' };
const providerAnswer = (status: number, message: string) =>
  errorForStatus(jigsaw, status, new Headers(), Buffer.from(JSON.stringify({ success: false, message })));

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('activity failures carry only the user-facing message', () => {
  it('a provider auth error quoting part of the key: readable message, key only in the error detail', () => {
    const err = providerAnswer(401, `Incorrect API key provided: ${PARTIAL_KEY}. You can find your key at https://example.test/keys`);
    const failure = toActivityFailure(err);
    assert.ok(failure instanceof ApplicationFailure);
    assert.equal(failure.type, ErrorType.ProviderAuth);
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /^JigsawStack refused this service's credentials \(HTTP 401\)/);
    assert.doesNotMatch(failure.message, LEAKS);
    assert.equal(failure.cause, undefined, 'the original error does not travel into the workflow history');
    assert.match(err.detail ?? '', /sk-proj-Ab12/, 'the detail keeps it for the log');
  });

  it('provider 4xx/5xx bodies and connection failures stay out of the message', () => {
    for (const err of [
      providerAnswer(400, `prompt rejected for key ${PARTIAL_KEY}`),
      providerAnswer(503, 'upstream 10.20.30.40:7233 overloaded'),
      transportError('JigsawStack', Object.assign(new Error('connect ECONNREFUSED 10.20.30.40:7233'), { code: 'ECONNREFUSED' }), false, 1000),
    ]) {
      assert.doesNotMatch(toActivityFailure(err).message, LEAKS);
    }
  });

  it('storage and unknown errors get a generic message', () => {
    const storage = toActivityFailure(new StorageError('read concept-images/u/t/base.png failed: EACCES: permission denied, open /srv/data/storage/x'));
    assert.equal(storage.message, 'A storage operation failed; try again shortly');
    const unknown = toActivityFailure(new Error(`fetch to 10.20.30.40:7233 failed with ${PARTIAL_KEY}`));
    assert.equal((unknown as ApplicationFailure).type, UNEXPECTED_ERROR_TYPE);
    assert.equal(unknown.message, 'An unexpected error occurred');
  });

  it('toReadableErrorMessage scrubs addresses, URLs and key-like strings from whatever it is given', () => {
    const scrubbed = toReadableErrorMessage(
      `Could not start: ${TEMPORAL_DOWN}; see http://10.0.0.1:8233/ns?x=1 with Bearer eyJhbGciOi.payload.sig api_key=abc123 [::1]:7233 ${PARTIAL_KEY} token 0123456789abcdefABCDEF0123456789abcdef`,
    );
    assert.doesNotMatch(scrubbed, /10\.|7233|8233|eyJ|abc123|sk-proj|0123456789abcdef|temporal-frontend/);
    // Ordinary text, ids and numbers are left alone.
    const plain = 'Could not create the palette variations: All 3 variations failed: Ocean: task 0b8e1234-1111-4222-8333-123456789abc took 12:30';
    assert.equal(toReadableErrorMessage(plain), plain);
  });
});

describe('API answers when Temporal is unreachable', () => {
  let h: Harness;
  const log = capturingLogger();
  before(async () => {
    h = await createHarness({ logger: log.logger, readyCheckTimeoutMs: 500 });
  });
  after(async () => {
    await h?.close();
  });

  it('a failed start: readable error_message and 503 body; the engine error is logged with the task id', async () => {
    h.runs.startError = new Error(TEMPORAL_DOWN);
    try {
      const res = await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(503);
      assert.doesNotMatch(JSON.stringify(res.body), LEAKS);
      const body = res.body as { error: { task_id: string }; task: TaskView };
      assert.equal(body.task.error_message, START_FAILED_MESSAGE);
      const listed = await request(h.app).get(`/api/tasks/${body.error.task_id}`).expect(200);
      assert.doesNotMatch(JSON.stringify(listed.body), LEAKS);
      const line = log.lines.find((l) => l.msg === 'could not start the workflow');
      assert.equal(line?.task_id, body.error.task_id);
      assert.match(JSON.stringify(line?.err), /10\.20\.30\.40:7233/, 'operators get the detail');
    } finally {
      h.runs.startError = null;
    }
  });

  it('cancel and readiness answer 503 without the engine error', async () => {
    h.runs.pingError = new Error(TEMPORAL_DOWN);
    const task = await seedTask(h.persistence, 'local', 'refinement');
    const cancel = h.runs.cancel.bind(h.runs);
    h.runs.cancel = () => Promise.reject(new Error(TEMPORAL_DOWN));
    try {
      const ready = await request(h.app).get('/api/ready').expect(503);
      assert.doesNotMatch(JSON.stringify(ready.body), LEAKS);
      const canceled = await request(h.app).post(`/api/tasks/${task.id}/cancel`).expect(503);
      assert.doesNotMatch(JSON.stringify(canceled.body), LEAKS);
    } finally {
      h.runs.pingError = null;
      h.runs.cancel = cancel;
    }
  });
});
