/**
 * The embedded backend (PGlite + files): the shared persistence contract, served over a real
 * loopback HTTP server for its signed file URLs, plus what only this backend does — HMAC URL
 * expiry, path safety on disk, the single-process lock, and data surviving a restart.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { createFilesRouter } from '../../src/api/routes/files.js';
import { errorHandler } from '../../src/api/errors.js';
import { BUCKETS, type ObjectRef } from '../../src/domain/concept.js';
import { InvalidInputError, NotFoundError, StorageError } from '../../src/domain/errors.js';
import { EMBEDDED_SHARED_BUFFERS, IN_MEMORY, openEmbeddedDatabase } from '../../src/persistence/embedded/database.js';
import { createEmbeddedPersistence, FILES_PREFIX, type EmbeddedPersistence } from '../../src/persistence/embedded/index.js';
import { completedTaskWithConcept, newTask, persistenceContract } from './contract.js';

interface Served {
  persistence: EmbeddedPersistence;
  baseUrl: string;
  clock: { offsetMs: number };
  close(): Promise<void>;
}

/** An embedded backend in `dataDir` whose signed URLs are served by the files router on loopback. */
async function serve(dataDir: string): Promise<Served> {
  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clock = { offsetMs: 0 };
  const now = () => Date.now() + clock.offsetMs;
  const persistence = await createEmbeddedPersistence({ dataDir, publicBaseUrl: baseUrl, signingSecret: 'embedded-test', now });
  app.use(createFilesRouter(persistence.objects, persistence.signer, now));
  app.use(errorHandler);
  return {
    persistence,
    baseUrl,
    clock,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await persistence.close();
    },
  };
}

const countVariations = (p: EmbeddedPersistence) => async (conceptId: string) => {
  const concept = await p.concepts.get(conceptId);
  return concept ? concept.color_variations.length : 0;
};

persistenceContract('embedded (PGlite + files), in memory', async () => {
  const served = await serve(':memory:');
  return { persistence: served.persistence, countVariations: countVariations(served.persistence), close: served.close };
});

