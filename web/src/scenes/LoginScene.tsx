import { type FormEvent, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, api, setCsrfToken } from '../api/client.ts';
import type { LoginResponse } from '../api/types.ts';
import { SkipLink } from '../components/AppShell.tsx';
import { ErrorSummary, type FieldErrors, fieldErrorsOf, TextField } from '../components/form.tsx';
import { PageTitle } from '../components/ui.tsx';
import { useSession } from '../hooks/session.tsx';

const LABELS: Record<string, string> = { loginId: 'ログインID', password: 'パスワード' };

export function LoginScene() {
  const { state, refresh } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [detail, setDetail] = useState<string | undefined>();
  const [errors, setErrors] = useState<FieldErrors>({});

  if (state.status === 'signedIn' && !busy) return <Navigate to={from && from !== '/login' ? from : '/cases'} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!loginId.trim()) local.loginId = 'ログインIDを入力してください。';
    if (!password) local.password = 'パスワードを入力してください。';
    setErrors(local);
    setDetail(undefined);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const res = await api.post<LoginResponse>('/auth/login', { loginId: loginId.trim(), password }, { no401Redirect: true });
      setCsrfToken(res.csrfToken);
      await refresh();
      // An advisor works from the advice requests addressed to them; everyone else from the cases.
      const home =
        res.user?.roles?.includes('advisor') && !res.user.roles.some((r) => ['coordinator', 'chair', 'caseworker'].includes(r)) ? '/advice' : '/cases';
      navigate(from && from !== '/login' ? from : home, { replace: true });
    } catch (err) {
      if (err instanceof ApiError) {
        setDetail(err.problem.detail || err.problem.title || 'ログインできませんでした。');
        setErrors(fieldErrorsOf(err));
      } else {
        setDetail('ログインできませんでした。');
      }
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex min-h-screen flex-col bg-solid-gray-50">
      <SkipLink />
      <header className="border-b border-solid-gray-420 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 py-3">
          <svg aria-hidden="true" width="36" height="36" viewBox="0 0 32 32">
            <rect width="32" height="32" rx="6" fill="#0017c1" />
            <rect x="7" y="9" width="18" height="4" rx="1" fill="#fff" />
            <rect x="7" y="15" width="18" height="4" rx="1" fill="#9db7f9" />
            <rect x="7" y="21" width="18" height="4" rx="1" fill="#fff" />
          </svg>
          <p className="text-std-20B-150">Kasane（重ね）</p>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-lg flex-1 px-4 py-12 focus:outline-none">
        <div className="card shadow-1">
          <PageTitle title="ログイン">ログイン</PageTitle>
          <p className="mb-6 text-solid-gray-800">
            重層的支援体制整備事業の情報共有システムです。所属機関から配布されたログインIDとパスワードを入力してください。
          </p>
          <ErrorSummary
            title="ログインできませんでした"
            detail={detail}
            errors={errors}
            fieldIdOf={(k) => (k === 'loginId' || k === 'password' ? `login-${k}` : undefined)}
            labelOf={(k) => LABELS[k]}
            testId="login-error"
          />
          <form onSubmit={submit} noValidate aria-label="ログイン" data-testid="login-form">
            <TextField
              id="login-loginId"
              label="ログインID"
              name="loginId"
              autoComplete="username"
              required
              value={loginId}
              onChange={(e) => setLoginId(e.target.value)}
              error={errors.loginId}
              spellCheck={false}
              autoCapitalize="none"
            />
            <TextField
              id="login-password"
              label="パスワード"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={errors.password}
            />
            <button type="submit" className="btn btn-primary w-full" disabled={busy} data-testid="login-submit">
              {busy ? 'ログイン中…' : 'ログイン'}
            </button>
          </form>
        </div>
      </main>
    </div>
  );
}
