import { describe, expect, it } from 'vitest';
import { getAgencyName, getUnitName } from '#adapters/dynamo/names';
import { NotFoundError } from '#domain/errors';
import type { Principal } from '#domain/principal';
import { audit, NOW, seedAssessment } from '#test/fixtures';
import { freshTable } from '#test/table';
import { submitEvidence } from '#use-cases/submit-evidence';

/** Evidence comes from the agency itself (the secretariat may not submit it). */
const agencyA: Principal = {
  tokenId: 'tok-a',
  role: 'agency',
  assessmentId: 'test-2567',
  agencyId: 'agency-a',
};
const oitItems = Array.from({ length: 33 }, (_, i) => `o${i + 1}`);

describe('repositories on DynamoDB Local', () => {
  it('reads the assessment and its plan back in one Query', async () => {
    // Prepare
    const table = await freshTable();
    await seedAssessment(table);
    table.calls.length = 0;

    // Act
    const found = await table.assessments.getWithPlan('test-2567');

    // Assess
    expect(table.calls).toEqual(['QueryCommand']);
    expect(found?.assessment.unitName).toBe('จังหวัดทดสอบ');
    expect(found?.milestones.map((m) => m.number)).toEqual([5, 7]);
  });

  it('reads the unit and an agency name alone, one GetItem each, null for what does not exist', async () => {
    // Prepare
    const table = await freshTable();
    await seedAssessment(table, { agencyIds: ['a1'] });
    const deps = { client: table.client, tableName: table.tableName };
    table.calls.length = 0;

    // Act
    const names = await Promise.all([
      getUnitName(deps, 'test-2567'),
      getAgencyName(deps, 'test-2567', 'a1'),
      getUnitName(deps, 'no-such-assessment'),
      getAgencyName(deps, 'test-2567', 'no-such-agency'),
    ]);

    // Assess
    expect(names).toEqual(['จังหวัดทดสอบ', 'หน่วยงานทดสอบ a1', null, null]);
    expect(table.calls).toEqual(Array(4).fill('GetItemCommand'));
  });

  it('refuses to create an assessment twice', async () => {
    // Prepare
    const table = await freshTable();
    await seedAssessment(table);

    // Act
    const again = seedAssessment(table);

    // Assess
    await expect(again).rejects.toThrow('already exists');
  });

  it('reads every agency summary of an assessment in one Query, without evidence items', async () => {
    // Prepare
    const table = await freshTable();
    await seedAssessment(table, { agencyIds: ['a1', 'a10', 'a2'] });
    table.calls.length = 0;

    // Act
    const overview = await table.assessments.getOverview('test-2567');

    // Assess
    expect(table.calls).toEqual(['QueryCommand']);
    expect(overview?.agencies.map((a) => a.agency.id)).toEqual(['a1', 'a10', 'a2']);
    expect(overview?.agencies.every((a) => a.oit.assigned === 3)).toBe(true);
    expect(overview?.milestones).toHaveLength(2);
  });

  it("reads one agency's detail in one Query, not its namesake's with a longer id", async () => {
    // Prepare
    const table = await freshTable();
    await seedAssessment(table, { agencyIds: ['a1', 'a10'] });
    table.calls.length = 0;

    // Act
    const detail = await table.agencies.getDetail('test-2567', 'a1');

    // Assess
    expect(table.calls).toEqual(['QueryCommand']);
    expect(detail?.summary.agency.id).toBe('a1');
    expect(detail?.evidence.map((e) => [e.agencyId, e.itemId, e.status])).toEqual([
      ['a1', 'o1', 'missing'],
      ['a1', 'o2', 'missing'],
      ['a1', 'o3', 'missing'],
    ]);
  });

  it('assigns each item once, however often it is asked', async () => {
    // Prepare
    const table = await freshTable();
    await seedAssessment(table);

    // Act
    const fresh = await table.agencies.assignOitItems(
      'test-2567',
      'agency-a',
      ['o2', 'o3', 'o4', 'o4'],
      NOW,
      audit('test-2567', 'agency-a'),
    );

    // Assess
    const detail = await table.agencies.getDetail('test-2567', 'agency-a');
    expect(fresh).toEqual(['o4']);
    expect(detail?.summary.oit.assigned).toBe(4);
  });

  it('records a first submission in exactly one DynamoDB round trip', async () => {
    // Prepare
    const table = await freshTable();
    await seedAssessment(table);
    table.calls.length = 0;

    // Act
    await submitEvidence({ ...table, now: () => new Date(NOW) }, agencyA, {
      assessmentId: 'test-2567',
      agencyId: 'agency-a',
      itemId: 'o1',
      request: { urls: ['https://example.org/oit/o1'] },
    });

    // Assess
    expect(table.calls).toEqual(['TransactWriteItemsCommand']);
  });

  it('updates an unreviewed submission in place without counting it twice', async () => {
    // Prepare
    const table = await freshTable();
    await seedAssessment(table);
    const deps = { ...table, now: () => new Date(NOW) };
    const input = {
      assessmentId: 'test-2567',
      agencyId: 'agency-a',
      itemId: 'o1',
      request: { urls: ['https://example.org/a'] },
    };
    await submitEvidence(deps, agencyA, input);

    // Act
    await submitEvidence(deps, agencyA, {
      ...input,
      request: { urls: ['https://example.org/b'], note: 'ฉบับแก้ไข' },
    });

    // Assess
    const detail = await table.agencies.getDetail('test-2567', 'agency-a');
    expect(detail?.summary.oit.submitted).toBe(1);
    expect(detail?.evidence[0]).toMatchObject({
      status: 'submitted',
      urls: ['https://example.org/b'],
      note: 'ฉบับแก้ไข',
      version: 2,
    });
  });

  it('names what is unknown when nothing is assigned, and writes nothing', async () => {
    // Prepare
    const table = await freshTable();
    await seedAssessment(table);
    const deps = { ...table, now: () => new Date(NOW) };
    const base = {
      assessmentId: 'test-2567',
      agencyId: 'agency-a',
      itemId: 'o9',
      request: { urls: ['https://example.org/x'] },
    };

    // Act
    const outcomes = await Promise.allSettled([
      submitEvidence(deps, agencyA, base),
      submitEvidence(deps, agencyA, { ...base, itemId: 'o99' }),
      submitEvidence(deps, agencyA, { ...base, agencyId: 'nobody' }),
      submitEvidence(deps, agencyA, { ...base, assessmentId: 'nowhere' }),
    ]);

    // Assess
    const messages = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'stored'));
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof NotFoundError)).toBe(true);
    expect(messages).toEqual([
      'OIT item o9 is not assigned to agency-a',
      "OIT item o99 is not in this assessment's catalog",
      'agency nobody not found in test-2567',
      'assessment nowhere not found',
    ]);
    const detail = await table.agencies.getDetail('test-2567', 'agency-a');
    expect(detail?.summary.oit.submitted).toBe(0);
  });

  it('keeps the summary exact under 50 parallel evidence writes to one agency', async () => {
    // Prepare
    const table = await freshTable();
    await seedAssessment(table, { items: oitItems });
    const deps = { ...table, now: () => new Date(NOW) };
    // 33 distinct items plus 17 repeats of the first ones: 50 writes, 33 items submitted.
    const writes = Array.from({ length: 50 }, (_, i) => oitItems[i % oitItems.length]!);

    // Act
    const outcomes = await Promise.allSettled(
      writes.map((itemId, i) =>
        submitEvidence(deps, agencyA, {
          assessmentId: 'test-2567',
          agencyId: 'agency-a',
          itemId,
          request: { urls: [`https://example.org/oit/${itemId}/${i}`] },
        }),
      ),
    );

    // Assess
    const failures = outcomes.filter((o) => o.status === 'rejected');
    const detail = await table.agencies.getDetail('test-2567', 'agency-a');
    expect(failures).toEqual([]);
    expect(detail?.summary.oit).toEqual({ assigned: 33, submitted: 33, approved: 0, rejected: 0 });
    expect(detail?.evidence.filter((e) => e.status === 'submitted')).toHaveLength(33);
    expect(detail?.summary.version).toBe(1 + 1 + 50);
  });
});
