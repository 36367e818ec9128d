/**
 * The signed-in person's token, kept in localStorage: LINE's in-app browser opens each link from
 * an email in a new webview, where a sessionStorage token would be gone and the person would have
 * to ask for a new code every time. The token is read only to build the Authorization header; it
 * never goes into a URL. Another tab signing out clears it; the `storage` event tells this tab.
 */
export type Role = 'admin' | 'agency' | 'approver' | 'viewer';

export type Session = {
  token: string;
  role: Role;
  agencyId?: string;
  assessmentId: string;
  expiresAt: string;
  email: string;
};

const KEY = 'ita-session';

const isSession = (value: unknown): value is Session => {
  const s = value as Partial<Session> | null;
  return (
    typeof s?.token === 'string' &&
    typeof s.role === 'string' &&
    typeof s.assessmentId === 'string' &&
    typeof s.expiresAt === 'string'
  );
};

export const readSession = (): Session | null => {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (!isSession(parsed)) return null;
    return Date.parse(parsed.expiresAt) > Date.now() ? parsed : null;
  } catch {
    return null;
  }
};

export const saveSession = (session: Session) => localStorage.setItem(KEY, JSON.stringify(session));

export const clearSession = () => localStorage.removeItem(KEY);

/** Calls `onChange` when another tab signs in or out (the event never fires in the tab that wrote). */
export const watchSession = (onChange: (session: Session | null) => void): (() => void) => {
  const listener = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) onChange(readSession());
  };
  addEventListener('storage', listener);
  return () => removeEventListener('storage', listener);
};
