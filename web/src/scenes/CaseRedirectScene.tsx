import { useEffect } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { seg } from '../api/client.ts';
import type { CaseDetail } from '../api/types.ts';
import { Loading, PageTitle } from '../components/ui.tsx';
import { useApiGet } from '../hooks/useApiGet.ts';

/** /cases/:caseId → the household view of that case (lists that only know the case id link here). */
export function CaseRedirectScene() {
  const { caseId = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const kase = useApiGet<CaseDetail>(`/cases/${seg(caseId)}`);
  const tab = params.get('tab');
  useEffect(() => {
    if (kase.data) {
      navigate(`/households/${seg(kase.data.householdId)}?case=${seg(kase.data.id)}${tab ? `&tab=${encodeURIComponent(tab)}` : ''}`, { replace: true });
    }
  }, [kase.data, navigate, tab]);
  if (kase.error) {
    return (
      <>
        <PageTitle title="ケース">ケース</PageTitle>
        <div role="alert" data-testid="not-visible" className="rounded-8 border-2 border-solid-gray-536 bg-solid-gray-50 p-4 font-bold">
          表示できません（存在しないか、閲覧権限がありません）
        </div>
        <p className="mt-4">
          <Link to="/cases">ケース一覧へ戻る</Link>
        </p>
      </>
    );
  }
  return <Loading label="ケースを開いています…" />;
}
