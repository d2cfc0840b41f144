/**
 * The activities, run in Temporal's MockActivityEnvironment against the real embedded backend
 * (PGlite + files) and the local providers: idempotency under retry, references instead of
 * bytes, error types the retry policies rely on, heartbeats and cancellation.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import sharp from 'sharp';
import { createActivities, type ConceptActivities } from '../../src/activities/index.js';
import type { MadeImage } from '../../src/activities/types.js';
import { BUCKETS, objectPaths, type ObjectRef } from '../../src/domain/concept.js';
import { ErrorType } from '../../src/domain/errors.js';
import type { Palette } from '../../src/domain/palette.js';
import { createLogger } from '../../src/logger.js';
import { createEmbeddedPersistence } from '../../src/persistence/embedded/index.js';
import type { Persistence } from '../../src/persistence/ports.js';
import { createLocalImageProvider, createLocalPaletteProvider } from '../../src/providers/local/index.js';
import type { ImageProvider, PaletteProvider } from '../../src/providers/types.js';

/** Runs an activity in a fresh mock context (a new attempt each call, like a retry). */
function inActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return new MockActivityEnvironment({ workflowExecution: { workflowId: 'wf-test', runId: 'run-test' } }).run(fn, ...args);
}

async function rejectsWithType(promise: Promise<unknown>, type: string, nonRetryable: boolean): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => assert.fail(`expected a ${type} failure`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApplicationFailure, `expected ApplicationFailure, got ${String(err)}`);
  assert.equal(err.type, type);
  assert.equal(err.nonRetryable, nonRetryable);
  return err;
}

