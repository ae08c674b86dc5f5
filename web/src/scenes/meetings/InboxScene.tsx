import { Link } from 'react-router';
import type { ListResponse, NotificationItem } from '../../api/types.ts';
import { ApiErrorNotice, Badge, Loading, PageTitle } from '../../components/ui.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { warekiDateTime } from '../../lib/dates.ts';
import { itemsOf, meetingPath, NOTIFICATION_KIND_LABELS } from './common.ts';

function subjectLink(n: NotificationItem): { to: string; label: string } | null {
  if (!n.subjectId) return null;
  if (n.subjectType === 'meeting') return { to: meetingPath(n.subjectId), label: '会議を開く' };
  if (n.subjectType === 'task') return { to: '/tasks', label: '自機関のタスクを開く' };
  if (n.subjectType === 'information_request') return { to: '/requests', label: '情報提供の求めを開く' };
  if (n.subjectType === 'convening_request') return { to: '/convening-requests', label: '開催依頼を開く' };
  if (n.subjectType === 'advice_request') return { to: `/advice/${encodeURIComponent(n.subjectId)}`, label: 'アドバイス依頼を開く' };
  // An advisor's answer is read on the case (its アドバイザー相談 part).
  if (n.subjectType === 'case' && n.kind === 'advice_answered')
    return { to: `/cases/${encodeURIComponent(n.subjectId)}?tab=advice`, label: 'ケースのアドバイザー相談を開く' };
  if (n.subjectType === 'case') return { to: `/cases/${encodeURIComponent(n.subjectId)}`, label: 'ケースを開く' };
  return null;
}

/** 通知: the in-app inbox (meeting notices, tasks, requests, break-glass alerts). */
export function InboxScene() {
  const { data, error, loading } = useApiGet<ListResponse<NotificationItem>>('/notifications');
  const items = itemsOf(data);
  return (
    <>
      <PageTitle title="通知">通知</PageTitle>
      <p className="mb-6 text-solid-gray-800">あなたと所属機関あての通知です（新しい順）。通知には個人の情報は含まれません。</p>
      {loading && !data && <Loading />}
      {error && <ApiErrorNotice error={error} />}
      {data && items.length === 0 && <p className="rounded-8 bg-solid-gray-50 p-4">通知はありません。</p>}
      {items.length > 0 && (
        <ul data-testid="inbox-list">
          {items.map((n) => {
            const link = subjectLink(n);
            return (
              <li key={n.id} className="card mb-3 p-4" data-testid="inbox-item" data-kind={n.kind}>
                <div className="mb-1 flex flex-wrap items-center gap-x-3 gap-y-1">
                  <Badge tone={n.kind === 'break_glass' ? 'red' : n.kind === 'task' ? 'orange' : 'blue'}>{NOTIFICATION_KIND_LABELS[n.kind] ?? n.kind}</Badge>
                  <time dateTime={n.createdAt} className="text-sm text-solid-gray-800">
                    {warekiDateTime(n.createdAt)}
                  </time>
                </div>
                <h2 className="text-std-18B-160 font-bold">{n.title}</h2>
                <p>{n.body}</p>
                {link && (
                  <p className="mt-1">
                    <Link to={link.to}>{link.label}</Link>
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
