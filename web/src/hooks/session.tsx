import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, setCsrfToken } from '../api/client.ts';
import type { Me } from '../api/types.ts';

type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; loggedOut?: boolean }
  | { status: 'signedIn'; me: Me }
  | { status: 'error'; error: ApiError };

interface SessionValue {
  state: SessionState;
  /** Reload /me (after login). */
  refresh: () => Promise<void>;
  /** Forget the session locally (after a 401, or `loggedOut` after the user signed out). */
  clear: (loggedOut?: boolean) => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const me = await api.get<Me>('/me', { no401Redirect: true });
      setState({ status: 'signedIn', me });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setState({ status: 'anonymous' });
      else setState({ status: 'error', error: e instanceof ApiError ? e : new ApiError({ status: 0, detail: String(e) }) });
    }
  }, []);

  const clear = useCallback((loggedOut = false) => {
    setCsrfToken(null);
    setState({ status: 'anonymous', loggedOut });
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ state, refresh, clear }), [state, refresh, clear]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** The signed-in user; only call below the session guard. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useMe without a session');
  return state.me;
}