describe('activities', () => {
  let dataDir: string;
  let persistence: Persistence;
  let acts: ConceptActivities;
  const logger = createLogger('silent');

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cf-activities-'));
    persistence = await createEmbeddedPersistence({ dataDir, publicBaseUrl: 'http://127.0.0.1:3000', signingSecret: 'activities-test' });
    acts = createActivities({ persistence, imageProvider: createLocalImageProvider(), paletteProvider: createLocalPaletteProvider(), logger });
  });
  after(async () => {
    await persistence?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function newTask(type: 'generation' | 'refinement' = 'generation') {
    const task_id = randomUUID();
    const user_id = `user-${randomUUID()}`;
    const workflow_id = `concept-${type}-${task_id}`;
    const created = await persistence.tasks.create({ id: task_id, user_id, type, workflow_id, metadata: {}, idempotency_key: null });
    assert.equal(created.outcome, 'created');
    return { task_id, user_id, workflow_id };
  }

  async function storedBase(task: { task_id: string; user_id: string }): Promise<ObjectRef> {
    const made = await inActivity(acts.generateBaseImage, { ...task, logo_description: 'Nimbus cloud storage', theme_description: 'calm ocean blues' });
    return inActivity(acts.storeBaseImage, { ...task, source: made.source });
  }

  describe('claimTask', () => {
    it('moves pending → processing, and is idempotent for the same workflow', async () => {
      const task = await newTask();
      await inActivity(acts.claimTask, { task_id: task.task_id, workflow_id: task.workflow_id });
      await inActivity(acts.claimTask, { task_id: task.task_id, workflow_id: task.workflow_id });
      assert.equal((await persistence.tasks.get(task.task_id))?.status, 'processing');
    });

    it('never reopens a finished task, and says so with a non-retryable failure', async () => {
      const task = await newTask();
      await persistence.tasks.finish(task.task_id, 'canceled', 'Canceled by request');
      await rejectsWithType(inActivity(acts.claimTask, { task_id: task.task_id, workflow_id: task.workflow_id }), ErrorType.TaskNotClaimable, true);
      assert.equal((await persistence.tasks.get(task.task_id))?.status, 'canceled');
    });

    it('refuses a task another run owns, and a missing task', async () => {
      const task = await newTask();
      await inActivity(acts.claimTask, { task_id: task.task_id, workflow_id: task.workflow_id });
      await rejectsWithType(inActivity(acts.claimTask, { task_id: task.task_id, workflow_id: 'someone-else' }), ErrorType.TaskNotClaimable, true);
      await rejectsWithType(inActivity(acts.claimTask, { task_id: randomUUID(), workflow_id: 'x' }), ErrorType.NotFound, true);
    });
  });

  describe('image steps', () => {
    it('generateBaseImage returns a reference into the task staging area, never bytes', async () => {
      const task = await newTask();
      const made: MadeImage = await inActivity(acts.generateBaseImage, { ...task, logo_description: 'Nimbus cloud storage', theme_description: 'calm ocean blues' });
      assert.equal(made.source.bucket, BUCKETS.concepts);
      assert.ok(made.source.path.startsWith(`${task.user_id}/${task.task_id}/staging/`));
      const payload = JSON.stringify(made);
      assert.ok(payload.length < 500, `activity output stays small: ${payload}`);
      const stored = await persistence.objects.get(made.source);
      assert.equal((await sharp(stored.bytes).metadata()).width, made.width);
    });

    it('storeBaseImage moves the staged PNG to {user}/{task}/base.png (same bytes), and survives a retry', async () => {
      const task = await newTask();
      const made = await inActivity(acts.generateBaseImage, { ...task, logo_description: 'Nimbus cloud storage', theme_description: 'calm ocean blues' });
      const staged = await persistence.objects.get(made.source);
      assert.equal(staged.contentType, 'image/png');
      const ref = await inActivity(acts.storeBaseImage, { ...task, source: made.source });
      assert.deepEqual(ref, { bucket: BUCKETS.concepts, path: objectPaths.baseImage(task.user_id, task.task_id) });
      assert.ok((await persistence.objects.get(ref)).bytes.equals(staged.bytes), 'stored once: not decoded and re-encoded');
      assert.equal(await persistence.objects.exists(made.source), false);
      const again = await inActivity(acts.storeBaseImage, { ...task, source: made.source });
      assert.deepEqual(again, ref);
      assert.equal((await sharp((await persistence.objects.get(ref)).bytes).metadata()).format, 'png');
    });

    it('createVariation stores a deterministic variation at a deterministic path', async () => {
      const task = await newTask();
      const base = await storedBase(task);
      const palette: Palette = { name: 'Sunset', colors: ['#FF5733', '#c70039', '#900c3f', '#581845', '#ffc30f'], description: 'warm' };
      const first = await inActivity(acts.createVariation, { ...task, base, palette, position: 3 });
      assert.deepEqual(first.image, { bucket: BUCKETS.palettes, path: objectPaths.variation(task.user_id, task.task_id, 3) });
      assert.deepEqual(first.palette.colors, ['#ff5733', '#c70039', '#900c3f', '#581845', '#ffc30f']);
      const bytes1 = (await persistence.objects.get(first.image)).bytes;
      await inActivity(acts.createVariation, { ...task, base, palette, position: 3 });
      const bytes2 = (await persistence.objects.get(first.image)).bytes;
      assert.ok(bytes1.equals(bytes2), 'a retry writes the same bytes to the same place');
      assert.deepEqual(await persistence.objects.list(BUCKETS.palettes, objectPaths.taskPrefix(task.user_id, task.task_id)), [first.image.path]);
    });

    it('createVariation rejects a bad palette as non-retryable', async () => {
      const task = await newTask();
      const base = await storedBase(task);
      const palette: Palette = { name: 'Broken', colors: ['#12345z'], description: '' };
      await rejectsWithType(inActivity(acts.createVariation, { ...task, base, palette, position: 0 }), ErrorType.InvalidPalette, true);
    });

    it('refineImage refuses an original outside the user prefix and records the applied operations', async () => {
      const owner = await newTask();
      const base = await storedBase(owner);
      const stranger = await newTask('refinement');
      const request = { refinement_prompt: 'make it darker', logo_description: 'Nimbus', theme_description: 'ocean', preserve_aspects: [] };
      await rejectsWithType(inActivity(acts.refineImage, { ...stranger, ...request, original: base }), ErrorType.InvalidInput, true);

      const mine = await newTaskFor(owner.user_id);
      const made = await inActivity(acts.refineImage, { ...mine, ...request, original: base });
      assert.ok(made.operations && made.operations.length > 0);
      assert.ok(made.source.path.startsWith(`${owner.user_id}/${mine.task_id}/staging/`));
      assert.deepEqual((await persistence.tasks.get(mine.task_id))?.metadata.applied_operations, made.operations);
    });
  });

  async function newTaskFor(user_id: string) {
    const task_id = randomUUID();
    const workflow_id = `concept-refinement-${task_id}`;
    const created = await persistence.tasks.create({ id: task_id, user_id, type: 'refinement', workflow_id, metadata: {}, idempotency_key: null });
    assert.equal(created.outcome, 'created');
    return { task_id, user_id, workflow_id };
  }

  describe('generatePalettes', () => {
    it('returns exactly the requested number of distinct, valid palettes', async () => {
      const palettes = await inActivity(acts.generatePalettes, { logo_description: 'Nimbus', theme_description: 'calm ocean blues', count: 7 });
      assert.equal(palettes.length, 7);
      assert.equal(new Set(palettes.map((p) => p.colors.join())).size, 7);
      for (const p of palettes) for (const c of p.colors) assert.match(c, /^#[0-9a-f]{6}$/);
    });

    it('treats duplicate or missing palettes from a provider as retryable bad output', async () => {
      const sloppy: PaletteProvider = {
        name: 'sloppy',
        generatePalettes: async () => [
          { name: 'A', colors: ['#000000', '#111111', '#222222', '#333333', '#444444'], description: '' },
          { name: 'B', colors: ['#000000', '#111111', '#222222', '#333333', '#444444'], description: '' },
        ],
      };
      const withSloppy = createActivities({ persistence, imageProvider: createLocalImageProvider(), paletteProvider: sloppy, logger });
      await rejectsWithType(inActivity(withSloppy.generatePalettes, { logo_description: 'x', theme_description: 'y', count: 2 }), ErrorType.ProviderBadOutput, false);
    });
  });

  describe('concept row and task completion', () => {
    it('storeConcept is idempotent per task; completeTask and finishTask respect terminal states', async () => {
      const task = await newTask();
      await inActivity(acts.claimTask, { task_id: task.task_id, workflow_id: task.workflow_id });
      const base = await storedBase(task);
      const palette: Palette = { name: 'Mono', colors: ['#101010', '#404040', '#808080', '#c0c0c0', '#f0f0f0'], description: 'grey' };
      const variation = await inActivity(acts.createVariation, { ...task, base, palette, position: 0 });
      const input = {
        ...task,
        logo_description: 'Nimbus',
        theme_description: 'ocean',
        image: base,
        variations: [variation],
        original_concept_id: null,
        refinement_prompt: null,
        original_image_url: null,
      };
      const id1 = await inActivity(acts.storeConcept, input);
      const id2 = await inActivity(acts.storeConcept, input);
      assert.equal(id1, id2);
      assert.equal((await persistence.concepts.get(id1))?.color_variations.length, 1);

      await inActivity(acts.completeTask, { task_id: task.task_id, concept_id: id1 });
      await inActivity(acts.completeTask, { task_id: task.task_id, concept_id: id1 });
      await inActivity(acts.finishTask, { task_id: task.task_id, status: 'failed', error_message: 'late failure' });
      const row = await persistence.tasks.get(task.task_id);
      assert.equal(row?.status, 'completed');
      assert.equal(row?.result_id, id1);
      assert.equal(row?.error_message, null);
    });

    it('storeConcept removes the task objects the concept does not reference: a variation that ran out of attempts after storing its image (found by drill R1)', async () => {
      const task = await newTask();
      const other = await newTask();
      const base = await storedBase(task);
      const otherBase = await storedBase(other);
      const palette = (name: string, grey: string): Palette => ({ name, colors: ['#101010', grey, '#808080', '#c0c0c0', '#f0f0f0'], description: name });
      const kept = await inActivity(acts.createVariation, { ...task, base, palette: palette('Kept', '#404040'), position: 0 });
      // Stored by an attempt that was killed before it reported; the workflow counts it as failed.
      const lost = await inActivity(acts.createVariation, { ...task, base, palette: palette('Lost', '#505050'), position: 1 });
      const input = { ...task, logo_description: 'a', theme_description: 'b', image: base, variations: [kept], original_concept_id: null, refinement_prompt: null, original_image_url: null };
      await inActivity(acts.storeConcept, input);
      assert.equal(await persistence.objects.exists(lost.image), false);
      assert.equal(await persistence.objects.exists(kept.image), true);
      assert.equal(await persistence.objects.exists(base), true);
      assert.equal(await persistence.objects.exists(otherBase), true, "another task's objects are left alone");
      await inActivity(acts.storeConcept, input);
      assert.equal(await persistence.objects.exists(kept.image), true, 'a retry keeps what the concept references');
    });

    it('finishTask stores a readable message: control characters replaced, at most 1,000 characters', async () => {
      const task = await newTask();
      await inActivity(acts.finishTask, { task_id: task.task_id, status: 'failed', error_message: `bad\u0007\nthing ${'x'.repeat(2000)}` });
      const row = await persistence.tasks.get(task.task_id);
      assert.equal(row?.status, 'failed');
      assert.ok(row?.error_message?.startsWith('bad thing xxx'));
      assert.ok((row?.error_message?.length ?? 0) <= 1000);
    });
  });

  describe('cleanupTask (compensation)', () => {
    it('deletes the concept and every object of the task, and nothing of other tasks', async () => {
      const task = await newTask();
      const other = await newTask();
      const base = await storedBase(task);
      const otherBase = await storedBase(other);
      const palette: Palette = { name: 'Mono', colors: ['#101010', '#404040', '#808080', '#c0c0c0', '#f0f0f0'], description: 'grey' };
      const variation = await inActivity(acts.createVariation, { ...task, base, palette, position: 0 });
      const conceptId = await inActivity(acts.storeConcept, { ...task, logo_description: 'a', theme_description: 'b', image: base, variations: [variation], original_concept_id: null, refinement_prompt: null, original_image_url: null });

      const removed = await inActivity(acts.cleanupTask, task);
      assert.equal(removed, 2);
      assert.equal(await persistence.concepts.get(conceptId), null);
      assert.equal(await persistence.objects.exists(base), false);
      assert.equal(await persistence.objects.exists(variation.image), false);
      assert.equal(await persistence.objects.exists(otherBase), true);
      assert.equal(await inActivity(acts.cleanupTask, task), 0, 'a retry finds nothing left to remove');
    });
  });

  describe('heartbeats and cancellation', () => {
    it('heartbeats while waiting on a provider, and reports a cancellation as CancelledFailure', async () => {
      let heartbeats = 0;
      const waiting: ImageProvider = {
        name: 'waiting',
        generateLogo: (_req, signal) =>
          new Promise((_resolve, reject) => {
            signal?.addEventListener('abort', () => reject(signal.reason ?? new Error('aborted')));
          }),
        refineLogo: async () => assert.fail('not used'),
      };
      const withWaiting = createActivities({ persistence, imageProvider: waiting, paletteProvider: createLocalPaletteProvider(), logger });
      const env = new MockActivityEnvironment({ workflowExecution: { workflowId: 'wf', runId: 'run' } });
      env.on('heartbeat', () => heartbeats++);
      const task = await newTask();
      const running = env.run(withWaiting.generateBaseImage, { ...task, logo_description: 'a logo', theme_description: 'a theme' });
      await new Promise((r) => setTimeout(r, 50));
      env.cancel();
      await assert.rejects(running, (err: unknown) => err instanceof CancelledFailure);
      assert.ok(heartbeats >= 1);
    });
  });
});
