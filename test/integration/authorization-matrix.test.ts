import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationRepository } from '#adapters/dynamo/notification-repository';
import { createTokenRepository } from '#adapters/dynamo/token-repository';
import { auditEntry } from '#domain/audit';
import { hashToken, newTokenId, newTokenSecret } from '#domain/auth';
import { type Principal, systemPrincipal } from '#domain/principal';
import { CreateTaskRequest } from '#domain/requests/tasks';
import { type Route, routes } from '#http/routes';
import { SEEDED_ASSESSMENT_ID, sampleAgencies } from '#local/seed';
import type { LocalStandIns } from '#runtime/stand-ins';
import { tableRuntime } from '#runtime/table';
import { audit, makeAssessment, makeMilestones, taskRequestBody } from '#test/fixtures';
import { type LocalApi, startLocalApi } from '#test/local-api';
import { freshPhatthalungTable } from '#test/table';
import { importQuestionResults } from '#use-cases/results';
import { submitEvidence } from '#use-cases/submit-evidence';
import { createTask } from '#use-cases/tasks';
import { issueToken, revokeToken } from '#use-cases/tokens';

/**
 * THE AUTHORIZATION MATRIX. Every route in `shared/http/routes.ts` x every kind of caller, through
 * the real local server, the real authorizer and the real handlers, on DynamoDB Local with the
 * seeded Phatthalung data.
 *
 * Adding a route? Add its row to EXPECTED below (`'METHOD /path'`), usually one of the presets,
 * and, for a write or a route that does not answer 200, its entry in REQUESTS. A route without a
 * row fails this test, and so does a write route without a request.
 *
 * Every request is well-formed (a valid body, the caller's own agency, an assigned item, an
 * existing task, token and notification), so every cell is exact: `ok` is the route's success
 * status (REQUESTS[route].status, 200 unless given), a number the exact status of a refusal.
 */

type Caller =
  | 'admin'
  | 'approver'
  | 'viewer'
  | 'agencyOwn'
  | 'agencyOther'
  /** A genuine admin token bound to another assessment (its feed token on calendar routes). */
  | 'elsewhere'
  | 'feed'
  | 'none'
  | 'forged'
  | 'expired'
  | 'revoked';
type Cell = 'ok' | 401 | 403 | 404;
type Row = Record<Caller, Cell>;

const ok = 'ok';
/**
 * No token, a forged one, an expired one, a revoked one: 401 wherever a token is needed. A token
 * bound to another assessment learns nothing about this one: 404 on every assessment-scoped route.
 */