describe('embedded backend specifics', () => {
  let dataDir: string;
  let served: Served;
  let db: EmbeddedPersistence;
  const ref = (path: string, bucket: ObjectRef['bucket'] = BUCKETS.concepts): ObjectRef => ({ bucket, path });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cf-embedded-'));
    served = await serve(dataDir);
    db = served.persistence;
  });
  after(async () => {
    await served?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps objects as files under storage/{bucket}/ and the database under db/', async () => {
    const target = ref(`${randomUUID()}/t/base.png`);
    await db.objects.put(target, Buffer.from('bytes'), 'image/png');
    assert.equal(readFileSync(join(dataDir, 'storage', target.bucket, ...target.path.split('/')), 'utf8'), 'bytes');
    assert.ok(existsSync(join(dataDir, 'db', 'pgdata')));
  });

  it('serves a signed URL until it expires, then answers 403 url_expired; HEAD has the headers only', async () => {
    const target = ref(`${randomUUID()}/t/base.png`);
    await db.objects.put(target, Buffer.from('<svg/>'), 'image/svg+xml');
    const url = await db.objects.signedUrl(target, 60);
    assert.match(url, new RegExp(`^${served.baseUrl}/storage/v1/object/sign/concept-images/.+\\?expires=\\d+&signature=[0-9a-f]{64}$`));
    // URLs signed under the earlier /files/ prefix stay valid until they expire.
    const legacy = url.replace('/storage/v1/object/sign/', '/files/');
    assert.equal((await fetch(legacy)).status, 200);
    assert.deepEqual(db.objects.resolveUrl(legacy), target);

    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /sandbox/, 'stored SVG cannot run script');
    assert.match(res.headers.get('cache-control') ?? '', /^private, max-age=(5\d|60)$/);
    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '6');

    served.clock.offsetMs = 61_000;
    try {
      const expired = await fetch(url);
      assert.equal(expired.status, 403);
      assert.equal(((await expired.json()) as { error: { code: string } }).error.code, 'url_expired');
    } finally {
      served.clock.offsetMs = 0;
    }
  });

  it('refuses forged, stretched and malformed signatures with 403, and a signed missing object with 404', async () => {
    const target = ref(`${randomUUID()}/t/base.png`);
    await db.objects.put(target, Buffer.from('x'), 'image/png');
    const url = new URL(await db.objects.signedUrl(target, 60));
    const stretched = new URL(url);
    stretched.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    const forged = new URL(url);
    forged.searchParams.set('signature', '0'.repeat(64));
    const unsigned = new URL(url);
    unsigned.search = '';
    for (const bad of [stretched, forged, unsigned]) assert.equal((await fetch(bad)).status, 403, bad.href);

    const missing = await db.objects.signedUrl(ref(`${randomUUID()}/t/none.png`), 60);
    assert.equal((await fetch(missing)).status, 404);
  });

  it('never touches a file outside its root: unsafe paths are refused before any I/O', async () => {
    for (const path of ['../escape.png', 'a/../../escape.png', 'a//b.png', '/abs.png', 'a/./b.png', 'a\\..\\b.png', '']) {
      await assert.rejects(db.objects.put(ref(path), Buffer.from('x'), 'image/png'), InvalidInputError, path);
      assert.equal(await db.objects.exists(ref(path)), false);
    }
    const traversal = `${served.baseUrl}/files/concept-images/..%2F..%2Fdb%2Fpgdata%2FPG_VERSION?expires=9999999999&signature=${'0'.repeat(64)}`;
    assert.equal((await fetch(traversal)).status, 403);
    assert.equal(db.objects.resolveUrl(`${served.baseUrl}/files/concept-images/u/..%2F..%2Fx.png`), null);
  });

  it('writes through storage/.tmp; what a crashed writer left there is removed when the store opens again (found by drill R1)', async () => {
    const target = ref(`${randomUUID()}/t/base.png`);
    await db.objects.put(target, Buffer.from('bytes'), 'image/png');
    assert.deepEqual(readdirSync(join(dataDir, 'storage', '.tmp')), [], 'nothing left in .tmp after a write');
    const folder = join(dataDir, 'storage', target.bucket, ...target.path.split('/').slice(0, -1));
    assert.deepEqual(readdirSync(folder), ['base.png'], 'no temporary file beside the object');

    const dir = mkdtempSync(join(tmpdir(), 'cf-embedded-sweep-'));
    try {
      const first = await createEmbeddedPersistence({ dataDir: dir, publicBaseUrl: 'http://127.0.0.1:9', signingSecret: 's' });
      const kept = ref(`${randomUUID()}/t/base.png`);
      await first.objects.put(kept, Buffer.from('kept'), 'image/png');
      await first.close();
      // A process SIGKILLed mid-write leaves its temporary file behind.
      writeFileSync(join(dir, 'storage', '.tmp', randomUUID()), 'half an image');
      const second = await createEmbeddedPersistence({ dataDir: dir, publicBaseUrl: 'http://127.0.0.1:9', signingSecret: 's' });
      try {
        assert.deepEqual(readdirSync(join(dir, 'storage', '.tmp')), []);
        assert.deepEqual(await second.objects.get(kept), { bytes: Buffer.from('kept'), contentType: 'image/png' });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a write that fails half-way leaves bytes that list finds (so cleanup removes them), never a lone content type', async () => {
    const user = randomUUID();
    const target = ref(`${user}/t/variation-00.png`, BUCKETS.palettes);
    // A file where the content type's folder belongs: the second half of the write fails.
    mkdirSync(join(dataDir, 'storage', '.meta', target.bucket, user), { recursive: true });
    writeFileSync(join(dataDir, 'storage', '.meta', target.bucket, user, 't'), 'in the way');
    await assert.rejects(db.objects.put(target, Buffer.from('png'), 'image/png'), StorageError);
    assert.deepEqual(await db.objects.list(target.bucket, `${user}/t/`), [`${user}/t/variation-00.png`]);
    rmSync(join(dataDir, 'storage', '.meta', target.bucket, user, 't'));
    await db.objects.remove(target.bucket, await db.objects.list(target.bucket, `${user}/t/`));
    assert.deepEqual(await db.objects.list(target.bucket, `${user}/t/`), []);
  });

  it("a move interrupted after its rename is finished by the retry: the source's content type does not stay behind", async () => {
    const user = randomUUID();
    const source = ref(`${user}/t/staging/source.png`);
    const target = ref(`${user}/t/base.png`);
    await db.objects.put(source, Buffer.from('png'), 'image/png');
    const file = (r: ObjectRef) => join(dataDir, 'storage', r.bucket, ...r.path.split('/'));
    const meta = (r: ObjectRef) => `${join(dataDir, 'storage', '.meta', r.bucket, ...r.path.split('/'))}.json`;
    // The crash: content type copied and bytes renamed, the source's content type not yet removed.
    writeFileSync(meta(target), readFileSync(meta(source)));
    renameSync(file(source), file(target));
    await assert.rejects(db.objects.move(source.bucket, source.path, target.path), NotFoundError);
    assert.equal(existsSync(meta(source)), false);
    assert.deepEqual(await db.objects.get(target), { bytes: Buffer.from('png'), contentType: 'image/png' });
  });

  it('refuses a second process on the same data directory with a message saying what to do', async () => {
    const lock = join(dataDir, 'db', '.lock');
    assert.equal(readFileSync(lock, 'utf8'), String(process.pid));
    // Another live process (our parent) holding the lock:
    const other = mkdtempSync(join(tmpdir(), 'cf-embedded-locked-'));
    try {
      mkdirSync(join(other, 'db'), { recursive: true });
      writeFileSync(join(other, 'db', '.lock'), String(process.ppid));
      await assert.rejects(
        createEmbeddedPersistence({ dataDir: other, publicBaseUrl: served.baseUrl }),
        (err: unknown) => err instanceof StorageError && /in use by process \d+.*npm start.*SUPABASE_URL/.test(err.message),
      );
      // A lock left by a process that is gone is taken over.
      writeFileSync(join(other, 'db', '.lock'), '999999999');
      const reopened = await createEmbeddedPersistence({ dataDir: other, publicBaseUrl: served.baseUrl });
      await reopened.close();
      assert.equal(existsSync(join(other, 'db', '.lock')), false, 'close releases the lock');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('keeps tasks, concepts, objects and the generated signing secret across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-embedded-restart-'));
    try {
      const first = await createEmbeddedPersistence({ dataDir: dir, publicBaseUrl: 'http://127.0.0.1:9' });
      const user = randomUUID();
      const { task, concept } = await completedTaskWithConcept(first, user);
      const pending = newTask(user, 'refinement');
      await first.tasks.create(pending);
      const object = ref(`${user}/${task.id}/base.png`);
      await first.objects.put(object, Buffer.from('kept'), 'image/webp');
      const signed = await first.objects.signedUrl(object, 600);
      await first.close();

      const second = await createEmbeddedPersistence({ dataDir: dir, publicBaseUrl: 'http://127.0.0.1:9' });
      try {
        assert.equal((await second.tasks.get(task.id))?.status, 'completed');
        assert.equal((await second.tasks.get(pending.id))?.status, 'pending');
        assert.equal((await second.concepts.get(concept.id))?.color_variations.length, 2);
        assert.deepEqual(await second.objects.get(object), { bytes: Buffer.from('kept'), contentType: 'image/webp' });
        const url = new URL(signed);
        assert.deepEqual(second.signer.verify(url.pathname.slice(FILES_PREFIX.length), url.searchParams), { ok: true, ref: object });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded database settings', () => {
  it('runs Postgres with a small shared buffer pool, on disk and in memory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cf-embedded-buffers-'));
    try {
      for (const dir of [join(dataDir, 'db'), IN_MEMORY]) {
        const { db, close } = await openEmbeddedDatabase(dir);
        try {
          const { rows } = await db.query<{ shared_buffers: string }>('show shared_buffers');
          assert.equal(rows[0]?.shared_buffers, EMBEDDED_SHARED_BUFFERS, dir);
        } finally {
          await close();
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('embedded backend start-up failure', () => {
  it('releases the database lock when the rest cannot be set up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-embedded-fail-'));
    try {
      writeFileSync(join(dir, 'storage'), 'a file where the storage folder belongs');
      await assert.rejects(createEmbeddedPersistence({ dataDir: dir, publicBaseUrl: 'http://127.0.0.1:9', signingSecret: 's' }), StorageError);
      assert.equal(existsSync(join(dir, 'db', '.lock')), false, 'no lock left behind');
      rmSync(join(dir, 'storage'));
      const reopened = await createEmbeddedPersistence({ dataDir: dir, publicBaseUrl: 'http://127.0.0.1:9', signingSecret: 's' });
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
