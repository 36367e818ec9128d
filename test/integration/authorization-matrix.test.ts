import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenRepository } from '#adapters/dynamo/token-repository';
import { hashToken, newTokenId, newTokenSecret, type Principal, systemPrincipal } from '#domain/auth';
import { type Route, routes } from '#http/routes';
import { createLocalAuthorizer } from '#local/auth';
import { freePort } from '#local/dynamo-local';
import { createLocalApi, type LocalHandler } from '#local/http-server';
import { SEEDED_ASSESSMENT_ID, sampleAgencies, seedPhatthalung } from '#local/seed';
import { useLocalEventPublisher } from '#runtime/events';
import { audit } from '#test/fixtures';
import { freshTable } from '#test/table';
import { issueToken, revokeToken } from '#use-cases/tokens';

/**
 * THE AUTHORIZATION MATRIX. Every route in `shared/http/routes.ts` x every kind of caller, through
 * the real local server, the real authorizer and the real handlers, on DynamoDB Local with the
 * seeded Phatthalung data.
 *
 * Adding a route? Add its row to EXPECTED below (`'METHOD /path'`), usually one of the presets.
 * A route without a row fails this test. Cells: `ok` means "the caller got past authorization"
 * (any status but 401/403 and never 5xx: the matrix sends a minimal body, so a 400/404/422 is
 * fine); a number is the exact status an auth failure must get.
 */

type Caller =
  | 'admin'
  | 'approver'
  | 'viewer'
  | 'agencyOwn'
  | 'agencyOther'
  | 'feed'
  | 'none'
  | 'forged'
  | 'expired'
  | 'revoked';
type Cell = 'ok' | 401 | 403 | 404;
type Row = Record<Caller, Cell>;

const ok = 'ok';
/** No token, a forged one, an expired one, a revoked one: 401 wherever a token is needed. */
const BAD_TOKENS = { none: 401, forged: 401, expired: 401, revoked: 401 } as const;
const row = (cells: Omit<Row, keyof typeof BAD_TOKENS>): Row => ({ ...cells, ...BAD_TOKENS });

/**
 * Presets for rows. `agencyOwn` is the agency named in the path ({agencyId}); `agencyOther` is
 * another agency of the same assessment.
 */
const preset = {
  /** Admin-only management (plan, framework, agencies, assignments, tokens, results). */
  adminOnly: row({ admin: ok, approver: 403, viewer: 403, agencyOwn: 403, agencyOther: 403, feed: 403 }),
  /** Province-wide reads: admin, approver, viewer; not agencies, not feed tokens. */
  provinceRead: row({ admin: ok, approver: ok, viewer: ok, agencyOwn: 403, agencyOther: 403, feed: 403 }),
  /** Reads of one agency's data: the agency itself too; another agency learns nothing (404). */
  agencyRead: row({ admin: ok, approver: ok, viewer: ok, agencyOwn: ok, agencyOther: 404, feed: 403 }),
  /** An agency's own reporting (OIT evidence, survey counts): the agency and the admin. */
  agencyWrite: row({ admin: ok, approver: 403, viewer: 403, agencyOwn: ok, agencyOther: 404, feed: 403 }),
  /** Province-level lists an agency may read filtered to its own rows (tasks, progress). */
  ownRowsRead: row({ admin: ok, approver: ok, viewer: ok, agencyOwn: ok, agencyOther: ok, feed: 403 }),
  /** Updating an improvement task: admin, or an agency responsible for it (PARAMS.taskId is for all agencies). */
  taskUpdate: row({ admin: ok, approver: 403, viewer: 403, agencyOwn: ok, agencyOther: ok, feed: 403 }),
  /** Review of OIT evidence: approver and admin. */
  review: row({ admin: ok, approver: ok, viewer: 403, agencyOwn: 403, agencyOther: 403, feed: 403 }),
  /** Calendar feeds (`auth: 'feed'`, token in `?token=`): a feed token only; an API token in a URL is a 403. */
  calendarFeed: row({ admin: 403, approver: 403, viewer: 403, agencyOwn: 403, agencyOther: 403, feed: ok }),
  /** No authorizer at all (`auth: 'public'`). */
  open: {
    admin: ok,
    approver: ok,
    viewer: ok,
    agencyOwn: ok,
    agencyOther: ok,
    feed: ok,
    none: ok,
    forged: ok,
    expired: ok,
    revoked: ok,
  } satisfies Row,
};

