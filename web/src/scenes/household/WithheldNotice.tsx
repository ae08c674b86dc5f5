import type { Withheld } from '../../api/types.ts';

const REASON_TITLE: Record<string, string> = {
  consent_missing: '本人同意がないため表示していません',
  not_lead: '主担当機関ではないため表示していません',
  index_only: '支援チーム外のため索引のみ表示しています',
};

/** Why something is not shown (rule 1: shown only as far as allowed, with the reason). */
export function WithheldNotices({ items, names }: { items: Withheld[]; names?: Map<string, string> }) {
  if (items.length === 0) return null;
  return (
    <div>
      {items.map((w) => (
        <div
          key={`${w.part}-${w.reason}-${(w.personIds ?? []).join(',')}`}
          role="note"
          data-testid="withheld-notice"
          data-part={w.part}
          data-reason={w.reason}
          className="mb-3 flex gap-3 rounded-8 border border-l-8 border-solid-gray-536 bg-solid-gray-50 p-3"
        >
          <svg aria-hidden="true" width="24" height="24" viewBox="0 0 24 24" className="mt-0.5 flex-none">
            <rect x="5" y="10" width="14" height="10" rx="2" fill="#4d4d4d" />
            <path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke="#4d4d4d" strokeWidth="2" />
          </svg>
          <div>
            <p className="font-bold">{REASON_TITLE[w.reason] ?? '表示していない情報があります'}</p>
            <p>{w.message}</p>
            {w.personIds && w.personIds.length > 0 && names && (
              <p className="text-sm text-solid-gray-700">対象：{w.personIds.map((id) => names.get(id) ?? '（表示できない世帯員）').join('、')}</p>
            )}
          </div>
        </div>
      ))}
    </div>
  );
}
