import { existsSync } from 'node:fs';
import path from 'node:path';
import { routes as allRoutes, type Route } from '#http/routes';
import { REPO_ROOT } from './bundling.ts';

/**
 * Which Lambda functions exist, derived from code: one per distinct `fn` of the route table,
 * plus the functions that are not behind a route, declared here.
 */
export type FunctionSpec = {
  fn: string;
  /**
   * How the function is invoked: `http` and `authorizer` by API Gateway, `bus` by EventBridge
   * rules and `scheduled` by EventBridge Scheduler (both asynchronously), `stream` by an event
   * source mapping on the table's stream (synchronously, batch by batch).
   */
  kind: 'http' | 'authorizer' | 'bus' | 'scheduled' | 'stream' | 'queue';
  routes: Route[];
  description: string;
};

export const NON_HTTP_FUNCTIONS: readonly FunctionSpec[] = [
  {
    fn: 'authorizer',
    kind: 'authorizer',
    routes: [],
    description: 'HTTP API Lambda authorizer: resolves a token to its role and scope',
  },
  {
    fn: 'sync-schedules',
    kind: 'bus',
    routes: [],
    description: 'PlanChanged -> one EventBridge Scheduler schedule per milestone',
  },
  {
    fn: 'milestone',
    kind: 'scheduled',
    routes: [],
    description: 'a milestone fires (EventBridge Scheduler): pace check, notifications',
  },
  {
    fn: 'notifier',
    kind: 'bus',
    routes: [],
    description: 'sends the Thai emails requested on the bus (SES)',
  },
  {
    fn: 'auth-code-mailer',
    kind: 'bus',
    routes: [],
    description: 'SignInCodeRequested -> a sign-in code for a known address, mailed in Thai (SES)',
  },
  {
    fn: 'outbox-relay',
    kind: 'stream',
    routes: [],
    description: 'table stream (new outbox items) -> PutEvents on the bus',
  },
  {
    fn: 'link-check-plan',
    kind: 'bus',
    routes: [],
    description: 'LinkCheckRequested -> the watched evidence links due, to the check queue by host',
  },
  {
    fn: 'link-check',
    kind: 'queue',
    routes: [],
    description: 'the check queue: one message of at most 25 evidence links, checked within its budget',
  },
];

/** Lambda refuses a description over 256 characters; a function with many routes is cut with an ellipsis. */
const LAMBDA_DESCRIPTION_MAX = 256;
const lambdaDescription = (text: string) =>
  text.length <= LAMBDA_DESCRIPTION_MAX ? text : `${text.slice(0, LAMBDA_DESCRIPTION_MAX - 1)}…`;

export const httpFunctions = (routeList: readonly Route[] = allRoutes): FunctionSpec[] => {
  const byFn = new Map<string, Route[]>();
  for (const route of routeList) byFn.set(route.fn, [...(byFn.get(route.fn) ?? []), route]);
  return [...byFn].map(([fn, fnRoutes]) => ({
    fn,
    kind: 'http',
    routes: fnRoutes,
    description: lambdaDescription(fnRoutes.map((route) => `${route.method} ${route.path}`).join(', ')),
  }));
};

export const allFunctions = (routeList: readonly Route[] = allRoutes): FunctionSpec[] => {
  const specs = [...httpFunctions(routeList), ...NON_HTTP_FUNCTIONS];
  const missing = specs.filter((spec) => !existsSync(entryOf(spec.fn)));
  if (missing.length > 0) {
    throw new Error(
      `no entry point for ${missing.map((spec) => `functions/${spec.fn}.ts`).join(', ')} ` +
        '(named by shared/http/routes.ts or infra/catalogue.ts NON_HTTP_FUNCTIONS)',
    );
  }
  return specs;
};

export const entryOf = (fn: string) => path.join(REPO_ROOT, 'functions', `${fn}.ts`);
