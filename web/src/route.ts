/**
 * Routes live in the URL's hash: CloudFront serves one index.html, and path routes would need an
 * error-page rewrite that would also turn the API's own 404s into the page.
 * `#/<assessmentId>/signin`, `#/<assessmentId>/agency/<agencyId>`, `#/<assessmentId>/review`,
 * `#/<assessmentId>/dashboard`, `#/<assessmentId>/console/<section>` (the secretariat's console);
 * anything else is `home` (the default assessment, the role's page).
 */
export const CONSOLE_SECTIONS = [
  'agencies',
  'oit',
  'plan',
  'tasks',
  'notifications',
  'people',
  'audit',
] as const;
export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number];

const isConsoleSection = (value: string | undefined): value is ConsoleSection =>
  (CONSOLE_SECTIONS as readonly string[]).includes(value ?? '');

export type Route =
  | { page: 'home' }
  | { page: 'signin'; assessmentId: string }
  | { page: 'agency'; assessmentId: string; agencyId: string }
  | { page: 'review'; assessmentId: string }
  | { page: 'dashboard'; assessmentId: string }
  | { page: 'console'; assessmentId: string; section: ConsoleSection };

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const parseRoute = (hash: string): Route => {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return '';
      }
    });
  const [assessmentId, page, third] = parts;
  if (!assessmentId || !SLUG.test(assessmentId)) return { page: 'home' };
  if (page === 'signin' && parts.length === 2) return { page: 'signin', assessmentId };
  if (page === 'review' && parts.length === 2) return { page: 'review', assessmentId };
  if (page === 'dashboard' && parts.length === 2) return { page: 'dashboard', assessmentId };
  if (page === 'console' && parts.length === 2) return { page: 'console', assessmentId, section: 'agencies' };
  if (page === 'console' && parts.length === 3 && isConsoleSection(third))
    return { page: 'console', assessmentId, section: third };
  if (page === 'agency' && third && SLUG.test(third) && parts.length === 3)
    return { page: 'agency', assessmentId, agencyId: third };
  return { page: 'home' };
};

export const routeHash = (route: Route): string => {
  if (route.page === 'home') return '#/';
  const base = `#/${encodeURIComponent(route.assessmentId)}/${route.page}`;
  if (route.page === 'agency') return `${base}/${encodeURIComponent(route.agencyId)}`;
  return route.page === 'console' ? `${base}/${route.section}` : base;
};

export const go = (route: Route) => {
  const hash = routeHash(route);
  if (location.hash !== hash) location.hash = hash;
};
