import data2567 from '#data/framework-2567.json' with { type: 'json' };
import { Framework, type OitItem } from './model.ts';

/**
 * The frameworks shipped with the code, by Buddhist-era fiscal year. Kept as raw JSON so every
 * load goes through the schema: a typo in the data fails loudly here, not in a score later.
 */
const BUNDLED: Readonly<Record<number, unknown>> = { 2567: data2567 };

/** Raised for a year with no bundled framework, so a caller can answer 400/404 rather than 500. */
export class UnknownFrameworkYearError extends Error {
  constructor(
    readonly fiscalYear: number,
    readonly knownYears: readonly number[],
  ) {
    super(`No bundled ITA framework for fiscal year ${fiscalYear}; known years: ${knownYears.join(', ')}`);
    this.name = 'UnknownFrameworkYearError';
  }
}

/** Fiscal years (B.E.) with a bundled framework, oldest first. */
export function knownFrameworkYears(): number[] {
  return Object.keys(BUNDLED)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * The bundled framework for a fiscal year. An unknown year throws rather than falling back to
 * the nearest one: item lists are renumbered between years (2565 had 43 OIT items, 2568 fewer),
 * so silently reusing another year's list would misfile evidence. Each call returns a fresh
 * object, because assessments embed and may edit their copy.
 */
export function loadDefaultFramework(fiscalYear: number): Framework {
  const raw = BUNDLED[fiscalYear];
  if (raw === undefined) throw new UnknownFrameworkYearError(fiscalYear, knownFrameworkYears());
  const framework = Framework.parse(raw);
  const problems = [
    ...(framework.fiscalYear === fiscalYear ? [] : [`data is labelled ${framework.fiscalYear}`]),
    ...frameworkProblems(framework),
  ];
  if (problems.length > 0) {
    throw new Error(`Bundled ITA framework ${fiscalYear} is inconsistent: ${problems.join('; ')}`);
  }
  return framework;
}

/** OIT item ids in framework order (o1, o2 …), the order agencies see them in ITAS. */
export function oitItemIds(framework: Framework): string[] {
  return framework.oitItems.map((item) => item.id);
}

/** The OIT item with this id, or `undefined` so callers choose between 404 and a validation error. */
export function findOitItem(framework: Framework, id: string): OitItem | undefined {
  return framework.oitItems.find((item) => item.id === id);
}

/**
 * Cross-field checks the schema cannot express. Scoring averages items per sub-indicator and
 * sub-indicators per indicator, so a dangling reference or an empty group would silently
 * change every OIT score; an empty list means the framework is safe to score with.
 */
export function frameworkProblems(framework: Framework): string[] {
  const problems: string[] = [];
  const weightSum = framework.tools.reduce((sum, tool) => sum + tool.weight, 0);
  if (new Set(framework.tools.map((t) => t.code)).size !== framework.tools.length) {
    problems.push('tool codes must be distinct');
  }
  if (Math.round(weightSum * 100) !== 10_000) problems.push(`tool weights sum to ${weightSum}, not 100`);
  if (framework.excellentMark < framework.passMark) problems.push('excellentMark is below passMark');

  const oitIndicatorList = framework.indicators.filter((i) => i.tool === 'OIT');
  const oitWeight = framework.tools.find((t) => t.code === 'OIT')?.weight ?? 0;
  const oitPoints = oitIndicatorList.reduce((sum, i) => sum + (i.points ?? 0), 0);
  if (oitIndicatorList.length === 0) problems.push('there are no OIT indicators');
  if (
    oitIndicatorList.every((i) => i.points !== undefined) &&
    Math.round((oitPoints - oitWeight) * 100) !== 0
  ) {
    problems.push(`OIT indicator points sum to ${oitPoints}, not the OIT weight ${oitWeight}`);
  }

  const oitIndicators = new Set(oitIndicatorList.map((i) => i.number));
  const subCodes = new Set(framework.oitSubIndicators.map((s) => s.code));
  for (const sub of framework.oitSubIndicators) {
    if (!oitIndicators.has(sub.indicator)) {
      problems.push(`sub-indicator ${sub.code} points at ${sub.indicator}, not an OIT indicator`);
    }
    if (!framework.oitItems.some((item) => item.subIndicator === sub.code)) {
      problems.push(`sub-indicator ${sub.code} has no items`);
    }
  }
  for (const n of oitIndicators) {
    if (!framework.oitSubIndicators.some((s) => s.indicator === n)) {
      problems.push(`OIT indicator ${n} has no sub-indicators`);
    }
  }
  const seen = new Set<string>();
  for (const item of framework.oitItems) {
    if (seen.has(item.id)) problems.push(`OIT item ${item.id} appears twice`);
    seen.add(item.id);
    if (!subCodes.has(item.subIndicator)) {
      problems.push(`OIT item ${item.id} is in unknown sub-indicator ${item.subIndicator}`);
    }
  }
  return problems;
}
