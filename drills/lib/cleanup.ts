/**
 * What the drills must undo whatever happens: processes they started, mounts, temporary folders.
 * Each resource registers an async undo (run in reverse order by `cleanupAll`, on success, failure
 * or a signal) and a synchronous last resort run from the `exit` event if the async one never ran.
 */
export interface Undo {
  name: string;
  run(): Promise<void>;
  /** Best effort when the process is exiting and cannot wait (e.g. SIGKILL a process group). */
  runSync?(): void;
}

const pending = new Set<Undo>();

/** Registers an undo; the returned function unregisters it (call it once the resource is released normally). */
export function onCleanup(undo: Undo): () => void {
  pending.add(undo);
  return () => void pending.delete(undo);
}

/** Runs every pending undo, newest first; errors are reported, not thrown. */
export async function cleanupAll(report: (message: string) => void = console.error): Promise<void> {
  for (const undo of [...pending].reverse()) {
    pending.delete(undo);
    try {
      await undo.run();
    } catch (err) {
      report(`cleanup of ${undo.name} failed: ${(err as Error).message}`);
    }
  }
}

process.on('exit', () => {
  for (const undo of [...pending].reverse()) {
    try {
      undo.runSync?.();
    } catch {
      // exiting anyway
    }
  }
});
