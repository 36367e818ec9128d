import { describe, expect, it } from 'vitest';
import { SEEDED_ASSESSMENT_ID, sampleAgencies, seedPhatthalung } from '#local/seed';
import { freshTable } from '#test/table';

describe('seeding Phatthalung FY2567', () => {
  it('creates the assessment once; a second run changes nothing', async () => {
    // Prepare
    const table = await freshTable('seed');

    // Act
    const first = await seedPhatthalung(table);
    const afterFirst = await table.assessments.getOverview(SEEDED_ASSESSMENT_ID);
    const second = await seedPhatthalung(table);
    const afterSecond = await table.assessments.getOverview(SEEDED_ASSESSMENT_ID);

    // Assess
    expect([first, second]).toEqual(['created', 'present']);
    expect(afterSecond).toEqual(afterFirst);
    expect(afterSecond?.milestones).toHaveLength(15);
    expect(afterSecond?.tasks).toHaveLength(11);
    expect(afterSecond?.results.map((r) => r.fiscalYear)).toEqual([2565, 2566]);
    expect(afterSecond?.agencies.map((a) => [a.agency.id, a.oit.assigned])).toEqual(
      sampleAgencies()
        .map((a) => [a.id, a.oitItems.length])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  });

  it('computes each sample agency minimum sample from the framework rule', async () => {
    // Prepare
    const table = await freshTable('seed');

    // Act
    await seedPhatthalung(table);

    // Assess
    const overview = await table.assessments.getOverview(SEEDED_ASSESSMENT_ID);
    const byId = new Map(overview?.agencies.map((a) => [a.agency.id, a.surveys]));
    expect(byId.get('pt-treasury')).toMatchObject({ iit: { required: 22 }, eit: { required: 35 } });
    expect(byId.get('pt-public-health')).toMatchObject({ iit: { required: 31 }, eit: { required: 400 } });
    expect(byId.get('pt-land')).toMatchObject({ eit: { required: 400 } });
    expect(byId.get('pt-agriculture')).toMatchObject({ eit: { required: 400 } });
  });
});
