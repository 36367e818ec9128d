import { describe, expect, it } from 'vitest';
import { loadDefaultFramework } from '#domain/framework';
import type { Framework } from '#domain/model';
import {
  cheapestMissingItems,
  gradeFor,
  labelFor,
  oitItemGain,
  oitScore,
  pointsToReach,
  round2,
  scoreFromResult,
} from '#domain/score';

const framework = loadDefaultFramework(2567);

/** Every item passing except the given ids. */
function allPassingExcept(fw: Framework, ...missing: string[]): Record<string, boolean> {
  return Object.fromEntries(fw.oitItems.map((item) => [item.id, !missing.includes(item.id)]));
}

describe('scoreFromResult', () => {
  it('reproduces the seed plan’s 2565 result: 91.45, grade A, ผ่าน', () => {
    // Prepare
    const result = {
      fiscalYear: 2565,
      iit: 25.67,
      eit: 25.78,
      oit: 40,
      publishedTotal: 91.45,
      publishedLabel: 'A',
    };

    // Act
    const score = scoreFromResult(framework, result);

    // Assess
    expect(score).toEqual({
      iit: 25.67,
      eit: 25.78,
      oit: 40,
      total: 91.45,
      pass: true,
      grade: 'A',
      label: 'ผ่าน',
    });
    expect(score.total).toBe(result.publishedTotal);
  });

  it('reproduces the seed plan’s 2566 result: 91.98, ผ่าน', () => {
    // Prepare
    const result = {
      fiscalYear: 2566,
      iit: 26.6,
      eit: 25.38,
      oit: 40,
      publishedTotal: 91.98,
      publishedLabel: 'ผ่าน',
    };

    // Act
    const score = scoreFromResult(framework, result);

    // Assess
    expect(score.total).toBe(91.98);
    expect(score.label).toBe(result.publishedLabel);
    expect(score.pass).toBe(true);
  });

  it('fails below the pass mark and is excellent at the excellent mark', () => {
    // Prepare
    const low = { fiscalYear: 2567, iit: 25, eit: 24.99, oit: 35 };
    const high = { fiscalYear: 2567, iit: 28, eit: 27, oit: 40 };

    // Act
    const lowScore = scoreFromResult(framework, low);
    const highScore = scoreFromResult(framework, high);

    // Assess
    expect(lowScore).toMatchObject({ total: 84.99, pass: false, grade: 'B', label: 'ไม่ผ่าน' });
    expect(highScore).toMatchObject({ total: 95, pass: true, grade: 'AA', label: 'ผ่านดีเยี่ยม' });
  });

  it('takes each tool’s maximum from the framework’s weights', () => {
    // Prepare
    const reweighted: Framework = {
      ...framework,
      tools: [
        { code: 'IIT', nameTh: 'IIT', weight: 40 },
        { code: 'EIT', nameTh: 'EIT', weight: 20 },
        { code: 'OIT', nameTh: 'OIT', weight: 40 },
      ],
    };

    // Act
    const tooMuchEit = () => scoreFromResult(reweighted, { fiscalYear: 2567, iit: 10, eit: 25, oit: 10 });
    const moreIit = scoreFromResult(reweighted, { fiscalYear: 2567, iit: 35, eit: 20, oit: 40 });

    // Assess
    expect(tooMuchEit).toThrow(/EIT score 25 is outside 0–20/);
    expect(moreIit.total).toBe(95);
  });
});

describe('gradeFor and labelFor at the band edges', () => {
  it.each([
    [100, 'AA', 'ผ่านดีเยี่ยม'],
    [95, 'AA', 'ผ่านดีเยี่ยม'],
    [94.99, 'A', 'ผ่าน'],
    [85, 'A', 'ผ่าน'],
    [84.99, 'B', 'ไม่ผ่าน'],
    [75, 'B', 'ไม่ผ่าน'],
    [64.99, 'D', 'ไม่ผ่าน'],
    [50, 'E', 'ไม่ผ่าน'],
    [49.99, 'F', 'ไม่ผ่าน'],
    [0, 'F', 'ไม่ผ่าน'],
  ])('%d is %s, %s', (total, grade, label) => {
    // Prepare
    const fw = framework;

    // Act
    const actual = { grade: gradeFor(fw, total), label: labelFor(fw, total) };

    // Assess
    expect(actual).toEqual({ grade, label });
  });

  it('treats float noise just under a band as the band', () => {
    // Prepare
    const noisy = 0.1 * 3 + 94.7; // 94.99999999999999 in binary

    // Act
    const grade = gradeFor(framework, noisy);

    // Assess
    expect(grade).toBe('AA');
  });

  it('throws below every band rather than inventing a grade', () => {
    // Prepare
    const noF: Framework = { ...framework, gradeBands: framework.gradeBands.filter((b) => b.grade !== 'F') };

    // Act
    const grade = () => gradeFor(noF, 49.99);

    // Assess
    expect(grade).toThrow(RangeError);
  });
});

