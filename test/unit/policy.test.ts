import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '#domain/errors';
import { ACTIONS, type Action, authorize, POLICY, type Resource } from '#domain/policy';
import type { Principal, Role } from '#domain/principal';

const A = 'phatthalung-2567';
const principal = (role: Role, extra: Partial<Principal> = {}): Principal => ({
  tokenId: `tok-${role}`,
  role,
  assessmentId: A,
  ...(role === 'agency' ? { agencyId: 'pt-land' } : {}),
  ...extra,
});

/** 'allow', or the error class expected; run on a resource of the caller's own assessment and agency. */
const outcome = (p: Principal, action: Action, resource: Resource) => {
  try {
    authorize(p, action, resource);
    return 'allow';
  } catch (error) {
    if (error instanceof NotFoundError) return 404;
    if (error instanceof ForbiddenError) return 403;
    throw error;
  }
};

const READS: Action[] = [
  'assessment.read',
  'agency.read',
  'agency.list',
  'oit.read',
  'task.read',
  'progress.read',
  'audit.read',
  'notification.read',
  'forecast.read',
  'calendar.read',
];

/** Reading and ending one's own session: every role but the calendar's feed token. */
const SESSION: Action[] = ['session.read', 'session.end'];

/** Written independently of POLICY: what each role may do on its own agency's resources. */
const ALLOWED: Record<Role, Action[]> = {
  admin: ACTIONS.filter(
    (a) =>
      !['assessment.create', 'assessment.rollover', 'oit.submit', 'survey.report', 'oit.review'].includes(a),
  ),
  approver: [...READS, 'oit.review', ...SESSION],
  viewer: [...READS, ...SESSION],
  agency: [
    'agency.read',
    'oit.read',
    'oit.submit',
    'survey.report',
    'progress.read',
    'task.read',
    'task.update',
    // a LINE link code for its own group (issue 13)
    'line.link',
    // its own calendar subscription link (a feed token; the earlier link revoked)
    'calendar-feed.create',
    ...SESSION,
  ],
  feed: ['calendar.read'],
};

const own: Resource = { assessmentId: A, agencyId: 'pt-land', responsibleAgencies: ['pt-land'] };

describe('the policy table', () => {
  it('allows exactly the expected actions per role inside the own assessment and agency', () => {
    // Prepare
    const roles = Object.keys(POLICY) as Role[];

    // Act
    const granted = Object.fromEntries(
      roles.map((role) => [
        role,
        ACTIONS.filter((action) => outcome(principal(role), action, own) === 'allow'),
      ]),
    );

    // Assess
    const sorted = (byRole: Record<string, readonly string[]>) =>
      Object.fromEntries(Object.entries(byRole).map(([role, actions]) => [role, [...actions].sort()]));
    expect(sorted(granted)).toEqual(sorted(ALLOWED));
  });

  it('refuses an action a role never has with 403, even on another agency', () => {
    // Prepare
    const agency = principal('agency');

    // Act
    const outcomes = (['oit.review', 'agency.create', 'plan.update', 'token.manage'] as const).map((action) =>
      outcome(agency, action, { assessmentId: A, agencyId: 'pt-treasury' }),
    );

    // Assess
    expect(outcomes).toEqual([403, 403, 403, 403]);
  });

  it("hides another agency's resources from an agency token with 404, for reads and writes", () => {
    // Prepare
    const agency = principal('agency');
    const other = { assessmentId: A, agencyId: 'pt-treasury' };

    // Act
    const outcomes = (
      ['oit.submit', 'oit.read', 'survey.report', 'progress.read', 'agency.read'] as const
    ).map((action) => outcome(agency, action, other));

    // Assess
    expect(outcomes).toEqual([404, 404, 404, 404, 404]);
  });

  it('refuses province-level reads to an agency with 403', () => {
    // Act
    const outcomes = (['progress.read', 'agency.list', 'assessment.read'] as const).map((action) =>
      outcome(principal('agency'), action, { assessmentId: A }),
    );

    // Assess
    expect(outcomes).toEqual([403, 403, 403]);
  });

  it('answers 404 for another assessment to every bound role, before looking at the action', () => {
    // Prepare
    const elsewhere = { assessmentId: 'songkhla-2567', agencyId: 'pt-land' };

    // Act
    const outcomes = (Object.keys(POLICY) as Role[]).map((role) =>
      outcome(principal(role), 'plan.update', elsewhere),
    );

    // Assess
    expect(outcomes).toEqual([404, 404, 404, 404, 404]);
  });

  it('lets a * admin act in any assessment, and only a * admin create one, afresh or by rollover', () => {
    // Prepare
    const global = principal('admin', { assessmentId: '*' });

    // Act
    const outcomes = [
      outcome(global, 'plan.update', { assessmentId: 'songkhla-2567' }),
      outcome(global, 'assessment.create', { assessmentId: 'songkhla-2568' }),
      outcome(global, 'assessment.rollover', { assessmentId: A }),
      outcome(principal('admin'), 'assessment.create', {}),
      outcome(principal('admin'), 'assessment.rollover', { assessmentId: A }),
    ];

    // Assess
    expect(outcomes).toEqual(['allow', 'allow', 'allow', 403, 403]);
  });

  it("lets an agency update a task only when it is responsible for it (or all agencies are); another agency's task is a 404", () => {
    // Prepare
    const agency = principal('agency');
    const task = (responsibleAgencies?: Resource['responsibleAgencies']): Resource => ({
      assessmentId: A,
      ...(responsibleAgencies ? { responsibleAgencies } : {}),
    });

    // Act
    const outcomes = [
      outcome(agency, 'task.update', task(['pt-treasury', 'pt-land'])),
      outcome(agency, 'task.update', task('all')),
      outcome(agency, 'task.update', task(['pt-treasury'])),
      outcome(agency, 'task.update', task()),
      outcome(agency, 'task.create', task('all')),
    ];

    // Assess
    expect(outcomes).toEqual(['allow', 'allow', 404, 403, 403]);
  });

  it("keeps the secretariat out of the agencies' reporting and the approver's review (403)", () => {
    // Prepare
    const secretariat = principal('admin', { assessmentId: '*' });

    // Act
    const outcomes = (['oit.submit', 'survey.report', 'oit.review', 'task.update'] as const).map((action) =>
      outcome(secretariat, action, own),
    );

    // Assess
    expect(outcomes).toEqual([403, 403, 403, 'allow']);
  });

  it('opens calendars only to feed tokens within their binding', () => {
    // Prepare
    const province = principal('feed');
    const agencyFeed = principal('feed', { agencyId: 'pt-land' });

    // Act
    const outcomes = [
      outcome(province, 'calendar.read', { assessmentId: A }),
      outcome(province, 'calendar.read', { assessmentId: A, agencyId: 'pt-treasury' }),
      outcome(agencyFeed, 'calendar.read', { assessmentId: A, agencyId: 'pt-land' }),
      outcome(agencyFeed, 'calendar.read', { assessmentId: A, agencyId: 'pt-treasury' }),
      outcome(agencyFeed, 'calendar.read', { assessmentId: A }),
      outcome(province, 'assessment.read', { assessmentId: A }),
    ];

    // Assess
    expect(outcomes).toEqual(['allow', 'allow', 'allow', 404, 403, 403]);
  });

  it('names only actions that exist', () => {
    // Act
    const named = Object.values(POLICY).flatMap((grants) => Object.keys(grants));

    // Assess
    expect(named.filter((action) => !(ACTIONS as readonly string[]).includes(action))).toEqual([]);
  });
});
