import { useCallback, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { seg } from '../api/client.ts';
import type { CaseDetail, CaseRecord, Household, ListResponse, Organization } from '../api/types.ts';
import { ApiErrorNotice, Badge, Loading, PageTitle, StatusMessage, statusTone, urgencyTone } from '../components/ui.tsx';
import { labelOf, useCodeLists } from '../hooks/codeLists.tsx';
import { useApiGet } from '../hooks/useApiGet.ts';
import { wareki } from '../lib/dates.ts';
import { AdviceSection } from './household/AdviceSection.tsx';
import { AssessmentSection } from './household/AssessmentSection.tsx';
import { BreakGlass } from './household/BreakGlass.tsx';
import { CaseTabs, useCaseTab } from './household/CaseTabs.tsx';
import { ConsentSection } from './household/ConsentSection.tsx';
import { ConveningRequestSection } from './household/ConveningRequestSection.tsx';
import { fullName, GROUND_LABELS, KNOWN_PARTS, mergeMembers, withheldOf } from './household/common.ts';
import { FamilyMapsSection } from './household/FamilyMapsSection.tsx';
import { MembersSection } from './household/MembersSection.tsx';
import { MonitoringSection } from './household/MonitoringSection.tsx';
import { PlanSection } from './household/PlanSection.tsx';
import { ProblemsSection } from './household/ProblemsSection.tsx';
import { RecordsSection } from './household/RecordsSection.tsx';
import { StatusSection } from './household/StatusSection.tsx';
import { SummarySection } from './household/SummarySection.tsx';
import { TeamSection } from './household/TeamSection.tsx';
import { TerminationSection } from './household/TerminationSection.tsx';
import { WithheldNotices } from './household/WithheldNotice.tsx';

const NOT_VISIBLE = '表示できません（存在しないか、閲覧権限がありません）';

function organizationsOf(data: ListResponse<Organization> | Organization[] | undefined): Organization[] {
  if (!data) return [];
  return Array.isArray(data) ? data : (data.items ?? []);
}

export function HouseholdScene() {
  const { householdId = '' } = useParams();
  const [params] = useSearchParams();
  const codes = useCodeLists();
  const hh = useApiGet<Household>(`/households/${seg(householdId)}`);
  const caseId = params.get('case') ?? hh.data?.cases[0]?.id ?? null;
  const kase = useApiGet<CaseDetail>(caseId ? `/cases/${seg(caseId)}` : null);
  const indexOnly = kase.data?.view === 'index';
  const records = useApiGet<ListResponse<CaseRecord>>(caseId && kase.data && !indexOnly ? `/cases/${seg(caseId)}/records` : null);
  const abilities = kase.data?.abilities;
  const needOrgs = Boolean(abilities?.manageTeam || abilities?.recordConsent || abilities?.addRecord);
  const orgs = useApiGet<ListResponse<Organization> | Organization[]>(needOrgs ? '/organizations' : null);
  const [message, setMessage] = useState<string | null>(null);

  const members = useMemo(() => mergeMembers(hh.data?.members, kase.data), [hh.data, kase.data]);
  const names = useMemo(() => new Map(members.map((m) => [m.personId, fullName(m)])), [members]);
  const organizations = organizationsOf(orgs.data);

  const { reload: reloadCase } = kase;
  const { reload: reloadRecords } = records;
  const { reload: reloadHousehold } = hh;
  const changed = useCallback(
    (msg: string) => {
      setMessage(msg);
      reloadCase();
      reloadRecords();
      reloadHousehold();
    },
    [reloadCase, reloadRecords, reloadHousehold],
  );

  const tab = useCaseTab();
  const lifecycle = { members, names, onChanged: changed };
  const title = kase.data?.householdName || hh.data?.name || '世帯';
  const headerWithheld = [...withheldOf(kase.data, 'header'), ...(kase.data?.withheld ?? []).filter((w) => !KNOWN_PARTS.includes(w.part))];

  if (hh.loading && !hh.data && !kase.data) return <Loading />;

  const householdHidden = hh.error && (hh.error.status === 404 || hh.error.status === 403);
  const caseHidden = kase.error && (kase.error.status === 404 || kase.error.status === 403);
  if (householdHidden && (!caseId || caseHidden)) {
    return (
      <>
        <PageTitle title="世帯">世帯</PageTitle>
        <div role="alert" data-testid="not-visible" className="rounded-8 border-2 border-solid-gray-536 bg-solid-gray-50 p-4 font-bold">
          {NOT_VISIBLE}
        </div>
        <p className="mt-4">
          <Link to="/cases">ケース一覧へ戻る</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <nav aria-label="パンくずリスト" className="mb-4 text-sm">
        <ol className="flex flex-wrap gap-2">
          <li>
            <Link to="/cases">ケース一覧</Link>
            <span aria-hidden="true" className="ml-2">
              ›
            </span>
          </li>
          <li aria-current="page">{title}</li>
        </ol>
      </nav>
      <PageTitle title={title}>
        <span data-testid="household-name">{title}</span>
      </PageTitle>
      {hh.error && !householdHidden && <ApiErrorNotice error={hh.error} />}
      {householdHidden && (
        <div role="note" data-testid="not-visible" className="mb-4 rounded-8 border border-solid-gray-536 bg-solid-gray-50 p-3">
          世帯の情報は{NOT_VISIBLE}
        </div>
      )}
      {hh.data?.address && (
        <p className="-mt-4 mb-4 text-solid-gray-800">
          <span className="font-bold">住所：</span>
          {hh.data.address}
        </p>
      )}

      {hh.data && hh.data.cases.length > 1 && (
        <nav aria-label="この世帯のケース" className="mb-6">
          <p className="mb-1 font-bold">この世帯のケース</p>
          <ul className="flex flex-wrap gap-2">
            {hh.data.cases.map((c) => (
              <li key={c.id}>
                <Link
                  to={`/households/${seg(householdId)}?case=${seg(c.id)}`}
                  aria-current={c.id === caseId ? 'page' : undefined}
                  className={`btn btn-sm ${c.id === caseId ? 'btn-primary' : 'btn-secondary'}`}
                  style={c.id === caseId ? { color: '#fff' } : undefined}
                >
                  {wareki(c.openedAt)}受付・{labelOf(codes.caseStatuses, c.status)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}

      {hh.data && hh.data.cases.length === 0 && !caseId && (
        <>
          <p className="mb-6 rounded-8 bg-solid-gray-50 p-4">この世帯にはあなたが閲覧できるケースがありません。</p>
          <MembersSection members={members} withheld={[]} names={names} />
        </>
      )}

      <StatusMessage message={message} />

      {caseId && kase.loading && !kase.data && <Loading label="ケースを読み込み中…" />}
      {caseId && kase.error && (
        <div role="alert" data-testid="case-error" className="mb-6 rounded-8 border-2 border-solid-gray-536 bg-solid-gray-50 p-4">
          {kase.error.status === 404 ? <p className="font-bold">ケースは{NOT_VISIBLE}</p> : <ApiErrorNotice error={kase.error} />}
        </div>
      )}
      {!kase.data && kase.error && hh.data && <MembersSection members={members} withheld={[]} names={names} />}

      {kase.data && (
        <>
          <section aria-label="ケースの概要" className="card mb-8" data-testid="case-header">
            <dl className="grid gap-x-8 gap-y-2 sm:grid-cols-2 lg:grid-cols-4">
              <div>
                <dt className="text-sm text-solid-gray-700">状態</dt>
                <dd data-testid="case-status">
                  <Badge tone={statusTone(kase.data.status)}>{labelOf(codes.caseStatuses, kase.data.status)}</Badge>
                </dd>
              </div>
              <div>
                <dt className="text-sm text-solid-gray-700">緊急度</dt>
                <dd>
                  <Badge tone={urgencyTone(kase.data.urgency)}>{labelOf(codes.urgencies, kase.data.urgency)}</Badge>
                </dd>
              </div>
              <div>
                <dt className="text-sm text-solid-gray-700">主担当</dt>
                <dd className="font-bold">{kase.data.leadOrganization?.name}</dd>
              </div>
              <div>
                <dt className="text-sm text-solid-gray-700">受付日</dt>
                <dd>
                  <time dateTime={kase.data.openedAt}>{wareki(kase.data.openedAt, true)}</time>
                </dd>
              </div>
            </dl>
            {kase.data.view === 'index' && (
              <p className="mt-3 text-sm">
                <Badge tone="gray">索引のみ</Badge> 支援チームに入っていないため、世帯名・状態・担当機関だけを表示しています。
              </p>
            )}
            {kase.data.basis && kase.data.basis.length > 0 && (
              <details className="mt-3 text-sm print:hidden" data-testid="access-basis">
                <summary className="cursor-pointer text-blue-1000 underline">この画面を表示している根拠</summary>
                <ul className="mt-2 list-disc pl-6">
                  {kase.data.basis.map((b) => {
                    const extra = Object.entries(b)
                      .filter(([k, v]) => k !== 'ground' && (typeof v === 'string' || typeof v === 'number'))
                      .map(([k, v]) => `${k}: ${String(v)}`)
                      .join('、');
                    return (
                      <li key={`${b.ground}-${extra}`}>
                        {GROUND_LABELS[b.ground] ?? b.ground}
                        {extra && <span className="text-solid-gray-700">（{extra}）</span>}
                      </li>
                    );
                  })}
                </ul>
                <p className="mt-1 text-solid-gray-700">閲覧は根拠とともに監査記録に残ります。</p>
              </details>
            )}
          </section>

          <div className="mb-8">
            <WithheldNotices items={headerWithheld} names={names} />
          </div>

          {indexOnly ? (
            <TeamSection kase={kase.data} organizations={organizations} onChanged={changed} />
          ) : (
            <>
              <CaseTabs caseId={kase.data.id} current={tab} />
              {tab === 'overview' && (
                <>
                  <MembersSection members={members} withheld={withheldOf(kase.data, 'composition')} names={names} />
                  <ProblemsSection kase={kase.data} members={members} withheld={withheldOf(kase.data, 'problems')} names={names} />
                  <SummarySection kase={kase.data} withheld={withheldOf(kase.data, 'summary')} names={names} />
                  <TeamSection kase={kase.data} organizations={organizations} onChanged={changed} />
                  <ConsentSection kase={kase.data} members={members} organizations={organizations} onChanged={changed} />
                  <RecordsSection
                    kase={kase.data}
                    members={members}
                    records={records.data?.items}
                    error={records.error}
                    loading={records.loading}
                    names={names}
                    onChanged={changed}
                  />
                  <StatusSection kase={kase.data} onChanged={changed} />
                  {kase.data.abilities?.addRecord && (
                    <ConveningRequestSection key={kase.data.id} kase={kase.data} organizations={organizations} onChanged={changed} />
                  )}
                </>
              )}
              {tab === 'maps' && <FamilyMapsSection kase={kase.data} members={members} />}
              {tab === 'assessment' && <AssessmentSection key={kase.data.id} {...lifecycle} kase={kase.data} />}
              {tab === 'plan' && <PlanSection key={kase.data.id} {...lifecycle} kase={kase.data} />}
              {tab === 'monitoring' && <MonitoringSection key={kase.data.id} {...lifecycle} kase={kase.data} />}
              {tab === 'advice' && <AdviceSection key={kase.data.id} {...lifecycle} kase={kase.data} />}
              {tab === 'closing' && <TerminationSection key={kase.data.id} {...lifecycle} kase={kase.data} />}
            </>
          )}
          {kase.data.abilities?.breakGlass && <BreakGlass caseId={kase.data.id} onChanged={changed} />}
        </>
      )}
    </>
  );
}