const EXPECTED: Record<string, Row> = {
  'GET /assessments/{id}': preset.provinceRead,
  'GET /assessments/{id}/agencies': preset.provinceRead,
  'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}': preset.agencyWrite,
  'GET /assessments/{id}/agencies/{agencyId}/progress': preset.agencyRead,
  'POST /assessments/{id}/tokens': preset.adminOnly,
  'GET /assessments/{id}/tokens': preset.adminOnly,
  'DELETE /assessments/{id}/tokens/{tokenId}': preset.adminOnly,
  'POST /assessments': preset.adminOnly,
  'PUT /assessments/{id}/plan': preset.adminOnly,
  'POST /assessments/{id}/rollover': preset.adminOnly,
  'POST /assessments/{id}/agencies': preset.adminOnly,
  'GET /assessments/{id}/agencies/{agencyId}': preset.agencyRead,
  'PUT /assessments/{id}/agencies/{agencyId}': preset.adminOnly,
  'PUT /assessments/{id}/oit/catalog': preset.adminOnly,
  'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments': preset.adminOnly,
  'POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review': preset.review,
  'GET /assessments/{id}/oit': preset.provinceRead,
  'PUT /assessments/{id}/agencies/{agencyId}/surveys/{tool}': preset.agencyWrite,
  'GET /assessments/{id}/tasks': preset.ownRowsRead,
  'POST /assessments/{id}/tasks': preset.adminOnly,
  'PATCH /assessments/{id}/tasks/{taskId}': preset.taskUpdate,
  'GET /assessments/{id}/progress': preset.ownRowsRead,
  'GET /assessments/{id}/progress.csv': preset.ownRowsRead,
  'GET /assessments/{id}/audit': preset.provinceRead,
  'GET /openapi.json': preset.open,
  'GET /health': preset.open,
  'GET /assessments/{id}/forecast': preset.provinceRead,
  'GET /assessments/{id}/results': preset.provinceRead,
  'GET /assessments/{id}/results/compare': preset.provinceRead,
  'PUT /assessments/{id}/results/{fiscalYear}/questions': preset.adminOnly,
  'GET /assessments/{id}/results/{fiscalYear}/analysis': preset.provinceRead,
  'POST /assessments/{id}/results/{fiscalYear}/analysis/tasks': preset.adminOnly,
  'GET /assessments/{id}/tasks.csv': preset.provinceRead,
  'GET /assessments/{id}/results.csv': preset.provinceRead,
  'GET /assessments/{id}/calendar.ics': preset.calendarFeed,
  'GET /assessments/{id}/agencies/{agencyId}/calendar.ics': preset.calendarFeed,
  'GET /assessments/{id}/dashboard': preset.open,
  'GET /assessments/{id}/notifications': preset.provinceRead,
  'POST /assessments/{id}/notifications/{notificationId}/resend': preset.adminOnly,
  // ---- add new routes above this line ----
};

/** Path parameter values; a name not listed gets `matrix-unknown` (allowed callers then see a 404). */
const ownAgency = sampleAgencies()[0]!;
const otherAgency = sampleAgencies()[1]!;
const PARAMS: Record<string, string> = {
  id: SEEDED_ASSESSMENT_ID,
  agencyId: ownAgency.id,
  itemId: ownAgency.oitItems[0]!,
  tokenId: 'tok-0000000000000000',
  tool: 'iit',
  fiscalYear: '2566',
  /** A seeded improvement task whose responsible agencies are `all`. */
  taskId: 't05-e14',
  notificationId: '2024-01-15_pt-provincial-office_matrix',
};

/** Query strings a route requires to be well-formed, so the matrix tests authorization, not parsing. */
const QUERY: Record<string, string> = {
  'GET /assessments/{id}/notifications': 'status=failed',
  'GET /assessments/{id}/results/compare': 'from=2565&to=2566',
};

const routeKey = (route: Route) => `${route.method} ${route.path}`;

const urlOf = (route: Route) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(PARAMS[name] ?? 'matrix-unknown'));

const loadHandler = async (fn: string): Promise<LocalHandler> =>
  ((await import(`../../functions/${fn}.ts`)) as { handler: LocalHandler }).handler;

let server: Server;
let baseUrl = '';
const secrets = {} as Record<Exclude<Caller, 'none'>, string>;

