/**
 * The persistence contract: what every backend (embedded, Supabase) must do behind the ports of
 * src/persistence/ports.ts. Each backend's test file calls `persistenceContract` with a way to
 * open its Persistence; backend-only behaviour (RLS, outages, file locks) stays in that file.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BUCKETS, objectPaths, type NewConcept, type ObjectRef } from '../../src/domain/concept.js';
import { InvalidInputError, NotFoundError } from '../../src/domain/errors.js';
import { workflowIdFor, type TaskType } from '../../src/domain/task.js';
import type { NewTask, Persistence } from '../../src/persistence/ports.js';
import { quotaContract } from './contract-quotas.js';

export interface ContractBackend {
  persistence: Persistence;
  /** Rows left in color_variations for a concept id (checks ON DELETE CASCADE). */
  countVariations(conceptId: string): Promise<number>;
  close(): Promise<void>;
}

export function newTask(userId: string, type: TaskType = 'generation', idempotencyKey: string | null = null): NewTask {
  const id = randomUUID();
  return { id, user_id: userId, type, workflow_id: workflowIdFor(type, id), metadata: { source: 'test' }, idempotency_key: idempotencyKey };
}

export function newConcept(userId: string, taskId: string, positions: number[]): NewConcept {
  return {
    user_id: userId,
    task_id: taskId,
    logo_description: 'a fox',
    theme_description: 'autumn forest',
    image_path: objectPaths.baseImage(userId, taskId),
    refinement_prompt: null,
    variations: positions.map((position) => ({
      name: `palette ${position}`,
      colors: ['#112233', '#445566'],
      description: `variation ${position}`,
      image_path: objectPaths.variation(userId, taskId, position),
      position,
    })),
  };
}

/** A task of `userId` taken through claim → completed with a stored concept. */
export async function completedTaskWithConcept(db: Persistence, userId: string, positions = [0, 1]) {
  const task = newTask(userId);
  assert.equal((await db.tasks.create(task)).outcome, 'created');
  assert.equal((await db.tasks.claim(task.id, task.workflow_id)).claimed, true);
  const concept = await db.concepts.store(newConcept(userId, task.id, positions));
  assert.equal(await db.tasks.complete(task.id, concept.id), true);
  return { task, concept };
}