const BAD_TOKENS = { none: 401, forged: 401, expired: 401, revoked: 401, elsewhere: 404 } as const;
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
  /**
   * An agency's own reporting (OIT evidence, survey counts): the agency only. Not the secretariat:
   * evidence comes from the agency, and an admin able to submit could approve its own submission.
   */
  agencyWrite: row({ admin: 403, approver: 403, viewer: 403, agencyOwn: ok, agencyOther: 404, feed: 403 }),
  /** Province-level lists an agency may read filtered to its own rows (tasks, progress). */
  ownRowsRead: row({ admin: ok, approver: ok, viewer: ok, agencyOwn: ok, agencyOther: ok, feed: 403 }),
  /**
   * Updating an improvement task: admin, or an agency responsible for it. PARAMS.taskId names a
   * task whose responsible agencies are a list with `agencyOwn` and without `agencyOther`: to it
   * the task does not exist (404, the body of an unknown task id).
   */
  taskUpdate: row({ admin: ok, approver: 403, viewer: 403, agencyOwn: ok, agencyOther: 404, feed: 403 }),
  /**
   * A link of the agency's own (its LINE group's code, its calendar feed): the agency itself or
   * the secretariat for any; a feed token may not make one.
   */
  agencyOwnLink: row({ admin: ok, approver: 403, viewer: 403, agencyOwn: ok, agencyOther: 404, feed: 403 }),
  /** Review of OIT evidence: the approver only (the governor or a delegate, plan step 10). */
  review: row({ admin: 403, approver: ok, viewer: 403, agencyOwn: 403, agencyOther: 403, feed: 403 }),
  /** Calendar feeds (`auth: 'feed'`, token in `?token=`): a feed token only; an API token in a URL is a 403. */
  calendarFeed: row({ admin: 403, approver: 403, viewer: 403, agencyOwn: 403, agencyOther: 403, feed: ok }),
  /** No authorizer at all (`auth: 'public'`). */
  open: {
    admin: ok,
    approver: ok,
    viewer: ok,
    agencyOwn: ok,
    agencyOther: ok,
    elsewhere: ok,
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
  // Who signs in, with their live sessions' token ids: token management's grant.
  'GET /assessments/{id}/people': preset.adminOnly,
  // Creating an assessment is outside any one: a token bound to another assessment may not (403).
  'POST /assessments': { ...preset.adminOnly, elsewhere: 403 },
  'PUT /assessments/{id}/plan': preset.adminOnly,
  'POST /assessments/{id}/rollover': preset.adminOnly,
  'POST /assessments/{id}/agencies': preset.adminOnly,
  'GET /assessments/{id}/agencies/{agencyId}': preset.agencyRead,
  'PUT /assessments/{id}/agencies/{agencyId}': preset.adminOnly,
  'PUT /assessments/{id}/oit/catalog': preset.adminOnly,
  'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments': preset.adminOnly,
  'GET /assessments/{id}/oit-assignments': preset.provinceRead,
  'DELETE /assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}': preset.adminOnly,
  'POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review': preset.review,
  'GET /assessments/{id}/oit': preset.provinceRead,
  'GET /assessments/{id}/links': preset.provinceRead,
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
  'GET /assessments/{id}/notifications': preset.provinceRead,
  'POST /assessments/{id}/notifications/{notificationId}/resend': preset.adminOnly,
  'GET /assessments/{id}/notification-settings': preset.provinceRead,
  'PUT /assessments/{id}/notification-settings': preset.adminOnly,
  'POST /assessments/{id}/schedules/sync': preset.adminOnly,
  'POST /assessments/{id}/links/check': preset.adminOnly,
  'POST /assessments/{id}/agencies/import': preset.adminOnly,
  'GET /assessments/{id}/agencies/template.xlsx': preset.adminOnly,
  // The workbook lists every agency: not for an agency token (progress.csv gives it its own row).
  'GET /assessments/{id}/progress.xlsx': preset.provinceRead,
  // Sign-in (issue 12): the two POSTs are public, the same answer whoever calls (no code is valid
  // here: 401 for the session); GET and DELETE act on the presenting token, any role but feed.
  'POST /auth/code': preset.open,
  'POST /auth/session': preset.open,
  'GET /auth/session': {
    ...row({ admin: ok, approver: ok, viewer: ok, agencyOwn: ok, agencyOther: ok, feed: 403 }),
    elsewhere: ok,
  },
  'DELETE /auth/session': {
    ...row({ admin: ok, approver: ok, viewer: ok, agencyOwn: ok, agencyOther: ok, feed: 403 }),
    elsewhere: ok,
  },
  // LINE (issue 13): an agency asks for its own group's code; the secretariat for any.
  'POST /assessments/{id}/agencies/{agencyId}/line-link': preset.agencyOwnLink,
  'GET /assessments/{id}/line': preset.adminOnly,
  'PUT /assessments/{id}/line/settings': preset.adminOnly,
  /** The agency's own calendar link: the agency itself or the secretariat; a feed token may not make one. */
  'POST /assessments/{id}/agencies/{agencyId}/calendar-feed': preset.agencyOwnLink,
  // Public, but LINE signs every call: a request without x-line-signature is a 401 whoever sends it.
  'POST /line/webhook': {
    admin: 401,
    approver: 401,
    viewer: 401,
    agencyOwn: 401,
    agencyOther: 401,
    elsewhere: 401,
    feed: 401,
    none: 401,
    forged: 401,
    expired: 401,
    revoked: 401,
  },
  // ---- add new routes above this line ----
};

const ownAgency = sampleAgencies()[0]!;
const otherAgency = sampleAgencies()[1]!;
const ELSEWHERE = 'matrix-elsewhere';
const MATRIX_TASK = 'matrix-task';

