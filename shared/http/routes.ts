/**
 * Every HTTP route, as data: the local server and the CDK stack both read this list, so what
 * runs on 127.0.0.1 is routed exactly like what deploys. `fn` names the entry point file in
 * `functions/` (without `.ts`); routes that share a file share a Lambda function.
 *
 * `auth`:
 * - `token`: the Lambda authorizer runs (bearer token in the Authorization header).
 * - `public`: no authorizer (health, OpenAPI document). The web app is not a route: it is static
 *   files (web/dist) served beside the API (CloudFront and S3; locally the same server).
 * - `feed`: the authorizer runs on the `token` query parameter (calendar apps cannot send headers).
 */
export type RouteAuth = 'token' | 'public' | 'feed';

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  fn: string;
  auth: RouteAuth;
};

/**
 * The functions whose writes honour an `Idempotency-Key` (their handler is wrapped in
 * `withIdempotency`, `shared/http/idempotency.ts`): the OpenAPI document offers the header on
 * their routes other than GET, and only there. The others are safe to repeat by their own rules
 * (a replacement, a conditional state change, an import whose second run changes nothing) or
 * must not replay (a token's secret). `test/unit/openapi.test.ts` checks this list against the
 * functions' sources.
 */
export const IDEMPOTENT_FUNCTIONS: ReadonlySet<string> = new Set([
  'agencies',
  'create-assessment',
  'link-check-request',
  'notification-settings',
  'notifications',
  'oit',
  'put-oit-evidence',
  'put-plan',
  'rollover-assessment',
  'surveys',
  'tasks',
]);

