/**
 * The SQL migrations under ./migrations, in name order: one source for both backends. Each file is
 * idempotent (`if not exists`, `create or replace`), so applying it again is harmless.
 */
import { readdir, readFile } from 'node:fs/promises';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  /** File name, e.g. `001_init.sql`; also the version recorded as applied. */
  name: string;
  sql: string;
}

export async function loadMigrations(): Promise<Migration[]> {
  const names = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(new URL(name, MIGRATIONS_DIR), 'utf8') })));
}
