import { ForbiddenError, NotFoundError } from './errors.ts';
import type { Principal, Role } from './principal.ts';

export { assertTaskTransition, TASK_TRANSITIONS } from './task-transitions.ts';

/** Every operation the API authorizes, one name per route family. */
export const ACTIONS = [
  'assessment.create',
  'assessment.read',
  'assessment.update',
  'plan.update',
  'assessment.rollover',
  'framework.update',
  'agency.create',
  'agency.read',
  'agency.update',
  'agency.list',
  'oit.assign',
  'oit.submit',
  'oit.review',
  'oit.read',
  'survey.report',
  'task.create',
  'task.update',
  'task.read',
  'progress.read',
  'audit.read',
  'token.manage',
  'notification.read',
  'notification.resend',
  'forecast.read',
  'results.manage',
  'calendar.read',
  /** Who am I (GET /auth/session) and sign out (DELETE): about the presenting token only. */
  'session.read',
  'session.end',
  /** A LINE link code for a group (issue 13): the secretariat, or the agency for its own group. */
  'line.link',
  /** The LINE overview (groups, quota) and its settings: the secretariat. */
  'line.manage',
  /**
   * An agency's own calendar subscription link (a feed token minted for it, the earlier one
   * revoked): the agency itself, or the secretariat.
   */
  'calendar-feed.create',
  /** Check the evidence links now (POST …/links/check): the secretariat. */
  'links.check',
] as const;

export type Action = (typeof ACTIONS)[number];

export type Resource = {
  assessmentId?: string;
  agencyId?: string;
  /** for task.update: the task's responsible agencies */
  responsibleAgencies?: 'all' | string[];
  /** for task.update: the task, named in the 404 a task of other agencies answers */
  taskId?: string;
};

/**
 * How far a grant reaches once the principal is inside the resource's assessment:
 * - `assessment`: anything in the assessment (or every assessment for a `*` token).
 * - `unbound`: only a token that spans assessments (`*`); creating an assessment (afresh or by
 *   rollover) is outside any one.
 * - `own-agency`: only the principal's own agency; another agency's id is a 404, a
 *   province-level resource (no agency in it) a 403.
 * - `responsible`: only a task whose responsible agencies include the principal's agency (or all);
 *   another agency's task is the same 404 as a task that does not exist.
 * - `feed`: the own agency's calendar for a token bound to an agency; any calendar otherwise.
 */
export type Scope = 'assessment' | 'unbound' | 'own-agency' | 'responsible' | 'feed';

const readEverything = {
  'assessment.read': 'assessment',
  'agency.read': 'assessment',
  'agency.list': 'assessment',
  'oit.read': 'assessment',
  'task.read': 'assessment',
  'progress.read': 'assessment',
  'audit.read': 'assessment',
  'notification.read': 'assessment',
  'forecast.read': 'assessment',
  'calendar.read': 'assessment',
} as const satisfies Partial<Record<Action, Scope>>;

/**
 * A person's own session: every role that signs in reads and ends its own token. Not a feed
 * token: it lives in calendar URLs, and is revoked by the secretariat (token.manage) or by the
 * agency making a new calendar link (calendar-feed.create).
 */
const ownSession = {
  'session.read': 'assessment',
  'session.end': 'assessment',
} as const satisfies Partial<Record<Action, Scope>>;

/**
 * Separation of duties: evidence and survey counts come from the agency itself, and only the
 * approver (the governor or a delegate, plan step 10) reviews evidence. Were the secretariat
 * allowed these, one admin token could submit evidence and approve it too.
 */
const NOT_FOR_ADMIN: readonly Action[] = ['oit.submit', 'survey.report', 'oit.review'];

/**
 * The whole rule set as data: what each role may do and how far. An action missing from a
 * role's row is one that role never has (403). The authorization matrix test reads this table.
 */
export const POLICY: Readonly<Record<Role, Readonly<Partial<Record<Action, Scope>>>>> = {
  admin: {
    ...(Object.fromEntries(
      ACTIONS.filter((action) => !NOT_FOR_ADMIN.includes(action)).map((action) => [action, 'assessment']),
    ) as Partial<Record<Action, Scope>>),
    'assessment.create': 'unbound',
    // Rollover creates an assessment: a token bound to one assessment acts on that one only.
    'assessment.rollover': 'unbound',
  },
  approver: { ...readEverything, ...ownSession, 'oit.review': 'assessment' },
  viewer: { ...readEverything, ...ownSession },
  agency: {
    'agency.read': 'own-agency',
    'oit.read': 'own-agency',
    'oit.submit': 'own-agency',
    'survey.report': 'own-agency',
    'progress.read': 'own-agency',
    'task.read': 'responsible',
    'task.update': 'responsible',
    ...ownSession,
    'line.link': 'own-agency',
    'calendar-feed.create': 'own-agency',
  },
  feed: { 'calendar.read': 'feed' },
};

const notFound = (resource: Resource) =>
  new NotFoundError(
    resource.agencyId
      ? `agency ${resource.agencyId} not found in ${resource.assessmentId ?? 'this assessment'}`
      : `assessment ${resource.assessmentId ?? ''} not found`.trim(),
  );

const withinScope = (principal: Principal, scope: Scope, action: Action, resource: Resource): void => {
  switch (scope) {
    case 'assessment':
      return;
    case 'unbound':
      if (principal.assessmentId !== '*')
        throw new ForbiddenError(`a token bound to ${principal.assessmentId} may not do ${action}`);
      return;
    case 'own-agency':
      if (!principal.agencyId || !resource.agencyId)
        throw new ForbiddenError(`an agency token may do ${action} only for its own agency`);
      if (resource.agencyId !== principal.agencyId) throw notFound(resource);
      return;
    case 'responsible': {
      const responsible = resource.responsibleAgencies;
      if (!principal.agencyId || responsible === undefined)
        throw new ForbiddenError(`an agency token may do ${action} only on its own tasks`);
      if (responsible !== 'all' && !responsible.includes(principal.agencyId))
        throw new NotFoundError(
          `task ${resource.taskId ?? '(unnamed)'} not found in ${resource.assessmentId ?? 'this assessment'}`,
        );
      return;
    }
    case 'feed':
      if (!principal.agencyId) return;
      if (!resource.agencyId) throw new ForbiddenError('this feed token opens only its own agency calendar');
      if (resource.agencyId !== principal.agencyId) throw notFound(resource);
      return;
  }
};

/** Whether `principal` may create an assessment of any fiscal year (POST /assessments): the `*` admin. */
export const mayCreateAssessments = (principal: Principal): boolean =>
  POLICY[principal.role]['assessment.create'] !== undefined && principal.assessmentId === '*';

/**
 * Throws ForbiddenError (403) or NotFoundError (404, where existence itself must not leak: an
 * agency token naming another agency's id or another assessment); returns void when allowed.
 *
 * Order: another assessment is a 404 whatever the action (a bound token learns nothing about
 * other assessments), then an action the role never has is a 403, then the scope of the grant.
 */
export function authorize(principal: Principal, action: Action, resource: Resource): void {
  if (
    principal.assessmentId !== '*' &&
    resource.assessmentId !== undefined &&
    resource.assessmentId !== principal.assessmentId
  ) {
    throw new NotFoundError(`assessment ${resource.assessmentId} not found`);
  }
  const scope = POLICY[principal.role][action];
  if (!scope) throw new ForbiddenError(`the ${principal.role} role may not do ${action}`);
  withinScope(principal, scope, action, resource);
}
