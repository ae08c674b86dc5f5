import { type FormEvent, useEffect, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { MeetingHeader, MeetingMinutes } from '../../api/types.ts';
import { CheckboxField, ErrorSummary, TextAreaField } from '../../components/form.tsx';
import { ApiErrorNotice, Badge, Loading, Section } from '../../components/ui.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { warekiDateTime } from '../../lib/dates.ts';

function MinutesView({ minutes, meeting }: { minutes: MeetingMinutes; meeting: MeetingHeader }) {
  const names = new Map(meeting.members.map((mm) => [mm.userId, `${mm.displayName}（${mm.organizationName}）`]));
  return (
    <div className="card" data-testid="minutes-view">
      <p className="mb-3 flex flex-wrap items-center gap-2 text-sm">
        {minutes.signedAt ? <Badge tone="green">総括者確定済み</Badge> : <Badge tone="orange">未確定</Badge>}
        <span>記録：{warekiDateTime(minutes.recordedAt)}</span>
        {minutes.signedAt && <span>確定：{warekiDateTime(minutes.signedAt)}</span>}
      </p>
      <h3 className="mb-1 font-bold">記録</h3>
      <p className="mb-4 whitespace-pre-wrap">{minutes.body}</p>
      <h3 className="mb-1 font-bold">決定事項</h3>
      {minutes.decisions.length ? (
        <ol className="mb-4 list-decimal pl-6">
          {minutes.decisions.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of texts that may repeat
            <li key={`${i}-${d}`}>{d}</li>
          ))}
        </ol>
      ) : (
        <p className="mb-4">なし</p>
      )}
      <h3 className="mb-1 font-bold">出席者</h3>
      <p>{minutes.attendeeUserIds.map((id) => names.get(id) ?? '（構成員以外）').join('、') || '—'}</p>
    </div>
  );
}

/** 会議記録: the chair records minutes, decisions and attendance, then signs them off. */
export function MinutesSection({ meeting, onChanged }: { meeting: MeetingHeader; onChanged: (msg: string) => void }) {
  const isChair = meeting.me.isChair;
  const minutes = useApiGet<MeetingMinutes>(`/meetings/${seg(meeting.id)}/minutes`);
  const [body, setBody] = useState('');
  const [decisions, setDecisions] = useState('');
  const [attendees, setAttendees] = useState<string[]>([]);
  const [loadedFor, setLoadedFor] = useState<string | null>(null);
  const s = useSubmit((path) => path.split('.')[0] ?? path);
  const sign = useSubmit();
  const m = minutes.data;

  // Fill the form once from what is stored.
  useEffect(() => {
    if (!m || loadedFor === m.recordedAt) return;
    setLoadedFor(m.recordedAt);
    if (m.body) {
      setBody(m.body);
      setDecisions(m.decisions.join('\n'));
      setAttendees(m.attendeeUserIds);
    }
  }, [m, loadedFor]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) {
      s.setLocalErrors({ body: '会議の記録を入力してください。' });
      return;
    }
    const ok = await s.run(() =>
      api.post<MeetingMinutes>(`/meetings/${seg(meeting.id)}/minutes`, {
        body,
        decisions: decisions
          .split('\n')
          .map((d) => d.trim())
          .filter(Boolean),
        attendeeUserIds: attendees,
      }),
    );
    if (ok) {
      minutes.reload();
      onChanged('会議記録を保存しました。内容を確認して確定してください。');
    }
  }

  async function signOff() {
    const ok = await sign.run(() => api.post(`/meetings/${seg(meeting.id)}/minutes/sign`, {}));
    if (ok) {
      minutes.reload();
      onChanged('会議記録を確定しました。');
    }
  }

  const ids: Record<string, string> = { body: 'minutes-body', decisions: 'minutes-decisions', attendeeUserIds: 'minutes-attendees' };

  return (
    <Section id="minutes" title="会議記録" testId="minutes">
      {minutes.loading && !m && <Loading />}
      {minutes.error && <ApiErrorNotice error={minutes.error} />}
      {m && (!isChair || m.signedAt) && (m.body ? <MinutesView minutes={m} meeting={meeting} /> : <p>会議記録はまだありません。</p>)}
      {m && isChair && !m.signedAt && (
        <>
          {m.recordedAt && (
            <p className="mb-3 text-sm">
              <Badge tone="orange">未確定</Badge> 最終保存：{warekiDateTime(m.recordedAt)}
            </p>
          )}
          <form onSubmit={save} noValidate aria-label="会議記録の入力" className="card bg-blue-50" data-testid="minutes-form">
            <ErrorSummary
              detail={s.detail}
              errors={s.errors}
              fieldIdOf={(k) => ids[k]}
              labelOf={(k) => ({ body: '記録', decisions: '決定事項', attendeeUserIds: '出席者' })[k]}
              testId="minutes-errors"
            />
            <TextAreaField
              id={ids.body}
              label="記録"
              required
              rows={8}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              error={s.errors.body}
              data-testid="minutes-body"
            />
            <TextAreaField
              id={ids.decisions}
              label="決定事項（1行に1件）"
              rows={4}
              value={decisions}
              onChange={(e) => setDecisions(e.target.value)}
              error={s.errors.decisions}
              data-testid="minutes-decisions"
            />
            <fieldset id={ids.attendeeUserIds} tabIndex={-1} className="mb-5">
              <legend className="mb-1 font-bold">出席者</legend>
              {meeting.members.map((mm) => (
                <CheckboxField
                  key={mm.userId}
                  className="mb-1"
                  label={`${mm.displayName}（${mm.organizationName}）`}
                  checked={attendees.includes(mm.userId)}
                  onChange={(e) => setAttendees((list) => (e.target.checked ? [...list, mm.userId] : list.filter((x) => x !== mm.userId)))}
                />
              ))}
              {s.errors.attendeeUserIds && <p className="mt-1 font-bold text-red-900">{s.errors.attendeeUserIds}</p>}
            </fieldset>
            <div className="flex flex-wrap gap-3">
              <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="minutes-save">
                会議記録を保存する
              </button>
              {m.recordedAt && (
                <button type="button" className="btn btn-secondary" disabled={sign.busy} onClick={signOff} data-testid="minutes-sign">
                  総括者として確定する
                </button>
              )}
            </div>
            {sign.detail && (
              <p role="alert" className="mt-3 font-bold text-red-900">
                {sign.detail}
              </p>
            )}
          </form>
        </>
      )}
    </Section>
  );
}
