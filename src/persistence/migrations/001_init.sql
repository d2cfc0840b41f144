-- Conceptflow schema. One source for both backends: the embedded database (PGlite) and
-- Supabase Postgres. Supabase-only parts (row-level security against auth.uid(), storage
-- policies) are applied only where the auth/storage schemas exist, so the same file runs on both.

create table if not exists tasks (
  id uuid primary key default gen_random_uuid(),
  user_id text not null,
  type text not null check (type in ('generation', 'refinement')),
  status text not null default 'pending'
    check (status in ('pending', 'processing', 'completed', 'failed', 'canceled')),
  workflow_id text,
  metadata jsonb not null default '{}'::jsonb,
  result_id uuid,
  error_message text check (error_message is null or char_length(error_message) <= 1000),
  idempotency_key text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Creation order that never ties (timestamps can: the embedded database's clock has millisecond
  -- resolution); "newest first" listings order by it.
  created_seq bigint generated always as identity
);

create index if not exists tasks_user_id_created_seq_idx on tasks (user_id, created_seq desc);
create index if not exists tasks_status_idx on tasks (status);
-- One active run per user and task type, enforced by the database, not by read-then-write.
create unique index if not exists tasks_one_active_per_user_type
  on tasks (user_id, type) where status in ('pending', 'processing');
-- An Idempotency-Key never starts a second run.
create unique index if not exists tasks_idempotency_key_uniq
  on tasks (user_id, type, idempotency_key) where idempotency_key is not null;

create table if not exists concepts (
  id uuid primary key default gen_random_uuid(),
  user_id text not null,
  task_id uuid not null unique references tasks (id),
  logo_description text not null,
  theme_description text not null,
  image_path text not null,
  is_anonymous boolean not null default false,
  original_concept_id uuid references concepts (id) on delete set null,
  refinement_prompt text,
  original_image_url text,
  created_at timestamptz not null default now(),
  created_seq bigint generated always as identity
);

create index if not exists concepts_user_id_created_seq_idx on concepts (user_id, created_seq desc);
create index if not exists concepts_task_id_idx on concepts (task_id);

create table if not exists color_variations (
  id uuid primary key default gen_random_uuid(),
  concept_id uuid not null references concepts (id) on delete cascade,
  palette_name text not null,
  colors jsonb not null check (jsonb_typeof(colors) = 'array'),
  description text not null default '',
  image_path text not null,
  position integer not null check (position >= 0),
  unique (concept_id, position)
);

create index if not exists color_variations_concept_id_idx on color_variations (concept_id);

-- Keep tasks.updated_at honest.
create or replace function conceptflow_touch_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

drop trigger if exists tasks_touch_updated_at on tasks;
create trigger tasks_touch_updated_at before update on tasks
  for each row execute function conceptflow_touch_updated_at();

-- Atomic concept store for PostgREST clients (rpc): concept + variations in one transaction,
-- idempotent per task (a second call returns the concept already stored).
create or replace function store_concept(concept jsonb, variations jsonb) returns uuid
language plpgsql as $$
declare
  new_id uuid;
begin
  select id into new_id from concepts where task_id = (concept->>'task_id')::uuid;
  if new_id is not null then
    return new_id;
  end if;
  insert into concepts (user_id, task_id, logo_description, theme_description, image_path,
                        is_anonymous, original_concept_id, refinement_prompt, original_image_url)
  values (concept->>'user_id', (concept->>'task_id')::uuid, concept->>'logo_description',
          concept->>'theme_description', concept->>'image_path',
          coalesce((concept->>'is_anonymous')::boolean, false),
          nullif(concept->>'original_concept_id', '')::uuid, concept->>'refinement_prompt',
          concept->>'original_image_url')
  on conflict (task_id) do nothing
  returning id into new_id;
  if new_id is null then
    -- A concurrent call won the race; return its concept.
    select id into new_id from concepts where task_id = (concept->>'task_id')::uuid;
    return new_id;
  end if;
  insert into color_variations (concept_id, palette_name, colors, description, image_path, position)
  select new_id, v->>'palette_name', v->'colors', coalesce(v->>'description', ''), v->>'image_path',
         (v->>'position')::integer
  from jsonb_array_elements(variations) as v;
  return new_id;
end;
$$;

-- Supabase: row-level security (users see only their own rows) and storage policies that
-- require object paths to start with `{auth.uid()}/`. The worker uses the service role,
-- which bypasses RLS.
do $$
begin
  if to_regprocedure('auth.uid()') is not null then
    alter table tasks enable row level security;
    alter table concepts enable row level security;
    alter table color_variations enable row level security;

    drop policy if exists tasks_owner_select on tasks;
    create policy tasks_owner_select on tasks for select using (user_id = auth.uid()::text);
    drop policy if exists concepts_owner_select on concepts;
    create policy concepts_owner_select on concepts for select using (user_id = auth.uid()::text);
    drop policy if exists concepts_owner_delete on concepts;
    create policy concepts_owner_delete on concepts for delete using (user_id = auth.uid()::text);
    drop policy if exists color_variations_owner_select on color_variations;
    create policy color_variations_owner_select on color_variations for select using (
      exists (select 1 from concepts c where c.id = concept_id and c.user_id = auth.uid()::text));
  end if;

  if to_regclass('storage.objects') is not null then
    insert into storage.buckets (id, name, public)
      values ('concept-images', 'concept-images', false), ('palette-images', 'palette-images', false)
      on conflict (id) do nothing;
    drop policy if exists conceptflow_objects_owner_read on storage.objects;
    create policy conceptflow_objects_owner_read on storage.objects for select using (
      bucket_id in ('concept-images', 'palette-images')
      and (storage.foldername(name))[1] = auth.uid()::text);
  end if;
end;
$$;
