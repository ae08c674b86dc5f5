import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, seg } from '../../api/client.ts';
import type { MeetingHeader } from '../../api/types.ts';
import { ApiErrorNotice, Loading, Notice, PageTitle } from '../../components/ui.tsx';
import { useMe } from '../../hooks/session.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { warekiDateTime } from '../../lib/dates.ts';
import { basisLabel, clauseOf, kindLabel, meetingPath } from './common.ts';
import { MeetingBreadcrumbs } from './MeetingScene.tsx';

/**
 * The electronic pledge (rule 5): the confidentiality clause of the meeting's legal basis, as
 * the notice and agenda print it, and the member's acknowledgment, stored with time and user.
 */
export function PledgeScene() {
  const { meetingId = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const head = useApiGet<MeetingHeader>(`/meetings/${seg(meetingId)}`);
  const s = useSubmit();
  const [agreed, setAgreed] = useState(false);
  const m = head.data;

  if (head.loading && !m) return <Loading />;
  if (head.error || !m) {
    return (
      <>
        <PageTitle title="守秘義務の確認">守秘義務の確認</PageTitle>
        {head.error && <ApiErrorNotice error={head.error} />}
        <Link to="/meetings">会議一覧へ戻る</Link>
      </>
    );
  }

  const clause = clauseOf(m.legalBasis);
  const statutory = m.statutoryConfidentiality;

  async function acknowledge() {
    const ok = await s.run(() => api.post(`/meetings/${seg(meetingId)}/acknowledge`, {}));
    if (ok) navigate(meetingPath(meetingId), { state: { message: '守秘義務の確認を記録しました。会議資料を開けます。' } });
  }

  return (
    <>
      <MeetingBreadcrumbs title={m.title} meetingId={m.id} current="守秘義務の確認" />
      <PageTitle title={`守秘義務の確認 — ${m.title}`}>守秘義務の確認（電子誓約）</PageTitle>
      <p className="mb-6">
        <span className="font-bold">{m.title}</span>（{kindLabel(m.kind)}・{warekiDateTime(m.startsAt)}）の資料を開く前に、次の内容を確認してください。
      </p>
      {s.detail && (
        <Notice tone="error" role="alert" testId="pledge-error">
          {s.detail}
        </Notice>
      )}
      <section
        aria-labelledby="clause-heading"
        className={`mb-6 rounded-8 border-4 p-6 ${statutory ? 'border-red-900 bg-red-50' : 'border-blue-900 bg-blue-50'}`}
        data-testid="pledge-clause"
      >
        <h2 id="clause-heading" className="mb-3 text-std-24B-150">
          {clause?.title ?? '守秘義務について'}
        </h2>
        <p className="mb-3 text-sm">根拠：{basisLabel(m.legalBasis)}</p>
        {clause ? (
          <p className="leading-loose" data-testid="pledge-clause-text">
            {clause.text}
          </p>
        ) : (
          <p data-testid="pledge-clause-text">この会議で知り得た秘密を、正当な理由なく漏らしてはなりません。</p>
        )}
        {statutory ? (
          <p className="mt-4 font-bold" data-testid="pledge-penalty">
            この守秘義務には罰則があります。会議資料は「支援会議限り」です。構成員以外への提供・転送・複製はできません。
          </p>
        ) : (
          <p className="mt-4" data-testid="pledge-reminder">
            本人同意に基づく会議です。共有された情報は、本人が同意した範囲と目的でのみ利用してください。
          </p>
        )}
        {clause && <p className="mt-3 text-sm text-solid-gray-800">条文：{clause.article}</p>}
      </section>

      {m.me.acknowledgedAt ? (
        <Notice tone="success" role="status" title="確認済みです" testId="pledge-done">
          {warekiDateTime(m.me.acknowledgedAt)}に確認しました。<Link to={meetingPath(m.id)}>会議の画面へ戻る</Link>
        </Notice>
      ) : (
        <div className="card" data-testid="pledge-form">
          <p className="mb-3">
            確認者：<span className="font-bold">{me.displayName}</span>（{me.organizationName}）。確認は日時とともに記録され、会議の総括者にも表示されます。
          </p>
          <div className="mb-4 flex items-center gap-2">
            <input
              id="pledge-agree"
              type="checkbox"
              className="check"
              checked={agreed}
              onChange={(e) => setAgreed(e.target.checked)}
              data-testid="pledge-agree"
            />
            <label htmlFor="pledge-agree">上記の守秘義務の内容を読み、理解しました。</label>
          </div>
          <div className="flex flex-wrap gap-3">
            <button type="button" className="btn btn-primary" disabled={!agreed || s.busy} onClick={acknowledge} data-testid="pledge-submit">
              守秘義務を確認しました
            </button>
            <Link to={meetingPath(m.id)} className="btn btn-secondary">
              会議の画面へ戻る
            </Link>
          </div>
        </div>
      )}
    </>
  );
}
