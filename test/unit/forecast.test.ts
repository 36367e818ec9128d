import { describe, expect, it } from 'vitest';
import { type EvidenceState, forecastScore, provinceItems, surveyBasis } from '#domain/forecast';
import { loadDefaultFramework } from '#domain/framework';
import type { YearResult } from '#domain/improvement';
import type { OitStatus } from '#domain/model';

const framework = loadDefaultFramework(2567);

const seedResults: YearResult[] = [
  { fiscalYear: 2565, iit: 25.67, eit: 25.78, oit: 40, publishedTotal: 91.45, publishedLabel: 'A' },
  { fiscalYear: 2566, iit: 26.6, eit: 25.38, oit: 40, publishedTotal: 91.98, publishedLabel: 'ผ่าน' },
];

/** Every OIT item assigned to one agency, in the given status unless listed otherwise. */
const everyItem = (status: OitStatus, overrides: Record<string, OitStatus> = {}): EvidenceState[] =>
  framework.oitItems.map((item) => ({
    agencyId: 'agency-a',
    itemId: item.id,
    status: overrides[item.id] ?? status,
  }));

describe('forecastScore', () => {
  it('reproduces 2566 when every item is approved: 26.60 + 25.38 + 40.00 = 91.98, ผ่าน', () => {
    // Act
    const forecast = forecastScore(framework, {
      fiscalYear: 2567,
      results: seedResults,
      evidence: everyItem('approved'),
    });

    // Assess
    expect(forecast.surveys).toEqual({ iit: 26.6, eit: 25.38, source: 'previous', fromFiscalYear: 2566 });
    expect(forecast.conservative).toMatchObject({ oit: 40, total: 91.98, grade: 'A', label: 'ผ่าน' });
    expect(forecast.optimistic.total).toBe(91.98);
    expect(forecast.ceiling).toBe(91.98);
  });

  it('reproduces 2565 as grade A at 91.45 when that is the latest result', () => {
    // Act
    const forecast = forecastScore(framework, {
      fiscalYear: 2566,
      results: seedResults.slice(0, 1),
      evidence: everyItem('approved'),
    });

    // Assess
    expect(forecast.conservative).toMatchObject({ total: 91.45, grade: 'A', label: 'ผ่าน' });
  });

  it('says 85 needs 22 more items from nothing, most valuable first, and 95 is out of OIT’s reach', () => {
    // Prepare: IIT + EIT = 51.98, so 85 needs 33.02 OIT points. Greedy by gain: o32, o33 (5 each),
    // the seven 10.1 items (10/7 each) = 20, 9.4's three (4/3 each) = 24, 9.3 and 9.5's eight
    // (1 each) = 32, then two 9.1 items (2/3 each) = 33.33 -> 85.31. 21 items give only 84.65.
    const evidence = everyItem('missing');

    // Act
    const forecast = forecastScore(framework, { fiscalYear: 2567, results: seedResults, evidence });

    // Assess
    const [pass, excellent] = forecast.conservative.targets;
    expect(forecast.conservative).toMatchObject({ oit: 0, total: 51.98, label: 'ไม่ผ่าน' });
    expect(pass).toMatchObject({ target: 85, itemsNeeded: 22, reachableWithOitAlone: true });
    expect(pass?.items.slice(0, 9)).toEqual(['o32', 'o33', 'o25', 'o26', 'o27', 'o28', 'o29', 'o30', 'o31']);
    expect(pass?.items.slice(-2)).toEqual(['o1', 'o2']);
    expect(excellent).toMatchObject({ target: 95, itemsNeeded: null, reachableWithOitAlone: false });
    expect(excellent?.items).toHaveLength(33);
  });

  it('counts submitted items at the optimistic end only', () => {
    // Prepare: everything approved but o32 and o33 (10.2, 10 points) only submitted.
    const evidence = everyItem('approved', { o32: 'submitted', o33: 'submitted' });

    // Act
    const forecast = forecastScore(framework, { fiscalYear: 2567, results: seedResults, evidence });

    // Assess
    expect(forecast.optimistic).toMatchObject({ passingItems: 33, oit: 40, total: 91.98 });
    expect(forecast.conservative).toMatchObject({ passingItems: 31, oit: 30, total: 81.98, label: 'ไม่ผ่าน' });
    expect(forecast.conservative.targets[0]).toMatchObject({ itemsNeeded: 1, items: ['o32'] });
  });

  it('uses this year’s IIT and EIT once they are entered', () => {
    // Prepare
    const results = [...seedResults, { fiscalYear: 2567, iit: 28, eit: 27, oit: 0 }];

    // Act
    const forecast = forecastScore(framework, { fiscalYear: 2567, results, evidence: everyItem('approved') });

    // Assess
    expect(forecast.surveys).toMatchObject({ iit: 28, eit: 27, source: 'current' });
    expect(forecast.conservative).toMatchObject({ total: 95, label: 'ผ่านดีเยี่ยม', grade: 'AA' });
  });
});

