/**
 * The Supabase backend against real PostgreSQL 15 + the real PostgREST binary + the Storage test
 * server, behind one gateway like a Supabase project. Skipped, with the reason printed, when the
 * PostgreSQL binaries (or the PostgREST binary) are not installed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BUCKETS, objectPaths, type ObjectRef } from '../../src/domain/concept.js';
import { NotFoundError, StorageError } from '../../src/domain/errors.js';
import type { Persistence } from '../../src/persistence/ports.js';
import { createSupabasePersistence } from '../../src/persistence/supabase/index.js';
import { signJwt, nowSeconds } from '../support/jwt.js';
import { startSupabaseStack, supabaseStackUnavailable, type SupabaseStack } from '../support/supabase-stack.js';
import { completedTaskWithConcept, newTask, persistenceContract } from './contract.js';

const unavailable = supabaseStackUnavailable();
if (unavailable) console.log(`# Supabase backend tests skipped: ${unavailable}`);

function started(): SupabaseStack {
  if (!sharedStack) throw new Error('the Supabase stack did not start');
  return sharedStack;
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

persistenceContract(
  'Supabase (PostgreSQL + PostgREST + Storage)',
  async () => {
    const stack = started();
    const persistence = await connect(stack);
    return {
      persistence,
      countVariations: async (conceptId) => Number(await stack.sql(`select count(*) from color_variations where concept_id = '${conceptId}'`)),
      close: () => persistence.close(),
    };
  },
  { skip: unavailable ?? false },
);

const connect = (s: SupabaseStack) => createSupabasePersistence({ url: s.url, serviceRoleKey: s.serviceRoleKey }, { signedUrlTtlSeconds: 60 });

describe('Supabase backend specifics (PostgreSQL + PostgREST + Storage)', { skip: unavailable ?? false }, () => {
  let stack: SupabaseStack;
  let db: Persistence;

  before(async () => {
    stack = started();
    db = await connect(stack);
  });
  after(async () => {
    await db?.close();
  });

  describe('Storage specifics', () => {
    const ref = (path: string, bucket: ObjectRef['bucket'] = BUCKETS.concepts): ObjectRef => ({ bucket, path });

    it('signs only objects that exist, as Storage does', async () => {
      await assert.rejects(db.objects.signedUrl(ref(`${randomUUID()}/t/none.png`, BUCKETS.palettes), 60), NotFoundError);
    });

    it('hands out Storage sign URLs whose tokens expire, and resolves every object URL form of the project', async () => {
      const target = ref(`${randomUUID()}/t/variation-00.png`, BUCKETS.palettes);
      await db.objects.put(target, Buffer.from('png bytes'), 'image/png');
      const url = await db.objects.signedUrl(target, 60);
      assert.ok(url.startsWith(`${stack.url}/storage/v1/object/sign/${target.bucket}/${target.path}?token=`), url);
      const expired = signJwt(stack.jwtSecret, { url: `${target.bucket}/${target.path}`, iat: nowSeconds() - 120, exp: nowSeconds() - 60 });
      assert.equal((await fetch(`${stack.url}/storage/v1/object/sign/${target.bucket}/${target.path}?token=${expired}`)).status, 400);
      for (const access of ['authenticated', 'public']) {
        assert.deepEqual(db.objects.resolveUrl(`${stack.url}/storage/v1/object/${access}/${target.bucket}/${target.path}`), target);
      }
      assert.equal(db.objects.resolveUrl(`${stack.url}/rest/v1/tasks`), null);
    });

    it('keeps the other bucket untouched when removing under a prefix', async () => {
      const prefix = objectPaths.taskPrefix(randomUUID(), randomUUID());
      await db.objects.put(ref(`${prefix}a.png`, BUCKETS.palettes), Buffer.from('x'), 'image/png');
      await db.objects.put(ref(`${prefix}a.png`), Buffer.from('x'), 'image/png');
      await db.objects.remove(BUCKETS.palettes, [`${prefix}a.png`]);
      assert.equal(stack.storage.buckets.get(BUCKETS.concepts)?.has(`${prefix}a.png`), true);
      assert.equal(stack.storage.buckets.get(BUCKETS.palettes)?.has(`${prefix}a.png`), false);
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
      const a = await completedTaskWithConcept(db, alice, [0, 1]);
      const b = await completedTaskWithConcept(db, bob, [0]);
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

    it('lets a user read their own quota usage but never call the service-role functions (quotas, concepts, task rules)', async () => {
      const [alice, bob] = [randomUUID(), randomUUID()];
      const hour = [{ period: 'hour' as const, limit: 5 }];
      await db.quotas.take(alice, 'generate', randomUUID(), hour, new Date());
      await db.quotas.take(bob, 'generate', randomUUID(), hour, new Date());
      const token = stack.userToken(alice);
      assert.deepEqual((await restAs(token, 'quota_usage')).map((r) => r.user_id), [alice]);

      const rpc = (name: string, args: Record<string, unknown>) =>
        fetch(`${stack.url}/rest/v1/rpc/${name}`, {
          method: 'POST',
          headers: { apikey: token, Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(args),
        });
      const take = await rpc('conceptflow_quota_take', { p_user_id: bob, p_category: 'generate', p_subject: 'x', p_windows: [], p_now: new Date().toISOString() });
      assert.equal(take.status, 403, 'a user cannot count uses for someone else');
      const store = await rpc('store_concept', { concept: { user_id: bob }, variations: [] });
      assert.equal(store.status, 403, 'nor store concepts under another user id');
      const bobsTask = newTask(bob);
      await db.tasks.create(bobsTask);
      const taskCalls: [string, Record<string, unknown>][] = [
        ['conceptflow_task_create', { p_id: randomUUID(), p_user_id: bob, p_type: 'refinement', p_workflow_id: 'w', p_metadata: {}, p_idempotency_key: null }],
        ['conceptflow_task_claim', { p_id: bobsTask.id, p_workflow_id: 'w' }],
        ['conceptflow_task_complete', { p_id: bobsTask.id, p_result_id: randomUUID() }],
        ['conceptflow_task_finish', { p_id: bobsTask.id, p_status: 'canceled', p_error_message: 'x' }],
        ['conceptflow_task_merge_metadata', { p_id: bobsTask.id, p_patch: { x: 1 } }],
      ];
      for (const [name, args] of taskCalls) assert.equal((await rpc(name, args)).status, 403, `nor call ${name}`);
      const untouched = await db.tasks.get(bobsTask.id);
      assert.equal(untouched?.status, 'pending');
      assert.deepEqual(untouched?.metadata, bobsTask.metadata);
      assert.deepEqual((await db.quotas.usage(bob, 'generate', hour, new Date())).map((w) => w.used), [1]);
    });
  });

  it('adds tasks to the supabase_realtime publication where it exists, once', async () => {
    const published = () => stack.sql(`select string_agg(tablename, ',') from pg_publication_tables where pubname = 'supabase_realtime'`);
    await stack.sql('drop publication if exists supabase_realtime; create publication supabase_realtime');
    try {
      await stack.applyMigrations();
      assert.equal(await published(), 'tasks');
      await stack.applyMigrations();
      assert.equal(await published(), 'tasks', 'applying again changes nothing');
      await stack.sql('drop publication supabase_realtime; create publication supabase_realtime for all tables');
      await stack.applyMigrations();
    } finally {
      await stack.sql('drop publication if exists supabase_realtime');
    }
  });

  it('applies the migrations a second time without error, keeping rows and policies', async () => {
    const { task } = await completedTaskWithConcept(db, randomUUID());
    await stack.applyMigrations();
    assert.equal((await db.tasks.get(task.id))?.status, 'completed');
    const policies = await stack.sql(`select tablename || '.' || policyname from pg_policies where schemaname = 'public' order by 1`);
    assert.deepEqual(policies.split('\n'), [
      'color_variations.color_variations_owner_select',
      'concepts.concepts_owner_delete',
      'concepts.concepts_owner_select',
      'quota_usage.quota_usage_owner_select',
      'tasks.tasks_owner_select',
    ]);
    assert.equal(
      await stack.sql(`select bool_and(relrowsecurity) from pg_class where relname in ('tasks', 'concepts', 'color_variations', 'quota_usage')`),
      't',
    );
  });

  it('makes a create wait for a concurrent create of the same user and type, never failing on the unique index', async () => {
    const user = randomUUID();
    const first = newTask(user);
    // Another session creates a task and holds its transaction open for a second.
    const holding = stack.sql(
      `begin; select conceptflow_task_create('${first.id}', '${user}', 'generation', 'w', '{}'::jsonb, null) is not null; select pg_sleep(1); commit;`,
    );
    const sleeping = () => stack.sql(`select count(*) from pg_stat_activity where state = 'active' and query like '%pg_sleep(1)%' and pid <> pg_backend_pid()`);
    for (let i = 0; i < 100 && (await sleeping()) === '0'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await sleeping(), '1', 'the other session is inside its transaction');
    const second = await db.tasks.create(newTask(user));
    await holding;
    assert.equal(second.outcome, 'active_conflict');
    assert.equal(second.task.id, first.id);
  });

  it('turns an unreachable database API into a retryable StorageError', async () => {
    const down = await createSupabasePersistence({ url: 'http://127.0.0.1:1', serviceRoleKey: stack.serviceRoleKey }, { signedUrlTtlSeconds: 60 });
    await assert.rejects(down.tasks.create(newTask(randomUUID())), (err: unknown) => err instanceof StorageError && err.retryable);
    await down.close();
  });
});
