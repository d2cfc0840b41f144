/**
 * The embedded backend (zero setup, one machine): PGlite under DATA_DIR/db and object files under
 * DATA_DIR/storage, served by the API through expiring signed URLs. `:memory:` keeps the database
 * in memory and the files in a temporary directory removed on close (for tests).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Persistence } from '../ports.js';
import { EmbeddedConceptRepository } from './concepts.js';
import { IN_MEMORY, openEmbeddedDatabase } from './database.js';
import { FileObjectStore } from './file-store.js';
import { EmbeddedQuotaRepository } from './quotas.js';
import { EmbeddedTaskRepository } from './tasks.js';
import { UrlSigner } from './url-signer.js';

export { FILES_PREFIX, UrlSigner } from './url-signer.js';

export interface EmbeddedOptions {
  /** DATA_DIR, or `:memory:`. */
  dataDir: string;
  /** Where clients reach the API; signed file URLs are built on it. */
  publicBaseUrl: string;
  /** HMAC secret for signed URLs; generated once and kept in DATA_DIR when unset. */
  signingSecret?: string;
  now?: () => number;
}

export interface EmbeddedPersistence extends Persistence {
  objects: FileObjectStore;
  signer: UrlSigner;
}

/** The configured secret, else the one kept in DATA_DIR (created on first start, owner-only). */
function signingSecretFor(dataDir: string, configured: string | undefined): string {
  if (configured) return configured;
  if (dataDir === IN_MEMORY) return randomBytes(32).toString('hex');
  const file = join(dataDir, 'signing-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('hex');
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

export async function createEmbeddedPersistence(options: EmbeddedOptions): Promise<EmbeddedPersistence> {
  const inMemory = options.dataDir === IN_MEMORY;
  const dataDir = inMemory ? IN_MEMORY : resolve(options.dataDir);
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const storageRoot = inMemory ? mkdtempSync(join(tmpdir(), 'conceptflow-objects-')) : join(dataDir, 'storage');
  const database = await openEmbeddedDatabase(inMemory ? IN_MEMORY : join(dataDir, 'db'));
  const removeTemporaryStorage = () => inMemory && rmSync(storageRoot, { recursive: true, force: true });
  let signer: UrlSigner;
  let objects: FileObjectStore;
  try {
    signer = new UrlSigner(options.publicBaseUrl, signingSecretFor(dataDir, options.signingSecret), options.now);
    objects = new FileObjectStore(storageRoot, signer);
    await objects.ping();
    // This process holds DATA_DIR's database lock: temporary files in the store are a dead one's.
    await objects.sweepInterruptedWrites();
  } catch (err) {
    // Release the database (and its lock) when the rest cannot be set up.
    await database.close();
    removeTemporaryStorage();
    throw err;
  }
  return {
    tasks: new EmbeddedTaskRepository(database.db),
    concepts: new EmbeddedConceptRepository(database.db),
    quotas: new EmbeddedQuotaRepository(database.db),
    objects,
    signer,
    async close() {
      await database.close();
      removeTemporaryStorage();
    },
  };
}
