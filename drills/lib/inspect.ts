/**
 * After a drill: the database and the object store read directly, not through the API. The
 * embedded database (PGlite under DATA_DIR/db) serves one process, so the app must be stopped
 * first; opening it takes the same lock the app takes, so a still-running app is refused, never
 * corrupted. Objects are the files under DATA_DIR/storage/{bucket}/…, their content types under
 * DATA_DIR/storage/.meta/{bucket}/….json, and `.tmp-*` files are writes that never finished.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { openEmbeddedDatabase } from '../../src/persistence/embedded/database.js';

const BUCKETS = ['concept-images', 'palette-images'] as const;
const META = '.meta';

export interface TaskRow {
  id: string;
  user_id: string;
  type: string;
  status: string;
  workflow_id: string | null;
  result_id: string | null;
  error_message: string | null;
  idempotency_key: string | null;
}

export interface Inspection {
  tasks: TaskRow[];
  concepts: { id: string; task_id: string; user_id: string; image_path: string }[];
  variations: { id: string; concept_id: string; image_path: string; position: number }[];
  /** Every stored object as `bucket/path`. */
  objects: string[];
  /** Temporary files of writes that never finished (relative to the storage root). */
  tmpFiles: string[];
  /** Content-type records without their object, and objects without theirs. */
  metaWithoutObject: string[];
  objectsWithoutMeta: string[];
  storageRoot: string;
}

async function walk(root: string, relative = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(root, relative), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await walk(root, path)));
    else files.push(path);
  }
  return files;
}

const isTmp = (path: string) => path.split('/').some((segment) => segment.startsWith('.tmp-'));

export async function inspectDataDir(dataDir: string): Promise<Inspection> {
  const database = await openEmbeddedDatabase(join(dataDir, 'db'));
  let tasks: TaskRow[];
  let concepts: Inspection['concepts'];
  let variations: Inspection['variations'];
  try {
    const { db } = database;
    tasks = (
      await db.query<TaskRow>('select id, user_id, type, status, workflow_id, result_id, error_message, idempotency_key from tasks order by created_seq')
    ).rows;
    concepts = (await db.query<Inspection['concepts'][number]>('select id, task_id, user_id, image_path from concepts order by created_seq')).rows;
    variations = (await db.query<Inspection['variations'][number]>('select id, concept_id, image_path, position from color_variations')).rows;
  } finally {
    await database.close();
  }

  const storageRoot = join(dataDir, 'storage');
  const objects: string[] = [];
  const tmpFiles: string[] = [];
  for (const bucket of BUCKETS) {
    for (const path of await walk(join(storageRoot, bucket))) {
      if (isTmp(path)) tmpFiles.push(`${bucket}/${path}`);
      else objects.push(`${bucket}/${path}`);
    }
  }
  const metas: string[] = [];
  for (const path of await walk(join(storageRoot, META))) {
    if (isTmp(path)) tmpFiles.push(`${META}/${path}`);
    else if (path.endsWith('.json')) metas.push(path.slice(0, -'.json'.length));
  }
  const objectSet = new Set(objects);
  const metaSet = new Set(metas);
  return {
    tasks,
    concepts,
    variations,
    objects: objects.sort(),
    tmpFiles,
    metaWithoutObject: metas.filter((m) => !objectSet.has(m)),
    objectsWithoutMeta: objects.filter((o) => !metaSet.has(o)),
    storageRoot,
  };
}

export interface StoreFigures {
  tasks: number;
  by_status: Record<string, number>;
  /** Tasks left pending or processing. */
  active_tasks: number;
  concepts: number;
  variations: number;
  /** Completed tasks without exactly one concept (whose id is the task's result_id). */
  completed_without_one_concept: number;
  /** Concepts of tasks that did not complete. */
  concepts_of_unfinished_tasks: number;
  referenced_objects: number;
  missing_objects: number;
  /** Objects no concept or variation references. */
  orphan_objects: number;
  /** Temporary files and content-type records out of step with their objects. */
  half_stored: number;
  /** Referenced objects that do not decode completely as images. */
  undecodable_objects: number;
}

