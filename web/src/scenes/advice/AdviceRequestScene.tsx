import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, seg } from '../../api/client.ts';
import type { AdviceCore, AdviceRequestDetail, AssessmentView, PlanView } from '../../api/types.ts';
import { ErrorSummary, TextAreaField } from '../../components/form.tsx';
import { ApiErrorNotice, Badge, Loading, PageTitle, Section, StatusMessage } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { birthWithAge, wareki, warekiDateTime } from '../../lib/dates.ts';
import { ADVICE_PART_LABELS, ADVICE_STATUS_LABELS, ASSESSMENT_DOMAINS, authorText, PLAN_STATUS_LABELS, planStatusTone } from '../../lib/lifecycle.ts';
import { meetingPath } from '../meetings/common.ts';

/** One advice request as its advisor sees it: the question, the tabled material and the answer form. */
export function AdviceRequestScene() {
  const { requestId = '' } = useParams();
  const req = useApiGet<AdviceRequestDetail>(`/advice-requests/${seg(requestId)}`);
  const [message, setMessage] = useState<string | null>(null);
  const d = req.data;
  const title = d ? `アドバイス依頼：${d.householdName ?? '（世帯名なし）'}` : 'アドバイス依頼';
  return (
    <>
      <nav aria-label="パンくずリスト" className="mb-4 text-sm">
        <ol className="flex flex-wrap gap-2">
          <li>
            <Link to="/advice">アドバイス依頼</Link>
            <span aria-hidden="true" className="ml-2">
              ›
            </span>
          </li>
          <li aria-current="page">{d?.householdName ?? '依頼'}</li>
        </ol>
      </nav>
      <PageTitle title={title}>{title}</PageTitle>
      {req.loading && !d && <Loading />}
      {req.error && <ApiErrorNotice error={req.error} />}
      <StatusMessage message={message} />
      {d && (
        <>
          <section aria-label="依頼の概要" className="card mb-8" data-testid="advice-request">
            <div className="mb-3 flex flex-wrap items-center gap-3">
              <Badge tone={d.status === 'answered' ? 'green' : 'orange'} testId="advice-status">
                {ADVICE_STATUS_LABELS[d.status] ?? d.status}
              </Badge>
              {d.dueOn && <span>回答期限：{wareki(d.dueOn)}</span>}
              {d.createdAt && <span className="text-sm text-solid-gray-700">依頼：{warekiDateTime(d.createdAt)}</span>}
              {d.requestedBy && <span className="text-sm text-solid-gray-700">依頼者：{authorText(d.requestedBy)}</span>}
            </div>
            <dl className="grid gap-x-6 gap-y-2 md:grid-cols-[8rem_1fr]">
              <dt className="font-bold">相談内容</dt>
              <dd className="whitespace-pre-wrap" data-testid="advice-question">
                {d.question ?? '（依頼の根拠がなくなったため表示しません）'}
              </dd>
              <dt className="font-bold">閲覧の根拠</dt>
              <dd>
                {d.basis.kind === 'consent'
                  ? '本人同意'
                  : `会議の決定${'meetingTitle' in d.basis && d.basis.meetingTitle ? `（${d.basis.meetingTitle}）` : ''}`}
              </dd>
              <dt className="font-bold">示された資料</dt>
              <dd>{d.include.map((p) => ADVICE_PART_LABELS[p] ?? p).join('、')}</dd>
            </dl>
          </section>

          <Section id="tabled" title="資料">
            {d.withheld && (
              <div role="note" className="mb-4 rounded-8 border border-l-8 border-solid-gray-536 bg-solid-gray-50 p-3" data-testid="advice-withheld">
                <p className="font-bold">資料を表示していません</p>
                <p>{d.withheld.message}</p>
                {d.basis.kind === 'meeting' && (
                  <p className="mt-2">
                    会議の構成員であれば、
                    <Link to={`${meetingPath(d.basis.meetingId)}/pledge`} data-testid="advice-pledge-link">
                      守秘義務の確認（誓約）
                    </Link>
                    の後に資料を閲覧できます。
                  </p>
                )}
              </div>
            )}
            {!d.tabled && !d.withheld && <p className="text-solid-gray-700">表示できる資料はありません。</p>}
            {d.tabled?.core && <CoreView core={d.tabled.core} />}
            {d.tabled?.assessment && <AssessmentView_ view={d.tabled.assessment} />}
            {d.tabled && d.include.includes('assessment') && !d.tabled.assessment && (
              <p className="mb-4 rounded-8 bg-solid-gray-50 p-3" data-testid="tabled-assessment-none">
                依頼の時点で、アセスメントはまだ記録されていませんでした。
              </p>
            )}
            {d.tabled?.plan && <PlanView_ plan={d.tabled.plan} />}
            {d.tabled && d.include.includes('plan') && !d.tabled.plan && (
              <p className="mb-4 rounded-8 bg-solid-gray-50 p-3" data-testid="tabled-plan-none">
                依頼の時点で、支援プランはまだ作成されていませんでした。
              </p>
            )}
          </Section>

          <Section id="answer" title="回答">
            {d.answer ? (
              <div className="card bg-green-50" data-testid="advice-answer">
                <p className="whitespace-pre-wrap">{d.answer}</p>
                {d.answeredAt && <p className="mt-2 text-sm text-solid-gray-700">{warekiDateTime(d.answeredAt)} 回答</p>}
              </div>
            ) : (
              <AnswerForm
                id={d.id}
                onDone={() => {
                  setMessage('回答を送りました。支援チームに表示されます。');
                  req.reload();
                }}
              />
            )}
          </Section>
        </>
      )}
    </>
  );
}

