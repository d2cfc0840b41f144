/**
 * The embedded database: PGlite (Postgres compiled to WebAssembly) in DATA_DIR/db, created from the
 * same migrations as Supabase. PGlite serves one process: a lock file makes a second process that
 * points at the same directory fail with a clear message instead of corrupting the data.
 */
import { PGlite } from '@electric-sql/pglite';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { StorageError } from '../../domain/errors.js';
import { loadMigrations } from '../migrations.js';

export const IN_MEMORY = ':memory:';

/**
 * Postgres' shared buffer pool inside PGlite's WebAssembly memory. Postgres' default (128 MB) is
 * sized for a server; this database holds task and concept rows of one machine (megabytes), and
 * every buffer page it touches stays resident. 16 MB keeps all of it cached and the process
 * ~140 MB smaller (docs/performance.md, P6).
 */
export const EMBEDDED_SHARED_BUFFERS = '16MB';
const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`];

export interface EmbeddedDatabase {
  db: PGlite;
  close(): Promise<void>;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes DIR/.lock for this process; refuses when another live process holds it. */
function lockDirectory(dir: string): () => void {
  const lockPath = join(dir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lockPath, 'utf8'));
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new StorageError(
          `The embedded database in ${dir} is in use by process ${holder}. It serves one process: run worker and API together ` +
            '(`npm start`), or configure SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY to run them separately.',
        );
      }
      rmSync(lockPath, { force: true }); // left behind by a process that is gone
    }
  }
  throw new StorageError(`Could not lock the embedded database in ${dir}`);
}

async function migrate(db: PGlite): Promise<void> {
  await db.exec('create table if not exists conceptflow_migrations (name text primary key, applied_at timestamptz not null default now())');
  const applied = new Set((await db.query<{ name: string }>('select name from conceptflow_migrations')).rows.map((r) => r.name));
  for (const migration of await loadMigrations()) {
    if (applied.has(migration.name)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.query('insert into conceptflow_migrations (name) values ($1)', [migration.name]);
    });
  }
}

/**
 * Creating a database (Postgres' initdb) grows PGlite's WebAssembly memory to ~650 MB, and a
 * WebAssembly memory never shrinks: done in the serving process, that stays resident for the
 * process's life. So a new database is made by a short-lived child process, into a staging
 * directory renamed into place when complete (a crash while creating leaves no half-made
 * database); the serving process then opens it at ~130 MB. If the child cannot run, the database
 * is created in-process as before.
 */
const CREATE_CHILD = `
import { PGlite } from '@electric-sql/pglite';
const [dataDir, ...startParams] = process.argv.slice(1);
const db = await PGlite.create({ dataDir, startParams });
await db.close();
`;
const CREATE_TIMEOUT_MS = 300_000;

async function createDataDirectory(dataDir: string): Promise<void> {
  const staging = `${dataDir}.creating`;
  rmSync(staging, { recursive: true, force: true });
  try {
    // cwd beside this module, so the child resolves the same @electric-sql/pglite.
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CREATE_CHILD, staging, ...startParams], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      timeout: CREATE_TIMEOUT_MS,
    });
    renameSync(staging, dataDir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Opens (creating and migrating when new) the database under `dir`, or in memory for `:memory:`. */
export async function openEmbeddedDatabase(dir: string): Promise<EmbeddedDatabase> {
  let unlock = () => {};
  let db: PGlite;
  if (dir === IN_MEMORY) {
    db = await PGlite.create({ startParams });
  } else {
    mkdirSync(dir, { recursive: true });
    unlock = lockDirectory(dir);
    try {
      const dataDir = join(dir, 'pgdata');
      if (!existsSync(dataDir)) await createDataDirectory(dataDir);
      db = await PGlite.create({ dataDir, startParams });
    } catch (err) {
      unlock();
      throw new StorageError(`Could not open the embedded database in ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    unlock();
    throw err;
  }
  return {
    db,
    async close() {
      if (!db.closed) await db.close();
      unlock();
    },
  };
}
