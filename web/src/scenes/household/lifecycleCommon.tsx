/** Small pieces shared by the lifecycle sections of the case view (issue 5). */
import type { ApiError } from '../../api/client.ts';
import type { CaseDetail, CaseMember, WithheldPerson } from '../../api/types.ts';
import { ApiErrorNotice } from '../../components/ui.tsx';

export interface LifecycleProps {
  kase: CaseDetail;
  members: CaseMember[];
  names: Map<string, string>;
  onChanged: (message: string) => void;
}

const REASON_TITLE: Record<string, string> = {
  consent_missing: '本人同意がないため表示していません',
  not_lead: '主担当機関ではないため表示していません',
  index_only: '支援チーム外のため索引のみ表示しています',
  not_on_team: '支援チーム外のため表示していません',
};

/** Persons whose part is withheld, each with the server's reason message. */
export function WithheldPersons({ items, testId }: { items: WithheldPerson[] | undefined; testId?: string }) {
  if (!items || items.length === 0) return null;
  return (
    <div data-testid={testId ?? 'withheld-persons'}>
      {items.map((w) => (
        <div
          key={`${w.personId ?? w.name}-${w.reason}`}
          role="note"
          data-testid="withheld-notice"
          data-reason={w.reason}
          className="mb-3 flex gap-3 rounded-8 border border-l-8 border-solid-gray-536 bg-solid-gray-50 p-3"
        >
          <svg aria-hidden="true" width="24" height="24" viewBox="0 0 24 24" className="mt-0.5 flex-none">
            <rect x="5" y="10" width="14" height="10" rx="2" fill="#4d4d4d" />
            <path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke="#4d4d4d" strokeWidth="2" />
          </svg>
          <div>
            <p className="font-bold">
              {w.name ? `${w.name}：` : ''}
              {REASON_TITLE[w.reason] ?? '表示していない情報があります'}
            </p>
            <p>{w.message}</p>
          </div>
        </div>
      ))}
    </div>
  );
}

/** A refused or missing part: 404/403 read as "not visible", other errors as they are. */
export function PartError({ error, what }: { error: ApiError; what: string }) {
  if (error.status === 404 || error.status === 403) {
    // A 403 names the rule (e.g. content needs a ground beyond the coordinator's index); a 404 says nothing more.
    const why = error.status === 403 ? error.problem.detail : undefined;
    return (
      <div role="note" data-testid="part-not-visible" className="mb-4 flex gap-3 rounded-8 border border-l-8 border-solid-gray-536 bg-solid-gray-50 p-3">
        <svg aria-hidden="true" width="24" height="24" viewBox="0 0 24 24" className="mt-0.5 flex-none">
          <rect x="5" y="10" width="14" height="10" rx="2" fill="#4d4d4d" />
          <path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke="#4d4d4d" strokeWidth="2" />
        </svg>
        <div>
          <p className="font-bold">{what}は表示できません</p>
          <p>{why || '閲覧権限がないか、まだ利用できません。'}</p>
        </div>
      </div>
    );
  }
  return <ApiErrorNotice error={error} />;
}

/** Team organizations as select options (the plan's 担当機関 must be on the team). */
export function teamOptions(kase: CaseDetail): { value: string; label: string }[] {
  return kase.team.map((t) => ({ value: t.organizationId, label: t.organizationName }));
}

/** Whole-household or a member: 世帯全体 / 渡邉 隆. */
export function personLabel(personId: string | null | undefined, names: Map<string, string>): string {
  if (!personId) return '世帯全体';
  return names.get(personId) ?? '（表示できない世帯員）';
}

/** Download links for a printed form (PDF / Excel), audited by the server. */
export function ExportLinks({ base, stem, label, testId }: { base: string; stem: string; label: string; testId?: string }) {
  return (
    <ul className="flex flex-wrap gap-3 print:hidden" data-testid={testId}>
      <li>
        <a className="btn btn-secondary btn-sm" href={`${base}/${stem}.pdf`} download data-testid={`${testId ?? stem}-pdf`}>
          {label}（PDF）
        </a>
      </li>
      <li>
        <a className="btn btn-secondary btn-sm" href={`${base}/${stem}.xlsx`} download data-testid={`${testId ?? stem}-xlsx`}>
          {label}（Excel）
        </a>
      </li>
    </ul>
  );
}

export function PrintButton({ label = '印刷する' }: { label?: string }) {
  return (
    <button type="button" className="btn btn-secondary btn-sm print:hidden" onClick={() => window.print()}>
      {label}
    </button>
  );
}