function CoreView({ core }: { core: AdviceCore }) {
  const codes = useCodeLists();
  const names = new Map(core.members.flatMap((m) => ('personId' in m ? [[m.personId, m.name] as [string, string]] : [])));
  return (
    <section aria-labelledby="tabled-core-heading" className="card mb-6" data-testid="tabled-core">
      <h3 id="tabled-core-heading" className="mb-2 text-std-20B-150">
        ケースの概要
      </h3>
      {core.referralRoute && (
        <p className="mb-2">
          <span className="font-bold">相談経路：</span>
          {labelOf(codes.referralRoutes, core.referralRoute)}
        </p>
      )}
      <h4 className="mb-1 font-bold">要旨</h4>
      <p className="mb-4 whitespace-pre-wrap" data-testid="tabled-core-summary">
        {core.summary || '（要旨なし）'}
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        <div>
          <h4 className="mb-1 font-bold">世帯構成</h4>
          <ul className="list-disc pl-6">
            {core.members.map((m, i) =>
              'personId' in m ? (
                <li key={m.personId}>
                  {m.name}（{m.relationship ? labelOf(codes.relationships, m.relationship) : '続柄不明'}・{birthWithAge(m.birthDate)}）
                </li>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: members outside the basis have no id
                <li key={i} className="text-solid-gray-800">
                  （氏名非表示）{m.relationship ? labelOf(codes.relationships, m.relationship) : '続柄不明'}
                  {m.age !== null ? `・${m.age}歳` : ''}
                </li>
              ),
            )}
          </ul>
        </div>
        <div>
          <h4 className="mb-1 font-bold">課題</h4>
          {core.problems.length === 0 ? (
            <p>表示できる課題はありません。</p>
          ) : (
            <ul className="list-disc pl-6" data-testid="tabled-core-problems">
              {core.problems.map((p) => (
                <li key={`${p.personId}-${p.type}-${p.note ?? ''}`}>
                  <span className="font-bold">{names.get(p.personId) ?? '（氏名非表示）'}</span>：{labelOf(codes.problemTypes, p.type)}
                  {p.note && <span>（{p.note}）</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}

function AssessmentView_({ view }: { view: AssessmentView }) {
  const nameOf = (id: string) => view.members.find((m) => m.personId === id)?.name ?? '（表示できない世帯員）';
  const hh = view.household;
  return (
    <section aria-labelledby="tabled-assessment-heading" className="card mb-6" data-testid="tabled-assessment">
      <h3 id="tabled-assessment-heading" className="mb-2 text-std-20B-150">
        アセスメント（第{view.version}版・{wareki(view.authoredAt)}）
      </h3>
      {(view.withheld ?? []).map((w) => (
        <p key={`${w.personId}-${w.name}`} role="note" className="mb-2 rounded-8 bg-solid-gray-50 p-2 text-sm">
          {w.name ? `${w.name}：` : ''}
          {w.message}
        </p>
      ))}
      {view.members.map((m) => {
        const filled = ASSESSMENT_DOMAINS.filter((d) => m.items?.[d.code]);
        return (
          <div key={m.personId} className="mb-4">
            <h4 className="mb-1 font-bold">{m.name}</h4>
            <dl className="grid gap-x-6 gap-y-1 md:grid-cols-[14rem_1fr]">
              {filled.map((d) => (
                <div key={d.code} className="contents">
                  <dt className="text-solid-gray-800">{d.ja}</dt>
                  <dd className="whitespace-pre-wrap">{m.items[d.code]}</dd>
                </div>
              ))}
              {m.note && (
                <>
                  <dt className="text-solid-gray-800">その他</dt>
                  <dd className="whitespace-pre-wrap">{m.note}</dd>
                </>
              )}
            </dl>
          </div>
        );
      })}
      {hh && (
        <>
          <h4 className="mb-1 font-bold">世帯全体</h4>
          <dl className="grid gap-x-6 gap-y-1 md:grid-cols-[14rem_1fr]">
            <dt className="text-solid-gray-800">キーパーソン</dt>
            <dd>{hh.keyPersonId ? nameOf(hh.keyPersonId) : '—'}</dd>
            <dt className="text-solid-gray-800">誰が誰を支えているか</dt>
            <dd>{(hh.supports ?? []).map((s) => `${nameOf(s.fromPersonId)}→${nameOf(s.toPersonId)}${s.note ? `（${s.note}）` : ''}`).join('、') || '—'}</dd>
            <dt className="text-solid-gray-800">誰かが倒れたら</dt>
            <dd className="whitespace-pre-wrap">{hh.ifOneFallsIll || '—'}</dd>
            <dt className="text-solid-gray-800">世帯の強み</dt>
            <dd className="whitespace-pre-wrap">{hh.strengths || '—'}</dd>
          </dl>
        </>
      )}
    </section>
  );
}

function PlanView_({ plan }: { plan: PlanView }) {
  const nameOf = (id: string | null) => (id ? (plan.members.find((m) => m.personId === id)?.name ?? '（表示できない世帯員）') : '世帯全体');
  return (
    <section aria-labelledby="tabled-plan-heading" className="card mb-6" data-testid="tabled-plan">
      <h3 id="tabled-plan-heading" className="mb-2 text-std-20B-150">
        支援プラン（第{plan.version}版）
        <span className="ml-3 align-middle">
          <Badge tone={planStatusTone(plan.status)}>{PLAN_STATUS_LABELS[plan.status] ?? plan.status}</Badge>
        </span>
      </h3>
      <h4 className="mb-1 font-bold">支援の見立て</h4>
      <ul className="mb-3 list-disc pl-6">
        {plan.members.map((m) => (
          <li key={m.personId}>
            <span className="font-bold">{m.name}</span>：{m.view}
          </li>
        ))}
      </ul>
      <h4 className="mb-1 font-bold">目標</h4>
      <ol className="mb-3 list-decimal pl-8">
        {plan.goals.map((g) => (
          <li key={g.key}>
            ［{nameOf(g.personId)}］{g.text}
          </li>
        ))}
      </ol>
      <h4 className="mb-1 font-bold">支援内容と役割分担</h4>
      <div className="overflow-x-auto">
        <table className="data-table">
          <caption className="sr-only">支援内容と担当機関</caption>
          <thead>
            <tr>
              <th scope="col">支援内容</th>
              <th scope="col">対象</th>
              <th scope="col">担当機関</th>
              <th scope="col">見直し日</th>
            </tr>
          </thead>
          <tbody>
            {plan.actions.map((a) => (
              <tr key={a.key}>
                <td>{a.text}</td>
                <td>{nameOf(a.personId)}</td>
                <td>{a.organizationName ?? '—'}</td>
                <td className="whitespace-nowrap">{a.reviewOn ? wareki(a.reviewOn) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function AnswerForm({ id, onDone }: { id: string; onDone: () => void }) {
  const s = useSubmit();
  const [answer, setAnswer] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!answer.trim()) {
      s.setLocalErrors({ answer: '回答を入力してください。' });
      return;
    }
    const ok = await s.run(async () => {
      await api.post(`/advice-requests/${seg(id)}/answer`, { answer: answer.trim() });
      return true;
    });
    if (ok) onDone();
  }
  return (
    <form onSubmit={submit} noValidate className="card bg-blue-50" aria-label="回答の入力" data-testid="advice-answer-form">
      <ErrorSummary
        detail={s.detail}
        errors={s.errors}
        fieldIdOf={(k) => (k === 'answer' ? 'advice-answer-text' : undefined)}
        labelOf={(k) => (k === 'answer' ? '回答' : undefined)}
      />
      <TextAreaField
        id="advice-answer-text"
        label="回答"
        required
        rows={8}
        value={answer}
        onChange={(e) => setAnswer(e.target.value)}
        error={s.errors.answer}
      />
      <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="advice-answer-submit">
        回答を送る
      </button>
    </form>
  );
}
