/**
 * A new embedded database is created by a child process into a staging directory renamed into
 * place (the serving process never holds initdb's memory; a crash while creating leaves no
 * half-made database).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openEmbeddedDatabase } from '../../src/persistence/embedded/database.js';

describe('embedded database creation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cf-embedded-create-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces what a crash left half-made, and opens a complete, migrated database', async () => {
    // What a process killed while creating leaves behind.
    mkdirSync(join(dir, 'pgdata.creating'));
    writeFileSync(join(dir, 'pgdata.creating', 'PG_VERSION'), 'half');
    const database = await openEmbeddedDatabase(dir);
    try {
      assert.ok(existsSync(join(dir, 'pgdata', 'PG_VERSION')));
      assert.ok(!existsSync(join(dir, 'pgdata.creating')), 'no staging directory left');
      const { rows } = await database.db.query<{ n: number }>('select count(*)::int as n from conceptflow_migrations');
      assert.ok(rows[0]!.n >= 2, 'migrations applied');
    } finally {
      await database.close();
    }
    // Opened again: the same data, nothing created anew.
    const again = await openEmbeddedDatabase(dir);
    await again.close();
  });
});