/** Path parameter values: the caller's own agency, an assigned item, things that exist. */
const PARAMS: Record<string, string> = {
  id: SEEDED_ASSESSMENT_ID,
  agencyId: ownAgency.id,
  itemId: ownAgency.oitItems[0]!,
  tool: 'iit',
  fiscalYear: '2566',
  /** Created in beforeAll: responsible agencies [ownAgency, pt-land], so not otherAgency. */
  taskId: MATRIX_TASK,
  /** Set in beforeAll: a token to revoke, a failed notification to resend. */
  tokenId: '',
  notificationId: '',
};

type Request = {
  /** The status of an allowed call (`ok`); 200 unless given. */
  status?: number;
  /** A body the route accepts, built right before each call (it may read the current state). */
  body?: () => unknown;
  /** The body's media type when it is not JSON; the body is then sent as built (text or bytes). */
  contentType?: string;
  headers?: (caller: Caller) => Promise<Record<string, string>>;
  query?: string;
  params?: Record<string, string>;
  /** The caller's token for this route, when it must not be the shared one (sign-out revokes it). */
  secret?: (caller: Exclude<Caller, 'none'>) => Promise<string>;
};

const ifMatch = (version: number | undefined) => ({ 'if-match': `"${version ?? 1}"` });
const { oitItems: _items, id: _id, ...ownProfile } = ownAgency;
/** A task for the own agency and the land office, not for `agencyOther`. */
const taskBody = (id: string) =>
  taskRequestBody(id, [ownAgency.id, 'pt-land'], { responsibleText: 'สำนักงานจังหวัดและที่ดินจังหวัด' });
const questions2566 = {
  iit: { i7: 76.59, i8: 63.58 },
  eit: { e1: 78.84 },
  oit: { o1: 100 as const, o14: 0 as const },
};

/**
 * The If-Match of a PATCH of the matrix task (see shared/use-cases/tasks.ts): an agency moves its
 * own state of the task, guarded by its summary's version (`agencies[].version` in the listing);
 * anyone else the task's overall state, guarded by the task's version.
 */
const taskVersion = async (caller: Caller) => {
  const asAgency = caller === 'agencyOwn';
  const response = await fetch(new URL(`/assessments/${SEEDED_ASSESSMENT_ID}/tasks`, baseUrl), {
    headers: { authorization: `Bearer ${secrets[asAgency ? 'agencyOwn' : 'admin']}` },
  });
  const { tasks } = (await response.json()) as {
    tasks: { id: string; version: number; agencies: { agencyId: string; version: number }[] }[];
  };
  const task = tasks.find((t) => t.id === MATRIX_TASK);
  return asAgency ? task?.agencies.find((a) => a.agencyId === ownAgency.id)?.version : task?.version;
};

