-- The task rules as SQL functions, so both backends run one copy of them: the embedded adapter
-- with `select conceptflow_task_…(…)`, the Supabase adapter through PostgREST's rpc. Each is one
-- transaction that decides under a lock (an advisory lock per user and type for create, the task's
-- row lock for the others), so no caller ever needs to retry. Like 001 and 002: idempotent, and
-- runs on the embedded database, plain PostgreSQL and Supabase.

-- A new `pending` task, unless the Idempotency-Key was used before (idempotent_replay, which wins:
-- the replayed task is usually the active one) or the user has an active task of this type
-- (active_conflict): {"outcome": …, "task": <the created or existing row>}. Creators of one user
-- and type queue on the advisory lock, and nothing but a create makes a task active or sets its
-- key, so the answer cannot go stale before the insert. An id already taken raises 23505.
create or replace function conceptflow_task_create(p_id uuid, p_user_id text, p_type text, p_workflow_id text, p_metadata jsonb, p_idempotency_key text)
returns jsonb
language plpgsql as $$
declare
  t tasks;
begin
  perform pg_advisory_xact_lock(hashtext('conceptflow_task_create'), hashtext(p_user_id || '/' || p_type));
  if p_idempotency_key is not null then
    select * into t from tasks where user_id = p_user_id and type = p_type and idempotency_key = p_idempotency_key;
    if found then
      return jsonb_build_object('outcome', 'idempotent_replay', 'task', to_jsonb(t));
    end if;
  end if;
  select * into t from tasks where user_id = p_user_id and type = p_type and status in ('pending', 'processing') limit 1;
  if found then
    return jsonb_build_object('outcome', 'active_conflict', 'task', to_jsonb(t));
  end if;
  insert into tasks (id, user_id, type, status, workflow_id, metadata, idempotency_key)
  values (p_id, p_user_id, p_type, 'pending', p_workflow_id, coalesce(p_metadata, '{}'::jsonb), p_idempotency_key)
  returning * into t;
  return jsonb_build_object('outcome', 'created', 'task', to_jsonb(t));
end;
$$;

-- pending → processing for this workflow: {"claimed": bool, "task": <row or null>}. The run that
-- claimed it gets it again (a retried claim); anyone else, or a finished task, does not.
create or replace function conceptflow_task_claim(p_id uuid, p_workflow_id text)
returns jsonb
language plpgsql as $$
declare
  t tasks;
begin
  select * into t from tasks where id = p_id for update;
  if not found then
    return jsonb_build_object('claimed', false, 'task', null);
  end if;
  if t.status = 'pending' then
    update tasks set status = 'processing', workflow_id = p_workflow_id where id = p_id returning * into t;
    return jsonb_build_object('claimed', true, 'task', to_jsonb(t));
  end if;
  return jsonb_build_object('claimed', t.status = 'processing' and t.workflow_id = p_workflow_id, 'task', to_jsonb(t));
end;
$$;

-- processing → completed with the result. True also when it is completed with this result already
-- (a retried complete); false otherwise (missing, not started, finished, another result). Completed
-- is terminal, so what the second statement reads cannot change under it.
create or replace function conceptflow_task_complete(p_id uuid, p_result_id uuid)
returns boolean
language plpgsql as $$
begin
  update tasks set status = 'completed', result_id = p_result_id where id = p_id and status = 'processing';
  return found or exists (select 1 from tasks where id = p_id and status = 'completed' and result_id = p_result_id);
end;
$$;

-- pending|processing → failed|canceled with a message; a terminal status is never overwritten
-- (false). The caller makes the message readable; the column's check keeps it within 1,000 chars.
create or replace function conceptflow_task_finish(p_id uuid, p_status text, p_error_message text)
returns boolean
language plpgsql as $$
begin
  if p_status is null or p_status not in ('failed', 'canceled') then
    raise exception 'a task finishes as failed or canceled, not %', coalesce(p_status, 'null') using errcode = '22023';
  end if;
  update tasks set status = p_status, error_message = p_error_message
    where id = p_id and status in ('pending', 'processing');
  return found;
end;
$$;

-- Merges keys into a task's metadata in one statement (concurrent merges queue on the row lock and
-- keep each other's keys). False when there is no such task.
create or replace function conceptflow_task_merge_metadata(p_id uuid, p_patch jsonb)
returns boolean
language plpgsql as $$
begin
  update tasks set metadata = metadata || coalesce(p_patch, '{}'::jsonb) where id = p_id;
  return found;
end;
$$;

do $$
begin
  -- Supabase: only the service role may call them (PostgREST exposes every function in `public`
  -- to the API roles otherwise: a user could create, claim or finish anyone's tasks).
  if exists (select 1 from pg_roles where rolname = 'anon') and exists (select 1 from pg_roles where rolname = 'authenticated') then
    revoke execute on function conceptflow_task_create(uuid, text, text, text, jsonb, text) from public, anon, authenticated;
    revoke execute on function conceptflow_task_claim(uuid, text) from public, anon, authenticated;
    revoke execute on function conceptflow_task_complete(uuid, uuid) from public, anon, authenticated;
    revoke execute on function conceptflow_task_finish(uuid, text, text) from public, anon, authenticated;
    revoke execute on function conceptflow_task_merge_metadata(uuid, jsonb) from public, anon, authenticated;
  end if;
  if exists (select 1 from pg_roles where rolname = 'service_role') then
    grant execute on function conceptflow_task_create(uuid, text, text, text, jsonb, text) to service_role;
    grant execute on function conceptflow_task_claim(uuid, text) to service_role;
    grant execute on function conceptflow_task_complete(uuid, uuid) to service_role;
    grant execute on function conceptflow_task_finish(uuid, text, text) to service_role;
    grant execute on function conceptflow_task_merge_metadata(uuid, jsonb) to service_role;
  end if;
end;
$$;

-- PostgREST learns of new functions from its schema cache: reload it (Supabase also does so on
-- DDL; a PostgREST without that event trigger needs this). Nothing listens elsewhere.
notify pgrst, 'reload schema';
