import { useCallback, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { API_BASE, seg } from '../../api/client.ts';
import type { MeetingMaterials as Materials, MeetingHeader } from '../../api/types.ts';
import { ApiErrorNotice, Badge, Loading, Notice, PageTitle, Section, StatusMessage } from '../../components/ui.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { warekiDateTime } from '../../lib/dates.ts';
import { basisLabel, kindLabel, kindTone, meetingPath } from './common.ts';
import { AddCaseForm, AssignmentsSection, MembersSection } from './MeetingChair.tsx';
import { MaterialsSection, TableRecordsSection } from './MeetingMaterials.tsx';
import { MinutesSection } from './MeetingMinutes.tsx';
import { HonorariumSection, InformationRequestSection, isStatutoryBasis } from './MeetingRequests.tsx';

export function MeetingBreadcrumbs({ title, meetingId, current }: { title: string; meetingId?: string; current?: string }) {
  return (
    <nav aria-label="パンくずリスト" className="mb-4 text-sm">
      <ol className="flex flex-wrap gap-2">
        <li>
          <Link to="/meetings">会議一覧</Link>
          <span aria-hidden="true" className="ml-2">
            ›
          </span>
        </li>
        {current && meetingId ? (
          <>
            <li>
              <Link to={meetingPath(meetingId)}>{title}</Link>
              <span aria-hidden="true" className="ml-2">
                ›
              </span>
            </li>
            <li aria-current="page">{current}</li>
          </>
        ) : (
          <li aria-current="page">{title}</li>
        )}
      </ol>
    </nav>
  );
}

/** The header facts of a meeting (no case content): kind, basis, time, place, chair, window. */
export function MeetingFacts({ m }: { m: MeetingHeader }) {
  return (
    <section aria-label="会議の概要" className="card mb-8" data-testid="meeting-header">
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <Badge tone={kindTone(m.kind)} testId="meeting-kind">
          {kindLabel(m.kind)}
        </Badge>
        {m.statutoryConfidentiality && <Badge tone="red">法定の守秘義務あり</Badge>}
        {m.seriesId && <Badge tone="gray">定例</Badge>}
      </div>
      <dl className="grid gap-x-8 gap-y-3 sm:grid-cols-2">
        <div>
          <dt className="text-sm text-solid-gray-700">日時</dt>
          <dd className="font-bold" data-testid="meeting-starts-at">
            <time dateTime={m.startsAt}>{warekiDateTime(m.startsAt)}</time>
          </dd>
        </div>
        <div>
          <dt className="text-sm text-solid-gray-700">場所</dt>
          <dd>{[m.place, m.online ? 'オンライン' : null].filter(Boolean).join('・') || '—'}</dd>
        </div>
        <div>
          <dt className="text-sm text-solid-gray-700">根拠</dt>
          <dd data-testid="meeting-basis">{basisLabel(m.legalBasis)}</dd>
        </div>
        <div>
          <dt className="text-sm text-solid-gray-700">総括者</dt>
          <dd>
            {m.chair.displayName}（{m.chair.organizationName}）
          </dd>
        </div>
        <div>
          <dt className="text-sm text-solid-gray-700">議題のケース</dt>
          <dd>{m.caseCount}件</dd>
        </div>
        <div>
          <dt className="text-sm text-solid-gray-700">資料の閲覧期限</dt>
          <dd>
            <time dateTime={m.materialsCloseAt}>{warekiDateTime(m.materialsCloseAt)}</time>
            <span className="ml-2">{m.materialsOpen ? <Badge tone="green">閲覧期間中</Badge> : <Badge tone="gray">閲覧期間終了</Badge>}</span>
          </dd>
        </div>
      </dl>
    </section>
  );
}

export function MeetingScene() {
  const { meetingId = '' } = useParams();
  const location = useLocation();
  const initialMessage = (location.state as { message?: string } | null)?.message ?? null;
  const [message, setMessage] = useState<string | null>(initialMessage);
  const head = useApiGet<MeetingHeader>(`/meetings/${seg(meetingId)}`);
  const m = head.data;
  const acknowledged = Boolean(m?.me.acknowledgedAt);
  const canRead = Boolean(m && acknowledged && m.materialsOpen);
  const materials = useApiGet<Materials>(canRead ? `/meetings/${seg(meetingId)}/materials` : null);

  const { reload: reloadHead } = head;
  const { reload: reloadMaterials } = materials;
  const changed = useCallback(
    (msg: string) => {
      setMessage(msg);
      reloadHead();
      reloadMaterials();
    },
    [reloadHead, reloadMaterials],
  );

  if (head.loading && !m) return <Loading />;
  if (head.error || !m) {
    return (
      <>
        <PageTitle title="会議">会議</PageTitle>
        {head.error && <ApiErrorNotice error={head.error} />}
        <Link to="/meetings">会議一覧へ戻る</Link>
      </>
    );
  }

  const base = `${API_BASE}/meetings/${seg(m.id)}`;

  return (
    <>
      <MeetingBreadcrumbs title={m.title} />
      <PageTitle title={m.title}>
        <span data-testid="meeting-title-heading">{m.title}</span>
      </PageTitle>
      <StatusMessage message={message} />
      <MeetingFacts m={m} />

      <Section id="documents" title="開催通知・レジュメ">
        <ul className="flex flex-wrap gap-4">
          <li>
            <a href={`${base}/notice.pdf`} download className="btn btn-secondary" data-testid="notice-pdf">
              開催通知（PDF）をダウンロード
            </a>
          </li>
          {canRead && (
            <li>
              <a href={`${base}/agenda.pdf`} download className="btn btn-secondary" data-testid="agenda-pdf">
                レジュメ（PDF）をダウンロード
              </a>
            </li>
          )}
        </ul>
        <p className="mt-2 text-sm text-solid-gray-700">
          開催通知にはケースの内容は含まれません。レジュメは守秘義務の確認後、閲覧期間内にだけ出力でき、出力者と日時が印字され監査記録に残ります。
        </p>
      </Section>

      <MembersSection meeting={m} onChanged={changed} />

      {!acknowledged && (
        <Section id="pledge" title="会議資料" testId="materials-locked">
          <Notice tone="warning" role="note" title="会議資料はまだ開けません" testId="materials-refused">
            会議資料を開く前に、この会議の守秘義務の確認（誓約）が必要です（ルール5）。確認は会議ごとに、日時とともに記録されます。
          </Notice>
          <Link to={`${meetingPath(m.id)}/pledge`} className="btn btn-primary" style={{ color: '#fff' }} data-testid="pledge-open">
            守秘義務を確認して資料を開く
          </Link>
        </Section>
      )}
      {acknowledged && !m.materialsOpen && (
        <Section id="materials" title="会議資料">
          <Notice tone="neutral" role="note" title="資料の閲覧期間は終了しました">
            閲覧期間（{warekiDateTime(m.materialsCloseAt)}
            まで）が過ぎたため、資料は閉じられました。会議記録は総括者と事務局が、役割分担の内容は担当機関が保持しています。
          </Notice>
        </Section>
      )}
      {canRead && (
        <>
          {materials.loading && !materials.data && <Loading label="会議資料を読み込み中…" />}
          {materials.error && <ApiErrorNotice error={materials.error} testId="materials-error" />}
          {materials.data && (
            <>
              <MaterialsSection data={materials.data} acknowledgedAt={m.me.acknowledgedAt} />
              <TableRecordsSection meetingId={m.id} cases={materials.data.cases} onChanged={changed} />
            </>
          )}
        </>
      )}

      {m.me.isChair && <AddCaseForm meetingId={m.id} agendaCaseIds={materials.data?.cases.map((c) => c.caseId)} onChanged={changed} />}
      {acknowledged && (m.me.isChair || m.materialsOpen) ? (
        <MinutesSection meeting={m} onChanged={setMessage} />
      ) : (
        !acknowledged && (
          <Section id="minutes" title="会議記録">
            <p data-testid="minutes-locked">会議記録も会議資料です。守秘義務の確認後に{m.me.isChair ? '入力・閲覧' : '閲覧'}できます。</p>
          </Section>
        )
      )}
      {m.me.isChair && <AssignmentsSection meetingId={m.id} agenda={materials.data?.cases} onChanged={setMessage} />}
      {m.me.isChair && isStatutoryBasis(m.legalBasis) && <InformationRequestSection meeting={m} onChanged={setMessage} />}
      {m.me.isChair && <HonorariumSection meeting={m} onChanged={setMessage} />}
    </>
  );
}
