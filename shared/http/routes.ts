/**
 * Every HTTP route, as data: the local server and the CDK stack both read this list, so what
 * runs on 127.0.0.1 is routed exactly like what deploys. `fn` names the entry point file in
 * `functions/` (without `.ts`); routes that share a file share a Lambda function.
 *
 * `auth`:
 * - `token`: the Lambda authorizer runs (bearer token in the Authorization header).
 * - `public`: no authorizer (health, OpenAPI document, the dashboard's static shell).
 * - `feed`: the authorizer runs on the `token` query parameter (calendar apps cannot send headers).
 */
export type RouteAuth = 'token' | 'public' | 'feed';

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  fn: string;
  auth: RouteAuth;
};

export const routes: Route[] = [
  { method: 'GET', path: '/assessments/{id}', fn: 'get-assessment', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/agencies', fn: 'list-agencies', auth: 'token' },
  { method: 'PUT', path: '/assessments/{id}/agencies/{agencyId}/oit/{itemId}', fn: 'put-oit-evidence', auth: 'token' },
  { method: 'GET', path: '/assessments/{id}/agencies/{agencyId}/progress', fn: 'get-agency-progress', auth: 'token' },
];

/** `{name}` segments become named captures; a route's path parameters are read by name. */
export const compileRoute = (path: string): RegExp =>
  new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
