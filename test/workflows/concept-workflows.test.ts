/**
 * generateConcept and refineConcept against a real Temporal server (see test/support/temporal-env.ts
 * for where it comes from; skipped with a printed reason when none is available), with the real
 * activities wired to the embedded backend and the local providers.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { sleep as activitySleep, Context, heartbeat } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { createActivities, type ConceptActivities } from '../../src/activities/index.js';
import { BUCKETS, objectPaths } from '../../src/domain/concept.js';
import { ProviderRejectedError } from '../../src/domain/errors.js';
import type { GenerateConceptInput, RefineConceptInput } from '../../src/domain/inputs.js';
import { workflowIdFor, type Progress, type TaskType } from '../../src/domain/task.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { errorForStatus } from '../../src/providers/http/errors.js';
import { createEmbeddedPersistence } from '../../src/persistence/embedded/index.js';
import type { Persistence } from '../../src/persistence/ports.js';
import { createLocalImageProvider, createLocalPaletteProvider } from '../../src/providers/local/index.js';
import type { ImageProvider } from '../../src/providers/types.js';
import { TaskIdKey, TaskStepKey, TaskTypeKey, UserIdKey } from '../../src/workflows/search-attributes.js';
import { TemporalConceptRuns } from '../../src/temporal/temporal-runs.js';
import { createConceptWorker } from '../../src/temporal/worker.js';
import { getProgressQuery } from '../../src/workflows/messages.js';
import { recordHistory } from '../support/history-fixtures.js';
import { describeTemporal, temporalTier, workflowBundle } from '../support/temporal-env.js';

const tier = await temporalTier('workflow tests');
const HISTORY_LIMIT_BYTES = 64 * 1024;

describeTemporal(tier, 'concept workflows on Temporal', (env) => {
  const logger = createLogger('silent');
  let persistence: Persistence;

  before(async () => {
    persistence = await createEmbeddedPersistence({ dataDir: ':memory:', publicBaseUrl: 'http://127.0.0.1:9', signingSecret: 'workflow-tests' });
  });
  after(async () => {
    await persistence?.close();
    await env?.teardown();
  });

  function activities(overrides: { imageProvider?: ImageProvider; logger?: Logger } = {}): ConceptActivities {
    return createActivities({
      persistence,
      imageProvider: overrides.imageProvider ?? createLocalImageProvider(),
      paletteProvider: createLocalPaletteProvider(),
      logger: overrides.logger ?? logger,
    });
  }

  /** A task row, a worker on its own queue, and a started run; `fn` runs while the worker does. */
  async function run<T>(
    type: TaskType,
    acts: ConceptActivities,
    start: (runs: TemporalConceptRuns, taskId: string, userId: string) => Promise<unknown>,
    fn: (ctx: { taskId: string; userId: string; workflowId: string }) => Promise<T>,
  ): Promise<T> {
    const taskQueue = `test-${randomUUID()}`;
    const taskId = randomUUID();
    const userId = `user-${randomUUID()}`;
    const workflowId = workflowIdFor(type, taskId);
    const created = await persistence.tasks.create({ id: taskId, user_id: userId, type, workflow_id: workflowId, metadata: {}, idempotency_key: null });
    assert.equal(created.outcome, 'created');
    const worker = await createConceptWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: acts,
    });
    const runs = new TemporalConceptRuns(env.client, taskQueue);
    return worker.runUntil(async () => {
      await start(runs, taskId, userId);
      return fn({ taskId, userId, workflowId });
    });
  }

  const generation = (numPalettes = 7) => (runs: TemporalConceptRuns, taskId: string, userId: string) => {
    const input: GenerateConceptInput = {
      task_id: taskId,
      user_id: userId,
      logo_description: 'Summit Coffee roasters, a mountain peak',
      theme_description: 'warm sunrise, earthy and friendly',
      num_palettes: numPalettes,
    };
    return runs.startGeneration(input);
  };

  async function objectsOf(userId: string, taskId: string): Promise<string[]> {
    const prefix = objectPaths.taskPrefix(userId, taskId);
    const lists = await Promise.all(Object.values(BUCKETS).map((b) => persistence.objects.list(b, prefix)));
    return lists.flat();
  }

  async function waitForProgress(workflowId: string, ready: (p: Progress) => boolean): Promise<Progress> {
    const handle = env.client.workflow.getHandle(workflowId);
    for (let i = 0; i < 300; i++) {
      const progress = await handle.query(getProgressQuery);
      if (ready(progress)) return progress;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('progress never reached the expected state');
  }

  /** Visibility is eventually consistent: lists until the query finds a run (or 10 s pass). */
  async function listUntilFound(query: string): Promise<string[]> {
    for (let i = 0; i < 100; i++) {
      const ids: string[] = [];
      for await (const execution of env.client.workflow.list({ query })) ids.push(execution.workflowId);
      if (ids.length > 0) return ids;
      await new Promise((r) => setTimeout(r, 100));
    }
    return [];
  }

  it('generates a concept: claim → image → store ‖ palettes → 7 variations → store → complete', async () => {
    await run('generation', activities(), generation(7), async ({ taskId, userId, workflowId }) => {
      const handle = env.client.workflow.getHandle(workflowId);
      const result = await handle.result();
      assert.equal(result.variations_succeeded, 7);
      assert.deepEqual(result.failed_variations, []);

      const task = await persistence.tasks.get(taskId);
      assert.equal(task?.status, 'completed');
      assert.equal(task?.result_id, result.concept_id);
      const concept = await persistence.concepts.get(result.concept_id, userId);
      assert.equal(concept?.task_id, taskId);
      assert.equal(concept?.color_variations.length, 7);
      assert.deepEqual(concept?.color_variations.map((v) => v.position), [0, 1, 2, 3, 4, 5, 6]);

      const stored = await objectsOf(userId, taskId);
      assert.ok(stored.includes(objectPaths.baseImage(userId, taskId)));
      assert.equal(stored.filter((p) => p.includes('/variation-')).length, 7);
      assert.ok(!stored.some((p) => p.includes('/staging/')), 'staging copy is removed');

      const progress = await handle.query(getProgressQuery);
      assert.equal(progress.state, 'completed');
      assert.equal(progress.percent, 100);
      assert.equal(progress.result_id, result.concept_id);
      assert.equal(progress.variations_done, 7);

      const description = await handle.describe();
      assert.equal(description.typedSearchAttributes.get(TaskIdKey), taskId);
      assert.equal(description.typedSearchAttributes.get(UserIdKey), userId);
      assert.equal(description.typedSearchAttributes.get(TaskTypeKey), 'generation');
      assert.equal(description.typedSearchAttributes.get(TaskStepKey), 'complete');

      // What an operator sees: the run found by TaskId (and UserId, TaskType) in visibility …
      for (const query of [`TaskId = "${taskId}"`, `UserId = "${userId}" AND TaskType = "generation"`]) {
        const found = await listUntilFound(query);
        assert.deepEqual(found, [workflowId], query);
      }
      // … every activity with its summary, and the workflow's current details naming the step.
      const history = await handle.fetchHistory();
      const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
      // 10 activity tasks (base image, store ‖ palettes, 7 variations); the claim, the concept
      // store and the completion ran as local activities, recorded as markers.
      assert.equal(scheduled.length, 10, `${scheduled.length} activities`);
      const localActivities = (history.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
      assert.equal(localActivities.length, 3, `${localActivities.length} local activities`);
      for (const event of scheduled) {
        const summary = event.userMetadata?.summary?.data;
        assert.ok(summary && Buffer.from(summary).toString().length > 2, `activity ${event.activityTaskScheduledEventAttributes?.activityType?.name} has a summary`);
      }
      const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      assert.match(metadata.currentDetails ?? '', /complete/);

      const size = proto.temporal.api.history.v1.History.encode(history).finish().length;
      assert.ok(size < HISTORY_LIMIT_BYTES, `history is ${size} bytes`);
      // The recorded history replays deterministically against the current workflow code.
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
      await recordHistory('generation-success', handle);
    });
  });

  it('completes with the other variations when one fails, and reports the failure', async () => {
    const real = activities();
    const acts: ConceptActivities = {
      ...real,
      async createVariation(input) {
        if (input.position === 2) throw ApplicationFailure.nonRetryable('simulated recolour failure', 'InvalidImageError');
        return real.createVariation(input);
      },
    };
    await run('generation', acts, generation(5), async ({ taskId, userId, workflowId }) => {
      const result = await env.client.workflow.getHandle(workflowId).result();
      assert.equal(result.variations_succeeded, 4);
      assert.equal(result.failed_variations.length, 1);
      assert.match(result.failed_variations[0]!.error, /simulated recolour failure/);
      const concept = await persistence.concepts.get(result.concept_id, userId);
      assert.deepEqual(concept?.color_variations.map((v) => v.position), [0, 1, 3, 4]);
      assert.equal((await persistence.tasks.get(taskId))?.status, 'completed');
      await recordHistory('generation-partial', env.client.workflow.getHandle(workflowId));
    });
  });

  it('fails the task with a readable message when the base image cannot be made', async () => {
    const refusing: ImageProvider = {
      name: 'refusing',
      generateLogo: async () => {
        throw new ProviderRejectedError('The prompt was refused by the content policy\u0000 — rephrase it');
      },
      refineLogo: async () => {
        throw new ProviderRejectedError('refused');
      },
    };
    await run('generation', activities({ imageProvider: refusing }), generation(), async ({ taskId, userId, workflowId }) => {
      await assert.rejects(env.client.workflow.getHandle(workflowId).result(), WorkflowFailedError);
      const task = await persistence.tasks.get(taskId);
      assert.equal(task?.status, 'failed');
      assert.match(task?.error_message ?? '', /^Could not create the base image: .*content policy/);
      // eslint-disable-next-line no-control-regex -- asserting that no control characters remain
      assert.ok(!/[\u0000-\u001f]/.test(task?.error_message ?? ''), 'control characters replaced');
      assert.deepEqual(await objectsOf(userId, taskId), []);
      const progress = await env.client.workflow.getHandle(workflowId).query(getProgressQuery);
      assert.equal(progress.state, 'failed');
    });
  });

  it("keeps a provider's error body (a partial API key) out of error_message; logs it with the task id", async () => {
    const lines: Record<string, unknown>[] = [];
    const capturing = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const body = Buffer.from(JSON.stringify({ error: { message: 'Incorrect API key provided: sk-proj-Ab12*********************Yz9.' } }));
    const refused: ImageProvider = {
      name: 'refused',
      generateLogo: async () => {
        throw errorForStatus({ name: 'OpenAI', keyVariable: 'OPENAI_API_KEY' }, 401, new Headers(), body);
      },
      refineLogo: async () => {
        throw new Error('not used');
      },
    };
    await run('generation', activities({ imageProvider: refused, logger: capturing }), generation(), async ({ taskId, workflowId }) => {
      await assert.rejects(env.client.workflow.getHandle(workflowId).result(), WorkflowFailedError);
      const task = await persistence.tasks.get(taskId);
      assert.equal(task?.error_message, "Could not create the base image: OpenAI refused this service's credentials (HTTP 401); an operator must fix the configuration");
      const history = JSON.stringify(await env.client.workflow.getHandle(workflowId).fetchHistory());
      assert.doesNotMatch(history, /sk-proj|Ab12/, 'the key fragment is not in the workflow history either');
      const logged = lines.find((l) => l.task_id === taskId && l.msg === 'generateBaseImage failed');
      assert.match(JSON.stringify(logged?.err), /sk-proj-Ab12.*Check OPENAI_API_KEY/, 'operators find the detail in the log, by task id');
    });
  });

  it('compensates: when every variation fails, the uploaded base image is deleted and the task failed', async () => {
    const real = activities();
    const acts: ConceptActivities = {
      ...real,
      async createVariation() {
        throw ApplicationFailure.nonRetryable('simulated recolour failure', 'InvalidImageError');
      },
    };
    await run('generation', acts, generation(3), async ({ taskId, userId, workflowId }) => {
      await assert.rejects(env.client.workflow.getHandle(workflowId).result(), WorkflowFailedError);
      const task = await persistence.tasks.get(taskId);
      assert.equal(task?.status, 'failed');
      assert.match(task?.error_message ?? '', /All 3 variations failed/);
      assert.deepEqual(await objectsOf(userId, taskId), []);
      assert.deepEqual(await persistence.concepts.list(userId, 10), [], 'no concept stored');
      await recordHistory('generation-failed-compensated', env.client.workflow.getHandle(workflowId));
    });
  });

  it('cancels: the task becomes canceled and its objects are removed', async () => {
    const real = activities();
    const acts: ConceptActivities = {
      ...real,
      async createVariation() {
        // Hold the run in the variations step until the cancellation arrives (through heartbeats).
        for (;;) {
          heartbeat();
          await activitySleep(200);
        }
      },
    };
    await run('generation', acts, generation(3), async ({ taskId, userId, workflowId }) => {
      const progress = await waitForProgress(workflowId, (p) => p.step === 'variations');
      assert.equal(progress.variations_total, 3);
      assert.ok(progress.percent >= 45 && progress.percent < 92);
      const handle = env.client.workflow.getHandle(workflowId);
      await handle.cancel();
      const err = await handle.result().then(
        () => assert.fail('a canceled run must not complete'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure);
      const task = await persistence.tasks.get(taskId);
      assert.equal(task?.status, 'canceled');
      assert.deepEqual(await objectsOf(userId, taskId), []);
      await recordHistory('generation-canceled', handle);
    });
  });

  it('cancels even when the variations complete after the cancel request (found by drill R6)', async () => {
    const real = activities();
    const acts: ConceptActivities = {
      ...real,
      async createVariation(input) {
        // Wait for the cancellation, then finish the variation anyway: it completes, not cancels.
        const { cancellationSignal } = Context.current();
        while (!cancellationSignal.aborted) {
          heartbeat();
          await activitySleep(200).catch(() => undefined);
        }
        return real.createVariation(input);
      },
    };
    await run('generation', acts, generation(2), async ({ taskId, userId, workflowId }) => {
      await waitForProgress(workflowId, (p) => p.step === 'variations');
      const handle = env.client.workflow.getHandle(workflowId);
      await handle.cancel();
      const err = await handle.result().then(
        () => assert.fail('a run cancelled before its commit point must not complete'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure);
      assert.equal((await persistence.tasks.get(taskId))?.status, 'canceled');
      assert.deepEqual(await persistence.concepts.list(userId, 10), [], 'no concept stored');
      assert.deepEqual(await objectsOf(userId, taskId), []);
    });
  });

  it('ends canceled when an activity fails instead of cancelling while the cancel is under way (found by drill R6)', async () => {
    const real = activities();
    const acts: ConceptActivities = {
      ...real,
      async createVariation() {
        // Hears of the cancellation, then fails (as a timed-out or crashing attempt would), not cancels.
        const { cancellationSignal } = Context.current();
        while (!cancellationSignal.aborted) {
          heartbeat();
          await activitySleep(200).catch(() => undefined);
        }
        throw ApplicationFailure.nonRetryable('the disk went away', 'StorageError');
      },
    };
    await run('generation', acts, generation(2), async ({ taskId, userId, workflowId }) => {
      await waitForProgress(workflowId, (p) => p.step === 'variations');
      const handle = env.client.workflow.getHandle(workflowId);
      await handle.cancel();
      const err = await handle.result().then(
        () => assert.fail('a canceled run must not complete'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure, `ended ${String(err)}`);
      const task = await persistence.tasks.get(taskId);
      assert.equal(task?.status, 'canceled');
      assert.deepEqual(await objectsOf(userId, taskId), []);
    });
  });

  it('refines a concept: provenance recorded, operations noted, variations made', async () => {
    const acts = activities();
    const original = await run('generation', acts, generation(2), async ({ workflowId, userId }) => ({
      result: await env.client.workflow.getHandle(workflowId).result(),
      userId,
    }));
    const originalConcept = await persistence.concepts.get(original.result.concept_id);
    assert.ok(originalConcept);
    // The refinement belongs to the same user as the original.
    const taskQueue = `test-${randomUUID()}`;
    const taskId = randomUUID();
    const workflowId = workflowIdFor('refinement', taskId);
    await persistence.tasks.create({ id: taskId, user_id: original.userId, type: 'refinement', workflow_id: workflowId, metadata: {}, idempotency_key: null });
    const input: RefineConceptInput = {
      task_id: taskId,
      user_id: original.userId,
      refinement_prompt: 'make it darker and rounder',
      original: { bucket: BUCKETS.concepts, path: originalConcept.image_path },
      original_concept_id: originalConcept.id,
      original_image_url: null,
      logo_description: originalConcept.logo_description,
      theme_description: originalConcept.theme_description,
      preserve_aspects: ['layout'],
      num_palettes: 3,
    };
    const worker = await createConceptWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: acts,
    });
    const result = await worker.runUntil(async () => {
      await new TemporalConceptRuns(env.client, taskQueue).startRefinement(input);
      const handle = env.client.workflow.getHandle(workflowId);
      const value = await handle.result();
      await recordHistory('refinement-success', handle);
      return value;
    });
    const refined = await persistence.concepts.get(result.concept_id, original.userId);
    assert.equal(refined?.original_concept_id, originalConcept.id);
    assert.equal(refined?.refinement_prompt, 'make it darker and rounder');
    assert.equal(refined?.color_variations.length, 3);
    assert.notEqual(refined?.image_path, originalConcept.image_path);
    const task = await persistence.tasks.get(taskId);
    assert.equal(task?.status, 'completed');
    assert.ok(Array.isArray(task?.metadata.applied_operations) && (task.metadata.applied_operations as unknown[]).length > 0);
  });
});
