import type { YearResult } from './improvement.ts';
import type { Framework, ToolCode } from './model.ts';

/**
 * ITA scoring from the framework's data. Weights, marks and bands are read from the framework,
 * never written here, so a new year's rules are a data change.
 *
 * Totals are rounded to 2 decimals through integer hundredths: ITAS publishes 2-decimal scores,
 * and adding binary floats directly gives 91.44999… for 25.67 + 25.78 + 40.
 */

/** The rating label of the current (2565+) scheme. */
export type ItaLabel = 'ผ่านดีเยี่ยม' | 'ผ่าน' | 'ไม่ผ่าน';

export interface ItaScore {
  iit: number;
  eit: number;
  oit: number;
  /** Rounded to 2 decimals. */
  total: number;
  pass: boolean;
  /** Legacy letter band (AA … F), still quoted in provincial plans. */
  grade: string;
  label: ItaLabel;
}

export interface OitSubIndicatorScore {
  code: string;
  indicator: number;
  passed: number;
  items: number;
  /** 0–100, unrounded so sums built on it stay exact; format for display. */
  score: number;
}

export interface OitIndicatorScore {
  number: number;
  /** Mean of its sub-indicators, 0–100, unrounded. */
  score: number;
  /** What it contributes to the OIT tool: score / 100 × maxPoints, unrounded. */
  points: number;
  maxPoints: number;
}

export interface OitScore {
  /** OIT points out of the OIT weight, rounded to 2 decimals. */
  points: number;
  indicators: OitIndicatorScore[];
  subIndicators: OitSubIndicatorScore[];
}

/** Whether an OIT item currently passes (evidence approved), by item id; absent means not passing. */
export type OitItemPasses = Readonly<Record<string, boolean>>;

/** A number rounded to 2 decimals via integer hundredths. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function hundredths(value: number): number {
  return Math.round(value * 100);
}

/** A tool's maximum points, from its weight; throws if the framework lacks the tool. */
export function toolMax(framework: Framework, code: ToolCode): number {
  const tool = framework.tools.find((t) => t.code === code);
  if (!tool) throw new Error(`framework ${framework.fiscalYear} has no ${code} tool`);
  return tool.weight;
}

/**
 * A tool score checked against the framework: a value above the tool's weight means it was
 * entered on another scale (0–100 instead of points), and adding it would inflate the total.
 */
function checkedToolScore(framework: Framework, code: ToolCode, value: number): number {
  const max = toolMax(framework, code);
  if (!Number.isFinite(value) || value < 0 || hundredths(value) > hundredths(max)) {
    throw new RangeError(`${code} score ${value} is outside 0–${max}`);
  }
  return value;
}

/**
 * The legacy letter grade for a total: the highest band whose minimum it reaches. Compared in
 * hundredths so 94.99 stays A and 95 is AA whatever the float noise.
 */
export function gradeFor(framework: Framework, total: number): string {
  const t = hundredths(total);
  const band = [...framework.gradeBands]
    .sort((a, b) => b.min - a.min)
    .find((candidate) => t >= hundredths(candidate.min));
  if (!band) throw new RangeError(`total ${total} is below every grade band`);
  return band.grade;
}

/**
 * The rating label: ≥ excellentMark ผ่านดีเยี่ยม, ≥ passMark ผ่าน, else ไม่ผ่าน. The 2567 "ผ่านดี"
 * label and its per-tool condition are not sourced, so they are deliberately not guessed.
 */
export function labelFor(framework: Framework, total: number): ItaLabel {
  const t = hundredths(total);
  if (t >= hundredths(framework.excellentMark)) return 'ผ่านดีเยี่ยม';
  if (t >= hundredths(framework.passMark)) return 'ผ่าน';
  return 'ไม่ผ่าน';
}

/** The ITA score of a year's published tool scores (points, not percentages). */
export function scoreFromResult(framework: Framework, result: YearResult): ItaScore {
  return scoreFromTools(framework, result.iit, result.eit, result.oit);
}

function scoreFromTools(framework: Framework, iit: number, eit: number, oit: number): ItaScore {
  const parts = [
    checkedToolScore(framework, 'IIT', iit),
    checkedToolScore(framework, 'EIT', eit),
    checkedToolScore(framework, 'OIT', oit),
  ];
  const total = parts.reduce((sum, part) => sum + hundredths(part), 0) / 100;
  return {
    iit,
    eit,
    oit,
    total,
    pass: hundredths(total) >= hundredths(framework.passMark),
    grade: gradeFor(framework, total),
    label: labelFor(framework, total),
  };
}

/**
 * The points each OIT indicator carries. Where the framework does not say, the OIT weight is
 * split evenly over the indicators without a value, which is what 9 and 10 at 20 each do.
 */