export function persistenceContract(name: string, open: () => Promise<ContractBackend>, options: { skip?: string | false } = {}): void {
  describe(`persistence contract: ${name}`, { skip: options.skip ?? false }, () => {
    let backend: ContractBackend;
    let db: Persistence;
    const completedTaskWithConcept_ = (userId: string, positions?: number[]) => completedTaskWithConcept(db, userId, positions);

    before(async () => {
      backend = await open();
      db = backend.persistence;
    });
    after(async () => {
      await backend?.close();
    });

    describe('tasks', () => {
      it('maps the one-active index to active_conflict and the idempotency index to idempotent_replay', async () => {
        const user = randomUUID();
        const first = newTask(user, 'generation', 'key-1');
        const created = await db.tasks.create(first);
        assert.equal(created.outcome, 'created');
        assert.equal(created.task.status, 'pending');

        const second = await db.tasks.create(newTask(user, 'generation', 'key-2'));
        assert.equal(second.outcome, 'active_conflict');
        assert.equal(second.task.id, first.id);

        // Same key while the first is still active: a replay, not a conflict.
        const replay = await db.tasks.create(newTask(user, 'generation', 'key-1'));
        assert.equal(replay.outcome, 'idempotent_replay');
        assert.equal(replay.task.id, first.id);

        // Another type is another slot.
        assert.equal((await db.tasks.create(newTask(user, 'refinement'))).outcome, 'created');

        // Once finished, the slot is free again, but the key still replays.
        assert.equal(await db.tasks.finish(first.id, 'failed', 'boom'), true);
        assert.equal((await db.tasks.create(newTask(user, 'generation', 'key-1'))).outcome, 'idempotent_replay');
        assert.equal((await db.tasks.create(newTask(user, 'generation', 'key-3'))).outcome, 'created');
      });

      it('decides concurrent creates and claims once: one task created, one run claims it', async () => {
        const user = randomUUID();
        const keyed = await Promise.all(Array.from({ length: 16 }, () => db.tasks.create(newTask(user, 'generation', 'same-key'))));
        const created = keyed.filter((r) => r.outcome === 'created');
        assert.equal(created.length, 1);
        assert.ok(keyed.every((r) => r.task.id === created[0]!.task.id && (r.outcome === 'created' || r.outcome === 'idempotent_replay')));

        const unkeyed = await Promise.all(Array.from({ length: 16 }, () => db.tasks.create(newTask(user, 'generation'))));
        assert.ok(unkeyed.every((r) => r.outcome === 'active_conflict' && r.task.id === created[0]!.task.id));

        const claims = await Promise.all(['run-a', 'run-b', 'run-c', 'run-d'].map((run) => db.tasks.claim(created[0]!.task.id, run)));
        assert.equal(claims.filter((c) => c.claimed).length, 1);
        const winner = claims.find((c) => c.claimed)!.task.workflow_id;
        assert.ok(claims.every((c) => c.task?.status === 'processing' && c.task.workflow_id === winner));
      });

      it('creates without error while the active task finishes at the same moment', async () => {
        const user = randomUUID();
        for (let round = 0; round < 5; round++) {
          const active = newTask(user);
          assert.equal((await db.tasks.create(active)).outcome, 'created');
          const next = newTask(user);
          const [finished, attempt] = await Promise.all([db.tasks.finish(active.id, 'canceled', 'replaced'), db.tasks.create(next)]);
          assert.equal(finished, true);
          if (attempt.outcome === 'active_conflict') assert.equal(attempt.task.id, active.id);
          else assert.equal(attempt.outcome, 'created');
          if (attempt.outcome === 'created') await db.tasks.finish(next.id, 'canceled', 'next round');
        }
      });

      it('refuses a second task with an existing id as a conflict', async () => {
        const task = newTask(randomUUID());
        await db.tasks.create(task);
        await db.tasks.finish(task.id, 'canceled', 'stop');
        await assert.rejects(db.tasks.create(task), (err: unknown) => err instanceof Error && err.name === 'ConflictError');
      });

      it('claims conditionally: once from pending, again for the same workflow, never for another or a finished task', async () => {
        const task = newTask(randomUUID());
        await db.tasks.create(task);
        const claimed = await db.tasks.claim(task.id, task.workflow_id);
        assert.equal(claimed.claimed, true);
        assert.equal(claimed.task?.status, 'processing');
        assert.equal((await db.tasks.claim(task.id, task.workflow_id)).claimed, true);

        const other = await db.tasks.claim(task.id, 'someone-else');
        assert.equal(other.claimed, false);
        assert.equal(other.task?.workflow_id, task.workflow_id);

        assert.equal(await db.tasks.finish(task.id, 'canceled', 'user canceled'), true);
        const afterCancel = await db.tasks.claim(task.id, task.workflow_id);
        assert.equal(afterCancel.claimed, false);
        assert.equal(afterCancel.task?.status, 'canceled');

        assert.deepEqual(await db.tasks.claim(randomUUID(), 'wf'), { claimed: false, task: null });
      });

      it('completes only a processing task, idempotently for the same result', async () => {
        const task = newTask(randomUUID());
        await db.tasks.create(task);
        const resultId = randomUUID();
        assert.equal(await db.tasks.complete(task.id, resultId), false, 'pending is not completable');
        await db.tasks.claim(task.id, task.workflow_id);
        assert.equal(await db.tasks.complete(task.id, resultId), true);
        assert.equal(await db.tasks.complete(task.id, resultId), true, 'same result again');
        assert.equal(await db.tasks.complete(task.id, randomUUID()), false, 'another result');
        assert.equal(await db.tasks.finish(task.id, 'failed', 'late failure'), false, 'terminal stays terminal');
        const stored = await db.tasks.get(task.id);
        assert.equal(stored?.status, 'completed');
        assert.equal(stored?.result_id, resultId);
        assert.equal(stored?.error_message, null);
      });

      it('stores a failure message readable and within the column limit', async () => {
        const task = newTask(randomUUID());
        await db.tasks.create(task);
        assert.equal(await db.tasks.finish(task.id, 'failed', `line one\nline\ttwo ${'x'.repeat(2000)}`), true);
        const stored = await db.tasks.get(task.id);
        assert.equal(stored?.status, 'failed');
        assert.ok(stored?.error_message?.startsWith('line one line two x'));
        assert.equal(stored?.error_message?.length, 1000);
      });

      it('merges metadata without losing keys written concurrently', async () => {
        const task = newTask(randomUUID());
        await db.tasks.create(task);
        await Promise.all(Array.from({ length: 6 }, (_, i) => db.tasks.mergeMetadata(task.id, { [`note_${i}`]: i })));
        const stored = await db.tasks.get(task.id);
        assert.deepEqual(stored?.metadata, { source: 'test', note_0: 0, note_1: 1, note_2: 2, note_3: 3, note_4: 4, note_5: 5 });
        await assert.rejects(db.tasks.mergeMetadata(randomUUID(), { a: 1 }), NotFoundError);
      });

      it('lists a user’s tasks newest first, filtered and limited; get is scoped to the owner', async () => {
        const user = randomUUID();
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const task = newTask(user);
          await db.tasks.create(task);
          await db.tasks.finish(task.id, i === 1 ? 'canceled' : 'failed', 'done');
          ids.push(task.id);
        }
        const refinement = newTask(user, 'refinement');
        await db.tasks.create(refinement);
        await db.tasks.create(newTask(randomUUID())); // someone else's

        assert.deepEqual((await db.tasks.list(user, { limit: 10 })).map((t) => t.id), [refinement.id, ...ids.reverse()]);
        assert.deepEqual((await db.tasks.list(user, { limit: 2 })).map((t) => t.id), [refinement.id, ids[0]]);
        assert.deepEqual((await db.tasks.list(user, { limit: 10, status: 'canceled' })).map((t) => t.id), [ids[1]]);
        assert.deepEqual((await db.tasks.list(user, { limit: 10, type: 'refinement' })).map((t) => t.id), [refinement.id]);
        // Paging: `before` a task id gives the ones created before it, with the filters; another user's id gives nothing.
        assert.deepEqual((await db.tasks.list(user, { limit: 2, before: ids[0] })).map((t) => t.id), [ids[1], ids[2]]);
        assert.deepEqual((await db.tasks.list(user, { limit: 10, before: refinement.id, status: 'failed' })).map((t) => t.id), [ids[0], ids[2]]);
        assert.deepEqual(await db.tasks.list(user, { limit: 10, before: ids[2] }), []);
        assert.deepEqual(await db.tasks.list(randomUUID(), { limit: 10, before: ids[0] }), []);
        assert.deepEqual(await db.tasks.list(user, { limit: 10, before: randomUUID() }), []);

        assert.equal((await db.tasks.get(refinement.id, user))?.id, refinement.id);
        assert.equal(await db.tasks.get(refinement.id, randomUUID()), null);
        assert.equal(await db.tasks.get('not-a-uuid'), null);
        assert.match((await db.tasks.get(refinement.id))?.created_at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      });
    });

    describe('concepts', () => {
      it('stores a concept and its variations in one call, ordered by position, once per task', async () => {
        const user = randomUUID();
        const task = newTask(user);
        await db.tasks.create(task);
        const stored = await db.concepts.store({ ...newConcept(user, task.id, [2, 0, 1]), refinement_prompt: 'bolder', original_image_url: 'http://x/y.png' });
        assert.equal(stored.task_id, task.id);
        assert.equal(stored.refinement_prompt, 'bolder');
        assert.equal(stored.original_image_url, 'http://x/y.png');
        assert.deepEqual(stored.color_variations.map((v) => [v.position, v.palette_name]), [[0, 'palette 0'], [1, 'palette 1'], [2, 'palette 2']]);
        assert.deepEqual(stored.color_variations[0]?.colors, ['#112233', '#445566']);

        const again = await db.concepts.store(newConcept(user, task.id, [0]));
        assert.equal(again.id, stored.id);
        assert.equal(again.color_variations.length, 3, 'the second call wrote nothing');
        assert.deepEqual((await db.concepts.list(user, 10)).map((c) => c.id), [stored.id], 'one concept for the task');
      });

      it('refuses a concept for a task that does not exist as invalid input', async () => {
        await assert.rejects(db.concepts.store(newConcept(randomUUID(), randomUUID(), [0])), InvalidInputError);
      });

      it('lists newest first with variations, gets by owner only, and deletes by task with its variations', async () => {
        const user = randomUUID();
        const older = await completedTaskWithConcept_(user, [0]);
        const newer = await completedTaskWithConcept_(user, [1, 0]);
        await completedTaskWithConcept_(randomUUID());

        const listed = await db.concepts.list(user, 10);
        assert.deepEqual(listed.map((c) => c.id), [newer.concept.id, older.concept.id]);
        assert.deepEqual(listed[0]?.color_variations.map((v) => v.position), [0, 1]);
        assert.deepEqual((await db.concepts.list(user, 1)).map((c) => c.id), [newer.concept.id]);
        assert.deepEqual((await db.concepts.list(user, 10, newer.concept.id)).map((c) => c.id), [older.concept.id]);
        assert.deepEqual(await db.concepts.list(user, 10, older.concept.id), []);
        assert.deepEqual(await db.concepts.list(randomUUID(), 10, newer.concept.id), []);

        assert.equal((await db.concepts.get(older.concept.id, user))?.id, older.concept.id);
        assert.equal(await db.concepts.get(older.concept.id, randomUUID()), null);
        assert.equal(await db.concepts.get('nope'), null);

        await db.concepts.deleteByTask(newer.task.id);
        await db.concepts.deleteByTask(newer.task.id); // missing is fine
        assert.deepEqual((await db.concepts.list(user, 10)).map((c) => c.id), [older.concept.id]);
        assert.equal(await db.concepts.get(newer.concept.id), null);
        assert.equal(await backend.countVariations(newer.concept.id), 0, 'variations cascade with their concept');
      });
    });

    quotaContract(() => db);

    describe('objects in Storage', () => {
      const ref = (path: string, bucket: ObjectRef['bucket'] = BUCKETS.concepts): ObjectRef => ({ bucket, path });

      it('puts, overwrites and gets bytes with their content type', async () => {
        const target = ref(`${randomUUID()}/t/base.png`);
        await db.objects.put(target, Buffer.from('first'), 'image/png');
        await db.objects.put(target, Buffer.from('second'), 'image/webp');
        const stored = await db.objects.get(target);
        assert.equal(stored.bytes.toString(), 'second');
        assert.equal(stored.contentType, 'image/webp');
        assert.equal(await db.objects.exists(target), true);
      });

      it('maps a missing object to NotFoundError and exists() to false', async () => {
        const missing = ref(`${randomUUID()}/t/none.png`, BUCKETS.palettes);
        await assert.rejects(db.objects.get(missing), NotFoundError);
        assert.equal(await db.objects.exists(missing), false);
        // A name that only shares a prefix with a stored one does not exist either.
        const user = randomUUID();
        await db.objects.put(ref(`${user}/t/base.png.bak`), Buffer.from('x'), 'image/png');
        assert.equal(await db.objects.exists(ref(`${user}/t/base.png`)), false);
      });

      it('moves an object within its bucket, replacing the destination; a missing source is NotFoundError', async () => {
        const user = randomUUID();
        const from = ref(`${user}/t/staging/source.png`);
        const to = ref(`${user}/t/base.png`);
        await db.objects.put(from, Buffer.from('staged'), 'image/png');
        await db.objects.put(to, Buffer.from('an earlier attempt'), 'image/webp');
        await db.objects.move(from.bucket, from.path, to.path);
        assert.equal(await db.objects.exists(from), false);
        const moved = await db.objects.get(to);
        assert.equal(moved.bytes.toString(), 'staged');
        assert.equal(moved.contentType, 'image/png');
        await assert.rejects(db.objects.move(from.bucket, from.path, to.path), NotFoundError);
      });

      it('lists every object under a prefix across folders and pages, and removes them ignoring missing ones', async () => {
        const user = randomUUID();
        const task = randomUUID();
        const prefix = objectPaths.taskPrefix(user, task);
        const paths = [...Array.from({ length: 105 }, (_, i) => `${prefix}v-${String(i).padStart(3, '0')}.png`), `${prefix}nested/deep.png`];
        await Promise.all(paths.map((p) => db.objects.put(ref(p, BUCKETS.palettes), Buffer.from(p), 'image/png')));
        await db.objects.put(ref(`${user}/${randomUUID()}/other.png`, BUCKETS.palettes), Buffer.from('x'), 'image/png');
        await db.objects.put(ref(`${prefix}same-prefix-other-bucket.png`), Buffer.from('x'), 'image/png');

        assert.deepEqual(await db.objects.list(BUCKETS.palettes, prefix), [...paths].sort());
        assert.deepEqual(await db.objects.list(BUCKETS.palettes, `${prefix}v-10`), paths.filter((p) => p.startsWith(`${prefix}v-10`)));

        await db.objects.remove(BUCKETS.palettes, [...paths, `${prefix}never-existed.png`]);
        assert.deepEqual(await db.objects.list(BUCKETS.palettes, prefix), []);
        assert.equal(await db.objects.exists(ref(`${prefix}same-prefix-other-bucket.png`)), true, 'the other bucket is untouched');
      });

      it('hands out signed URLs a client can fetch, one path each, and resolves them back without a request', async () => {
        const target = ref(`${randomUUID()}/t/variation-00.png`, BUCKETS.palettes);
        await db.objects.put(target, Buffer.from('png bytes'), 'image/png');
        const url = await db.objects.signedUrl(target, 60);

        const res = await fetch(url);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'image/png');
        assert.equal(await res.text(), 'png bytes');

        const tampered = new URL(url);
        tampered.pathname = tampered.pathname.replace('variation-00', 'variation-01');
        assert.ok([400, 403].includes((await fetch(tampered)).status), 'a signature opens one path only');

        assert.deepEqual(db.objects.resolveUrl(url), target);
        // Named like Supabase Storage's signed URLs, so clients that read bucket and path out of
        // them (the original frontend's export) work with either backend.
        assert.ok(new URL(url).pathname.endsWith(`/storage/v1/object/sign/${target.bucket}/${target.path}`), url);
      });

      it('resolves nothing that is not an object URL of this store', async () => {
        const path = `${randomUUID()}/t/base.png`;
        await db.objects.put(ref(path), Buffer.from('x'), 'image/png');
        const own = new URL(await db.objects.signedUrl(ref(path), 60));
        const foreign = [
          own.href.replace(own.host, 'evil.example'),
          own.href.replace(own.hostname, 'localhost'),
          own.href.replace('concept-images', 'other-bucket'),
          own.href.replace(path, `${path.split('/')[0]}%2F..%2Fx.png`),
          own.href.replace(path, ''),
          `${own.origin}/api/tasks`,
          'not a url',
          'file:///etc/passwd',
        ];
        for (const url of foreign) assert.equal(db.objects.resolveUrl(url), null, url);
      });
    });
  });
}
