/** The live state of one task, from its event stream, until it finishes. */
import { useEffect, useState } from 'react';
import { followTask } from '../api/events';
import type { TaskView } from '../api/types';

export interface FollowedTask {
  task: TaskView | null;
  error: Error | null;
  reconnecting: boolean;
}

const NOTHING_YET: FollowedTask = { task: null, error: null, reconnecting: false };

export function useTaskFollower(taskId: string): FollowedTask {
  const [state, setState] = useState<FollowedTask & { taskId: string | null }>({ ...NOTHING_YET, taskId: null });

  useEffect(() => {
    const controller = new AbortController();
    const update = (change: Partial<FollowedTask>) =>
      setState((s) => ({ ...(s.taskId === taskId ? s : NOTHING_YET), ...change, taskId }));
    followTask(taskId, {
      signal: controller.signal,
      onTask: (task) => update({ task }),
      onConnection: (connection) => update({ reconnecting: connection === 'reconnecting' }),
    }).catch((error: unknown) => {
      if (controller.signal.aborted) return;
      update({ reconnecting: false, error: error instanceof Error ? error : new Error(String(error)) });
    });
    return () => controller.abort();
  }, [taskId]);

  return state.taskId === taskId ? state : NOTHING_YET;
}
