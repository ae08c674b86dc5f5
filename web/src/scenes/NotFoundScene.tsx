import { Link } from 'react-router';
import { PageTitle } from '../components/ui.tsx';

export function NotFoundScene() {
  return (
    <>
      <PageTitle title="ページが見つかりません">ページが見つかりません</PageTitle>
      <p className="mb-4">お探しのページは存在しないか、移動しました。</p>
      <Link to="/cases">ケース一覧へ戻る</Link>
    </>
  );
}
