/**
 * The Supabase backend against real PostgreSQL 15 + the real PostgREST binary + the Storage test
 * server, behind one gateway like a Supabase project. Skipped, with the reason printed, when the
 * PostgreSQL binaries (or the PostgREST binary) are not installed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BUCKETS, objectPaths, type NewConcept, type ObjectRef } from '../../src/domain/concept.js';
import { InvalidInputError, NotFoundError, StorageError } from '../../src/domain/errors.js';
import type { TaskType } from '../../src/domain/task.js';
import { workflowIdFor } from '../../src/domain/task.js';
import type { NewTask, Persistence } from '../../src/persistence/ports.js';
import { createSupabasePersistence } from '../../src/persistence/supabase/index.js';
import { signJwt, nowSeconds } from '../support/jwt.js';
import { startSupabaseStack, supabaseStackUnavailable, type SupabaseStack } from '../support/supabase-stack.js';

const unavailable = supabaseStackUnavailable();
if (unavailable) console.log(`# Supabase backend tests skipped: ${unavailable}`);

function started(): SupabaseStack {
  if (!sharedStack) throw new Error('the Supabase stack did not start');
  return sharedStack;
}

function newTask(userId: string, type: TaskType = 'generation', idempotencyKey: string | null = null): NewTask {
  const id = randomUUID();
  return { id, user_id: userId, type, workflow_id: workflowIdFor(type, id), metadata: { source: 'test' }, idempotency_key: idempotencyKey };
}

function newConcept(userId: string, taskId: string, positions: number[]): NewConcept {
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

// One stack for the whole file: the contract suite and the Supabase-only tests below.
let sharedStack: SupabaseStack | undefined;
if (!unavailable) {
  before(async () => {
    sharedStack = await startSupabaseStack();
  });
  after(async () => {
    await sharedStack?.stop();
  });
}

const connect = (s: SupabaseStack) => createSupabasePersistence({ url: s.url, serviceRoleKey: s.serviceRoleKey }, { signedUrlTtlSeconds: 60 });

describe('Supabase backend (PostgreSQL + PostgREST + Storage)', { skip: unavailable ?? false }, () => {
  let stack: SupabaseStack;
  let db: Persistence;

  before(async () => {
    stack = started();
    db = await connect(stack);
  });
  after(async () => {
    await db?.close();
  });

  /** A task of `userId` taken through claim → completed with a stored concept. */
  async function completedTaskWithConcept(userId: string, positions = [0, 1]) {
    const task = newTask(userId);
    assert.equal((await db.tasks.create(task)).outcome, 'created');
    assert.equal((await db.tasks.claim(task.id, task.workflow_id)).claimed, true);
    const concept = await db.concepts.store(newConcept(userId, task.id, positions));
    assert.equal(await db.tasks.complete(task.id, concept.id), true);
    return { task, concept };
  }

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
      assert.equal(await stack.sql(`select count(*) from concepts where task_id = '${task.id}'`), '1');
      assert.equal((await db.concepts.findByTask(task.id))?.id, stored.id);
    });

    it('refuses a concept for a task that does not exist as invalid input', async () => {
      await assert.rejects(db.concepts.store(newConcept(randomUUID(), randomUUID(), [0])), InvalidInputError);
    });

    it('lists newest first with variations, gets by owner only, and deletes by task with its variations', async () => {
      const user = randomUUID();
      const older = await completedTaskWithConcept(user, [0]);
      const newer = await completedTaskWithConcept(user, [1, 0]);
      await completedTaskWithConcept(randomUUID());

      const listed = await db.concepts.list(user, 10);
      assert.deepEqual(listed.map((c) => c.id), [newer.concept.id, older.concept.id]);
      assert.deepEqual(listed[0]?.color_variations.map((v) => v.position), [0, 1]);
      assert.deepEqual((await db.concepts.list(user, 1)).map((c) => c.id), [newer.concept.id]);

      assert.equal((await db.concepts.get(older.concept.id, user))?.id, older.concept.id);
      assert.equal(await db.concepts.get(older.concept.id, randomUUID()), null);
      assert.equal(await db.concepts.get('nope'), null);

      await db.concepts.deleteByTask(newer.task.id);
      await db.concepts.deleteByTask(newer.task.id); // missing is fine
      assert.equal(await db.concepts.findByTask(newer.task.id), null);
      assert.equal(await stack.sql(`select count(*) from color_variations where concept_id = '${newer.concept.id}'`), '0');
    });
  });

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
      await assert.rejects(db.objects.signedUrl(missing, 60), NotFoundError);
      assert.equal(await db.objects.exists(missing), false);
      // A name that only shares a prefix with a stored one does not exist either.
      const user = randomUUID();
      await db.objects.put(ref(`${user}/t/base.png.bak`), Buffer.from('x'), 'image/png');
      assert.equal(await db.objects.exists(ref(`${user}/t/base.png`)), false);
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
      assert.equal(stack.storage.buckets.get(BUCKETS.concepts)?.has(`${prefix}same-prefix-other-bucket.png`), true);
    });

    it('hands out signed URLs a client can fetch, and resolves them back to the object without a request', async () => {
      const target = ref(`${randomUUID()}/t/variation-00.png`, BUCKETS.palettes);
      await db.objects.put(target, Buffer.from('png bytes'), 'image/png');
      const url = await db.objects.signedUrl(target, 60);
      assert.ok(url.startsWith(`${stack.url}/storage/v1/object/sign/${target.bucket}/${target.path}?token=`), url);

      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.equal(await res.text(), 'png bytes');

      const tampered = new URL(url);
      tampered.pathname = tampered.pathname.replace('variation-00', 'variation-01');
      assert.equal((await fetch(tampered)).status, 400, 'a token signs one path only');
      const expired = signJwt(stack.jwtSecret, { url: `${target.bucket}/${target.path}`, iat: nowSeconds() - 120, exp: nowSeconds() - 60 });
      assert.equal((await fetch(`${stack.url}/storage/v1/object/sign/${target.bucket}/${target.path}?token=${expired}`)).status, 400);

      assert.deepEqual(db.objects.resolveUrl(url), target);
      const unsigned = `${stack.url}/storage/v1/object/authenticated/${target.bucket}/${target.path}`;
      assert.deepEqual(db.objects.resolveUrl(unsigned), target);
      assert.deepEqual(db.objects.resolveUrl(`${stack.url}/storage/v1/object/public/${target.bucket}/${target.path}`), target);
    });

    it('resolves nothing that is not an object URL of this project', () => {
      const path = `${randomUUID()}/t/base.png`;
      const foreign = [
        `https://evil.example/storage/v1/object/sign/concept-images/${path}?token=x`,
        `${stack.url.replace('127.0.0.1', 'localhost')}/storage/v1/object/sign/concept-images/${path}`,
        `${stack.url}/storage/v1/object/sign/other-bucket/${path}`,
        `${stack.url}/storage/v1/object/sign/concept-images/`,
        `${stack.url}/storage/v1/object/sign/concept-images/${path.split('/')[0]}%2F..%2Fx.png`,
        `${stack.url}/rest/v1/tasks`,
        'not a url',
        'file:///etc/passwd',
      ];
      for (const url of foreign) assert.equal(db.objects.resolveUrl(url), null, url);
    });

    it('turns a Storage outage into a retryable StorageError', async () => {
      stack.storage.simulateOutage(503);
      try {
        const calls = [
          () => db.objects.put(ref(`${randomUUID()}/x.png`), Buffer.from('x'), 'image/png'),
          () => db.objects.get(ref(`${randomUUID()}/x.png`)),
          () => db.objects.list(BUCKETS.concepts, `${randomUUID()}/`),
          () => db.objects.ping(),
        ];
        for (const call of calls) await assert.rejects(call(), (err: unknown) => err instanceof StorageError && err.retryable);
      } finally {
        stack.storage.simulateOutage(null);
      }
      await db.objects.ping();
    });
  });

  describe('row-level security through PostgREST', () => {
    const restAs = async (token: string, table: string) => {
      const res = await fetch(`${stack.url}/rest/v1/${table}?select=*`, { headers: { apikey: token, Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()) as { user_id?: string; concept_id?: string }[];
    };

    it('shows a user only their own tasks, concepts and variations', async () => {
      const [alice, bob] = [randomUUID(), randomUUID()];
      const a = await completedTaskWithConcept(alice, [0, 1]);
      const b = await completedTaskWithConcept(bob, [0]);
      const token = stack.userToken(alice);

      const tasks = await restAs(token, 'tasks');
      assert.ok(tasks.length >= 1 && tasks.every((t) => t.user_id === alice), 'only alice’s tasks');
      const concepts = await restAs(token, 'concepts');
      assert.deepEqual(concepts.map((c) => c.user_id), [alice]);
      const variations = await restAs(token, 'color_variations');
      assert.equal(variations.length, 2);
      assert.ok(variations.every((v) => v.concept_id === a.concept.id));
      assert.ok((await restAs(stack.userToken(bob), 'concepts')).every((c) => c.user_id === bob));
      assert.equal(b.concept.user_id, bob);

      const anonKey = signJwt(stack.jwtSecret, { role: 'anon', iat: nowSeconds(), exp: nowSeconds() + 60 });
      assert.deepEqual(await restAs(anonKey, 'tasks'), []);
    });

    it('does not let a user write tasks directly', async () => {
      const alice = randomUUID();
      const token = stack.userToken(alice);
      const res = await fetch(`${stack.url}/rest/v1/tasks`, {
        method: 'POST',
        headers: { apikey: token, Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: alice, type: 'generation' }),
      });
      assert.equal(res.status, 403);
      assert.equal(((await res.json()) as { code: string }).code, '42501');
    });
  });

  it('applies the migrations a second time without error, keeping rows and policies', async () => {
    const { task } = await completedTaskWithConcept(randomUUID());
    await stack.applyMigrations();
    assert.equal((await db.tasks.get(task.id))?.status, 'completed');
    const policies = await stack.sql(`select tablename || '.' || policyname from pg_policies where schemaname = 'public' order by 1`);
    assert.deepEqual(policies.split('\n'), [
      'color_variations.color_variations_owner_select',
      'concepts.concepts_owner_delete',
      'concepts.concepts_owner_select',
      'tasks.tasks_owner_select',
    ]);
    assert.equal(await stack.sql(`select bool_and(relrowsecurity) from pg_class where relname in ('tasks', 'concepts', 'color_variations')`), 't');
  });

  it('turns an unreachable database API into a retryable StorageError', async () => {
    const down = await createSupabasePersistence({ url: 'http://127.0.0.1:1', serviceRoleKey: stack.serviceRoleKey }, { signedUrlTtlSeconds: 60 });
    await assert.rejects(down.tasks.create(newTask(randomUUID())), (err: unknown) => err instanceof StorageError && err.retryable);
    await down.close();
  });
});
