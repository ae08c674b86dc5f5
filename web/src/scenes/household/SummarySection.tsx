import type { CaseDetail, Withheld } from '../../api/types.ts';
import { Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { WithheldNotices } from './WithheldNotice.tsx';

export function SummarySection({ kase, withheld, names }: { kase: CaseDetail; withheld: Withheld[]; names: Map<string, string> }) {
  const codes = useCodeLists();
  const hasAny = Boolean(kase.summary || kase.referralRoute);
  return (
    <Section id="summary" title="相談概要">
      <WithheldNotices items={withheld} names={names} />
      {hasAny ? (
        <dl className="grid gap-x-6 gap-y-3 md:grid-cols-[10rem_1fr]">
          {kase.referralRoute && (
            <>
              <dt className="font-bold">相談経路</dt>
              <dd data-testid="referral-route">{labelOf(codes.referralRoutes, kase.referralRoute)}</dd>
            </>
          )}
          {kase.summary && (
            <>
              <dt className="font-bold">相談概要</dt>
              <dd className="whitespace-pre-wrap" data-testid="case-summary">
                {kase.summary}
              </dd>
            </>
          )}
        </dl>
      ) : (
        withheld.length === 0 && (
          <p className="text-solid-gray-700">
            {kase.summary === undefined && kase.referralRoute === undefined ? '表示できる相談概要はありません。' : '相談概要は登録されていません。'}
          </p>
        )
      )}
    </Section>
  );
}
