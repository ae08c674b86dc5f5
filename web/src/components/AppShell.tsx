import { useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { api, setCsrfToken } from '../api/client.ts';
import { labelOf, useCodeLists } from '../hooks/codeLists.tsx';
import { useMe, useSession } from '../hooks/session.tsx';

const NAV: { to: string; label: string; testId: string; roles?: string[] }[] = [
  { to: '/dashboard', label: 'ダッシュボード', testId: 'nav-dashboard', roles: ['coordinator'] },
  { to: '/cases', label: 'ケース一覧', testId: 'nav-cases' },
  { to: '/persons', label: '本人検索', testId: 'nav-persons' },
  { to: '/intake', label: '新規相談', testId: 'nav-intake' },
  { to: '/meetings', label: '会議', testId: 'nav-meetings' },
  { to: '/tasks', label: 'タスク', testId: 'nav-tasks' },
  { to: '/requests', label: '情報提供の求め', testId: 'nav-requests' },
  { to: '/convening-requests', label: '開催依頼', testId: 'nav-convening-requests', roles: ['coordinator', 'chair'] },
  { to: '/advice', label: 'アドバイス依頼', testId: 'nav-advice', roles: ['advisor'] },
  { to: '/inbox', label: '通知', testId: 'nav-inbox' },
];

export function DemoBanner() {
  return (
    <div role="note" data-testid="demo-banner" className="print:hidden bg-yellow-300 px-4 py-2 text-center font-bold text-solid-gray-900">
      デモ環境です。表示されている人物・世帯はすべて架空です。実在の個人情報を入力しないでください。
    </div>
  );
}

export function SkipLink() {
  return (
    <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-3">
      本文へスキップ
    </a>
  );
}

/** The signed-in layout: demo banner, header with user and navigation, main content. */
export function AppShell() {
  const me = useMe();
  const codes = useCodeLists();
  const { clear } = useSession();
  const [busy, setBusy] = useState(false);

  async function logout() {
    setBusy(true);
    try {
      await api.post('/auth/logout', {}, { no401Redirect: true });
    } catch {
      /* the session is gone either way */
    } finally {
      setCsrfToken(null);
      setBusy(false);
      // The session guard then sends the user to /login without remembering this page.
      clear(true);
    }
  }

  const roleLabels = me.roles.map((r) => labelOf(codes.roles, r));

  return (
    <div className="flex min-h-screen flex-col">
      <SkipLink />
      {me.municipality?.isDemo && <DemoBanner />}
      <header className="border-b border-solid-gray-420 bg-white print:hidden" data-testid="app-header">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-3">
          <div className="flex items-center gap-3">
            <svg aria-hidden="true" width="36" height="36" viewBox="0 0 32 32">
              <rect width="32" height="32" rx="6" fill="#0017c1" />
              <rect x="7" y="9" width="18" height="4" rx="1" fill="#fff" />
              <rect x="7" y="15" width="18" height="4" rx="1" fill="#9db7f9" />
              <rect x="7" y="21" width="18" height="4" rx="1" fill="#fff" />
            </svg>
            <div>
              <p className="text-std-20B-150 leading-tight">
                Kasane <span lang="ja">（重ね）</span>
              </p>
              <p className="text-sm text-solid-gray-700" data-testid="municipality-name">
                {me.municipality?.name ?? ''} 重層的支援体制整備事業
              </p>
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-4">
            <div className="text-right text-sm leading-snug" data-testid="current-user">
              <p>
                <span className="text-base font-bold">{me.displayName}</span>
                {me.organizationName && <span className="ml-2">（{me.organizationName}）</span>}
              </p>
              <p className="text-solid-gray-700">
                <span className="sr-only">役割：</span>
                {roleLabels.join('・')}
              </p>
            </div>
            <button type="button" className="btn btn-secondary btn-sm" onClick={logout} disabled={busy} data-testid="logout">
              ログアウト
            </button>
          </div>
        </div>
        <nav aria-label="メインメニュー" className="bg-blue-900">
          <ul className="mx-auto flex max-w-6xl flex-wrap px-2">
            {NAV.filter((n) => !n.roles || n.roles.some((r) => me.roles.includes(r))).map((n) => (
              <li key={n.to}>
                <NavLink
                  to={n.to}
                  data-testid={n.testId}
                  className={({ isActive }) =>
                    `nav-link block px-4 py-3 font-bold text-white no-underline hover:underline ${
                      isActive ? 'bg-blue-1100 underline decoration-4 underline-offset-8' : ''
                    }`
                  }
                  style={{ color: '#fff' }}
                >
                  {n.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 focus:outline-none">
        <Outlet />
      </main>
      <footer className="print:hidden border-t border-solid-gray-420 bg-solid-gray-50 px-4 py-4 text-center text-sm text-solid-gray-700">
        Kasane — 本人同意と支援会議の守秘義務に基づく情報共有。すべての閲覧は記録されます。
      </footer>
    </div>
  );
}
