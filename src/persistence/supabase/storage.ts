/** ObjectStore over Supabase Storage (private buckets `concept-images`, `palette-images`). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { BUCKETS, type Bucket, type ObjectRef } from '../../domain/concept.js';
import type { ObjectStore, StoredObject } from '../ports.js';
import { fromStorageError, type StorageFailure } from './errors.js';
import { objectUrlResolver } from './object-urls.js';

/** Storage lists one folder level per request, in pages. */
const LIST_PAGE = 100;
/** Storage deletes at most this many objects per request. */
const REMOVE_BATCH = 1000;

interface ListedEntry {
  name: string;
  /** null for a folder */
  id: string | null;
}

function dataOf<T>(operation: string, result: { data: T | null; error: StorageFailure | null }): T {
  if (result.error) throw fromStorageError(operation, result.error);
  return result.data as T;
}

/** `a/b/c.png` → folder `a/b`, name `c.png`; `a/b/` → folder `a/b`, name ``. */
function splitPath(path: string): { folder: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { folder: '', name: path } : { folder: path.slice(0, slash), name: path.slice(slash + 1) };
}

const join = (folder: string, name: string) => (folder === '' ? name : `${folder}/${name}`);

export class SupabaseObjectStore implements ObjectStore {
  readonly resolveUrl: (url: string) => ObjectRef | null;

  constructor(
    private readonly client: SupabaseClient,
    projectUrl: string,
    private readonly defaultTtlSeconds: number,
  ) {
    this.resolveUrl = objectUrlResolver(projectUrl);
  }

  async put(ref: ObjectRef, bytes: Uint8Array, contentType: string): Promise<void> {
    // upsert: a retried activity overwrites its own deterministic path.
    dataOf(`upload ${ref.bucket}/${ref.path}`, await this.bucket(ref.bucket).upload(ref.path, bytes, { contentType, upsert: true }));
  }

  async get(ref: ObjectRef): Promise<StoredObject> {
    const blob = dataOf(`download ${ref.bucket}/${ref.path}`, await this.bucket(ref.bucket).download(ref.path));
    return { bytes: Buffer.from(await blob.arrayBuffer()), contentType: blob.type || 'application/octet-stream' };
  }

  async exists(ref: ObjectRef): Promise<boolean> {
    const { folder, name } = splitPath(ref.path);
    if (name === '') return false;
    const entries = await this.listFolder(ref.bucket, folder, name);
    return entries.some((e) => e.id !== null && e.name === name);
  }

  async list(bucket: Bucket, prefix: string): Promise<string[]> {
    const { folder, name } = splitPath(prefix);
    const paths: string[] = [];
    await this.collect(bucket, folder, name, prefix, paths);
    return paths.sort();
  }

  async move(bucket: Bucket, fromPath: string, toPath: string): Promise<void> {
    const operation = `move ${bucket}/${fromPath} to ${toPath}`;
    const first = await this.bucket(bucket).move(fromPath, toPath);
    if (!first.error) return;
    // Storage refuses to move onto an existing object: replace it (a retried move), once.
    if (!(await this.exists({ bucket, path: toPath })) || !(await this.exists({ bucket, path: fromPath }))) dataOf(operation, first);
    await this.remove(bucket, [toPath]);
    dataOf(operation, await this.bucket(bucket).move(fromPath, toPath));
  }

  async remove(bucket: Bucket, paths: string[]): Promise<void> {
    for (let i = 0; i < paths.length; i += REMOVE_BATCH) {
      // Storage answers with the objects it deleted; missing ones are simply not in the answer.
      dataOf(`remove from ${bucket}`, await this.bucket(bucket).remove(paths.slice(i, i + REMOVE_BATCH)));
    }
  }

  async signedUrl(ref: ObjectRef, expiresInSeconds: number): Promise<string> {
    const ttl = Number.isFinite(expiresInSeconds) && expiresInSeconds > 0 ? Math.ceil(expiresInSeconds) : this.defaultTtlSeconds;
    const signed = dataOf(`sign ${ref.bucket}/${ref.path}`, await this.bucket(ref.bucket).createSignedUrl(ref.path, ttl));
    return signed.signedUrl;
  }

  async ping(): Promise<void> {
    for (const bucket of Object.values(BUCKETS)) dataOf(`check bucket ${bucket}`, await this.client.storage.getBucket(bucket));
  }

  private bucket(bucket: Bucket) {
    return this.client.storage.from(bucket);
  }

  /** Files under `folder` whose full path starts with `prefix`, descending into sub-folders. */
  private async collect(bucket: Bucket, folder: string, search: string, prefix: string, out: string[]): Promise<void> {
    for (const entry of await this.listFolder(bucket, folder, search)) {
      const path = join(folder, entry.name);
      if (entry.id !== null) {
        if (path.startsWith(prefix)) out.push(path);
      } else if (`${path}/`.startsWith(prefix) || prefix.startsWith(`${path}/`)) {
        await this.collect(bucket, path, '', prefix, out);
      }
    }
  }

  /**
   * One folder level, all pages. `search` narrows by name prefix on the server (case-insensitive,
   * LIKE wildcards), so callers compare names exactly themselves.
   */
  private async listFolder(bucket: Bucket, folder: string, search: string): Promise<ListedEntry[]> {
    const entries: ListedEntry[] = [];
    for (let offset = 0; ; offset += LIST_PAGE) {
      const page = dataOf(
        `list ${bucket}/${folder}`,
        await this.bucket(bucket).list(folder, { limit: LIST_PAGE, offset, search, sortBy: { column: 'name', order: 'asc' } }),
      );
      entries.push(...page);
      if (page.length < LIST_PAGE) return entries;
    }
  }
}
