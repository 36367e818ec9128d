import type { YearResult } from './improvement.ts';
import type { Framework, OitStatus } from './model.ts';
import {
  cheapestMissingItems,
  type ItaLabel,
  type OitItemPasses,
  oitItemGain,
  oitScore,
  pointsToReach,
  scoreFromResult,
} from './score.ts';

/**
 * This year's projected ITA score from OIT readiness and the survey results at hand.
 *
 * Decisions (see README, section reports):
 * - The province answers ITAS once per OIT item, from the agencies it assigned the item to, so an
 *   item passes for the province only when EVERY agency it is assigned to has it done. One agency
 *   missing its part leaves the province's answer incomplete.
 * - An item assigned to nobody fails: nobody is preparing the evidence.
 * - Two ends: optimistic counts submitted and approved evidence as done (reviewers may still
 *   reject); conservative counts only approved evidence.
 * - IIT and EIT are survey results nobody can add to by hand: this year's once entered
 *   (a result for the assessment's fiscal year), otherwise the latest earlier year's.
 * - An approved part whose every evidence link is dead (link watch) puts the item at risk: the
 *   evaluators will open dead links. The conservative end does not count an at-risk item; the
 *   optimistic end still does (the agency may fix the page in time).
 */

/** The evidence state of one agency's part of one OIT item. */
export type EvidenceState = {
  agencyId: string;
  itemId: string;
  status: OitStatus;
  /** Every URL of this part is dead (link watch). */
  linksDead?: boolean;
};

export type ProvinceItemStatus = 'approved' | 'submitted' | 'incomplete' | 'unassigned';

export type ProvinceItem = {
  itemId: string;
  nameTh: string;
  subIndicator: string;
  /** Agencies the item is assigned to, sorted. */
  assignedTo: string[];
  /** Agencies whose part is neither submitted nor approved. */
  notDone: string[];
  /** approved: every part approved; submitted: every part at least submitted; otherwise why it fails. */
  status: ProvinceItemStatus;
  /** Agencies whose approved part has every evidence link dead, sorted. */
  linksDead: string[];
  /** Some approved part's links are all dead: not counted by the conservative end. */
  atRisk: boolean;
  /** OIT points the item adds when it passes. */
  gain: number;
};

export type SurveyBasis = {
  iit: number;
  eit: number;
  /** `current`: entered for this year; `previous`: last year's stand-in; `none`: no result at all (0). */
  source: 'current' | 'previous' | 'none';
  fromFiscalYear: number | null;
};

export type TargetGap = {
  target: number;
  /** More OIT items that must pass; 0 when already reached, null when OIT alone cannot reach it. */
  itemsNeeded: number | null;
  /** Which ones, most valuable first (all missing items when OIT alone falls short). */
  items: string[];
  reachableWithOitAlone: boolean;
};

export type ForecastEnd = {
  passingItems: number;
  oit: number;
  total: number;
  grade: string;
  label: ItaLabel;
  targets: TargetGap[];
};

export type Forecast = {
  fiscalYear: number;
  surveys: SurveyBasis;
  /** Submitted and approved items pass. */
  optimistic: ForecastEnd;
  /** Only approved items pass. */
  conservative: ForecastEnd;
  /** The best total OIT can give with the current IIT and EIT (every item passing). */
  ceiling: number;
  items: ProvinceItem[];
};

/** The province's status of each OIT item from every agency's part of it. */
export function provinceItems(framework: Framework, evidence: readonly EvidenceState[]): ProvinceItem[] {
  const byItem = new Map<string, EvidenceState[]>();
  for (const part of evidence) byItem.set(part.itemId, [...(byItem.get(part.itemId) ?? []), part]);
  return framework.oitItems.map((item) => {
    const parts = byItem.get(item.id) ?? [];
    const notDone = parts.filter((p) => p.status !== 'submitted' && p.status !== 'approved');
    const linksDead = parts.filter((p) => p.status === 'approved' && p.linksDead === true);
    const status: ProvinceItemStatus =
      parts.length === 0
        ? 'unassigned'
        : notDone.length > 0
          ? 'incomplete'
          : parts.every((p) => p.status === 'approved')
            ? 'approved'
            : 'submitted';
    return {
      itemId: item.id,
      nameTh: item.nameTh,
      subIndicator: item.subIndicator,
      assignedTo: parts.map((p) => p.agencyId).sort(),
      notDone: notDone.map((p) => p.agencyId).sort(),
      status,
      linksDead: linksDead.map((p) => p.agencyId).sort(),
      atRisk: linksDead.length > 0,
      gain: oitItemGain(framework, item.id),
    };
  });
}

/** This year's IIT and EIT, or the latest earlier year's as a stand-in. */
export function surveyBasis(fiscalYear: number, results: readonly YearResult[]): SurveyBasis {
  const usable = results
    .filter((r) => r.fiscalYear <= fiscalYear)
    .sort((a, b) => b.fiscalYear - a.fiscalYear);
  const latest = usable[0];
  if (!latest) return { iit: 0, eit: 0, source: 'none', fromFiscalYear: null };
  return {
    iit: latest.iit,
    eit: latest.eit,
    source: latest.fiscalYear === fiscalYear ? 'current' : 'previous',
    fromFiscalYear: latest.fiscalYear,
  };
}

function forecastEnd(
  framework: Framework,
  surveys: SurveyBasis,
  passes: OitItemPasses,
  targets: readonly number[],
): ForecastEnd {
  const oit = oitScore(framework, passes).points;
  const score = scoreFromResult(framework, {
    fiscalYear: framework.fiscalYear,
    iit: surveys.iit,
    eit: surveys.eit,
    oit,
  });
  const missing = cheapestMissingItems(framework, passes);
  return {
    passingItems: Object.values(passes).filter(Boolean).length,
    oit,
    total: score.total,
    grade: score.grade,
    label: score.label,
    targets: targets.map((target) => {
      const itemsNeeded = pointsToReach(framework, target, {
        iit: surveys.iit,
        eit: surveys.eit,
        oitItemPasses: passes,
      });
      return {
        target,
        itemsNeeded,
        items: itemsNeeded === null ? missing : missing.slice(0, itemsNeeded),
        reachableWithOitAlone: itemsNeeded !== null,
      };
    }),
  };
}

/** The forecast for `fiscalYear`, with what it takes to reach the pass and excellent marks. */
export function forecastScore(
  framework: Framework,
  input: { fiscalYear: number; results: readonly YearResult[]; evidence: readonly EvidenceState[] },
): Forecast {
  const items = provinceItems(framework, input.evidence);
  const surveys = surveyBasis(input.fiscalYear, input.results);
  const targets = [framework.passMark, framework.excellentMark];
  const passesWhen = (ok: (s: ProvinceItemStatus, atRisk: boolean) => boolean): OitItemPasses =>
    Object.fromEntries(items.map((i) => [i.itemId, ok(i.status, i.atRisk)]));
  const allPass = passesWhen(() => true);
  return {
    fiscalYear: input.fiscalYear,
    surveys,
    optimistic: forecastEnd(
      framework,
      surveys,
      passesWhen((s) => s === 'approved' || s === 'submitted'),
      targets,
    ),
    conservative: forecastEnd(
      framework,
      surveys,
      passesWhen((s, atRisk) => s === 'approved' && !atRisk),
      targets,
    ),
    ceiling: scoreFromResult(framework, {
      fiscalYear: input.fiscalYear,
      iit: surveys.iit,
      eit: surveys.eit,
      oit: oitScore(framework, allPass).points,
    }).total,
    items,
  };
}
