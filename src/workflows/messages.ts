/** Queries of the concept workflows, typed and shared with the client (src/temporal/temporal-runs.ts). */
import { defineQuery } from '@temporalio/workflow';
import type { Progress } from '../domain/task.js';

/** Live progress: step, percent, message, variations done/total, result id or error. */
export const getProgressQuery = defineQuery<Progress>('getProgress');
