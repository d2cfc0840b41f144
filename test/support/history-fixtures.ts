/**
 * Recorded workflow histories under test/fixtures/histories/: the determinism guard. The workflow
 * tests write them when RECORD_HISTORIES=1 (`npm run histories:record`, on a real server); the
 * offline tier replays them against the current workflow code (test/workflows/replay.test.ts).
 *
 * Never re-record just to make replay pass: a change that breaks replay of a recorded history
 * breaks every run in flight when it is deployed. Guard it with `patched()` or a new workflow type.
 * When a patched change makes new histories differ, move the old fixtures under archive/<what
 * changed>/ first, then record: archived histories keep replaying (the unpatched paths), and the
 * fresh ones guard the new shape.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';

export const HISTORY_FIXTURES_DIR = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));

/** The scenarios a fixture must exist for. */
export const HISTORY_FIXTURES = [
  'generation-success',
  'generation-partial',
  'generation-failed-compensated',
  'generation-canceled',
  'refinement-success',
] as const;
export type HistoryFixture = (typeof HISTORY_FIXTURES)[number];

interface FixtureFile {
  workflow_id: string;
  recorded_with: string;
  history: unknown;
}

export const recordingHistories = process.env.RECORD_HISTORIES === '1';

/** Writes the run's history as a fixture when recording; a no-op otherwise. */
export async function recordHistory(name: HistoryFixture, handle: WorkflowHandle): Promise<void> {
  if (!recordingHistories) return;
  const history = await handle.fetchHistory();
  const file: FixtureFile = {
    workflow_id: handle.workflowId,
    recorded_with: 'Temporal CLI 1.5.1 dev server, @temporalio/* 1.24.0',
    // protobufjs' JSON form (enums by name, 64-bit ints and bytes as strings), read back with fromObject.
    history: proto.temporal.api.history.v1.History.fromObject(history).toJSON(),
  };
  writeFileSync(join(HISTORY_FIXTURES_DIR, `${name}.json`), `${JSON.stringify(file, null, 1)}\n`);
}

export interface LoadedHistory {
  name: string;
  workflowId: string;
  history: proto.temporal.api.history.v1.History;
  json: unknown;
}

/** Every fixture: the current ones by scenario name, archived ones as `archive/<era>/<scenario>`. */
export function loadHistoryFixtures(): LoadedHistory[] {
  const archive = join(HISTORY_FIXTURES_DIR, 'archive');
  const eras = existsSync(archive) ? readdirSync(archive).sort().map((era) => `archive/${era}/`) : [];
  return ['', ...eras].flatMap((dir) =>
    readdirSync(join(HISTORY_FIXTURES_DIR, dir))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => {
        const file = JSON.parse(readFileSync(join(HISTORY_FIXTURES_DIR, dir, f), 'utf8')) as FixtureFile;
        const history = proto.temporal.api.history.v1.History.fromObject(file.history as Record<string, unknown>);
        return { name: `${dir}${f.replace(/\.json$/, '')}`, workflowId: file.workflow_id, history, json: file.history };
      }),
  );
}
