/**
 * ObjectStore on the local file system: bytes at ROOT/{bucket}/{path}, the content type beside
 * them at ROOT/.meta/{bucket}/{path}.json. Writes go to a temporary file in ROOT/.tmp and are
 * renamed into place, so a reader never sees half an object; what a crashed process left in
 * ROOT/.tmp is removed by `sweepInterruptedWrites` when the store is opened again. The bytes are
 * the object: they are written before their content type and removed after it, so an interrupted
 * write or removal leaves bytes that `list` still finds (and a retry or cleanup finishes), never a
 * content type nobody can find. Paths are checked segment by segment before any file is touched:
 * nothing resolves outside ROOT.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BUCKETS, type Bucket, type ObjectRef } from '../../domain/concept.js';
import { InvalidInputError, NotFoundError, StorageError } from '../../domain/errors.js';
import type { ObjectStore, StoredObject } from '../ports.js';
import { isSafeObjectPath, type UrlSigner } from './url-signer.js';

const META_DIR = '.meta';
/** Where writes in progress live until they are renamed into place (same file system as ROOT). */
const TMP_DIR = '.tmp';
const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR';

export class FileObjectStore implements ObjectStore {
  constructor(
    private readonly root: string,
    private readonly signer: UrlSigner,
  ) {}

  async put(ref: ObjectRef, bytes: Uint8Array, contentType: string): Promise<void> {
    const file = this.fileOf(ref);
    await this.io(`write ${ref.bucket}/${ref.path}`, async () => {
      await this.writeAtomically(file, bytes);
      await this.writeAtomically(this.metaOf(ref), JSON.stringify({ content_type: contentType }));
    });
  }

  async get(ref: ObjectRef): Promise<StoredObject> {
    const file = this.fileOf(ref);
    try {
      const [bytes, meta] = await Promise.all([readFile(file), readFile(this.metaOf(ref), 'utf8').catch(() => '{}')]);
      const contentType = (JSON.parse(meta) as { content_type?: string }).content_type ?? 'application/octet-stream';
      return { bytes, contentType };
    } catch (err) {
      if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'EISDIR') throw new NotFoundError(`Object ${ref.bucket}/${ref.path} not found`, { cause: err });
      throw new StorageError(`read ${ref.bucket}/${ref.path} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async exists(ref: ObjectRef): Promise<boolean> {
    if (!isSafeObjectPath(ref.path)) return false;
    try {
      return (await stat(this.fileOf(ref))).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw new StorageError(`stat ${ref.bucket}/${ref.path} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async list(bucket: Bucket, prefix: string): Promise<string[]> {
    this.bucketDir(bucket);
    // Walk only the deepest folder the prefix names completely.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (folder !== '' && !isSafeObjectPath(folder)) return [];
    const out: string[] = [];
    await this.io(`list ${bucket}/${prefix}`, () => this.walk(bucket, folder, prefix, out));
    return out.sort();
  }

  async move(bucket: Bucket, fromPath: string, toPath: string): Promise<void> {
    const from = { bucket, path: fromPath };
    const to = { bucket, path: toPath };
    const source = this.fileOf(from);
    const target = this.fileOf(to);
    if (!(await this.exists(from))) {
      // A move interrupted after its rename left the source's content type behind: drop it.
      await rm(this.metaOf(from), { force: true }).catch(() => undefined);
      throw new NotFoundError(`Object ${bucket}/${fromPath} not found`);
    }
    await this.io(`move ${bucket}/${fromPath} to ${toPath}`, async () => {
      // The content type first (a copy), then the bytes by rename: a crash between the steps leaves
      // the source intact, and a retried move completes it.
      const meta = await readFile(this.metaOf(from), 'utf8').catch(() => JSON.stringify({ content_type: 'application/octet-stream' }));
      await this.writeAtomically(this.metaOf(to), meta);
      await mkdir(dirname(target), { recursive: true });
      await rename(source, target);
      await rm(this.metaOf(from), { force: true });
    });
  }

  async remove(bucket: Bucket, paths: string[]): Promise<void> {
    await this.io(`remove from ${bucket}`, async () => {
      for (const path of paths) {
        if (!isSafeObjectPath(path)) continue;
        const ref = { bucket, path };
        await rm(this.metaOf(ref), { force: true });
        await rm(this.fileOf(ref), { force: true });
      }
    });
  }

  async signedUrl(ref: ObjectRef, expiresInSeconds: number): Promise<string> {
    this.segmentsOf(ref);
    return this.signer.sign(ref, expiresInSeconds);
  }

  resolveUrl(url: string): ObjectRef | null {
    return this.signer.resolve(url);
  }

  /**
   * Removes the temporary files of writes a crashed process never finished. Only for the store's
   * one owner at start-up (the embedded backend holds DATA_DIR's database lock while it calls it):
   * another live writer's temporary files would go too.
   */
  async sweepInterruptedWrites(): Promise<number> {
    const dir = join(this.root, TMP_DIR);
    const names = await readdir(dir).catch((err: unknown) => {
      if (isMissing(err)) return [];
      throw new StorageError(`list ${dir} failed: ${(err as Error).message}`, { cause: err });
    });
    await this.io('remove interrupted writes', async () => {
      for (const name of names) await rm(join(dir, name), { recursive: true, force: true });
    });
    return names.length;
  }

  async ping(): Promise<void> {
    await this.io('check storage', async () => {
      for (const bucket of Object.values(BUCKETS)) await mkdir(this.bucketDir(bucket), { recursive: true });
    });
  }

  private async walk(bucket: Bucket, folder: string, prefix: string, out: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder === '' ? this.bucketDir(bucket) : join(this.bucketDir(bucket), folder), { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.tmp-')) continue; // written beside their objects by earlier versions
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (`${path}/`.startsWith(prefix) || prefix.startsWith(`${path}/`)) await this.walk(bucket, path, prefix, out);
      } else if (entry.isFile() && path.startsWith(prefix)) {
        out.push(path);
      }
    }
  }

  private bucketDir(bucket: Bucket): string {
    if (!Object.values(BUCKETS).includes(bucket)) throw new InvalidInputError(`Unknown bucket ${JSON.stringify(bucket)}`);
    return join(this.root, bucket);
  }

  /** The bucket folder and path segments of a ref; throws InvalidInputError for an unsafe path. */
  private segmentsOf(ref: ObjectRef): string[] {
    this.bucketDir(ref.bucket);
    if (!isSafeObjectPath(ref.path)) throw new InvalidInputError(`Invalid object path ${JSON.stringify(ref.path)}`);
    return [ref.bucket, ...ref.path.split('/')];
  }

  private fileOf(ref: ObjectRef): string {
    return join(this.root, ...this.segmentsOf(ref));
  }

  private metaOf(ref: ObjectRef): string {
    return `${join(this.root, META_DIR, ...this.segmentsOf(ref))}.json`;
  }

  /** Writes to ROOT/.tmp, then renames into place (atomic within ROOT's file system). */
  private async writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
    const tmpDir = join(this.root, TMP_DIR);
    await mkdir(tmpDir, { recursive: true });
    await mkdir(dirname(file), { recursive: true });
    const temporary = join(tmpDir, randomUUID());
    try {
      await writeFile(temporary, data);
      await rename(temporary, file);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  }

  private async io<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new StorageError(`${operation} failed: ${(err as Error).message}`, { cause: err });
    }
  }
}