beforeAll(async () => {
  const table = await freshTable('matrix');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedPhatthalung(table);
  const tokens = createTokenRepository({ client: table.client, tableName: table.tableName });
  const deps = { ...table, tokens, now: () => new Date() };
  const issue = async (role: Principal['role'], assessmentId: string, agencyId?: string) =>
    (
      await issueToken(deps, systemPrincipal, {
        assessmentId,
        request: { role, label: `matrix ${role}`, ...(agencyId ? { agencyId } : {}) },
      })
    ).secret;

  secrets.admin = await issue('admin', '*');
  secrets.approver = await issue('approver', SEEDED_ASSESSMENT_ID);
  secrets.viewer = await issue('viewer', SEEDED_ASSESSMENT_ID);
  secrets.agencyOwn = await issue('agency', SEEDED_ASSESSMENT_ID, ownAgency.id);
  secrets.agencyOther = await issue('agency', SEEDED_ASSESSMENT_ID, otherAgency.id);
  secrets.feed = await issue('feed', SEEDED_ASSESSMENT_ID);
  secrets.forged = newTokenSecret();
  // An expired admin token: the strongest role, so a 401 can only come from the expiry.
  secrets.expired = newTokenSecret();
  await tokens.create(
    {
      id: newTokenId(),
      hash: hashToken(secrets.expired),
      role: 'admin',
      assessmentId: '*',
      label: 'matrix expired',
      createdAt: '2024-01-01T00:00:00.000Z',
      createdBy: 'system',
      expiresAt: '2024-02-01T00:00:00.000Z',
    },
    audit(SEEDED_ASSESSMENT_ID),
  );
  const revoked = await issueToken(deps, systemPrincipal, {
    assessmentId: SEEDED_ASSESSMENT_ID,
    request: { role: 'admin', label: 'matrix revoked' },
  });
  await revokeToken(deps, systemPrincipal, { assessmentId: SEEDED_ASSESSMENT_ID, tokenId: revoked.token.id });
  secrets.revoked = revoked.secret;

  // Handlers that publish get an in-process bus, as under `npm start`; nothing leaves the machine.
  useLocalEventPublisher({ publish: async () => undefined });
  server = createLocalApi({ routes, loadHandler, authorize: createLocalAuthorizer() });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  useLocalEventPublisher(undefined);
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const CALLERS: Caller[] = [
  'none',
  'forged',
  'expired',
  'revoked',
  'feed',
  'agencyOther',
  'agencyOwn',
  'viewer',
  'approver',
  'admin',
];

/** A calendar route takes its token in the URL; every other route in the Authorization header. */
const send = async (route: Route, caller: Caller): Promise<number> => {
  const url = new URL(urlOf(route), baseUrl);
  url.search = QUERY[routeKey(route)] ?? '';
  const headers: Record<string, string> = {};
  if (caller !== 'none') {
    if (route.auth === 'feed') url.searchParams.set('token', secrets[caller]);
    else headers.authorization = `Bearer ${secrets[caller]}`;
  }
  const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
  if (hasBody) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method: route.method, headers, ...(hasBody ? { body: '{}' } : {}) });
  await response.arrayBuffer();
  return response.status;
};

const meets = (cell: Cell, status: number): boolean =>
  cell === ok ? status !== 401 && status !== 403 && status < 500 : status === cell;

describe('authorization matrix: every route x every caller', () => {
  it('has an expectation row for every route and no row for a route that does not exist', () => {
    // Prepare
    const known = new Set(routes.map(routeKey));

    // Act
    const stale = Object.keys(EXPECTED).filter((key) => !known.has(key));

    // Assess
    expect(stale, 'rows in EXPECTED for routes that are not in shared/http/routes.ts').toEqual([]);
  });

  it.each(routes.map((route) => [routeKey(route), route] as const))('%s', async (key, route) => {
    // Prepare
    const expected = EXPECTED[key];
    if (!expected) {
      expect.fail(
        `route ${key} has no authorization expectation: add its row to EXPECTED in ` +
          'test/integration/authorization-matrix.test.ts (one cell per caller, usually a preset)',
      );
    }

    // Act: denied and failing callers first, so an allowed write cannot change what they see.
    const observed: Partial<Record<Caller, number>> = {};
    for (const caller of CALLERS) observed[caller] = await send(route, caller);

    // Assess
    const wrong = CALLERS.filter((caller) => !meets(expected[caller], observed[caller]!)).map(
      (caller) => `${caller}: expected ${expected[caller]}, got ${observed[caller]}`,
    );
    expect(wrong, `${key}`).toEqual([]);
  });
});
