import { beforeAll, describe, expect, it } from 'vitest';
import { httpHandler } from '#http/handler';
import { httpEvent } from '#test/events';
import { makeAgency, seedAssessment } from '#test/fixtures';
import { freshTable } from '#test/table';
import { agencies } from '../../functions/agencies.ts';

const ASSESSMENT = 'text-2567';
const context = {} as Parameters<ReturnType<typeof httpHandler>>[1];
const handle = httpHandler(agencies);

const createAgency = (body: object) =>
  handle(
    httpEvent({
      method: 'POST',
      routeKey: 'POST /assessments/{id}/agencies',
      pathParameters: { id: ASSESSMENT },
      body,
    }),
    context,
  );

describe('agency names after cleaning', () => {
  beforeAll(async () => {
    const table = await freshTable('text');
    process.env.TABLE_NAME = table.tableName;
    process.env.DDB_ENDPOINT = table.endpoint;
    await seedAssessment(table, { id: ASSESSMENT, agencyIds: ['agency-a'] });
  });

  it('refuses a second agency whose name reads the same once invisible characters and spaces are cleaned', async () => {
    // Prepare
    const existing = makeAgency('agency-a').nameTh;
    const lookAlike = makeAgency('agency-b', { nameTh: `\u200B${existing.replace(' ', '  \u200C')} ` });

    // Act
    const response = await createAgency(lookAlike);

    // Assess
    expect(response.statusCode).toBe(422);
    expect(JSON.parse(response.body).error.details).toEqual([
      { path: 'nameTh', message: expect.any(String) },
    ]);
  });

  it('stores a name pasted with a zero-width space without it', async () => {
    // Prepare
    const agency = makeAgency('agency-c', { nameTh: 'สำนักงาน\u200Bสาธารณสุข  จังหวัด' });

    // Act
    const response = await createAgency(agency);

    // Assess
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body).agency.nameTh).toBe('สำนักงานสาธารณสุข จังหวัด');
  });
});
