import { useEffect, useState } from 'preact/hooks';
import { request, setUnauthorizedHandler } from './api.ts';
import { Notice } from './components.tsx';
import { ROLE_LABEL } from './messages.ts';
import { AgencyPage } from './pages/agency.tsx';
import { ConsolePage } from './pages/console/index.tsx';
import { DashboardPage } from './pages/dashboard.tsx';
import { ReviewPage } from './pages/review.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { go, parseRoute, type Route, routeHash } from './route.ts';
import { clearSession, readSession, type Session, saveSession, watchSession } from './session.ts';
import type { AppConfig, SessionInfo } from './types.ts';

/** The page a role lands on after sign-in or at `#/`. */
export const landing = (session: Session): Route => {
  if (session.role === 'agency' && session.agencyId)
    return { page: 'agency', assessmentId: session.assessmentId, agencyId: session.agencyId };
  if (session.role === 'approver') return { page: 'review', assessmentId: session.assessmentId };
  return { page: 'dashboard', assessmentId: session.assessmentId };
};

/** Whether a remembered target suits who signed in (another agency's page, the queue or the console may not). */
const suits = (route: Route, session: Session): boolean => {
  if (route.page === 'agency') return session.role !== 'agency' || route.agencyId === session.agencyId;
  if (route.page === 'review') return session.role === 'approver';
  if (route.page === 'console') return session.role === 'admin';
  return true;
};

const EXPIRED = 'หมดเวลาการเข้าสู่ระบบ หรือออกจากระบบแล้ว กรุณาเข้าสู่ระบบใหม่';

export const App = () => {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [session, setSession] = useState<Session | null>(readSession);
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [notice, setNotice] = useState<string>('');
  /** Where a signed-out visitor was going (an email's link): they land there after sign-in. */
  const [pending, setPending] = useState<Route | null>(null);

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    setUnauthorizedHandler(() => {
      clearSession();
      setSession(null);
      setNotice(EXPIRED);
    });
    const unwatch = watchSession((next) => {
      setSession(next);
      if (!next) setNotice('ออกจากระบบแล้ว (จากอีกแท็บหนึ่ง) กรุณาเข้าสู่ระบบใหม่');
    });
    fetch('/config.json', { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<AppConfig>) : null))
      .then(setConfig, () => setConfig(null));
    return () => {
      removeEventListener('hashchange', onHash);
      unwatch();
    };
  }, []);

  // A stored token is checked once per page load: an expired or revoked one goes back to sign-in.
  useEffect(() => {
    if (!session) return;
    request<SessionInfo>('GET', '/auth/session', { token: session.token }).catch(() => undefined);
  }, [session?.token]);

  // Guards: no session → sign-in (remembering the target); `#/` → the role's page.
  useEffect(() => {
    if (route.page === 'home') {
      if (session) go(landing(session));
      else if (config) go({ page: 'signin', assessmentId: config.assessmentId });
      return;
    }
    if (route.page === 'signin') {
      if (session && session.assessmentId === route.assessmentId) {
        go(pending && suits(pending, session) ? pending : landing(session));
        setPending(null);
      }
      return;
    }
    if (!session || session.assessmentId !== route.assessmentId) {
      setPending(route);
      go({ page: 'signin', assessmentId: route.assessmentId });
    }
  }, [route, session, config]);

  const signedIn = (created: Session) => {
    saveSession(created);
    setNotice('');
    setSession(created);
  };

  const signOut = async () => {
    const token = session?.token;
    clearSession();
    setSession(null);
    setPending(null);
    setNotice('ออกจากระบบแล้ว');
    if (token) await request('DELETE', '/auth/session', { token }).catch(() => undefined);
  };

  const province = config?.province ? `จังหวัด${config.province}` : '';
  const signedInHere = route.page !== 'home' && session?.assessmentId === route.assessmentId;
  // The sign-in form only for the signed-out, the other pages only for the signed-in: no flash while the guard redirects.
  const ready = route.page !== 'home' && (route.page === 'signin' ? !signedInHere : signedInHere);

  return (
    <>
      <header class="top">
        <div class="brand">
          <span class="app-name">ระบบติดตามการประเมิน ITA {province}</span>
          {session && (
            <span class="who">
              {session.email} · {ROLE_LABEL[session.role] ?? session.role}
            </span>
          )}
        </div>
        {session && (
          <nav aria-label="เมนูหลัก">
            <a href={routeHash(landing(session))}>หน้าหลัก</a>
            <a href={routeHash({ page: 'dashboard', assessmentId: session.assessmentId })}>แดชบอร์ด</a>
            {session.role === 'admin' && (
              <a
                href={routeHash({ page: 'console', assessmentId: session.assessmentId, section: 'agencies' })}
              >
                จัดการ
              </a>
            )}
            <button type="button" class="link" id="sign-out" onClick={signOut}>
              ออกจากระบบ
            </button>
          </nav>
        )}
      </header>
      <main id="main">
        <Notice id="app-notice" message={notice ? { kind: 'info', text: notice } : null} />
        {ready && route.page === 'signin' && (
          <SignInPage assessmentId={route.assessmentId} onSignedIn={signedIn} />
        )}
        {ready && session && route.page === 'agency' && (
          <AgencyPage session={session} agencyId={route.agencyId} />
        )}
        {ready && session && route.page === 'review' && <ReviewPage session={session} />}
        {ready && session && route.page === 'dashboard' && <DashboardPage session={session} />}
        {ready && session && route.page === 'console' && session.role === 'admin' && (
          <ConsolePage session={session} section={route.section} />
        )}
        {ready && session && route.page === 'console' && session.role !== 'admin' && (
          <Notice message={{ kind: 'error', text: 'หน้าจัดการนี้สำหรับฝ่ายเลขานุการเท่านั้น' }} />
        )}
        {!ready && <p class="muted">กำลังโหลด…</p>}
      </main>
    </>
  );
};
