/** /api/tasks: one task with live progress, its event stream, the user's list, and cancel. */
import { Router } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import type { TaskCanceler } from '../../usecases/cancel-task.js';
import type { TaskReads } from '../../usecases/read-tasks.js';
import { logOf, userIdOf } from '../context.js';
import { parseOrThrow } from '../errors.js';
import { presentSnapshot, type TaskView } from '../presenters.js';
import { streamSharedPoll, type SharedPoller } from '../shared-poll.js';
import { openEventStream, type EventStreamRegistry } from '../sse.js';
import { cancelRefused } from '../task-outcomes.js';
import { isUuid, listPage, listTasksQuerySchema } from '../validation.js';

export interface TaskRoutesDeps {
  reads: TaskReads;
  canceler: TaskCanceler;
  /** The open-stream registry (caps, lifetime) and the one poller that all task streams share. */
  sse: { heartbeatMs: number; registry: EventStreamRegistry; poller: SharedPoller<TaskView> };
}

/** 404 for ids that are not UUIDs, other users' tasks and missing ones alike. */
const taskNotFound = () => new NotFoundError('Task not found');

export function createTasksRouter(deps: TaskRoutesDeps): Router {
  const router = Router();
  const { reads, canceler } = deps;

  const found = <T>(value: T | null): T => {
    if (value === null) throw taskNotFound();
    return value;
  };

  router.get('/', async (req, res) => {
    const query = parseOrThrow(listTasksQuerySchema, req.query, 'query');
    const userId = userIdOf(res);
    const log = logOf(res);
    const page = await listPage('/api/tasks', query, (limit) => reads.list(userId, { ...query, limit }));
    const snapshots = await Promise.all(page.items.map((task) => reads.snapshot(task, log)));
    res.json({ tasks: snapshots.map(presentSnapshot), next: page.next });
  });

  router.get('/:id', async (req, res) => {
    const { id } = req.params;
    res.json(presentSnapshot(found(isUuid(id) ? await reads.find(userIdOf(res), id, logOf(res)) : null)));
  });

  router.get('/:id/events', async (req, res) => {
    const userId = userIdOf(res);
    const log = logOf(res);
    const { id } = req.params;
    // Only the row: whether the task is the user's (the stream's first poll reads its progress).
    const task = found(isUuid(id) ? await reads.row(userId, id) : null);
    const stream = openEventStream(req, res, { heartbeatMs: deps.sse.heartbeatMs, registry: deps.sse.registry, userId });
    streamSharedPoll(stream, deps.sse.poller, `${userId}/${task.id}`, async () => {
      const snapshot = await reads.find(userId, task.id, log);
      return snapshot ? presentSnapshot(snapshot) : null;
    });
  });

  router.post('/:id/cancel', async (req, res) => {
    if (!isUuid(req.params.id)) throw taskNotFound();
    const outcome = await canceler.cancel(userIdOf(res), req.params.id, logOf(res));
    if (outcome.kind !== 'cancel_requested') throw cancelRefused(outcome);
    res.status(202).json(presentSnapshot(outcome.task));
  });

  return router;
}
