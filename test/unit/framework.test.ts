import { describe, expect, it } from 'vitest';
import data from '#data/framework-2567.json' with { type: 'json' };
import {
  findOitItem,
  frameworkProblems,
  knownFrameworkYears,
  loadDefaultFramework,
  oitItemIds,
  UnknownFrameworkYearError,
} from '#domain/framework';
import { Framework } from '#domain/model';

describe('bundled framework 2567', () => {
  it('parses with the Framework schema', () => {
    // Prepare
    const raw = data;

    // Act
    const result = Framework.safeParse(raw);

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.data?.fiscalYear).toBe(2567);
  });

  it('has the 33 reconstructed OIT items o1–o33 in order', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);

    // Act
    const ids = oitItemIds(framework);

    // Assess
    expect(ids).toEqual(Array.from({ length: 33 }, (_, i) => `o${i + 1}`));
  });

  it('names the 33-item reconstruction and the 35-item count in its source', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);

    // Act
    const source = framework.source;

    // Assess
    expect(source).toMatch(/33-item reconstruction/);
    expect(source).toMatch(/35 items/);
  });

  it('weights the tools 30/30/40, summing to 100', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);

    // Act
    const weights = Object.fromEntries(framework.tools.map((t) => [t.code, t.weight]));
    const sum = framework.tools.reduce((s, t) => s + t.weight, 0);

    // Assess
    expect(weights).toEqual({ IIT: 30, EIT: 30, OIT: 40 });
    expect(sum).toBe(100);
  });

  it('gives OIT indicators 9 and 10 20 points each, summing to the OIT weight of 40', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);

    // Act
    const oit = framework.indicators.filter((i) => i.tool === 'OIT');

    // Assess
    expect(oit.map((i) => [i.number, i.points])).toEqual([
      [9, 20],
      [10, 20],
    ]);
    expect(oit.reduce((s, i) => s + (i.points ?? 0), 0)).toBe(40);
  });

  it('has 10 indicators: IIT 1–5, EIT 6–8, OIT 9–10', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);

    // Act
    const byTool = framework.indicators.map((i) => `${i.number}:${i.tool}`);

    // Assess
    expect(byTool).toEqual([
      '1:IIT',
      '2:IIT',
      '3:IIT',
      '4:IIT',
      '5:IIT',
      '6:EIT',
      '7:EIT',
      '8:EIT',
      '9:OIT',
      '10:OIT',
    ]);
  });

  it('groups the items into sub-indicators 9.1–9.5 and 10.1–10.2 with the reference counts', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);

    // Act
    const counts = Object.fromEntries(
      framework.oitSubIndicators.map((s) => [
        s.code,
        framework.oitItems.filter((i) => i.subIndicator === s.code).length,
      ]),
    );

    // Assess
    expect(counts).toEqual({ '9.1': 6, '9.2': 7, '9.3': 4, '9.4': 3, '9.5': 4, '10.1': 7, '10.2': 2 });
  });

  it('is internally consistent', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);

    // Act
    const problems = frameworkProblems(framework);

    // Assess
    expect(problems).toEqual([]);
  });

  it('carries the marks, bands and 2564 sample rule', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);

    // Act
    const { passMark, excellentMark, gradeBands, sampleRule } = framework;

    // Assess
    expect({ passMark, excellentMark }).toEqual({ passMark: 85, excellentMark: 95 });
    expect(gradeBands.map((b) => `${b.grade}${b.min}`).join(' ')).toBe('AA95 A85 B75 C65 D55 E50 F0');
    expect(sampleRule).toEqual({ percent: 10, minimum: 30, eitCapAbove: 4000, eitCap: 400 });
  });
});

describe('loadDefaultFramework', () => {
  it('throws for an unknown year, listing the known ones', () => {
    // Prepare
    const year = 2568;

    // Act
    const load = () => loadDefaultFramework(year);

    // Assess
    expect(load).toThrow(UnknownFrameworkYearError);
    expect(load).toThrow(/2568.*known years: 2567/);
    expect(knownFrameworkYears()).toEqual([2567]);
  });

  it('returns a fresh copy each time so one caller cannot edit another’s', () => {
    // Prepare
    const first = loadDefaultFramework(2567);

    // Act
    first.passMark = 1;
    const second = loadDefaultFramework(2567);

    // Assess
    expect(second.passMark).toBe(85);
  });
});

describe('findOitItem', () => {
  it('finds an item by id with its Thai name', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);

    // Act
    const item = findOitItem(framework, 'o33');

    // Assess
    expect(item).toMatchObject({
      subIndicator: '10.2',
      nameTh: 'การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน',
    });
  });

  it('returns undefined for an unknown id', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);

    // Act
    const item = findOitItem(framework, 'o34');

    // Assess
    expect(item).toBeUndefined();
  });
});

describe('frameworkProblems', () => {
  it('reports a dangling sub-indicator, an empty one and a duplicate item', () => {
    // Prepare
    const framework = loadDefaultFramework(2567);
    framework.oitItems.push({ id: 'o1', subIndicator: '9.9', nameTh: 'ซ้ำ' });
    framework.oitItems = framework.oitItems.filter((i) => i.subIndicator !== '10.2');

    // Act
    const problems = frameworkProblems(framework);

    // Assess
    expect(problems).toEqual([
      'sub-indicator 10.2 has no items',
      'OIT item o1 appears twice',
      'OIT item o1 is in unknown sub-indicator 9.9',
    ]);
  });
});