describe('oitScore', () => {
  it('gives the full 40 points when all 33 items pass', () => {
    // Prepare
    const passes = allPassingExcept(framework);

    // Act
    const score = oitScore(framework, passes);

    // Assess
    expect(score.points).toBe(40);
    expect(score.indicators.map((i) => [i.number, i.score, i.points])).toEqual([
      [9, 100, 20],
      [10, 100, 20],
    ]);
  });

  it('gives 0 when nothing passes, including items absent from the map', () => {
    // Prepare
    const passes = { o1: false };

    // Act
    const score = oitScore(framework, passes);

    // Assess
    expect(score.points).toBe(0);
  });

  it('costs 20 × 0.5 × 0.5 = 5 points for one missing item of the two in 10.2', () => {
    // Prepare
    const passes = allPassingExcept(framework, 'o33');

    // Act
    const score = oitScore(framework, passes);

    // Assess
    expect(score.points).toBe(35);
    expect(score.subIndicators.find((s) => s.code === '10.2')).toEqual({
      code: '10.2',
      indicator: 10,
      passed: 1,
      items: 2,
      score: 50,
    });
    expect(score.indicators.find((i) => i.number === 10)).toEqual({
      number: 10,
      score: 75,
      points: 15,
      maxPoints: 20,
    });
  });

  it('costs 20 × 0.5 / 7 ≈ 1.43 points for one missing item of the seven in 10.1', () => {
    // Prepare
    const passes = allPassingExcept(framework, 'o25');

    // Act
    const score = oitScore(framework, passes);

    // Assess
    expect(score.points).toBe(38.57);
  });

  it('refuses an unknown item id instead of counting it as a miss', () => {
    // Prepare
    const passes = { o1: true, o34: true };

    // Act
    const score = () => oitScore(framework, passes);

    // Assess
    expect(score).toThrow(/o34/);
  });
});

describe('oitItemGain and cheapestMissingItems', () => {
  it('values an item by its share of sub-indicator, indicator and points', () => {
    // Prepare
    const ids = ['o33', 'o25', 'o18', 'o14', 'o1', 'o7'];

    // Act
    const gains = ids.map((id) => round2(oitItemGain(framework, id)));

    // Assess
    expect(gains).toEqual([5, 1.43, 1.33, 1, 0.67, 0.57]);
  });

  it('orders the missing items most valuable first, ties in framework order', () => {
    // Prepare
    const passes = allPassingExcept(framework, 'o1', 'o14', 'o25', 'o32', 'o33');

    // Act
    const order = cheapestMissingItems(framework, passes);

    // Assess
    expect(order).toEqual(['o32', 'o33', 'o25', 'o14', 'o1']);
  });
});

describe('pointsToReach', () => {
  it('returns 0 when the target is already reached', () => {
    // Prepare
    const current = { iit: 25.67, eit: 25.78, oitItemPasses: allPassingExcept(framework) };

    // Act
    const needed = pointsToReach(framework, 85, current);

    // Assess
    expect(needed).toBe(0);
  });

  it('counts the 10.2 items first: 80 → 85 takes one, → 90 takes two', () => {
    // Prepare
    const current = { iit: 25, eit: 25, oitItemPasses: allPassingExcept(framework, 'o32', 'o33') };

    // Act
    const to85 = pointsToReach(framework, 85, current);
    const to90 = pointsToReach(framework, 90, current);

    // Assess
    expect(to85).toBe(1);
    expect(to90).toBe(2);
  });

  it('needs the cheaper 9.1 item last, once both 10.2 items are not enough', () => {
    // Prepare
    const current = { iit: 25, eit: 25, oitItemPasses: allPassingExcept(framework, 'o1', 'o32', 'o33') };

    // Act
    const to85 = pointsToReach(framework, 85, current);
    const to90 = pointsToReach(framework, 90, current);

    // Assess
    expect(to85).toBe(2);
    expect(to90).toBe(3);
  });

  it('takes 18 items from nothing to 85 with IIT 28 and EIT 27', () => {
    // Prepare
    const current = { iit: 28, eit: 27, oitItemPasses: {} };

    // Act
    const needed = pointsToReach(framework, 85, current);

    // Assess
    expect(needed).toBe(18);
  });

  it('returns null when even a perfect OIT cannot reach the target', () => {
    // Prepare
    const current = { iit: 25, eit: 25, oitItemPasses: {} };

    // Act
    const needed = pointsToReach(framework, 95, current);

    // Assess
    expect(needed).toBeNull();
  });

  it('does not change the caller’s map', () => {
    // Prepare
    const passes = allPassingExcept(framework, 'o33');
    const before = { ...passes };

    // Act
    pointsToReach(framework, 90, { iit: 25, eit: 25, oitItemPasses: passes });

    // Assess
    expect(passes).toEqual(before);
  });
});
