/**
 * The task use cases without HTTP: every StartOutcome and CancelOutcome kind, on the real embedded
 * persistence with Temporal replaced by the in-memory FakeConceptRuns. What each outcome leaves
 * behind (rows, runs, quota) is checked here; how the routes answer them, in test/api/.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateRequestSchema, type GenerateRequest } from '../../src/domain/inputs.js';
import type { QuotaLimits } from '../../src/domain/quota.js';
import { createLogger } from '../../src/logger.js';
import { createEmbeddedPersistence, type EmbeddedPersistence } from '../../src/persistence/embedded/index.js';
import { TaskCanceler } from '../../src/usecases/cancel-task.js';
import { QuotaService } from '../../src/usecases/quotas.js';
import { TaskReads } from '../../src/usecases/read-tasks.js';
import { RunStarter, START_FAILED_MESSAGE } from '../../src/usecases/start-run.js';
import { FakeConceptRuns } from '../support/fake-runs.js';

const log = createLogger('silent');
const request: GenerateRequest = generateRequestSchema.parse({ logo_description: 'A fox made of circles', theme_description: 'warm autumn forest' });
/** The outcome, narrowed to `kind` (the assertion fails otherwise). */
function expectKind<O extends { kind: string }, K extends O['kind']>(outcome: O, kind: K): Extract<O, { kind: K }> {
  assert.equal(outcome.kind, kind);
  return outcome as Extract<O, { kind: K }>;
}
const ONE_PER_HOUR: QuotaLimits = { generate: [{ period: 'hour', limit: 1 }], refine: [], export: [] };

describe('task use cases', () => {
  let persistence: EmbeddedPersistence;
  let runs: FakeConceptRuns;
  let reads: TaskReads;
  let quotas: QuotaService;
  let starter: RunStarter;
  let canceler: TaskCanceler;
  const user = () => `user-${randomUUID()}`;

  before(async () => {
    persistence = await createEmbeddedPersistence({ dataDir: ':memory:', publicBaseUrl: 'https://concepts.example.test', signingSecret: 'use-case-test' });
    runs = new FakeConceptRuns(persistence.tasks);
    reads = new TaskReads(persistence.tasks, runs);
    quotas = new QuotaService(persistence.quotas, ONE_PER_HOUR);
    starter = new RunStarter({ persistence, runs, quotas, reads });
    canceler = new TaskCanceler(persistence.tasks, runs, reads);
  });
  after(async () => {
    await persistence?.close();
  });

  describe('starting a run', () => {
    it('created: a pending task, one run started, one unit of quota used', async () => {
      const userId = user();
      const outcome = expectKind(await starter.startGeneration(userId, request, null, log), 'created');
      assert.equal(outcome.task.task.status, 'pending');
      assert.equal(outcome.task.live, null);
      assert.equal(outcome.quota[0]?.used, 1);
      assert.equal(runs.started.filter((r) => r.input.user_id === userId).length, 1);
    });

    it('active_conflict: the active task of the same type, nothing started', async () => {
      const userId = user();
      const first = expectKind(await starter.startGeneration(userId, request, null, log), 'created');
      const startsBefore = runs.started.length;
      const second = expectKind(await starter.startGeneration(userId, request, null, log), 'active_conflict');
      assert.equal(second.type, 'generation');
      assert.equal(second.task.task.id, first.task.task.id);
      assert.equal(runs.started.length, startsBefore);
    });

    it('replayed: the same key and request name the same task; idempotency_key_reused: another request does not', async () => {
      const userId = user();
      const first = expectKind(await starter.startGeneration(userId, request, 'key-1', log), 'created');
      const again = expectKind(await starter.startGeneration(userId, request, 'key-1', log), 'replayed');
      assert.equal(again.task.task.id, first.task.task.id);
      assert.equal(again.quota[0]?.used, 1, 'a replay uses no quota');
      const other = expectKind(await starter.startGeneration(userId, { ...request, num_palettes: 3 }, 'key-1', log), 'idempotency_key_reused');
      assert.equal(other.task.id, first.task.task.id);
    });

    it('quota_exceeded: the refused task is not kept', async () => {
      const userId = user();
      const first = expectKind(await starter.startGeneration(userId, request, null, log), 'created');
      // The run ends (a failed run keeps its unit: only a start that fails gives it back).
      await runs.fail(first.task.task.workflow_id!, 'provider down');
      const refused = expectKind(await starter.startGeneration(userId, request, null, log), 'quota_exceeded');
      assert.equal(refused.category, 'generate');
      assert.equal(refused.decision.granted, false);
      assert.equal((await persistence.tasks.list(userId, { limit: 10 })).length, 1);
    });

    it('engine_unavailable: nothing is stored while Temporal does not answer', async () => {
      const userId = user();
      runs.pingError = new Error('unreachable');
      try {
        assert.deepEqual(await starter.startGeneration(userId, request, null, log), { kind: 'engine_unavailable' });
      } finally {
        runs.pingError = null;
      }
      assert.deepEqual(await persistence.tasks.list(userId, { limit: 10 }), []);
    });

    it('start_failed: the task is failed with a readable message and its quota unit given back', async () => {
      const userId = user();
      runs.startError = new Error('connect ECONNREFUSED 10.0.0.1:7233');
      const outcome = await starter.startGeneration(userId, request, null, log).finally(() => {
        runs.startError = null;
      });
      const failed = expectKind(outcome, 'start_failed');
      assert.equal(failed.task.task.status, 'failed');
      assert.equal(failed.task.task.error_message, START_FAILED_MESSAGE);
      assert.equal((await persistence.tasks.get(failed.task.task.id))?.status, 'failed');
      assert.deepEqual((await quotas.usage(userId, 'generate')).map((w) => w.used), [0]);
    });
  });

  describe('canceling a task', () => {
    it('not_found for another user; cancel_requested for the owner; then already_finished', async () => {
      const userId = user();
      const started = expectKind(await starter.startGeneration(userId, request, null, log), 'created');
      const taskId = started.task.task.id;
      assert.deepEqual(await canceler.cancel(user(), taskId, log), { kind: 'not_found' });
      const canceled = expectKind(await canceler.cancel(userId, taskId, log), 'cancel_requested');
      assert.equal(canceled.task.task.status, 'canceled');
      const again = expectKind(await canceler.cancel(userId, taskId, log), 'already_finished');
      assert.equal(again.task.task.status, 'canceled');
    });

    it('engine_unavailable: the task is left as it was', async () => {
      const userId = user();
      const started = expectKind(await starter.startGeneration(userId, request, null, log), 'created');
      const failing = new TaskCanceler(persistence.tasks, { cancel: () => Promise.reject(new Error('unreachable')) }, reads);
      assert.deepEqual(await failing.cancel(userId, started.task.task.id, log), { kind: 'engine_unavailable' });
      assert.equal((await persistence.tasks.get(started.task.task.id))?.status, 'pending');
    });
  });
});
