import type { SampleRule, SurveyTool } from './model.ts';

/**
 * The minimum number of IIT or EIT responses an agency needs, from its stakeholder population.
 *
 * The rule is data (the 2564 rule, restated in the reference; 2567's was not found), so a new
 * year's rule is a change to the framework, not to this code:
 * - a population below `rule.minimum` must answer in full, since a sample of a handful is the handful;
 * - otherwise `rule.percent` of it, rounded up, but never fewer than `rule.minimum`;
 * - for EIT only, a population above `rule.eitCapAbove` needs at most `rule.eitCap`, because the
 *   public of a large agency cannot be reached at 10 %.
 */
export function minimumSample(rule: SampleRule, tool: SurveyTool, population: number): number {
  if (!Number.isSafeInteger(population) || population < 0) {
    throw new RangeError(`population must be a whole number of people, got ${population}`);
  }
  if (population < rule.minimum) return population;
  const share = Math.max(rule.minimum, ceilShare(population, rule.percent));
  return tool === 'eit' && population > rule.eitCapAbove ? Math.min(share, rule.eitCap) : share;
}

/**
 * `percent` % of `population`, rounded up. The product is compared with a tiny tolerance because
 * a fractional percent (12.3 %) can land a hair above a whole number in binary floating point,
 * and rounding that up would ask one person too many.
 */
function ceilShare(population: number, percent: number): number {
  return Math.ceil((population * percent) / 100 - 1e-9);
}
