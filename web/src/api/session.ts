/**
 * Who the page acts as. It asks the server (/app-config.json): without auth the API acts for its
 * local user and nothing is needed; with auth the page signs in anonymously through supabase-js
 * (as the original frontend did), keeps the session in localStorage, and hands its access token
 * to every API call. supabase-js is loaded only in that case.
 */
import { setTokenSource } from './http';

export interface AppConfig {
  auth: { required: boolean; supabase_url: string | null; supabase_anon_key: string | null };
}

export type Session = { kind: 'local' } | { kind: 'anonymous'; userId: string };

export async function loadAppConfig(): Promise<AppConfig> {
  const response = await fetch('/app-config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The server did not send the page's settings (${response.status}).`);
  return (await response.json()) as AppConfig;
}

export async function startSession(config: AppConfig): Promise<Session> {
  if (!config.auth.required) return { kind: 'local' };
  const { supabase_url: url, supabase_anon_key: anonKey } = config.auth;
  if (!url || !anonKey) {
    throw new Error('This server requires sign-in, but it gives the page no Supabase project to sign in with: set SUPABASE_ANON_KEY (and SUPABASE_URL or SUPABASE_AUTH_URL) where the API runs.');
  }
  const { createClient } = await import('@supabase/supabase-js');
  const supabase = createClient(url, anonKey, { auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false } });
  let session = (await supabase.auth.getSession()).data.session;
  if (!session) {
    const { data, error } = await supabase.auth.signInAnonymously();
    if (error || !data.session) throw new Error(`Signing in failed: ${error?.message ?? 'no session was returned'}. Anonymous sign-ins must be enabled in the Supabase project.`);
    session = data.session;
  }
  setTokenSource({
    token: async () => (await supabase.auth.getSession()).data.session?.access_token ?? null,
    refresh: async () => Boolean((await supabase.auth.refreshSession()).data.session),
  });
  return { kind: 'anonymous', userId: session.user.id };
}
