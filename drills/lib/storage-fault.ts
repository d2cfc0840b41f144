/**
 * Makes a directory tree read-only in a way that really stops writes, also for root (who ignores
 * permission bits). In order of preference:
 *   - root: a read-only bind mount of the directory over itself (every write fails with EROFS,
 *     reads keep working) — needs CAP_SYS_ADMIN;
 *   - root without mount rights: the immutable attribute (`chattr +i`) on every directory of the
 *     tree (EPERM on creating, renaming or removing entries) — needs a filesystem that has it;
 *   - anyone else: write permission removed from every directory (EACCES).
 * Each candidate is verified with probe writes (at the top and in the deepest folder) before it is
 * used; the undo is registered for cleanup, so an interrupted drill never leaves it behind.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onCleanup } from './cleanup.js';

export interface ReadOnlyFault {
  /** How writes were made to fail, e.g. `read-only bind mount (EROFS)`. */
  method: string;
  /** Error codes the probe writes got. */
  probeErrors: string[];
  undo(): Promise<void>;
}

function directories(root: string): string[] {
  const out = [root];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...directories(join(root, entry.name)));
  }
  return out;
}

/** Attempts writes in `dirs`; the error codes, or null when one of them succeeded. */
function probe(dirs: string[]): string[] | null {
  const codes: string[] = [];
  for (const dir of dirs) {
    const file = join(dir, `.drill-probe-${randomUUID()}`);
    try {
      writeFileSync(file, 'probe');
      rmSync(file, { force: true });
      return null;
    } catch (err) {
      codes.push((err as NodeJS.ErrnoException).code ?? 'error');
    }
  }
  return codes;
}

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: 'pipe' });

interface Candidate {
  method: string;
  apply(dirs: string[]): void;
  revert(dirs: string[]): void;
}

function candidates(root: string): Candidate[] {
  const isRoot = process.getuid?.() === 0;
  const list: Candidate[] = [];
  if (isRoot) {
    list.push({
      method: 'read-only bind mount',
      apply: () => {
        run('mount', ['--bind', root, root]);
        try {
          run('mount', ['-o', 'remount,ro,bind', root]);
        } catch (err) {
          run('umount', [root]);
          throw err;
        }
      },
      revert: () => {
        try {
          run('umount', [root]);
        } catch {
          run('umount', ['-l', root]);
        }
      },
    });
    list.push({
      method: 'immutable directories (chattr +i)',
      apply: (dirs) => run('chattr', ['+i', ...dirs]),
      revert: (dirs) => run('chattr', ['-i', ...dirs]),
    });
  }
  const modes = new Map<string, number>();
  list.push({
    method: 'write permission removed (chmod a-w)',
    apply: (dirs) => {
      for (const dir of dirs) {
        const mode = statSync(dir).mode & 0o7777;
        modes.set(dir, mode);
        chmodSync(dir, mode & ~0o222);
      }
    },
    revert: () => {
      for (const [dir, mode] of modes) chmodSync(dir, mode);
    },
  });
  return list;
}

export async function makeReadOnly(root: string): Promise<ReadOnlyFault> {
  const tried: string[] = [];
  for (const candidate of candidates(root)) {
    const dirs = directories(root);
    const deepest = dirs.reduce((a, b) => (b.split('/').length > a.split('/').length ? b : a), root);
    try {
      candidate.apply(dirs);
    } catch (err) {
      tried.push(`${candidate.method}: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    const probeErrors = probe([root, deepest]);
    if (probeErrors === null) {
      candidate.revert(dirs);
      tried.push(`${candidate.method}: writes still succeed`);
      continue;
    }
    let undone = false;
    const undo = async () => {
      if (undone) return;
      undone = true;
      unregister();
      candidate.revert(dirs);
    };
    const unregister = onCleanup({ name: `read-only ${root}`, run: undo, runSync: () => void (undone || candidate.revert(dirs)) });
    return { method: `${candidate.method} (${[...new Set(probeErrors)].join(', ')})`, probeErrors, undo };
  }
  throw new Error(`could not make ${root} read-only so that writes fail: ${tried.join('; ')}`);
}
