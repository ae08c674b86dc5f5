import { useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { setUnauthorizedHandler } from './api/client.ts';
import { AppShell } from './components/AppShell.tsx';
import { ApiErrorNotice, Loading } from './components/ui.tsx';
import { CodeListsProvider } from './hooks/codeLists.tsx';
import { SessionProvider, useSession } from './hooks/session.tsx';
import { AdviceInboxScene } from './scenes/advice/AdviceInboxScene.tsx';
import { AdviceRequestScene } from './scenes/advice/AdviceRequestScene.tsx';
import { CaseRedirectScene } from './scenes/CaseRedirectScene.tsx';
import { CasesScene } from './scenes/CasesScene.tsx';
import { DashboardScene } from './scenes/DashboardScene.tsx';
import { HouseholdScene } from './scenes/HouseholdScene.tsx';
import { IntakeScene } from './scenes/IntakeScene.tsx';
import { LoginScene } from './scenes/LoginScene.tsx';
import { ConveneScene } from './scenes/meetings/ConveneScene.tsx';
import { ConveningRequestsScene } from './scenes/meetings/ConveningRequestsScene.tsx';
import { InboxScene } from './scenes/meetings/InboxScene.tsx';
import { MeetingScene } from './scenes/meetings/MeetingScene.tsx';
import { MeetingsScene } from './scenes/meetings/MeetingsScene.tsx';
import { PledgeScene } from './scenes/meetings/PledgeScene.tsx';
import { RequestsScene } from './scenes/meetings/RequestsScene.tsx';
import { TasksScene } from './scenes/meetings/TasksScene.tsx';
import { NotFoundScene } from './scenes/NotFoundScene.tsx';
import { PersonsScene } from './scenes/PersonsScene.tsx';

/** Any 401 from the API sends the user to /login (keeping where they were). */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const location = useLocation();
  const { clear } = useSession();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      clear();
      if (location.pathname !== '/login') {
        navigate('/login', { replace: true, state: { from: location.pathname + location.search } });
      }
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate, location, clear]);
  return null;
}

/** Routes that need a session: wait for /me, send anonymous users to /login. */
function RequireSession() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') {
    return (
      <div className="mx-auto max-w-6xl p-8">
        <Loading />
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="mx-auto max-w-6xl p-8">
        <ApiErrorNotice error={state.error} />
      </div>
    );
  }
  if (state.status === 'anonymous') {
    if (state.loggedOut) return <Navigate to="/login" replace />;
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <AppShell />;
}

function Routed() {
  const { state } = useSession();
  return (
    <CodeListsProvider enabled={state.status === 'signedIn'}>
      <UnauthorizedRedirect />
      <Routes>
        <Route path="/login" element={<LoginScene />} />
        <Route element={<RequireSession />}>
          <Route index element={<Navigate to="/cases" replace />} />
          <Route path="/cases" element={<CasesScene />} />
          <Route path="/cases/:caseId" element={<CaseRedirectScene />} />
          <Route path="/dashboard" element={<DashboardScene />} />
          <Route path="/advice" element={<AdviceInboxScene />} />
          <Route path="/advice/:requestId" element={<AdviceRequestScene />} />
          <Route path="/households/:householdId" element={<HouseholdScene />} />
          <Route path="/persons" element={<PersonsScene />} />
          <Route path="/intake" element={<IntakeScene />} />
          <Route path="/meetings" element={<MeetingsScene />} />
          <Route path="/meetings/new" element={<ConveneScene />} />
          <Route path="/meetings/:meetingId" element={<MeetingScene />} />
          <Route path="/meetings/:meetingId/pledge" element={<PledgeScene />} />
          <Route path="/tasks" element={<TasksScene />} />
          <Route path="/requests" element={<RequestsScene />} />
          <Route path="/convening-requests" element={<ConveningRequestsScene />} />
          <Route path="/inbox" element={<InboxScene />} />
          <Route path="*" element={<NotFoundScene />} />
        </Route>
      </Routes>
    </CodeListsProvider>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routed />
      </SessionProvider>
    </BrowserRouter>
  );
}