export const routes: Route[] = [
  { method: 'GET', path: '/assessments/{id}', fn: 'get-assessment', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/agencies', fn: 'list-agencies', auth: 'token' },
  {
    method: 'PUT',
    path: '/assessments/{id}/agencies/{agencyId}/oit/{itemId}',
    fn: 'put-oit-evidence',
    auth: 'token',
  },
  {
    method: 'GET',
    path: '/assessments/{id}/agencies/{agencyId}/progress',
    fn: 'get-agency-progress',
    auth: 'token',
  },
  // API: assessments and plan, agencies, OIT, surveys, tasks, progress, audit, the OpenAPI document
  { method: 'POST', path: '/assessments', fn: 'create-assessment', auth: 'token' },
  { method: 'PUT', path: '/assessments/{id}/plan', fn: 'put-plan', auth: 'token' },
  { method: 'POST', path: '/assessments/{id}/rollover', fn: 'rollover-assessment', auth: 'token' },
  { method: 'POST', path: '/assessments/{id}/agencies', fn: 'agencies', auth: 'token' },
  // Excel: agencies in from a sheet, the template, progress out. The template's literal path is
  // listed before `{agencyId}`, which it would also match: API Gateway prefers the literal, and
  // the local server takes the first route that matches.
  { method: 'POST', path: '/assessments/{id}/agencies/import', fn: 'agency-import', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/agencies/template.xlsx', fn: 'workbooks', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/progress.xlsx', fn: 'workbooks', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/agencies/{agencyId}', fn: 'agencies', auth: 'token' },
  { method: 'PUT', path: '/assessments/{id}/agencies/{agencyId}', fn: 'agencies', auth: 'token' },
  { method: 'PUT', path: '/assessments/{id}/oit/catalog', fn: 'oit', auth: 'token' },
  { method: 'PUT', path: '/assessments/{id}/agencies/{agencyId}/oit-assignments', fn: 'oit', auth: 'token' },
  // the secretariat's assignment matrix (issue 15): every agency's assigned items at once; unassign one
  { method: 'GET', path: '/assessments/{id}/oit-assignments', fn: 'oit', auth: 'token' },
  {
    method: 'DELETE',
    path: '/assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}',
    fn: 'oit',
    auth: 'token',
  },
  {
    method: 'POST',
    path: '/assessments/{id}/agencies/{agencyId}/oit/{itemId}/review',
    fn: 'oit',
    auth: 'token',
  },
  { method: 'GET', path: '/assessments/{id}/oit', fn: 'oit', auth: 'token' },
  {
    method: 'PUT',
    path: '/assessments/{id}/agencies/{agencyId}/surveys/{tool}',
    fn: 'surveys',
    auth: 'token',
  },
  { method: 'GET', path: '/assessments/{id}/tasks', fn: 'tasks', auth: 'token' },
  { method: 'POST', path: '/assessments/{id}/tasks', fn: 'tasks', auth: 'token' },
  { method: 'PATCH', path: '/assessments/{id}/tasks/{taskId}', fn: 'tasks', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/progress', fn: 'progress', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/progress.csv', fn: 'progress', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/audit', fn: 'audit', auth: 'token' },
  { method: 'GET', path: '/openapi.json', fn: 'openapi', auth: 'public' },
  { method: 'GET', path: '/health', fn: 'health', auth: 'public' },
  // sign-in by emailed code (people): the two POSTs are public; GET and DELETE act on the presenting token
  { method: 'POST', path: '/auth/code', fn: 'auth', auth: 'public' },
  { method: 'POST', path: '/auth/session', fn: 'auth', auth: 'public' },
  { method: 'GET', path: '/auth/session', fn: 'auth', auth: 'token' },
  { method: 'DELETE', path: '/auth/session', fn: 'auth', auth: 'token' },
  // the secretariat's list of who can sign in (issue 15): the sign-in function knows the directory
  { method: 'GET', path: '/assessments/{id}/people', fn: 'auth', auth: 'token' },
  { method: 'POST', path: '/assessments/{id}/tokens', fn: 'tokens', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/tokens', fn: 'tokens', auth: 'token' },
  { method: 'DELETE', path: '/assessments/{id}/tokens/{tokenId}', fn: 'tokens', auth: 'token' },
  {
    method: 'POST',
    path: '/assessments/{id}/agencies/{agencyId}/calendar-feed',
    fn: 'tokens',
    auth: 'token',
  },
  // reports: forecast, results analysis, exports, calendar feeds
  { method: 'GET', path: '/assessments/{id}/forecast', fn: 'forecast', auth: 'token' },
  // link watch: the watched evidence links by agency (the dashboard's dead links)
  { method: 'GET', path: '/assessments/{id}/links', fn: 'link-list', auth: 'token' },
  // link watch: the secretariat checks the links now (the plan step, answered 202)
  { method: 'POST', path: '/assessments/{id}/links/check', fn: 'link-check-request', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/results', fn: 'results', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/results/compare', fn: 'results', auth: 'token' },
  { method: 'PUT', path: '/assessments/{id}/results/{fiscalYear}/questions', fn: 'results', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/results/{fiscalYear}/analysis', fn: 'results', auth: 'token' },
  {
    method: 'POST',
    path: '/assessments/{id}/results/{fiscalYear}/analysis/tasks',
    fn: 'results',
    auth: 'token',
  },
  { method: 'GET', path: '/assessments/{id}/tasks.csv', fn: 'exports', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/results.csv', fn: 'exports', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/calendar.ics', fn: 'calendar', auth: 'feed' },
  { method: 'GET', path: '/assessments/{id}/agencies/{agencyId}/calendar.ics', fn: 'calendar', auth: 'feed' },
  // schedules: failed notifications and their resend, notification settings, re-sync on demand
  { method: 'GET', path: '/assessments/{id}/notifications', fn: 'notifications', auth: 'token' },
  {
    method: 'POST',
    path: '/assessments/{id}/notifications/{notificationId}/resend',
    fn: 'notifications',
    auth: 'token',
  },
  {
    method: 'GET',
    path: '/assessments/{id}/notification-settings',
    fn: 'notification-settings',
    auth: 'token',
  },
  {
    method: 'PUT',
    path: '/assessments/{id}/notification-settings',
    fn: 'notification-settings',
    auth: 'token',
  },
  { method: 'POST', path: '/assessments/{id}/schedules/sync', fn: 'schedules', auth: 'token' },
  // LINE (issue 13): a group's link code, the overview and its settings; LINE's webhook is public
  // (LINE sends no bearer token) and proves itself by the x-line-signature of its raw body.
  {
    method: 'POST',
    path: '/assessments/{id}/agencies/{agencyId}/line-link',
    fn: 'line',
    auth: 'token',
  },
  { method: 'GET', path: '/assessments/{id}/line', fn: 'line', auth: 'token' },
  { method: 'PUT', path: '/assessments/{id}/line/settings', fn: 'line', auth: 'token' },
  { method: 'POST', path: '/line/webhook', fn: 'line-webhook', auth: 'public' },
];

/** `{name}` segments become named captures; a route's path parameters are read by name. */
export const compileRoute = (path: string): RegExp =>
  new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
