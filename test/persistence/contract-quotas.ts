/**
 * The quota part of the persistence contract (src/persistence/ports.ts QuotaRepository, and the
 * task discard that a refused start uses), called by `persistenceContract` for every backend.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../src/domain/errors.js';
import { retryAt, type QuotaWindow } from '../../src/domain/quota.js';
import type { Persistence } from '../../src/persistence/ports.js';
import { newTask } from './contract.js';

export function quotaContract(db: () => Persistence): void {
  describe('quotas', () => {
    const windows: QuotaWindow[] = [
      { period: 'hour', limit: 2 },
      { period: 'month', limit: 3 },
    ];
    const at = (iso: string) => new Date(iso);

    it('counts uses per fixed UTC hour and month, refusing once a window is full', async () => {
      const user = randomUUID();
      const take = (subject: string, when: string) => db().quotas.take(user, 'generate', subject, windows, at(when));
      assert.equal((await take('s1', '2030-03-15T10:20:00Z')).granted, true);
      const second = await take('s2', '2030-03-15T10:21:00Z');
      assert.deepEqual(second, {
        granted: true,
        windows: [
          { period: 'hour', limit: 2, used: 2, resets_at: '2030-03-15T11:00:00.000Z' },
          { period: 'month', limit: 3, used: 2, resets_at: '2030-04-01T00:00:00.000Z' },
        ],
      });
      const refused = await take('s3', '2030-03-15T10:59:59Z');
      assert.equal(refused.granted, false);
      assert.equal(retryAt(refused.windows), '2030-03-15T11:00:00.000Z');

      assert.equal((await take('s3', '2030-03-15T11:00:00Z')).granted, true, 'a new hour');
      const monthFull = await take('s4', '2030-03-15T12:00:00Z');
      assert.equal(monthFull.granted, false);
      assert.deepEqual(monthFull.windows.map((w) => w.used), [0, 3]);
      assert.equal(retryAt(monthFull.windows), '2030-04-01T00:00:00.000Z');
      assert.equal((await take('s4', '2030-04-01T00:00:00Z')).granted, true, 'a new month');
      assert.deepEqual(
        (await db().quotas.usage(user, 'generate', windows, at('2030-04-01T00:30:00Z'))).map((w) => w.used),
        [1, 1],
      );
    });

    it('counts a subject once, refunds it exactly, and keeps users and categories apart', async () => {
      const user = randomUUID();
      const when = at('2030-05-10T08:00:00Z');
      const one = [{ period: 'hour', limit: 1 }] satisfies QuotaWindow[];
      assert.equal((await db().quotas.take(user, 'refine', 'task-a', one, when)).granted, true);
      assert.equal((await db().quotas.take(user, 'refine', 'task-a', one, when)).granted, true, 'the same subject again');
      assert.equal((await db().quotas.take(user, 'refine', 'task-b', one, when)).granted, false);
      assert.equal((await db().quotas.take(user, 'export', 'export-a', one, when)).granted, true, 'another category');
      assert.equal((await db().quotas.take(randomUUID(), 'refine', 'task-c', one, when)).granted, true, 'another user');

      await db().quotas.refund('refine', 'task-a');
      await db().quotas.refund('refine', 'never-counted');
      assert.deepEqual((await db().quotas.usage(user, 'refine', one, when)).map((w) => w.used), [0]);
      assert.equal((await db().quotas.take(user, 'refine', 'task-b', one, when)).granted, true);
    });

    it('never grants more than the limit to concurrent takers', async () => {
      const user = randomUUID();
      const when = at('2030-06-01T12:00:00Z');
      const three = [{ period: 'month', limit: 3 }] satisfies QuotaWindow[];
      const decisions = await Promise.all(Array.from({ length: 8 }, (_, i) => db().quotas.take(user, 'generate', `c-${i}`, three, when)));
      assert.equal(decisions.filter((d) => d.granted).length, 3);
      assert.deepEqual((await db().quotas.usage(user, 'generate', three, when)).map((w) => w.used), [3]);
    });

    it('grants without windows and refuses an unknown period as invalid input', async () => {
      assert.deepEqual(await db().quotas.take(randomUUID(), 'export', randomUUID(), [], new Date()), { granted: true, windows: [] });
      await assert.rejects(
        db().quotas.usage(randomUUID(), 'export', [{ period: 'week' as 'hour', limit: 1 }], new Date()),
        InvalidInputError,
      );
    });

    it('discards a task only while it is pending', async () => {
      const pending = newTask(randomUUID());
      await db().tasks.create(pending);
      assert.equal(await db().tasks.discard(pending.id), true);
      assert.equal(await db().tasks.get(pending.id), null);
      assert.equal(await db().tasks.discard(pending.id), false);

      const started = newTask(randomUUID());
      await db().tasks.create(started);
      await db().tasks.claim(started.id, started.workflow_id);
      assert.equal(await db().tasks.discard(started.id), false);
      assert.equal((await db().tasks.get(started.id))?.status, 'processing');
    });
  });
}
