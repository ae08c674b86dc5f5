import { useState } from 'react';
import { Link } from 'react-router';
import { api, seg } from '../../api/client.ts';
import type { ListResponse, Task } from '../../api/types.ts';
import { ApiErrorNotice, Badge, Loading, PageTitle, StatusMessage } from '../../components/ui.tsx';
import { useMe } from '../../hooks/session.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { todayInTokyo, wareki, warekiDateTime } from '../../lib/dates.ts';
import { itemsOf, meetingPath, TASK_STATUS_LABELS } from './common.ts';

function statusTone(status: string) {
  return status === 'done' ? 'green' : status === 'in_progress' ? 'blue' : 'orange';
}

function TaskStatusForm({ task, onChanged }: { task: Task; onChanged: (msg: string) => void }) {
  const [status, setStatus] = useState(task.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = `task-status-${task.id}`;

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/tasks/${seg(task.id)}/status`, { status });
      onChanged(`タスクの状況を「${TASK_STATUS_LABELS[status] ?? status}」に更新しました。`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor={id} className="sr-only">
        状況（{task.task.slice(0, 20)}）
      </label>
      <select id={id} className="input w-36" value={status} onChange={(e) => setStatus(e.target.value)} data-testid="task-status-select">
        {Object.entries(TASK_STATUS_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn-secondary btn-sm" disabled={busy || status === task.status} onClick={save} data-testid="task-status-save">
        更新
      </button>
      {error && (
        <p role="alert" className="w-full font-bold text-red-900">
          {error}
        </p>
      )}
    </div>
  );
}

/** 自機関のタスク: role assignments given to the caller's organization by meetings. */
export function TasksScene() {
  const me = useMe();
  const { data, error, loading, reload } = useApiGet<ListResponse<Task>>('/tasks');
  const [message, setMessage] = useState<string | null>(null);
  const today = todayInTokyo();
  const items = itemsOf(data);
  const open = items.filter((t) => t.status !== 'done').length;

  return (
    <>
      <PageTitle title="自機関のタスク">自機関のタスク</PageTitle>
      <p className="mb-6 text-solid-gray-800">
        会議の役割分担で{me.organizationName ? `「${me.organizationName}」` : '貴機関'}に割り当てられたタスクです。期限は和暦で表示しています。
      </p>
      <StatusMessage message={message} />
      {loading && !data && <Loading />}
      {error && <ApiErrorNotice error={error} />}
      <div aria-live="polite" className="mb-2 text-solid-gray-700" data-testid="tasks-count">
        {data && `${items.length}件（未完了 ${open}件）`}
      </div>
      {data && items.length === 0 && <p className="rounded-8 bg-solid-gray-50 p-4">割り当てられたタスクはありません。</p>}
      {items.length > 0 && (
        <div className="overflow-x-auto">
          <table className="data-table" data-testid="tasks-table">
            <caption className="sr-only">自機関のタスク（{items.length}件）</caption>
            <thead>
              <tr>
                <th scope="col">タスク</th>
                <th scope="col">会議</th>
                <th scope="col">期限</th>
                <th scope="col">状況</th>
                <th scope="col">状況の変更</th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => {
                const overdue = t.dueOn && t.status !== 'done' && t.dueOn < today;
                return (
                  <tr key={t.id} data-testid="task-row" data-task-id={t.id}>
                    <th scope="row" className="whitespace-pre-wrap font-normal">
                      {t.task}
                    </th>
                    <td>
                      <Link to={meetingPath(t.meetingId)}>{t.meetingTitle}</Link>
                      <p className="text-sm text-solid-gray-700">{warekiDateTime(t.meetingStartsAt)}</p>
                    </td>
                    <td className="whitespace-nowrap">
                      {t.dueOn ? <time dateTime={t.dueOn}>{wareki(t.dueOn)}</time> : '—'}
                      {overdue && (
                        <div className="mt-1">
                          <Badge tone="red">期限超過</Badge>
                        </div>
                      )}
                    </td>
                    <td data-testid="task-status">
                      <Badge tone={statusTone(t.status)}>{TASK_STATUS_LABELS[t.status] ?? t.status}</Badge>
                    </td>
                    <td>
                      <TaskStatusForm
                        key={`${t.id}-${t.status}`}
                        task={t}
                        onChanged={(msg) => {
                          setMessage(msg);
                          reload();
                        }}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
