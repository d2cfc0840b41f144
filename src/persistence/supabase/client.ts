/** The one supabase-js client of the worker/API: service-role key, no session, ws for realtime on Node 20. */
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';

export interface SupabaseConnection {
  /** Project URL, e.g. `https://abc.supabase.co` (no trailing slash). */
  url: string;
  serviceRoleKey: string;
}

type RealtimeTransport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;
/**
 * Node 20 has no global WebSocket, so realtime-js gets `ws`. Its typings declare ws's own Event
 * classes where realtime-js expects DOM events; at runtime ws implements the same interface.
 */
const nodeWebSocket = WebSocket as unknown as RealtimeTransport;

export function createServiceClient(config: SupabaseConnection): SupabaseClient {
  return createClient(config.url, config.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: nodeWebSocket },
  });
}
