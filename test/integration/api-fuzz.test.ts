import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import type { Principal } from '#domain/auth';
import { SubmitEvidenceRequest } from '#domain/model';
import {
  AssignOitItemsRequest,
  CreateAgencyRequest,
  CreateAssessmentRequest,
  CreateTaskRequest,
  ReplaceOitCatalogRequest,
  ReplacePlanRequest,
  ReviewEvidenceRequest,
  RolloverRequest,
  SurveyReportRequest,
  UpdateAgencyRequest,
  UpdateTaskRequest,
} from '#domain/requests';
import type { HttpEvent, HttpResult } from '#http/types';
import { tableRuntime } from '#runtime/table';
import { httpEvent } from '#test/events';
import { makeAgency, makeMilestones, seedAssessment } from '#test/fixtures';
import { freshTable } from '#test/table';
import { handler as agencies } from '../../functions/agencies.ts';
import { handler as assessments } from '../../functions/assessments.ts';
import { handler as oit } from '../../functions/oit.ts';
import { handler as putEvidence } from '../../functions/put-oit-evidence.ts';
import { handler as surveys } from '../../functions/surveys.ts';
import { handler as tasks } from '../../functions/tasks.ts';

type Handler = (event: HttpEvent, context: never) => Promise<HttpResult>;

const A = 'test-2567';
const RUNS = 2000;
const admin: Principal = { tokenId: 'tok-admin', role: 'admin', assessmentId: '*' };
const agencyA: Principal = { tokenId: 'tok-a', role: 'agency', assessmentId: A, agencyId: 'agency-a' };

const { id: _agencyId, ...profile } = makeAgency('agency-a');
const task = {
  id: 'fuzz-task',
  theme: { number: 1, title: 'เว็บไซต์' },
  questions: [{ code: 'o3', text: 'ข้อมูลการติดต่อ' }],
  analysis: 'คะแนนต่ำ',
  guideline: 'ปรับปรุง',
  method: 'ตรวจทุกเดือน',
  periodText: 'มกราคม 2567',
  window: { start: '2024-01-01', end: '2024-01-31' },
  responsibleText: 'ทุกส่วนราชการ',
  responsibleAgencies: 'all',
};

type WriteRoute = {
  fn: Handler;
  routeKey: string;
  params: Record<string, string>;
  schema: z.ZodType;
  /** A body the schema accepts; the fuzz corrupts it. */
  valid: Record<string, unknown>;
  principal: Principal;
  headers?: Record<string, string>;
};

const WRITE_ROUTES: WriteRoute[] = [
  {
    fn: assessments,
    routeKey: 'POST /assessments',
    params: {},
    schema: CreateAssessmentRequest,
    valid: { id: 'fuzz-new', unitName: 'จังหวัดฟัซ', fiscalYear: 2567 },
    principal: admin,
  },
  {
    fn: assessments,
    routeKey: 'PUT /assessments/{id}/plan',
    params: { id: A },
    schema: ReplacePlanRequest,
    valid: { milestones: makeMilestones() },
    principal: admin,
    headers: { 'if-match': '"1"' },
  },
  {
    fn: assessments,
    routeKey: 'POST /assessments/{id}/rollover',
    params: { id: A },
    schema: RolloverRequest,
    valid: { id: 'fuzz-next', fiscalYear: 2568 },
    principal: admin,
  },
  {
    fn: agencies,
    routeKey: 'POST /assessments/{id}/agencies',
    params: { id: A },
    schema: CreateAgencyRequest,
    valid: makeAgency('fuzz-agency'),
    principal: admin,
  },
  {
    fn: agencies,
    routeKey: 'PUT /assessments/{id}/agencies/{agencyId}',
    params: { id: A, agencyId: 'agency-a' },
    schema: UpdateAgencyRequest,
    valid: profile,
    principal: admin,
    headers: { 'if-match': '"2"' },
  },
  {
    fn: oit,
    routeKey: 'PUT /assessments/{id}/oit/catalog',
    params: { id: A },
    schema: ReplaceOitCatalogRequest,
    valid: { items: [{ id: 'o1', subIndicator: '9.1', nameTh: 'ข้อมูลพื้นฐาน' }] },
    principal: admin,
  },
  {
    fn: oit,
    routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments',
    params: { id: A, agencyId: 'agency-a' },
    schema: AssignOitItemsRequest,
    valid: { items: ['o4', 'o5'] },
    principal: admin,
  },
  {
    fn: oit,
    routeKey: 'POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review',
    params: { id: A, agencyId: 'agency-a', itemId: 'o1' },
    schema: ReviewEvidenceRequest,
    valid: { decision: 'reject', reason: 'ลิงก์เสีย' },
    principal: admin,
  },
  {
    fn: surveys,
    routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/surveys/{tool}',
    params: { id: A, agencyId: 'agency-a', tool: 'iit' },
    schema: SurveyReportRequest,
    valid: { responses: 10, asOf: '2024-02-01' },
    principal: agencyA,
  },
  {
    fn: tasks,
    routeKey: 'POST /assessments/{id}/tasks',
    params: { id: A },
    schema: CreateTaskRequest,
    valid: task,
    principal: admin,
  },
  {
    fn: tasks,
    routeKey: 'PATCH /assessments/{id}/tasks/{taskId}',
    params: { id: A, taskId: 'fuzz-task' },
    schema: UpdateTaskRequest,
    valid: { status: 'in_progress', progress: 20 },
    principal: agencyA,
    headers: { 'if-match': '"1"' },
  },
  {
    fn: putEvidence,
    routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
    params: { id: A, agencyId: 'agency-a', itemId: 'o1' },
    schema: SubmitEvidenceRequest,
    valid: { urls: ['https://example.org/o1'], note: 'หลักฐาน' },
    principal: agencyA,
  },
];

