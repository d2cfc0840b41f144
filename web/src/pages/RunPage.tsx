/**
 * A run in progress, live from its event stream, with cancel. Completed → its concept's page;
 * failed or canceled → the API's message and a way to try again.
 */
import { useEffect, useState } from 'react';
import { cancelTask } from '../api/concepts';
import { ApiError } from '../api/http';
import { isActive, metadataText, type TaskView } from '../api/types';
import { ErrorAlert, Notice } from '../components/ErrorAlert';
import { RunProgress } from '../components/RunProgress';
import { formatDate } from '../format';
import { usePageTitle } from '../hooks/usePageTitle';
import { useTaskFollower } from '../hooks/useTaskFollower';
import { Link, navigate } from '../router';

function retryLink(task: TaskView): string {
  if (task.type === 'refinement') {
    const original = task.metadata.original_concept_id;
    return typeof original === 'string' ? `/concepts/${original}#refine` : '/';
  }
  const query = new URLSearchParams({ logo: metadataText(task, 'logo_description') ?? '', theme: metadataText(task, 'theme_description') ?? '' });
  return `/?${query}`;
}

function Inputs({ task }: { task: TaskView }) {
  const rows: [string, string | null][] =
    task.type === 'refinement'
      ? [['Change', metadataText(task, 'refinement_prompt')], ['Logo', metadataText(task, 'logo_description')]]
      : [['Logo', metadataText(task, 'logo_description')], ['Theme', metadataText(task, 'theme_description')]];
  return (
    <dl className="run__inputs">
      {rows.filter(([, v]) => v).map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function RunPage({ taskId }: { taskId: string }) {
  const { task, error, reconnecting } = useTaskFollower(taskId);
  const [cancel, setCancel] = useState<{ busy: boolean; error: Error | null }>({ busy: false, error: null });
  const what = task?.type === 'refinement' ? 'refinement' : 'generation';
  usePageTitle(task && isActive(task) ? `${task.progress.percent}% · ${what}` : 'Run');

  useEffect(() => {
    if (task?.status === 'completed' && task.result_id) navigate(`/concepts/${task.result_id}`, { replace: true });
  }, [task]);

  async function requestCancel() {
    setCancel({ busy: true, error: null });
    try {
      await cancelTask(taskId);
      setCancel({ busy: true, error: null });
    } catch (err) {
      // 409: it finished meanwhile; the stream shows how.
      if (err instanceof ApiError && err.status === 409) return setCancel({ busy: false, error: null });
      setCancel({ busy: false, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }

  if (error && !task) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <div className="narrow">
        <h1>Run</h1>
        <ErrorAlert title={missing ? 'No such run' : 'This run cannot be followed'} error={missing ? "This run doesn't exist, or it isn't yours." : error}>
          <Link to="/" className="button">Start a new concept</Link>
        </ErrorAlert>
      </div>
    );
  }

  return (
    <div className="narrow">
      <div className="card run">
        <p className="eyebrow">
          {what === 'refinement' ? 'Refinement' : 'Generation'}
          {task && <> · started {formatDate(task.created_at)}</>}
        </p>
        <h1 className="run__title">
          {!task || isActive(task) ? (what === 'refinement' ? 'Refining your concept' : 'Making your concept') : task.status === 'completed' ? 'Concept ready' : task.status === 'failed' ? 'This run failed' : 'This run was canceled'}
        </h1>
        {task && <Inputs task={task} />}
        {!task && <p className="muted" role="status">Connecting to the run…</p>}
        {task && isActive(task) && (
          <>
            <RunProgress task={task} />
            {reconnecting && <p className="muted" role="status">Connection lost; reconnecting…</p>}
            {cancel.error && <ErrorAlert title="Could not cancel" error={cancel.error} />}
            <div className="run__actions">
              <button type="button" className="button button--danger" onClick={() => void requestCancel()} disabled={cancel.busy}>
                {cancel.busy ? 'Canceling…' : 'Cancel run'}
              </button>
            </div>
          </>
        )}
        {task?.status === 'failed' && (
          <ErrorAlert title="What went wrong" error={task.error_message ?? 'The run failed without a message.'}>
            <Link to={retryLink(task)} className="button button--primary">Try again</Link>
            <Link to="/concepts" className="button">Gallery</Link>
          </ErrorAlert>
        )}
        {task?.status === 'canceled' && (
          <Notice title="Canceled">
            <p>Nothing was kept from this run.</p>
            <div className="alert__actions">
              <Link to={retryLink(task)} className="button button--primary">Start again</Link>
            </div>
          </Notice>
        )}
        {task?.status === 'completed' && <p role="status">Opening the concept…</p>}
        {error && task && <ErrorAlert title="Lost track of this run" error={error} />}
      </div>
    </div>
  );
}
