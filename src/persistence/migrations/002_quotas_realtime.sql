-- Usage quotas and Supabase Realtime. Like 001, one file for both backends, idempotent, and the
-- Supabase-only parts guarded so it also runs on the embedded database and plain PostgreSQL.

-- One row per counted use: an accepted run start (subject = task id) or an export (subject = a
-- request id). Unique per (category, subject), so counting the same start twice is impossible and
-- a refund removes exactly that use.
create table if not exists quota_usage (
  id bigint generated always as identity primary key,
  user_id text not null,
  category text not null check (category in ('generate', 'refine', 'export')),
  subject text not null,
  used_at timestamptz not null,
  unique (category, subject)
);

create index if not exists quota_usage_user_category_used_at_idx on quota_usage (user_id, category, used_at desc);

-- Uses per window. p_windows: [{"period": "hour"|"month", "limit": n}, ...]. Windows are fixed UTC
-- calendar windows: the hour and the month that contain p_now.
create or replace function conceptflow_quota_usage(p_user_id text, p_category text, p_windows jsonb, p_now timestamptz)
returns jsonb
language plpgsql stable as $$
declare
  result jsonb := '[]'::jsonb;
  w record;
  starts_at timestamptz;
  ends_at timestamptz;
  used integer;
begin
  for w in select value ->> 'period' as period, (value ->> 'limit')::integer as lim
           from jsonb_array_elements(coalesce(p_windows, '[]'::jsonb)) with ordinality as e(value, ord) order by ord loop
    if w.period is null or w.period not in ('hour', 'month') then
      raise exception 'quota period must be hour or month, not %', coalesce(w.period, 'null') using errcode = '22023';
    end if;
    starts_at := date_trunc(w.period, p_now, 'UTC');
    ends_at := starts_at + ('1 ' || w.period)::interval;
    select count(*) into used from quota_usage u
      where u.user_id = p_user_id and u.category = p_category and u.used_at >= starts_at and u.used_at < ends_at;
    result := result || jsonb_build_array(jsonb_build_object('period', w.period, 'limit', w.lim, 'used', used, 'resets_at', ends_at));
  end loop;
  return result;
end;
$$;

-- Counts one use of p_subject unless a window is full: {"granted": bool, "windows": usage}. Takers
-- of one user and category queue on an advisory lock, so two concurrent starts can never both take
-- the last unit. Taking a subject already counted is a no-op that grants (a retried start).
create or replace function conceptflow_quota_take(p_user_id text, p_category text, p_subject text, p_windows jsonb, p_now timestamptz)
returns jsonb
language plpgsql as $$
declare
  usage jsonb;
begin
  perform pg_advisory_xact_lock(hashtext('conceptflow_quota'), hashtext(p_user_id || '/' || p_category));
  if exists (select 1 from quota_usage where category = p_category and subject = p_subject) then
    return jsonb_build_object('granted', true, 'windows', conceptflow_quota_usage(p_user_id, p_category, p_windows, p_now));
  end if;
  usage := conceptflow_quota_usage(p_user_id, p_category, p_windows, p_now);
  if exists (select 1 from jsonb_array_elements(usage) as w where (w ->> 'used')::integer >= (w ->> 'limit')::integer) then
    return jsonb_build_object('granted', false, 'windows', usage);
  end if;
  insert into quota_usage (user_id, category, subject, used_at) values (p_user_id, p_category, p_subject, p_now);
  -- Older than any window: no longer needed.
  delete from quota_usage where user_id = p_user_id and category = p_category and used_at < p_now - interval '93 days';
  return jsonb_build_object('granted', true, 'windows', conceptflow_quota_usage(p_user_id, p_category, p_windows, p_now));
end;
$$;

do $$
begin
  -- Supabase: users may read their own usage; only the service role writes, and only it may call
  -- the functions (PostgREST exposes every function in `public` to the API roles otherwise: a
  -- user could count uses for someone else, or store concepts under another user's id).
  if to_regprocedure('auth.uid()') is not null then
    alter table quota_usage enable row level security;
    drop policy if exists quota_usage_owner_select on quota_usage;
    create policy quota_usage_owner_select on quota_usage for select using (user_id = auth.uid()::text);
  end if;
  if exists (select 1 from pg_roles where rolname = 'anon') and exists (select 1 from pg_roles where rolname = 'authenticated') then
    revoke execute on function conceptflow_quota_usage(text, text, jsonb, timestamptz) from public, anon, authenticated;
    revoke execute on function conceptflow_quota_take(text, text, text, jsonb, timestamptz) from public, anon, authenticated;
    revoke execute on function store_concept(jsonb, jsonb) from public, anon, authenticated;
  end if;
  if exists (select 1 from pg_roles where rolname = 'service_role') then
    grant execute on function conceptflow_quota_usage(text, text, jsonb, timestamptz) to service_role;
    grant execute on function conceptflow_quota_take(text, text, text, jsonb, timestamptz) to service_role;
    grant execute on function store_concept(jsonb, jsonb) to service_role;
  end if;

  -- Supabase Realtime streams changes of the tables in this publication: with `tasks` in it, a
  -- client subscribed to its task row (RLS lets it see only its own) sees every status change live.
  -- Where the publication does not exist (embedded database, plain PostgreSQL) nothing happens;
  -- a publication FOR ALL TABLES already includes the table.
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime' and not puballtables)
     and not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = current_schema() and tablename = 'tasks') then
    alter publication supabase_realtime add table tasks;
  end if;
end;
$$;