/** Well-formed requests: every write route and every route whose success is not a plain 200. */
const REQUESTS: Record<string, Request> = {
  'POST /assessments': {
    status: 201,
    body: () => ({ id: 'matrix-new', unitName: 'จังหวัดเมทริกซ์', fiscalYear: 2567 }),
  },
  'PUT /assessments/{id}/plan': {
    body: async () => ({
      milestones: (await tableRuntime().assessments.getWithPlan(SEEDED_ASSESSMENT_ID))!.milestones,
    }),
    headers: async () =>
      ifMatch((await tableRuntime().assessments.getWithPlan(SEEDED_ASSESSMENT_ID))?.assessment.version),
  },
  'POST /assessments/{id}/rollover': { status: 201, body: () => ({ id: 'matrix-2568', fiscalYear: 2568 }) },
  'POST /assessments/{id}/agencies': {
    status: 201,
    body: () => ({ ...ownProfile, id: 'matrix-agency', nameTh: 'หน่วยงานเมทริกซ์' }),
  },
  'PUT /assessments/{id}/agencies/{agencyId}': {
    body: () => ({ ...ownProfile, internalStaff: ownProfile.internalStaff + 1 }),
    headers: async () =>
      ifMatch((await tableRuntime().agencies.getSummary(SEEDED_ASSESSMENT_ID, ownAgency.id))?.version),
  },
  'PUT /assessments/{id}/oit/catalog': {
    body: async () => ({
      items: (await tableRuntime().assessments.getWithPlan(SEEDED_ASSESSMENT_ID))!.assessment.framework
        .oitItems,
    }),
  },
  'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments': {
    body: () => ({ items: [ownAgency.oitItems[0]] }),
  },
  // The agency's last seeded item: no other route here touches it, so its removal changes no other cell.
  'DELETE /assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}': {
    params: { itemId: ownAgency.oitItems.at(-1)! },
  },
  'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}': {
    body: () => ({
      urls: [`https://${ownAgency.id}.example.org/ita/${ownAgency.oitItems[0]}`],
      note: 'หลักฐาน',
    }),
  },
  'POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review': {
    // Submitted by the agency in beforeAll, so the approver's review finds it `submitted`.
    params: { itemId: ownAgency.oitItems[1]! },
    body: () => ({ decision: 'approve' }),
    headers: async () =>
      ifMatch(
        (await tableRuntime().agencies.getDetail(SEEDED_ASSESSMENT_ID, ownAgency.id))?.evidence.find(
          (e) => e.itemId === ownAgency.oitItems[1],
        )?.version,
      ),
  },
  'GET /assessments/{id}/oit': { query: 'status=submitted' },
  'PUT /assessments/{id}/agencies/{agencyId}/surveys/{tool}': {
    body: () => ({ responses: 12, asOf: '2024-02-01' }),
  },
  'POST /assessments/{id}/tasks': { status: 201, body: () => taskBody('matrix-created') },
  'PATCH /assessments/{id}/tasks/{taskId}': {
    body: () => ({ progress: 40 }),
    headers: async (caller) => ifMatch(await taskVersion(caller)),
  },
  'POST /assessments/{id}/tokens': { status: 201, body: () => ({ role: 'viewer', label: 'ผู้สังเกตการณ์' }) },
  'PUT /assessments/{id}/results/{fiscalYear}/questions': { body: () => questions2566 },
  'POST /assessments/{id}/results/{fiscalYear}/analysis/tasks': { status: 201 },
  'GET /assessments/{id}/results/compare': { query: 'from=2565&to=2566' },
  'GET /assessments/{id}/notifications': { query: 'status=failed' },
  'POST /assessments/{id}/notifications/{notificationId}/resend': { status: 202 },
  'PUT /assessments/{id}/notification-settings': {
    body: () => ({ secretariatEmails: ['ita.secretariat@example.org'] }),
  },
  'POST /assessments/{id}/schedules/sync': { status: 202 },
  'POST /assessments/{id}/links/check': { status: 202, body: () => ({}) },
  'POST /auth/code': {
    status: 202,
    body: () => ({ email: 'someone@example.org', assessmentId: SEEDED_ASSESSMENT_ID }),
  },
  'POST /auth/session': {
    status: 401,
    body: () => ({ email: 'someone@example.org', assessmentId: SEEDED_ASSESSMENT_ID, code: '000000' }),
  },
  'DELETE /auth/session': { status: 204, secret: (caller) => freshSecret(caller) },
  'POST /assessments/{id}/agencies/{agencyId}/line-link': { status: 201 },
  'POST /assessments/{id}/agencies/{agencyId}/calendar-feed': { status: 201 },
  'PUT /assessments/{id}/line/settings': { body: () => ({ agencyDigest: 'daily' }) },
  'POST /line/webhook': { body: () => ({ destination: 'Umatrix', events: [] }) },
  // A dry run (no ?apply): the answer lists the row, nothing is written.
  'POST /assessments/{id}/agencies/import': {
    contentType: 'text/csv',
    body: () =>
      'id,nameTh,coordinatorName,coordinatorEmail,headName,headEmail,internalStaff,externalStakeholders\r\n' +
      'matrix-import,หน่วยงานนำเข้าเมทริกซ์,,ita.import@example.org,,head.import@example.org,12,300\r\n',
  },
};

const routeKey = (route: Route) => `${route.method} ${route.path}`;
const isWrite = (route: Route) => route.method !== 'GET';

const urlOf = (route: Route) => {
  const params = { ...PARAMS, ...REQUESTS[routeKey(route)]?.params };
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
};

let api: LocalApi | undefined;
let baseUrl = '';
const secrets = {} as Record<Exclude<Caller, 'none'>, string>;
/** A new token of the caller's kind, for a route that revokes the one it is sent with. */
let freshSecret: (caller: Exclude<Caller, 'none'>) => Promise<string>;
let elsewhereFeed = '';

