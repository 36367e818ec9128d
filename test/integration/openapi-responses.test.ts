import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationRepository } from '#adapters/dynamo/notification-repository';
import { createSignInRepository } from '#adapters/dynamo/signin-repository';
import { IMPORT_FIELDS } from '#domain/agency-import';
import { auditEntry } from '#domain/audit';
import { NO_RECIPIENT, type NotificationRequest } from '#domain/notifications';
import { systemPrincipal } from '#domain/principal';
import { issuedCode } from '#domain/signin';
import { routes } from '#http/routes';
import { type LocalTokens, writeLocalTokens } from '#local/auth';
import { freePort } from '#local/dynamo-local';
import { startLocalLine } from '#local/line-local';
import { type LocalNotifications, startLocalNotifications } from '#local/local-notifications';
import { SEEDED_ASSESSMENT_ID, seedPhatthalung } from '#local/seed';
import type { LocalStandIns } from '#runtime/stand-ins';
import { tableRuntime } from '#runtime/table';
import { taskRequestBody } from '#test/fixtures';
import { schemaErrors } from '#test/json-schema';
import { type LocalApi, startLocalApi } from '#test/local-api';
import { freshTable } from '#test/table';

/**
 * Every JSON answer of the API, checked against the response schema the served OpenAPI document
 * (`GET /openapi.json`) declares for its method, path and status: real requests through the local
 * API server (the real authorizer, the Lambda handlers) on DynamoDB Local with the seeded
 * Phatthalung assessment. An answer whose status the document does not list, or whose schema is
 * empty, fails: the document cannot drift from what the handlers send.
 */

const A = SEEDED_ASSESSMENT_ID;
const AGENCY = 'pt-treasury';
const OTHER_AGENCY = 'pt-land';
const NOW = '2024-02-15T02:00:00.000Z';
const SIGN_IN_EMAIL = 'ita.treasury@example.org';
const SIGN_IN_CODE = '424242';

type Json = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, { responses: Record<string, Json> }>> } & Json;
type Exchange = { method: string; path: string; url: string; status: number; type: string; body: unknown };

let api: LocalApi | undefined;
let base = '';
let tokens: LocalTokens;
let stateDir = '';
let stopLine: () => Promise<void> = async () => undefined;
let standIns: LocalStandIns = {};
let local: LocalNotifications | undefined;
const exchanges: Exchange[] = [];
const T0 = Date.now();

/** Sends one request and keeps its answer with the route (method and path template) it was for. */
const call = async (
  method: string,
  path: string,
  {
    params = {},
    token,
    body,
    query,
    headers = {},
    raw,
  }: {
    params?: Record<string, string>;
    token?: string;
    body?: unknown;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    /** A body sent as it is (a CSV upload), with its content type. */
    raw?: { text: string; type: string };
  } = {},
): Promise<Exchange> => {
  const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(name === 'id' && !(name in params) ? A : (params[name] ?? '')),
  );
  const url = `${base}${concrete}${query ? `?${new URLSearchParams(query)}` : ''}`;
  const response = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(raw ? { 'content-type': raw.type } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(raw ? { body: raw.text } : {}),
  });
  const type = response.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
  const text = await response.text();
  if (process.env.OPENAPI_TRACE)
    console.log(
      `${Date.now() - T0} ms ${method} ${path} ${response.status} ${process.env.OPENAPI_TRACE === 'body' ? text.slice(0, 1500) : ''}`,
    );
  const exchange = {
    method,
    path,
    url,
    status: response.status,
    type,
    body: type === 'application/json' && text ? JSON.parse(text) : text,
  };
  exchanges.push(exchange);
  return exchange;
};

const etagOf = async (path: string, token: string, params: Record<string, string> = {}) => {
  const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'id' ? A : (params[name] ?? ''),
  );
  const response = await fetch(`${base}${concrete}`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.headers.get('etag') ?? '"0"';
};

