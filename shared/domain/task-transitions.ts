import { ForbiddenError, UnprocessableError } from './errors.ts';
import type { TaskStatus } from './model.ts';
import type { Role } from './principal.ts';

const ANY_PUBLISHED: readonly TaskStatus[] = ['planned', 'in_progress', 'done', 'cancelled'];
const WORKING: readonly TaskStatus[] = ['planned', 'in_progress', 'done'];

/**
 * Which status a role may move a task state to, from which status: role -> from -> allowed to.
 * It governs every PATCH of a task, the overall state (admin only) and one agency's own state
 * alike; a state that stays where it is (a progress-only change) is a move to the same status.
 *
 * - admin (the secretariat): publishes a draft, moves a published state anywhere but back to
 *   draft, and is the only role that cancels, or revives a cancelled state.
 * - agency: moves its own state between planned, in_progress and done (reopening finished work is
 *   honest and allowed); it never cancels, and a state the secretariat cancelled is closed to it.
 *   Were an agency allowed `cancelled`, it would escape its reminders and count as complete.
 * - approver, viewer, feed: no task moves at all (they lack task.update).
 */
export const TASK_TRANSITIONS: Readonly<Record<Role, Readonly<Record<TaskStatus, readonly TaskStatus[]>>>> = {
  admin: {
    draft: ['draft', ...ANY_PUBLISHED],
    planned: ANY_PUBLISHED,
    in_progress: ANY_PUBLISHED,
    done: ANY_PUBLISHED,
    cancelled: ANY_PUBLISHED,
  },
  agency: { draft: [], planned: WORKING, in_progress: WORKING, done: WORKING, cancelled: [] },
  approver: { draft: [], planned: [], in_progress: [], done: [], cancelled: [] },
  viewer: { draft: [], planned: [], in_progress: [], done: [], cancelled: [] },
  feed: { draft: [], planned: [], in_progress: [], done: [], cancelled: [] },
};

/**
 * Throws when `role` may not move a task state `from` -> `to`: a 403 (ForbiddenError) when some
 * other role may make that move (it is a right this role lacks, e.g. an agency cancelling), a 422
 * (UnprocessableError) when no role may (a rule of the state machine, e.g. back to draft).
 */
export function assertTaskTransition(role: Role, from: TaskStatus, to: TaskStatus): void {
  if (TASK_TRANSITIONS[role][from].includes(to)) return;
  const anyone = Object.values(TASK_TRANSITIONS).some((byFrom) => byFrom[from].includes(to));
  if (anyone) throw new ForbiddenError(`the ${role} role may not move a task from ${from} to ${to}`);
  throw new UnprocessableError(`a task does not move from ${from} to ${to}`, [
    { path: 'status', message: `${from} -> ${to} is not a move any role may make` },
  ]);
}
