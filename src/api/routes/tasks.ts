/** /api/tasks: one task with live progress, its event stream, the user's list, and cancel. */
import { Router, type Response } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import type { TaskRecord } from '../../domain/task.js';
import type { Persistence } from '../../persistence/ports.js';
import { logOf, userIdOf } from '../context.js';
import { parseOrThrow } from '../errors.js';
import type { TaskView } from '../presenters.js';
import { streamSharedPoll, type SharedPoller } from '../shared-poll.js';
import { openEventStream, type EventStreamRegistry } from '../sse.js';
import type { TaskService } from '../task-service.js';
import { isUuid, listPage, listTasksQuerySchema } from '../validation.js';

export interface TaskRoutesDeps {
  persistence: Persistence;
  tasks: TaskService;
  /** The open-stream registry (caps, lifetime) and the one poller that all task streams share. */
  sse: { heartbeatMs: number; registry: EventStreamRegistry; poller: SharedPoller<TaskView> };
}

export function createTasksRouter(deps: TaskRoutesDeps): Router {
  const router = Router();
  const { persistence, tasks } = deps;

  /** The user's task, or 404 (also for ids that are not UUIDs and for other users' tasks). */
  const ownTask = async (id: string | undefined, res: Response): Promise<TaskRecord> => {
    const task = isUuid(id) ? await persistence.tasks.get(id, userIdOf(res)) : null;
    if (!task) throw new NotFoundError('Task not found');
    return task;
  };

  router.get('/', async (req, res) => {
    const query = parseOrThrow(listTasksQuerySchema, req.query, 'query');
    const log = logOf(res);
    const page = await listPage('/api/tasks', query, (limit) => persistence.tasks.list(userIdOf(res), { ...query, limit }));
    res.json({ tasks: await Promise.all(page.items.map((t) => tasks.view(t, log))), next: page.next });
  });

  router.get('/:id', async (req, res) => {
    res.json(await tasks.view(await ownTask(req.params.id, res), logOf(res)));
  });

  router.get('/:id/events', async (req, res) => {
    const task = await ownTask(req.params.id, res);
    const userId = userIdOf(res);
    const log = logOf(res);
    const stream = openEventStream(req, res, { heartbeatMs: deps.sse.heartbeatMs, registry: deps.sse.registry, userId });
    streamSharedPoll(stream, deps.sse.poller, `${userId}/${task.id}`, async () => {
      const row = await persistence.tasks.get(task.id, userId);
      return row ? tasks.view(row, log) : null;
    });
  });

  router.post('/:id/cancel', async (req, res) => {
    const task = await ownTask(req.params.id, res);
    const log = logOf(res);
    res.status(202).json(await tasks.view(await tasks.cancel(userIdOf(res), task.id, log), log));
  });

  return router;
}
