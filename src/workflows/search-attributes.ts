/**
 * Custom search attributes operators filter runs by in the Temporal Web UI, e.g.
 * `TaskId = "…"` or `UserId = "…" AND TaskStep = "variations"`.
 *
 * Pure module (no Node builtins): workflow code imports it to upsert TaskStep.
 * Registered by the embedded dev server (src/temporal/dev-server.ts), by
 * docker-compose.temporal.yml, and on startup of the worker where the server allows it.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TaskIdKey = defineSearchAttributeKey('TaskId', SearchAttributeType.KEYWORD);
export const UserIdKey = defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD);
export const TaskTypeKey = defineSearchAttributeKey('TaskType', SearchAttributeType.KEYWORD);
export const TaskStepKey = defineSearchAttributeKey('TaskStep', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [TaskIdKey, UserIdKey, TaskTypeKey, TaskStepKey];