describe('provinceItems', () => {
  it('passes an item only when every agency assigned to it is done; unassigned items fail', () => {
    // Prepare
    const evidence: EvidenceState[] = [
      { agencyId: 'b', itemId: 'o1', status: 'approved' },
      { agencyId: 'a', itemId: 'o1', status: 'approved' },
      { agencyId: 'a', itemId: 'o2', status: 'approved' },
      { agencyId: 'b', itemId: 'o2', status: 'submitted' },
      { agencyId: 'a', itemId: 'o3', status: 'approved' },
      { agencyId: 'b', itemId: 'o3', status: 'rejected' },
    ];

    // Act
    const items = provinceItems(framework, evidence);

    // Assess
    const byId = new Map(items.map((i) => [i.itemId, i]));
    expect(byId.get('o1')).toMatchObject({ status: 'approved', assignedTo: ['a', 'b'], notDone: [] });
    expect(byId.get('o2')).toMatchObject({ status: 'submitted', notDone: [] });
    expect(byId.get('o3')).toMatchObject({ status: 'incomplete', notDone: ['b'] });
    expect(byId.get('o4')).toMatchObject({ status: 'unassigned', assignedTo: [] });
    expect(items).toHaveLength(33);
  });
});

describe('surveyBasis', () => {
  it('ignores later years and says when there is nothing to go on', () => {
    // Act
    const later = surveyBasis(2565, seedResults);
    const none = surveyBasis(2564, seedResults);

    // Assess
    expect(later).toMatchObject({ iit: 25.67, source: 'current', fromFiscalYear: 2565 });
    expect(none).toEqual({ iit: 0, eit: 0, source: 'none', fromFiscalYear: null });
  });
});

describe('provinceItems and forecastScore: links all dead', () => {
  it('puts an approved item whose links are all dead at risk and leaves it out of the conservative end only', () => {
    // Prepare
    const approved = (linksDead: boolean): EvidenceState[] =>
      framework.oitItems.map((item) => ({
        agencyId: 'a',
        itemId: item.id,
        status: 'approved',
        linksDead: linksDead && item.id === 'o1',
      }));

    // Act
    const healthy = forecastScore(framework, {
      fiscalYear: 2567,
      results: seedResults,
      evidence: approved(false),
    });
    const dead = forecastScore(framework, {
      fiscalYear: 2567,
      results: seedResults,
      evidence: approved(true),
    });

    // Assess
    expect(dead.items.find((i) => i.itemId === 'o1')).toMatchObject({
      status: 'approved',
      linksDead: ['a'],
      atRisk: true,
    });
    expect(dead.items.filter((i) => i.atRisk).map((i) => i.itemId)).toEqual(['o1']);
    expect(dead.optimistic.passingItems).toBe(healthy.optimistic.passingItems);
    expect(dead.conservative.passingItems).toBe(healthy.conservative.passingItems - 1);
  });
});
