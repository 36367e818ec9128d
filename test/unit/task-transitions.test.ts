import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnprocessableError } from '#domain/errors';
import { TaskStatus } from '#domain/model';
import { Role } from '#domain/principal';
import { assertTaskTransition, TASK_TRANSITIONS } from '#domain/task-transitions';

type Outcome = 'allow' | 403 | 422;

const PUBLISHED = ['planned', 'in_progress', 'done', 'cancelled'];
const WORKING = ['planned', 'in_progress', 'done'];

/**
 * Written independently of TASK_TRANSITIONS, from the rules in issue 11 item 1: the secretariat
 * publishes and cancels; an agency moves its own working state and never cancels or revives; a
 * published task never goes back to draft, for anyone (422); every other refusal is a right the
 * role lacks (403).
 */
const expected = (role: string, from: string, to: string): Outcome => {
  if (to === 'draft' && from !== 'draft') return 422;
  if (role === 'admin') return 'allow';
  if (role === 'agency' && WORKING.includes(from) && WORKING.includes(to)) return 'allow';
  return 403;
};

const outcome = (role: Role, from: TaskStatus, to: TaskStatus): Outcome => {
  try {
    assertTaskTransition(role, from, to);
    return 'allow';
  } catch (error) {
    if (error instanceof ForbiddenError) return 403;
    if (error instanceof UnprocessableError) return 422;
    throw error;
  }
};

const pairs = Role.options.flatMap((role) =>
  TaskStatus.options.flatMap((from) => TaskStatus.options.map((to) => [role, from, to] as const)),
);

describe('task status transitions per role', () => {
  it('covers every role and every status, from and to', () => {
    // Act
    const rows = Object.entries(TASK_TRANSITIONS).map(([role, byFrom]) => [role, Object.keys(byFrom).sort()]);

    // Assess
    expect(rows).toEqual(Role.options.map((role) => [role, [...TaskStatus.options].sort()]));
    expect(pairs).toHaveLength(Role.options.length * TaskStatus.options.length ** 2);
  });

  it.each(pairs)('%s: %s -> %s', (role, from, to) => {
    // Act
    const observed = outcome(role, from, to);

    // Assess
    expect(observed).toBe(expected(role, from, to));
  });

  it('never lets an agency cancel, whatever its state, nor revive a cancelled state', () => {
    // Act
    const cancels = PUBLISHED.map((from) => outcome('agency', from as TaskStatus, 'cancelled'));
    const revivals = WORKING.map((to) => outcome('agency', 'cancelled', to as TaskStatus));

    // Assess
    expect(cancels).toEqual([403, 403, 403, 403]);
    expect(revivals).toEqual([403, 403, 403]);
  });
});