type Candidate = { text: string; contentType: string };

/** Bodies the route must refuse: random JSON, a valid body with one field broken, non-JSON, truncated, oversized. */
const corrupted = (route: WriteRoute): fc.Arbitrary<Candidate> => {
  const fields = Object.keys(route.valid);
  const mutated = fc.oneof(
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue())
      .map(([key, value]) => ({ ...route.valid, [key]: value })),
    fc
      .constantFrom(...fields)
      .map((key) => Object.fromEntries(Object.entries(route.valid).filter(([k]) => k !== key))),
    fc
      .tuple(fc.constantFrom(...fields), fc.jsonValue())
      .map(([key, value]) => ({ ...route.valid, [key]: value })),
    fc
      .tuple(
        fc.constantFrom(...fields),
        fc.constantFrom('ก\u202eข', 'a\u0000b', '', ' ', 'x'.repeat(5000), -1, 1e308),
      )
      .map(([key, value]) => ({ ...route.valid, [key]: value })),
  );
  const json = (value: unknown): Candidate => ({
    text: JSON.stringify(value) ?? '',
    contentType: 'application/json',
  });
  return fc
    .oneof(
      { arbitrary: fc.jsonValue().map(json), weight: 3 },
      { arbitrary: mutated.map(json), weight: 6 },
      {
        arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ text, contentType: 'application/json' })),
        weight: 1,
      },
      {
        arbitrary: fc
          .nat({ max: JSON.stringify(route.valid).length - 1 })
          .map((n) => ({ text: JSON.stringify(route.valid).slice(0, n), contentType: 'application/json' })),
        weight: 1,
      },
      {
        arbitrary: fc
          .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', '')
          .map((contentType) => ({ text: JSON.stringify(route.valid), contentType })),
        weight: 1,
      },
      { arbitrary: fc.constant(json({ ...route.valid, pad: 'ก'.repeat(30_000) })), weight: 1 },
    )
    .filter((candidate) => {
      if (candidate.contentType !== 'application/json') return true;
      try {
        return !route.schema.safeParse(JSON.parse(candidate.text)).success;
      } catch {
        return true;
      }
    });
};

/** Everything the write routes could touch, read with Query: the assessments' partitions and the audit trail. */
const snapshot = async () => {
  const { client, tableName } = tableRuntime();
  const partitions = [
    `A#${A}`,
    'A#fuzz-new',
    'A#fuzz-next',
    `AUDIT#${A}`,
    'AUDIT#fuzz-new',
    'AUDIT#fuzz-next',
  ];
  const out: Record<string, unknown[]> = {};
  for (const pk of partitions) {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      }),
    );
    out[pk] = page.Items ?? [];
  }
  return out;
};

beforeAll(async () => {
  const table = await freshTable('fuzz');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedAssessment(table, { id: A, agencyIds: ['agency-a'], items: ['o1', 'o2', 'o3'] });
});

describe('fuzzing every write route in-process', () => {
  it.each(WRITE_ROUTES.map((route) => [route.routeKey, route] as const))(
    `%s: ${RUNS} corrupted bodies, never a 5xx, nothing stored`,
    async (_name, route) => {
      // Prepare
      const before = await snapshot();
      const statuses = new Map<number, number>();

      // Act
      await fc.assert(
        fc.asyncProperty(corrupted(route), async ({ text, contentType }) => {
          const event = httpEvent({
            method: route.routeKey.split(' ')[0]!,
            routeKey: route.routeKey,
            ...(Object.keys(route.params).length ? { pathParameters: route.params } : {}),
            headers: { ...(route.headers ?? {}), ...(contentType ? { 'content-type': contentType } : {}) },
            principal: route.principal,
          });
          const result = await route.fn({ ...event, body: text, headers: event.headers }, {} as never);
          statuses.set(result.statusCode, (statuses.get(result.statusCode) ?? 0) + 1);
          expect(result.statusCode).toBeGreaterThanOrEqual(400);
          expect(result.statusCode).toBeLessThan(500);
          expect(JSON.parse(result.body).error.code).toEqual(expect.any(String));
        }),
        { numRuns: RUNS },
      );

      // Assess
      expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
      expect(await snapshot()).toEqual(before);
    },
  );
});