export function oitIndicatorPoints(framework: Framework): Map<number, number> {
  const indicators = framework.indicators.filter((i) => i.tool === 'OIT');
  const known = indicators.reduce((sum, i) => sum + (i.points ?? 0), 0);
  const unknownCount = indicators.filter((i) => i.points === undefined).length;
  const share = unknownCount > 0 ? (toolMax(framework, 'OIT') - known) / unknownCount : 0;
  return new Map(indicators.map((i) => [i.number, i.points ?? share]));
}

/**
 * OIT points from which items pass. Each item scores 0 or 100, a sub-indicator is the mean of its
 * items, an indicator the mean of its sub-indicators, and the tool the sum of indicator/100 ×
 * indicator points. (Inferred, not sourced: it reproduces the 2564 PSU indicator values.)
 * Unknown item ids throw, since a misspelt id would otherwise count silently as a miss.
 */
export function oitScore(framework: Framework, itemPasses: OitItemPasses): OitScore {
  checkItemIds(framework, itemPasses);
  const subIndicators = framework.oitSubIndicators.map((sub): OitSubIndicatorScore => {
    const items = framework.oitItems.filter((item) => item.subIndicator === sub.code);
    if (items.length === 0) throw new Error(`OIT sub-indicator ${sub.code} has no items to score`);
    const passed = items.filter((item) => itemPasses[item.id] === true).length;
    return {
      code: sub.code,
      indicator: sub.indicator,
      passed,
      items: items.length,
      score: (passed / items.length) * 100,
    };
  });
  const indicators = [...oitIndicatorPoints(framework)].map(([number, maxPoints]): OitIndicatorScore => {
    const subs = subIndicators.filter((s) => s.indicator === number);
    const score = subs.length === 0 ? 0 : subs.reduce((sum, s) => sum + s.score, 0) / subs.length;
    return { number, score, points: (score / 100) * maxPoints, maxPoints };
  });
  return { points: round2(indicators.reduce((sum, i) => sum + i.points, 0)), indicators, subIndicators };
}

function checkItemIds(framework: Framework, itemPasses: OitItemPasses): void {
  const known = new Set(framework.oitItems.map((item) => item.id));
  const unknown = Object.keys(itemPasses).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new RangeError(`unknown OIT item ids for ${framework.fiscalYear}: ${unknown.join(', ')}`);
  }
}

/**
 * What passing one more item adds to the OIT points: the item's share of its sub-indicator, of
 * that sub-indicator's share of the indicator, of the indicator's points. An item in a small
 * sub-indicator (10.2 has two) is worth far more than one in a large one (9.2 has seven).
 */
export function oitItemGain(framework: Framework, itemId: string): number {
  const item = framework.oitItems.find((i) => i.id === itemId);
  if (!item) throw new RangeError(`unknown OIT item id ${itemId}`);
  const sub = framework.oitSubIndicators.find((s) => s.code === item.subIndicator);
  if (!sub) throw new Error(`OIT item ${itemId} is in unknown sub-indicator ${item.subIndicator}`);
  const itemsInSub = framework.oitItems.filter((i) => i.subIndicator === sub.code).length;
  const subsInIndicator = framework.oitSubIndicators.filter((s) => s.indicator === sub.indicator).length;
  const points = oitIndicatorPoints(framework).get(sub.indicator) ?? 0;
  return points / subsInIndicator / itemsInSub;
}

/**
 * The items not yet passing, the most valuable first (ties in framework order). Gains are
 * fixed per item and add up, so taking them in this order reaches any target with the fewest.
 */
export function cheapestMissingItems(framework: Framework, itemPasses: OitItemPasses): string[] {
  checkItemIds(framework, itemPasses);
  return framework.oitItems
    .filter((item) => itemPasses[item.id] !== true)
    .map((item, order) => ({ id: item.id, order, gain: oitItemGain(framework, item.id) }))
    .sort((a, b) => b.gain - a.gain || a.order - b.order)
    .map((item) => item.id);
}

/**
 * How many more OIT items must pass for the total to reach `target`, taking the most valuable
 * first; 0 if it already does, `null` if OIT alone cannot get there (IIT and EIT are survey
 * results an agency cannot simply add to). Compared on the 2-decimal total, as published.
 */
export function pointsToReach(
  framework: Framework,
  target: number,
  current: { iit: number; eit: number; oitItemPasses: OitItemPasses },
): number | null {
  const passes: Record<string, boolean> = { ...current.oitItemPasses };
  const totalNow = () =>
    scoreFromTools(framework, current.iit, current.eit, oitScore(framework, passes).points).total;
  const goal = hundredths(target);
  if (hundredths(totalNow()) >= goal) return 0;
  const queue = cheapestMissingItems(framework, passes);
  for (const [index, id] of queue.entries()) {
    passes[id] = true;
    if (hundredths(totalNow()) >= goal) return index + 1;
  }
  return null;
}