beforeAll(async () => {
  process.env.PUBLIC_BASE_URL = 'http://127.0.0.1:9';
  const table = await freshPhatthalungTable('matrix');
  const tokens = createTokenRepository({ client: table.client, tableName: table.tableName });
  const deps = { ...table, tokens, now: () => new Date() };
  const issue = async (role: Principal['role'], assessmentId: string, agencyId?: string) =>
    issueToken(deps, systemPrincipal, {
      channel: 'operator',
      assessmentId,
      request: { role, label: `matrix ${role}`, ...(agencyId ? { agencyId } : {}) },
    });
  const secret = async (role: Principal['role'], assessmentId: string, agencyId?: string) =>
    (await issue(role, assessmentId, agencyId)).secret;
  freshSecret = async (caller) => {
    if (caller === 'admin') return secret('admin', '*');
    if (caller === 'approver' || caller === 'viewer') return secret(caller, SEEDED_ASSESSMENT_ID);
    if (caller === 'agencyOwn') return secret('agency', SEEDED_ASSESSMENT_ID, ownAgency.id);
    if (caller === 'agencyOther') return secret('agency', SEEDED_ASSESSMENT_ID, otherAgency.id);
    if (caller === 'elsewhere') return secret('admin', ELSEWHERE);
    return secrets[caller];
  };

  // A second assessment, and its tokens: the strongest role, so a 404 comes from the binding alone.
  await table.assessments.create(
    { assessment: makeAssessment(ELSEWHERE), milestones: makeMilestones(), tasks: [], results: [] },
    audit(ELSEWHERE),
  );
  secrets.elsewhere = await secret('admin', ELSEWHERE);
  elsewhereFeed = await secret('feed', ELSEWHERE);

  secrets.admin = await secret('admin', '*');
  secrets.approver = await secret('approver', SEEDED_ASSESSMENT_ID);
  secrets.viewer = await secret('viewer', SEEDED_ASSESSMENT_ID);
  secrets.agencyOwn = await secret('agency', SEEDED_ASSESSMENT_ID, ownAgency.id);
  secrets.agencyOther = await secret('agency', SEEDED_ASSESSMENT_ID, otherAgency.id);
  secrets.feed = await secret('feed', SEEDED_ASSESSMENT_ID);
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
  const revoked = await issue('admin', SEEDED_ASSESSMENT_ID);
  await revokeToken(deps, systemPrincipal, { assessmentId: SEEDED_ASSESSMENT_ID, tokenId: revoked.token.id });
  secrets.revoked = revoked.secret;
  PARAMS.tokenId = (await issue('viewer', SEEDED_ASSESSMENT_ID)).token.id;

  // What the allowed calls act on: evidence awaiting review, a task, last year's question results,
  // a failed notification.
  const agencyPrincipal: Principal = {
    tokenId: 'matrix-agency',
    role: 'agency',
    assessmentId: SEEDED_ASSESSMENT_ID,
    agencyId: ownAgency.id,
  };
  await submitEvidence(deps, agencyPrincipal, {
    assessmentId: SEEDED_ASSESSMENT_ID,
    agencyId: ownAgency.id,
    itemId: ownAgency.oitItems[1]!,
    request: { urls: [`https://${ownAgency.id}.example.org/ita/${ownAgency.oitItems[1]}`] },
  });
  await createTask(tableRuntime(), systemPrincipal, {
    assessmentId: SEEDED_ASSESSMENT_ID,
    task: CreateTaskRequest.parse(taskBody(MATRIX_TASK)),
  });
  await importQuestionResults(deps, systemPrincipal, {
    assessmentId: SEEDED_ASSESSMENT_ID,
    fiscalYear: 2566,
    request: questions2566,
  });
  const notifications = createNotificationRepository({ client: table.client, tableName: table.tableName });
  const request = {
    assessmentId: SEEDED_ASSESSMENT_ID,
    subject: ownAgency.id,
    kind: 'm07-due',
    localDate: '2024-03-31',
    to: [ownAgency.coordinator.email],
    cc: [],
    email: {
      template: 'kickoff' as const,
      unitName: 'จังหวัดพัทลุง',
      milestone: { number: 7, title: 'OIT', window: { start: '2024-01-01', end: '2024-03-31' } },
      audienceName: ownAgency.nameTh,
    },
  };
  const claimed = await notifications.claim(request, new Date(), audit(SEEDED_ASSESSMENT_ID));
  if (!claimed.claimed) throw new Error('the matrix notification could not be claimed');
  PARAMS.notificationId = claimed.record.id;
  await notifications.markFailed(
    SEEDED_ASSESSMENT_ID,
    claimed.record.id,
    { error: 'MessageRejected: address is not verified', retryable: false },
    new Date(),
    auditEntry(
      systemPrincipal,
      { assessmentId: SEEDED_ASSESSMENT_ID, action: 'test.setup', target: 'fixture', changes: {} },
      new Date().toISOString(),
    ),
  );

  // Handlers that publish or queue link checks do so into nothing: only who may call what is tested here.
  const standIns: LocalStandIns = {
    outbox: { publish: async () => undefined },
    linkCheckQueue: { send: async () => undefined },
  };
  api = await startLocalApi({ standIns });
  baseUrl = api.baseUrl;
});

