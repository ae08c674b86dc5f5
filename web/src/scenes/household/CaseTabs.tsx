import { Link, useSearchParams } from 'react-router';

export const CASE_TABS = [
  { id: 'overview', label: 'ケース情報' },
  { id: 'maps', label: '家族構成図・エコマップ' },
  { id: 'assessment', label: 'アセスメント' },
  { id: 'plan', label: '支援プラン' },
  { id: 'monitoring', label: 'モニタリング' },
  { id: 'advice', label: 'アドバイザー相談' },
  { id: 'closing', label: '終結' },
] as const;

export type CaseTab = (typeof CASE_TABS)[number]['id'];

export function useCaseTab(): CaseTab {
  const [params] = useSearchParams();
  const t = params.get('tab');
  return (CASE_TABS.find((x) => x.id === t)?.id ?? 'overview') as CaseTab;
}

/**
 * The parts of the case view as links (each part has its own address, so the dashboard can link
 * straight to a plan): a navigation landmark with aria-current on the part shown.
 */
export function CaseTabs({ caseId, current }: { caseId: string; current: CaseTab }) {
  const [params] = useSearchParams();
  const href = (tab: string) => {
    const p = new URLSearchParams(params);
    p.set('case', caseId);
    if (tab === 'overview') p.delete('tab');
    else p.set('tab', tab);
    return `?${p.toString()}`;
  };
  return (
    <nav aria-label="ケースの内容" className="mb-8 border-b-2 border-solid-gray-420 print:hidden" data-testid="case-tabs">
      <ul className="-mb-0.5 flex flex-wrap gap-1">
        {CASE_TABS.map((t) => {
          const active = t.id === current;
          return (
            <li key={t.id}>
              <Link
                to={href(t.id)}
                aria-current={active ? 'page' : undefined}
                data-testid={`case-tab-${t.id}`}
                className={`block rounded-t-8 border-2 px-4 py-2 font-bold no-underline hover:underline ${
                  active ? 'border-solid-gray-420 border-b-white bg-white text-blue-1000' : 'border-transparent text-blue-1000'
                }`}
              >
                {t.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
