import { describe, expect, it } from 'vitest';
import type { SampleRule } from '#domain/model';
import { minimumSample } from '#domain/sample';

const RULE_2564: SampleRule = { percent: 10, minimum: 30, eitCapAbove: 4000, eitCap: 400 };

describe('minimumSample with the 2564 rule', () => {
  /** Where IIT and EIT agree: a tenth of the population, at least 30, everyone when fewer. */
  const belowTheEitCap: [number, number][] = [
    [0, 0],
    [1, 1],
    [29, 29],
    [30, 30],
    [31, 30],
    [299, 30],
    [300, 30],
    [301, 31],
    [4000, 400],
  ];

  it.each([
    ...belowTheEitCap.map(([population, expected]) => ['iit', population, expected] as const),
    ...belowTheEitCap.map(([population, expected]) => ['eit', population, expected] as const),
    // Above 4,000 only EIT is capped at 400.
    ['iit', 4001, 401],
    ['eit', 4001, 400],
    ['eit', 1_000_000, 400],
  ] as const)('%s: a population of %i needs %i responses', (tool, population, expected) => {
    // Prepare
    const rule = RULE_2564;

    // Act
    const required = minimumSample(rule, tool, population);

    // Assess
    expect(required).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a population of %s', (population) => {
    // Prepare
    const rule = RULE_2564;

    // Act
    const compute = () => minimumSample(rule, 'iit', population);

    // Assess
    expect(compute).toThrow(RangeError);
  });
});

describe('minimumSample with another rule', () => {
  const rule: SampleRule = { percent: 20, minimum: 25, eitCapAbove: 1000, eitCap: 150 };

  it.each([
    ['iit', 24, 24],
    ['iit', 25, 25],
    ['iit', 125, 25],
    ['iit', 126, 26],
    ['iit', 1001, 201],
    ['eit', 1000, 200],
    ['eit', 1001, 150],
  ] as const)('%s: %i people need %i', (tool, population, expected) => {
    // Prepare
    const people = population;

    // Act
    const required = minimumSample(rule, tool, people);

    // Assess
    expect(required).toBe(expected);
  });

  it('rounds a fractional percent up without float noise', () => {
    // Prepare
    const fractional: SampleRule = { percent: 12.5, minimum: 1, eitCapAbove: 10_000, eitCap: 400 };

    // Act
    const exact = minimumSample(fractional, 'iit', 80);
    const roundedUp = minimumSample(fractional, 'iit', 81);

    // Assess
    expect(exact).toBe(10);
    expect(roundedUp).toBe(11);
  });
});