afterAll(async () => {
  await api?.close();
});

/** Refused and failing callers first, so an allowed write cannot change what they see. */
const CALLERS: Caller[] = [
  'none',
  'forged',
  'expired',
  'revoked',
  'elsewhere',
  'feed',
  'agencyOther',
  'agencyOwn',
  'viewer',
  'approver',
  'admin',
];

/** A calendar route takes its token in the URL; every other route in the Authorization header. */
const send = async (route: Route, caller: Caller): Promise<{ status: number; body: string }> => {
  const request = REQUESTS[routeKey(route)] ?? {};
  const url = new URL(urlOf(route), baseUrl);
  url.search = request.query ?? '';
  const headers: Record<string, string> = { ...(await request.headers?.(caller)) };
  if (caller !== 'none') {
    if (route.auth === 'feed')
      url.searchParams.set('token', caller === 'elsewhere' ? elsewhereFeed : secrets[caller]);
    else headers.authorization = `Bearer ${(await request.secret?.(caller)) ?? secrets[caller]}`;
  }
  const built = request.body ? await request.body() : undefined;
  const body =
    built === undefined ? undefined : request.contentType ? (built as string) : JSON.stringify(built);
  if (body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
  const response = await fetch(url, {
    method: route.method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  return { status: response.status, body: await response.text() };
};

const expectedStatus = (key: string, cell: Cell): number =>
  cell === ok ? (REQUESTS[key]?.status ?? 200) : cell;

describe('authorization matrix: every route x every caller', () => {
  it('has an expectation row for every route and no row for a route that does not exist', () => {
    // Prepare
    const known = new Set(routes.map(routeKey));

    // Act
    const stale = [...Object.keys(EXPECTED), ...Object.keys(REQUESTS)].filter((key) => !known.has(key));

    // Assess
    expect(stale, 'rows in EXPECTED or REQUESTS for routes that are not in shared/http/routes.ts').toEqual(
      [],
    );
  });

  it('sends a well-formed body to every route that takes one', () => {
    // Act: DELETE and the POSTs that act on their path alone take no body.
    const bodiless = routes
      .filter((route) => isWrite(route) && !REQUESTS[routeKey(route)]?.body)
      .map(routeKey)
      .sort();

    // Assess
    expect(bodiless).toEqual([
      'DELETE /assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}',
      'DELETE /assessments/{id}/tokens/{tokenId}',
      'DELETE /auth/session',
      'POST /assessments/{id}/agencies/{agencyId}/calendar-feed',
      'POST /assessments/{id}/agencies/{agencyId}/line-link',
      'POST /assessments/{id}/notifications/{notificationId}/resend',
      'POST /assessments/{id}/results/{fiscalYear}/analysis/tasks',
      'POST /assessments/{id}/schedules/sync',
    ]);
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

    // Act
    const observed: Partial<Record<Caller, { status: number; body: string }>> = {};
    for (const caller of CALLERS) observed[caller] = await send(route, caller);

    // Assess
    const wrong = CALLERS.filter(
      (caller) => observed[caller]!.status !== expectedStatus(key, expected[caller]),
    ).map(
      (caller) =>
        `${caller}: expected ${expectedStatus(key, expected[caller])}, got ${observed[caller]!.status} ${observed[caller]!.body.slice(0, 200)}`,
    );
    expect(wrong, `${key}`).toEqual([]);
  });
});
