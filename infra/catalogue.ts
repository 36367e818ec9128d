import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { routes as allRoutes, type Route } from '#http/routes';
import { BUNDLE, REPO_ROOT } from './bundling.ts';
import type { TableAccess } from './constructs/node-function.ts';

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
  kind: 'http' | 'authorizer' | 'bus' | 'scheduled' | 'stream';
  routes: Route[];
  tableAccess: TableAccess;
  description: string;
};

/**
 * HTTP functions that answer only GET still write: list them here. Every other GET-only
 * function gets read-only table access.
 */
export const GET_FUNCTIONS_THAT_WRITE: readonly string[] = [];

export const NON_HTTP_FUNCTIONS: readonly FunctionSpec[] = [
  {
    fn: 'authorizer',
    kind: 'authorizer',
    routes: [],
    tableAccess: 'read',
    description: 'HTTP API Lambda authorizer: resolves a token to its role and scope',
  },
  {
    fn: 'sync-schedules',
    kind: 'bus',
    routes: [],
    tableAccess: 'readWrite',
    description: 'PlanChanged -> one EventBridge Scheduler schedule per milestone',
  },
  {
    fn: 'milestone',
    kind: 'scheduled',
    routes: [],
    tableAccess: 'readWrite',
    description: 'a milestone fires (EventBridge Scheduler): pace check, notifications',
  },
  {
    fn: 'notifier',
    kind: 'bus',
    routes: [],
    tableAccess: 'readWrite',
    description: 'sends the Thai emails requested on the bus (SES)',
  },
  {
    fn: 'auth-code-mailer',
    kind: 'bus',
    routes: [],
    tableAccess: 'readWrite',
    description: 'SignInCodeRequested -> a sign-in code for a known address, mailed in Thai (SES)',
  },
  {
    fn: 'outbox-relay',
    kind: 'stream',
    routes: [],
    // It does not import the table runtime, so it gets no TABLE_NAME and no table grant: what it
    // reads comes in the stream records (stream-read permissions come with its event source).
    // 'read' is the least access should it ever import it.
    tableAccess: 'read',
    description: 'table stream (new outbox items) -> PutEvents on the bus',
  },
];

export const httpFunctions = (routeList: readonly Route[] = allRoutes): FunctionSpec[] => {
  const byFn = new Map<string, Route[]>();
  for (const route of routeList) byFn.set(route.fn, [...(byFn.get(route.fn) ?? []), route]);
  return [...byFn].map(([fn, fnRoutes]) => ({
    fn,
    kind: 'http',
    routes: fnRoutes,
    tableAccess:
      fnRoutes.every((route) => route.method === 'GET') && !GET_FUNCTIONS_THAT_WRITE.includes(fn)
        ? 'read'
        : 'readWrite',
    description: fnRoutes.map((route) => `${route.method} ${route.path}`).join(', '),
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

/** The local source files a function's bundle is built from (esbuild walks the import graph). */
export const localInputsOf = (fn: string): string[] => {
  const result = buildSync({
    entryPoints: [entryOf(fn)],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: BUNDLE.platform,
    format: BUNDLE.format,
    target: BUNDLE.target,
    outdir: path.join(REPO_ROOT, 'cdk.out', '.analysis'),
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
};

const RUNTIME_IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*['"]#runtime\/([\w-]+)['"]/g;

/**
 * What a function takes from `shared/runtime/*` (as `module.export`), read from the import
 * statements of every local file in its bundle outside shared/runtime itself. Type-only
 * imports bring no configuration and are left out.
 */
export const runtimeImportsOf = (fn: string): string[] => {
  const used = new Set<string>();
  for (const input of localInputsOf(fn)) {
    if (input.startsWith('shared/runtime/')) continue;
    const source = readFileSync(path.join(REPO_ROOT, input), 'utf8');
    if (
      /from\s*['"](\.\.?\/)+runtime\//.test(source) ||
      /import\s+\*\s+as\s+\w+\s+from\s*['"]#runtime\//.test(source)
    ) {
      throw new Error(
        `${input}: import shared/runtime/* by name through '#runtime/...' so infra can wire it`,
      );
    }
    for (const match of source.matchAll(RUNTIME_IMPORT)) {
      if (match[1]) continue;
      for (const specifier of match[2]!.split(',')) {
        const name = specifier
          .trim()
          .split(/\s+as\s+/)[0]!
          .trim();
        if (name && !name.startsWith('type ')) used.add(`${match[3]}.${name}`);
      }
    }
  }
  return [...used].sort();
};