export interface Verdict {
  figures: StoreFigures;
  /** Up to a few examples of each problem, for the failure message. */
  problems: string[];
}

/** The figures every drill checks, from one inspection. Decodes every referenced image when `decode` is set. */
export async function storeFigures(inspection: Inspection, options: { decode: boolean }): Promise<Verdict> {
  const problems: string[] = [];
  const note = (what: string, items: string[]) => {
    if (items.length > 0) problems.push(`${items.length} ${what}: ${items.slice(0, 3).join(', ')}${items.length > 3 ? ', …' : ''}`);
  };
  const by_status: Record<string, number> = {};
  for (const task of inspection.tasks) by_status[task.status] = (by_status[task.status] ?? 0) + 1;
  const active = inspection.tasks.filter((t) => t.status === 'pending' || t.status === 'processing');
  note('tasks left pending/processing', active.map((t) => `${t.id} (${t.status})`));

  const conceptsByTask = new Map<string, string[]>();
  for (const c of inspection.concepts) conceptsByTask.set(c.task_id, [...(conceptsByTask.get(c.task_id) ?? []), c.id]);
  const completedWrong = inspection.tasks
    .filter((t) => t.status === 'completed')
    .filter((t) => {
      const ids = conceptsByTask.get(t.id) ?? [];
      return ids.length !== 1 || ids[0] !== t.result_id;
    });
  note('completed tasks without exactly one concept', completedWrong.map((t) => t.id));
  const statusOf = new Map(inspection.tasks.map((t) => [t.id, t.status]));
  const unfinishedConcepts = inspection.concepts.filter((c) => statusOf.get(c.task_id) !== 'completed');
  note('concepts of tasks that did not complete', unfinishedConcepts.map((c) => `${c.id} (task ${c.task_id}: ${statusOf.get(c.task_id) ?? 'missing'})`));

  const referenced = [
    ...inspection.concepts.map((c) => `concept-images/${c.image_path}`),
    ...inspection.variations.map((v) => `palette-images/${v.image_path}`),
  ];
  const objectSet = new Set(inspection.objects);
  const referencedSet = new Set(referenced);
  const missing = referenced.filter((r) => !objectSet.has(r));
  note('referenced objects missing', missing);
  const orphans = inspection.objects.filter((o) => !referencedSet.has(o));
  note('orphan objects', orphans);
  const halfStored = [...inspection.tmpFiles, ...inspection.metaWithoutObject.map((m) => `.meta of ${m}`), ...inspection.objectsWithoutMeta.map((o) => `no .meta: ${o}`)];
  note('half-stored files', halfStored);

  const undecodable: string[] = [];
  if (options.decode) {
    for (const ref of referenced.filter((r) => objectSet.has(r))) {
      try {
        await sharp(await readFile(join(inspection.storageRoot, ref)), { failOn: 'truncated' }).raw().toBuffer();
      } catch (err) {
        undecodable.push(`${ref} (${(err as Error).message})`);
      }
    }
    note('objects that do not decode', undecodable);
  }

  return {
    figures: {
      tasks: inspection.tasks.length,
      by_status,
      active_tasks: active.length,
      concepts: inspection.concepts.length,
      variations: inspection.variations.length,
      completed_without_one_concept: completedWrong.length,
      concepts_of_unfinished_tasks: unfinishedConcepts.length,
      referenced_objects: referenced.length,
      missing_objects: missing.length,
      orphan_objects: orphans.length,
      half_stored: halfStored.length,
      undecodable_objects: undecodable.length,
    },
    problems,
  };
}

/** Objects stored under one task's prefix (`{user}/{task}/`) in either bucket. */
export function objectsOfTask(inspection: Inspection, userId: string, taskId: string): string[] {
  const prefix = `${userId}/${taskId}/`;
  return inspection.objects.filter((o) => o.slice(o.indexOf('/') + 1).startsWith(prefix));
}