const scores = (prefix: string, count: number, value: (i: number) => number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i + 1}`, value(i)]));

beforeAll(async () => {
  const table = await freshTable('openapi');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  process.env.PUBLIC_BASE_URL ??= 'http://127.0.0.1:9';
  stateDir = mkdtempSync(join(tmpdir(), 'ita-openapi-'));
  // The asynchronous half as `npm start` runs it (mail, campaign clock, bus, scheduler, link
  // queue), and LINE's stub: what the functions behind the routes run against.
  local = await startLocalNotifications({
    sesPort: await freePort(),
    clockStart: NOW,
    publicBaseUrl: 'http://127.0.0.1:9',
    log: () => undefined,
  });
  const line = await startLocalLine({
    port: 0,
    configFile: join(stateDir, 'line.json'),
    now: local.clock.now,
  });
  stopLine = line.stop;
  standIns = local.standIns;
  standIns.line = line.standIn;
  const runtime = tableRuntime();
  await seedPhatthalung(runtime, new Date(NOW));
  tokens = await writeLocalTokens(runtime, A, join(stateDir, 'tokens.json'));
  // A live sign-in code with a known value, as the code mailer would have stored (and emailed) it.
  const now = new Date();
  await createSignInRepository(runtime).replaceCode(
    issuedCode(
      {
        assessmentId: A,
        email: SIGN_IN_EMAIL,
        requestId: 'openapi-test',
        code: SIGN_IN_CODE,
        salt: '0'.repeat(32),
        sends: [now.getTime()],
      },
      now,
    ),
    null,
    auditEntry(
      systemPrincipal,
      { assessmentId: A, action: 'test.setup', target: 'fixture', changes: {} },
      NOW,
    ),
  );
  // A failed notification, so the resend route has one to send again.
  await createNotificationRepository(runtime).recordUndeliverable(
    {
      assessmentId: A,
      subject: 'province',
      kind: 'm05-start',
      localDate: '2024-02-15',
      to: [],
      cc: [],
      audience: 'secretariat',
      email: {
        template: 'kickoff',
        unitName: 'จังหวัดพัทลุง',
        milestone: {
          number: 5,
          title: 'แจ้งผู้มีส่วนได้ส่วนเสีย',
          window: { start: '2024-01-01', end: '2024-07-01' },
        },
        audienceName: 'สำนักงานจังหวัด',
      },
    } as NotificationRequest,
    NO_RECIPIENT,
    new Date(NOW),
    auditEntry(
      systemPrincipal,
      { assessmentId: A, action: 'test.setup', target: 'fixture', changes: {} },
      NOW,
    ),
  );
  // The link check route queues its checks; here the queue only takes them (link-check.test.ts checks them).
  standIns.linkCheckQueue = { send: async () => undefined };
  api = await startLocalApi({ standIns });
  base = api.baseUrl;
}, 60_000);

afterAll(async () => {
  await api?.close();
  await stopLine();
  await local?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

/** The real traffic: a success of every JSON route, and the documented refusals. */
const drive = async () => {
  const admin = tokens.admin;
  const approver = tokens.approver;
  const viewer = tokens.viewer;
  const agency = tokens.agencies[AGENCY] ?? '';
  const other = tokens.agencies[OTHER_AGENCY] ?? '';
  /** The agency on its own routes. */
  const ownAgency = { token: agency, params: { agencyId: AGENCY } };
  /** The year of the results these calls read, write and analyse. */
  const resultsYear = { fiscalYear: '2566' };

  // Public routes.
  await call('GET', '/health');
  await call('GET', '/openapi.json');
  // An address nobody holds: the same 202, and no mailed code replaces the one the sign-in below uses.
  await call('POST', '/auth/code', { body: { assessmentId: A, email: 'nobody@example.org' } });
  await call('POST', '/auth/session', {
    body: { assessmentId: A, email: 'ita.treasury@example.org', code: '000000' },
  });
  await call('POST', '/auth/session', { body: { nonsense: true } });
  await call('POST', '/auth/session', {
    body: { assessmentId: A, email: SIGN_IN_EMAIL, code: SIGN_IN_CODE },
  });

  // Reads.
  await call('GET', '/assessments/{id}', { token: viewer });
  await call('GET', '/assessments/{id}', { token: viewer, params: { id: 'no-such-2567' } });
  await call('GET', '/assessments/{id}');
  await call('GET', '/assessments/{id}/agencies', { token: viewer });
  await call('GET', '/assessments/{id}/agencies/{agencyId}', ownAgency);
  await call('GET', '/assessments/{id}/agencies/{agencyId}', {
    token: agency,
    params: { agencyId: OTHER_AGENCY },
  });
  await call('GET', '/assessments/{id}/agencies/{agencyId}/progress', ownAgency);
  await call('GET', '/assessments/{id}/progress', { token: viewer });
  await call('GET', '/assessments/{id}/forecast', { token: viewer });
  await call('GET', '/assessments/{id}/links', { token: approver });
  await call('GET', '/assessments/{id}/oit', { token: approver, query: { status: 'submitted' } });
  await call('GET', '/assessments/{id}/oit', { token: approver, query: { status: 'nonsense' } });
  const assignments = await call('GET', '/assessments/{id}/oit-assignments', { token: admin });
  await call('GET', '/assessments/{id}/tasks', { token: viewer });
  await call('GET', '/assessments/{id}/audit', { token: admin, query: { limit: '5' } });
  await call('GET', '/assessments/{id}/audit', { token: agency });
  await call('GET', '/assessments/{id}/results', { token: viewer });
  await call('GET', '/assessments/{id}/results/compare', {
    token: viewer,
    query: { from: '2565', to: '2566' },
  });
  await call('GET', '/assessments/{id}/results/compare', { token: viewer });
  await call('GET', '/assessments/{id}/results/{fiscalYear}/analysis', {
    token: viewer,
    params: resultsYear,
  });
  await call('GET', '/assessments/{id}/notifications', { token: admin, query: { status: 'failed' } });
  await call('GET', '/assessments/{id}/notification-settings', { token: admin });
  await call('GET', '/assessments/{id}/line', { token: admin });
  await call('GET', '/assessments/{id}/people', { token: admin });
  await call('GET', '/assessments/{id}/tokens', { token: admin });
  await call('GET', '/auth/session', { token: agency });

  // The secretariat's import, as a dry run.
  const row: Record<string, string> = {
    id: 'pt-csv',
    nameTh: 'สำนักงานนำเข้าทดสอบ',
    coordinatorName: 'นางสาวสมใจ ใจดี',
    coordinatorEmail: 'ita@pt-csv.example.org',
    headEmail: 'head@pt-csv.example.org',
    internalStaff: '35',
    externalStakeholders: '700',
  };
  await call('POST', '/assessments/{id}/agencies/import', {
    token: admin,
    raw: {
      text: `${IMPORT_FIELDS.join(',')}\r\n${IMPORT_FIELDS.map((field) => row[field] ?? '').join(',')}\r\n`,
      type: 'text/csv; charset=utf-8',
    },
  });
  await call('POST', '/assessments/{id}/agencies/import', {
    token: viewer,
    raw: { text: `${IMPORT_FIELDS.join(',')}\r\n`, type: 'text/csv' },
  });

  // Writes by an agency.
  await call('PUT', '/assessments/{id}/agencies/{agencyId}/oit/{itemId}', {
    token: agency,
    params: { agencyId: AGENCY, itemId: 'o14' },
    body: { urls: ['https://pt-treasury.example.org/ita/o14'], note: 'แผนการจัดซื้อจัดจ้าง' },
  });
  await call('PUT', '/assessments/{id}/agencies/{agencyId}/oit/{itemId}', {
    token: other,
    params: { agencyId: AGENCY, itemId: 'o14' },
    body: { urls: ['https://pt-treasury.example.org/ita/o14'], note: '' },
  });
  await call('PUT', '/assessments/{id}/agencies/{agencyId}/oit/{itemId}', {
    token: agency,
    params: { agencyId: AGENCY, itemId: 'o14' },
    body: { urls: 'not a list' },
  });
  await call('PUT', '/assessments/{id}/agencies/{agencyId}/surveys/{tool}', {
    token: agency,
    params: { agencyId: AGENCY, tool: 'iit' },
    body: { responses: 12, asOf: '2024-02-15' },
  });
  await call('PUT', '/assessments/{id}/agencies/{agencyId}/surveys/{tool}', {
    token: agency,
    params: { agencyId: AGENCY, tool: 'iit' },
    body: { responses: 3, asOf: '2024-02-15' },
  });

  // The approver reviews it; a stale If-Match is a 409.
  await call('POST', '/assessments/{id}/agencies/{agencyId}/oit/{itemId}/review', {
    token: approver,
    params: { agencyId: AGENCY, itemId: 'o14' },
    body: { decision: 'approve' },
    headers: { 'if-match': '"99"' },
  });
  await call('POST', '/assessments/{id}/agencies/{agencyId}/oit/{itemId}/review', {
    token: approver,
    params: { agencyId: AGENCY, itemId: 'o14' },
    body: { decision: 'approve' },
    headers: { 'if-match': '"1"' },
  });

  // Tasks.
  await call('POST', '/assessments/{id}/tasks', {
    token: admin,
    body: taskRequestBody('contract-task', 'all'),
  });
  const tasks = (await call('GET', '/assessments/{id}/tasks', { token: agency })).body as {
    tasks: { id: string; agencies: { agencyId: string; version: number }[] }[];
  };
  const task = tasks.tasks.find((t) => t.agencies.some((a) => a.agencyId === AGENCY));
  if (task) {
    const state = task.agencies.find((a) => a.agencyId === AGENCY)!;
    await call('PATCH', '/assessments/{id}/tasks/{taskId}', {
      token: agency,
      params: { taskId: task.id },
      body: { status: 'in_progress', progress: 20 },
      headers: { 'if-match': `"${state.version}"` },
    });
  }
  await call('PATCH', '/assessments/{id}/tasks/{taskId}', {
    token: admin,
    params: { taskId: 'no-such-task' },
    body: { status: 'in_progress', progress: 20 },
    headers: { 'if-match': '"1"' },
  });

  // The secretariat: an agency, the same id again (409), then a change to it.
  const contractProfile = {
    nameTh: 'สำนักงานทดสอบสัญญา',
    coordinator: { email: 'c@pt-contract.example.org' },
    head: { name: 'นายทดสอบ', email: 'h@pt-contract.example.org' },
    internalStaff: 120,
    externalStakeholders: 5000,
  };
  const createContractAgency = () =>
    call('POST', '/assessments/{id}/agencies', {
      token: admin,
      body: { id: 'pt-contract', ...contractProfile },
    });
  await createContractAgency();
  await createContractAgency();
  await call('PUT', '/assessments/{id}/agencies/{agencyId}', {
    token: admin,
    params: { agencyId: 'pt-contract' },
    body: { ...contractProfile, coordinator: { email: 'c2@pt-contract.example.org' }, internalStaff: 130 },
    headers: {
      'if-match': await etagOf('/assessments/{id}/agencies/{agencyId}', admin, { agencyId: 'pt-contract' }),
    },
  });
  await call('PUT', '/assessments/{id}/agencies/{agencyId}/oit-assignments', {
    token: admin,
    params: { agencyId: 'pt-contract' },
    body: { items: ['o1', 'o2'] },
  });
  await call('DELETE', '/assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}', {
    token: admin,
    params: { agencyId: 'pt-contract', itemId: 'o2' },
  });
  await call('POST', '/assessments/{id}/agencies/{agencyId}/calendar-feed', ownAgency);
  await call('POST', '/assessments/{id}/agencies/{agencyId}/line-link', ownAgency);
  const created = await call('POST', '/assessments/{id}/tokens', {
    token: admin,
    body: { role: 'viewer', label: 'contract test', ttlDays: 1 },
  });
  const tokenId = (created.body as { token?: { id?: string } }).token?.id ?? 'unknown';
  await call('DELETE', '/assessments/{id}/tokens/{tokenId}', { token: admin, params: { tokenId } });
  await call('PUT', '/assessments/{id}/notification-settings', {
    token: admin,
    body: {
      secretariatEmails: ['ita.secretariat@example.org'],
      approverEmails: ['ita.approver@example.org'],
      viewerEmails: ['ita.committee@example.org'],
    },
  });
  await call('PUT', '/assessments/{id}/line/settings', { token: admin, body: {} });
  // The link watch's check on demand (issue 14), where the route table has it.
  if (routes.some((r) => r.path === '/assessments/{id}/links/check'))
    await call('POST', '/assessments/{id}/links/check', { token: admin, body: { agencyId: AGENCY } });
  await call('POST', '/assessments/{id}/schedules/sync', { token: admin });
  // The fixture's failed notification (listed above), resent now that the secretariat has addresses.
  await call('POST', '/assessments/{id}/notifications/{notificationId}/resend', {
    token: admin,
    params: { notificationId: '2024-02-15_province_m05-start' },
  });
  await call('PUT', '/assessments/{id}/results/{fiscalYear}/questions', {
    token: admin,
    params: resultsYear,
    body: {
      iit: scores('i', 30, (i) => 60 + i),
      eit: scores('e', 15, (i) => 70 + i),
      oit: scores('o', 33, () => 100),
    },
  });
  await call('GET', '/assessments/{id}/results/{fiscalYear}/analysis', {
    token: viewer,
    params: resultsYear,
  });
  // One weak question (i1 at 60) under a threshold of 61: one draft, so the call stays short.
  await call('POST', '/assessments/{id}/results/{fiscalYear}/analysis/tasks', {
    token: admin,
    params: resultsYear,
    query: { threshold: '61' },
  });
  const { catalog } = assignments.body as { catalog: unknown[] };
  await call('PUT', '/assessments/{id}/oit/catalog', { token: admin, body: { items: catalog } });
  await call('PUT', '/assessments/{id}/oit/catalog', { token: admin, body: { items: [{ id: 'o1' }] } });
  await call('PUT', '/assessments/{id}/plan', {
    token: admin,
    body: { milestones: [] },
    headers: { 'if-match': await etagOf('/assessments/{id}', admin) },
  });
  await call('POST', '/assessments', {
    token: admin,
    body: { id: 'contract-2567', unitName: 'จังหวัดสัญญา', fiscalYear: 2567 },
  });
  await call('POST', '/assessments/{id}/rollover', {
    token: admin,
    params: { id: 'contract-2567' },
    body: { id: 'contract-2568', fiscalYear: 2568 },
  });
  await call('DELETE', '/auth/session', { token: agency });
};

describe('the OpenAPI document against real answers', () => {
  it('declares the schema of every JSON answer the API sends, and each answer fits it', async () => {
    // Act
    await drive();
    const doc = (exchanges.find((e) => e.path === '/openapi.json')?.body ?? {}) as Doc;

    // Assess
    const problems: string[] = [];
    for (const exchange of exchanges) {
      const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
      const declared = doc.paths?.[exchange.path]?.[exchange.method.toLowerCase()]?.responses?.[
        String(exchange.status)
      ] as { content?: Record<string, { schema?: Json }> } | undefined;
      if (!declared) {
        problems.push(
          `${where}: the document lists no such answer (${JSON.stringify(exchange.body).slice(0, 200)})`,
        );
        continue;
      }
      if (exchange.type !== 'application/json') continue;
      const schema = declared.content?.['application/json']?.schema;
      if (!schema || Object.keys(schema).length === 0) {
        problems.push(`${where}: the document declares no schema for this JSON answer`);
        continue;
      }
      for (const error of schemaErrors(schema, exchange.body, doc).slice(0, 5))
        problems.push(`${where}: ${error}`);
    }
    // Every route that answers JSON succeeded at least once; the LINE webhook answers LINE's signed
    // posts only (line-e2e.test.ts), and the downloads answer CSV, Excel or iCalendar.
    const succeeded = new Set(
      exchanges.filter((e) => e.status >= 200 && e.status < 300).map((e) => `${e.method} ${e.path}`),
    );
    const untried = routes
      .filter((r) => !/\.(csv|xlsx|ics)$/.test(r.path) && r.path !== '/line/webhook')
      .map((r) => `${r.method} ${r.path}`)
      .filter((key) => !succeeded.has(key))
      // What each untried route answered instead, so a failure says why.
      .map((key) => {
        const tries = exchanges.filter((e) => `${e.method} ${e.path}` === key);
        return `${key}${tries.map((e) => ` | ${e.status} ${JSON.stringify(e.body).slice(0, 300)}`).join('')}`;
      });
    const refusals = new Set(exchanges.map((e) => e.status).filter((status) => status >= 400));

    expect(problems).toEqual([]);
    expect(untried).toEqual([]);
    expect([...refusals].sort()).toEqual(expect.arrayContaining([400, 401, 403, 404, 409, 422]));
  }, 120_000);

  it('refuses an answer that strays from its declared schema', () => {
    // Prepare: a real answer, and the same answer with a field renamed and a count turned to text.
    const doc = exchanges.find((e) => e.path === '/openapi.json')?.body as Doc;
    const real = exchanges.find((e) => e.path === '/assessments/{id}/progress' && e.status === 200)!;
    const schema = (
      doc.paths['/assessments/{id}/progress']!.get!.responses['200'] as {
        content: Record<string, { schema: Json }>;
      }
    ).content['application/json']!.schema;
    const { unitName, ...rest } = real.body as Json;
    const strayed = {
      ...rest,
      unitNameTh: unitName,
      agencies: [{ ...(rest.agencies as Json[])[0], openTasks: '7' }],
    };

    // Act
    const forReal = schemaErrors(schema, real.body, doc);
    const forStrayed = schemaErrors(schema, strayed, doc);

    // Assess
    expect(forReal).toEqual([]);
    expect(forStrayed).toEqual(
      expect.arrayContaining([
        '$: lacks required unitName',
        '$: has unitNameTh, which the document does not declare',
        '$.agencies[0].openTasks: is string, the document says integer',
      ]),
    );
  });
});
