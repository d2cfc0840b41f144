/** The Supabase backend: rows through PostgREST, objects through Storage, one service-role client. */
import type { Persistence } from '../ports.js';
import { createServiceClient, type SupabaseConnection } from './client.js';
import { SupabaseConceptRepository } from './concepts.js';
import { SupabaseQuotaRepository } from './quotas.js';
import { SupabaseObjectStore } from './storage.js';
import { SupabaseTaskRepository } from './tasks.js';

export interface SupabasePersistenceOptions {
  /** TTL of signed URLs when a caller passes no usable one. */
  signedUrlTtlSeconds: number;
}

export async function createSupabasePersistence(config: SupabaseConnection, options: SupabasePersistenceOptions): Promise<Persistence> {
  const client = createServiceClient(config);
  return {
    tasks: new SupabaseTaskRepository(client),
    concepts: new SupabaseConceptRepository(client),
    quotas: new SupabaseQuotaRepository(client),
    objects: new SupabaseObjectStore(client, config.url, options.signedUrlTtlSeconds),
    async close() {
      // HTTP calls hold nothing open. Realtime is only touched if something subscribed: its
      // disconnect arms a 10 s timer that would keep the process alive.
      if (client.getChannels().length > 0) await client.removeAllChannels();
    },
  };
}
