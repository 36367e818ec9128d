import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/principal';
import { httpHandler } from '#http/handler';
import type { HttpEvent } from '#http/types';
import { SEEDED_ASSESSMENT_ID, seedPhatthalung } from '#local/seed';
import { httpEvent } from '#test/events';
import { freshTable } from '#test/table';
import { getAgencyProgress } from '../../functions/get-agency-progress.ts';
import { getAssessment } from '../../functions/get-assessment.ts';
import { listAgencies } from '../../functions/list-agencies.ts';
import { putOitEvidence } from '../../functions/put-oit-evidence.ts';

const agency = 'pt-treasury';
const agencyPrincipal: Principal = {
  tokenId: 'tok-treasury',
  role: 'agency',
  assessmentId: SEEDED_ASSESSMENT_ID,
  agencyId: agency,
};
const context = {} as Parameters<ReturnType<typeof httpHandler>>[1];

/** Runs a raw handler through the same error mapping the deployed function uses. */
const call = (fn: (event: HttpEvent) => Promise<unknown>, event: HttpEvent) =>
  httpHandler(fn as Parameters<typeof httpHandler>[0])(event, context);

const evidenceEvent = (itemId: string, body: unknown, headers: Record<string, string> = {}, path = {}) =>
  httpEvent({
    method: 'PUT',
    routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
    pathParameters: { id: SEEDED_ASSESSMENT_ID, agencyId: agency, itemId, ...path },
    body: body as object,
    headers,
    principal: agencyPrincipal,
  });

const progressEvent = () =>
  httpEvent({
    routeKey: 'GET /assessments/{id}/agencies/{agencyId}/progress',
    pathParameters: { id: SEEDED_ASSESSMENT_ID, agencyId: agency },
    principal: agencyPrincipal,
  });

describe('the first API slice on DynamoDB Local', () => {
  beforeAll(async () => {
    const table = await freshTable('slice');
    process.env.TABLE_NAME = table.tableName;
    process.env.DDB_ENDPOINT = table.endpoint;
    await seedPhatthalung(table);
  });

  it('shows the assessment with its 15 milestones, dates as ISO and Thai BE', async () => {
    // Act
    const response = await call(
      getAssessment,
      httpEvent({ routeKey: 'GET /assessments/{id}', pathParameters: { id: SEEDED_ASSESSMENT_ID } }),
    );

    // Assess
    const body = JSON.parse(response.body);
    expect(response.statusCode).toBe(200);
    expect(body.unitName).toBe('จังหวัดพัทลุง');
    expect(body.milestones).toHaveLength(15);
    expect(body.milestones[6]).toMatchObject({
      number: 7,
      window: { start: '2024-01-01', end: '2024-03-31' },
      windowTh: '1 มกราคม – 31 มีนาคม 2567',
      tracks: 'oit_publishing',
    });
  });

  it('lists the agencies with their Thai names', async () => {
    // Act
    const response = await call(
      listAgencies,
      httpEvent({ routeKey: 'GET /assessments/{id}/agencies', pathParameters: { id: SEEDED_ASSESSMENT_ID } }),
    );

    // Assess
    const body = JSON.parse(response.body);
    expect(response.statusCode).toBe(200);
    expect(body.agencies).toContainEqual({ id: 'pt-treasury', nameTh: 'สำนักงานคลังจังหวัดพัทลุง' });
    expect(body.agencies).toHaveLength(7);
  });

  it('records evidence, and the progress shows it with the summary moved by one', async () => {
    // Prepare
    const before = JSON.parse((await call(getAgencyProgress, progressEvent())).body);

    // Act
    const put = await call(
      putOitEvidence,
      evidenceEvent('o14', { urls: ['https://treasury.example.org/ita/o14'], note: 'แผนจัดซื้อจัดจ้าง ปี 2567' }),
    );

    // Assess
    const after = JSON.parse((await call(getAgencyProgress, progressEvent())).body);
    expect(put.statusCode).toBe(200);
    expect(after.oit.submitted).toBe(before.oit.submitted + 1);
    expect(after.items.find((i: { itemId: string }) => i.itemId === 'o14')).toMatchObject({
      status: 'submitted',
      nameTh: 'แผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุ',
      urls: ['https://treasury.example.org/ita/o14'],
      note: 'แผนจัดซื้อจัดจ้าง ปี 2567',
    });
  });

  it.each([
    ['a URL that is not http(s)', { urls: ['ftp://example.org/x'] }, 'urls.0'],
    ['no URL at all', { urls: [] }, 'urls'],
    ['an unknown field', { urls: ['https://example.org/x'], status: 'approved' }, '(body)'],
  ])('answers 400 naming the field for %s, and stores nothing', async (_label, body, path) => {
    // Act
    const response = await call(putOitEvidence, evidenceEvent('o15', body));

    // Assess
    const error = JSON.parse(response.body).error;
    const progress = JSON.parse((await call(getAgencyProgress, progressEvent())).body);
    expect(response.statusCode).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(progress.items.find((i: { itemId: string }) => i.itemId === 'o15').status).toBe('missing');
  });

  it('answers 413 for a body over 64 KB, 415 for a body that is not JSON, 400 for broken JSON', async () => {
    // Act
    const tooLarge = await call(
      putOitEvidence,
      evidenceEvent('o15', { urls: ['https://example.org/x'], note: 'ก'.repeat(30_000) }),
    );
    const notJson = await call(
      putOitEvidence,
      evidenceEvent('o15', 'urls=x', { 'content-type': 'text/plain' }),
    );
    const broken = await call(putOitEvidence, evidenceEvent('o15', '{"urls": ['));

    // Assess
    expect([tooLarge.statusCode, notJson.statusCode, broken.statusCode]).toEqual([413, 415, 400]);
  });

  it.each([
    ['an unknown assessment', { id: 'nowhere-2567' }],
    ['an unknown item', { itemId: 'o99' }],
    ['an item that is not an OIT id', { itemId: 'drop-table' }],
  ])('answers 404 for %s', async (_label, path) => {
    // Act
    const response = await call(
      putOitEvidence,
      evidenceEvent('o15', { urls: ['https://example.org/x'] }, {}, path),
    );

    // Assess
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body).error.code).toBe('not_found');
  });
});
