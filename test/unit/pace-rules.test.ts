import { describe, expect, it } from 'vitest';
import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import { newAgencySummary } from '#domain/agency';
import { loadDefaultFramework } from '#domain/framework';
import type { AgencySummary } from '#domain/model';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  milestoneNotifications,
  paceCheck,
  type RuleInput,
} from '#domain/notifications';
import { agencyPace, elapsedShare } from '#domain/pace';
import { PlanData } from '#domain/plan-import';
import { makeAgency, makeAssessment, NOW } from '#test/fixtures';

const plan = PlanData.parse(planData);
const framework = loadDefaultFramework(2567);
const m = (n: number) => plan.milestones.find((x) => x.number === n)!;
/** The plan without improvement tasks: the OIT and survey rules alone. */
const milestones = plan.milestones;

const summary = (
  id: string,
  {
    assigned = 20,
    done = 0,
    iit = 0,
    eit = 0,
    asOf,
  }: { assigned?: number; done?: number; iit?: number; eit?: number; asOf?: string } = {},
): AgencySummary => {
  const s = newAgencySummary('phatthalung-2567', makeAgency(id), framework, NOW);
  return {
    ...s,
    oit: { assigned, submitted: done, approved: 0, rejected: 0 },
    surveys: {
      iit: { ...s.surveys.iit, responses: iit, ...(asOf ? { asOf } : {}) },
      eit: { ...s.surveys.eit, responses: eit, ...(asOf ? { asOf } : {}) },
    },
  };
};

const input = (date: string, agencies: AgencySummary[], tasks = [] as RuleInput['tasks']): RuleInput => ({
  assessment: makeAssessment('phatthalung-2567'),
  milestones,
  tasks,
  agencies,
  settings: {
    ...DEFAULT_NOTIFICATION_SETTINGS,
    secretariatEmail: 'sec@example.org',
    approverEmail: 'gov@example.org',
  },
  date,
});

describe('OIT evidence pace (step 7, 1 Jan – 31 Mar 2567)', () => {
  it.each([
    // date, done of 20, state: elapsed share on 15 Feb is 45/91 = 49.5 %, behind below 39.5 % (7.9 items)
    ['2024-01-01', 0, 'on-track'],
    ['2024-02-15', 8, 'on-track'],
    ['2024-02-15', 7, 'behind'],
    ['2024-03-31', 17, 'behind'],
    ['2024-04-01', 19, 'overdue'],
    ['2024-04-01', 20, 'on-track'],
  ])('on %s with %i of 20 done the agency is %s', (date, done, state) => {
    // Prepare: surveys complete so that only OIT is measured
    const s = summary('a1', { done, iit: 999, eit: 999 });

    // Act
    const pace = agencyPace(s, milestones, [], date);

    // Assess
    expect(pace.state === 'complete' ? 'on-track' : pace.state).toBe(state);
  });

  it('states what is expected: 7 of 20 on 15 Feb 2567 should be at least 10', () => {
    // Act
    const pace = agencyPace(summary('a1', { done: 7, iit: 999, eit: 999 }), milestones, [], '2024-02-15');

    // Assess
    expect(elapsedShare(m(7).window, '2024-02-15')).toBeCloseTo(45 / 91);
    expect(pace.findings).toEqual([
      { what: 'oit-behind', done: 7, assigned: 20, expected: 10, deadline: '2024-03-31' },
    ]);
  });
});

describe('survey quota pace (step 5, 1 Jan – 1 Jul 2567)', () => {
  it('forecasts from the last 14 days and says when the minimum is reached, or the shortfall', () => {
    // Prepare: IIT minimum for 120 staff; 1 Apr is day 91 of 183
    const base = summary('a1', { done: 20 });
    const required = base.surveys.iit.required;
    const slow: AgencySummary = {
      ...base,
      surveys: {
        ...base.surveys,
        iit: {
          ...base.surveys.iit,
          responses: 10,
          asOf: '2024-04-01',
          history: [
            { asOf: '2024-03-18', responses: 3 },
            { asOf: '2024-04-01', responses: 10 },
          ],
        },
        eit: { ...base.surveys.eit, responses: base.surveys.eit.required },
      },
    };

    // Act
    const pace = agencyPace(slow, milestones, [], '2024-04-01');

    // Assess: 7 responses in 14 days = 0.5/day, 20 missing -> 40 more days; 91 days left -> 10 + 45 = 55
    const finding = pace.findings.find((f) => f.what === 'survey-behind');
    expect(required).toBe(30);
    expect(finding).toEqual({
      what: 'survey-behind',
      tool: 'iit',
      responses: 10,
      required: 30,
      expected: 15,
      deadline: '2024-07-01',
      forecastAtDeadline: 55,
      reachDate: '2024-05-11',
      shortfall: 0,
    });
  });

  it('falls back to the average since the window opened, and states the shortfall at the deadline', () => {
    // Prepare: 6 responses by 1 Apr with no history: 6 / 91 days; 91 days left -> 12 of 30
    const s = summary('a1', { done: 20, iit: 6, eit: 9999, asOf: '2024-04-01' });

    // Act
    const pace = agencyPace(s, milestones, [], '2024-04-01');

    // Assess
    expect(pace.findings.find((f) => f.what === 'survey-behind')).toMatchObject({
      tool: 'iit',
      forecastAtDeadline: 12,
      reachDate: null,
      shortfall: 18,
    });
  });

  it('asks for an update when the count has not moved for 14 days', () => {
    // Act
    const pace = agencyPace(
      summary('a1', { done: 20, iit: 60, eit: 10, asOf: '2024-01-20' }),
      milestones,
      [],
      '2024-02-05',
    );

    // Assess
    expect(pace.findings).toContainEqual({
      what: 'survey-stale',
      tool: 'eit',
      lastReported: '2024-01-20',
      days: 16,
    });
  });
});

describe('milestone triggers on the seed calendar', () => {
  it('kicks off step 7 to every coordinator, step 6 to the secretariat, step 10 to the approver, step 11 to nobody', () => {
    // Prepare
    const agencies = [summary('a2'), summary('a1')];

    // Act
    const step7 = milestoneNotifications(input('2024-01-01', agencies), {
      assessmentId: 'phatthalung-2567',
      milestone: 7,
      trigger: 'start',
    });
    const step6 = milestoneNotifications(input('2024-01-01', agencies), {
      assessmentId: 'phatthalung-2567',
      milestone: 6,
      trigger: 'start',
    });
    const step10 = milestoneNotifications(input('2024-04-01', agencies), {
      assessmentId: 'phatthalung-2567',
      milestone: 10,
      trigger: 'start',
    });
    const step11 = milestoneNotifications(input('2024-05-01', agencies), {
      assessmentId: 'phatthalung-2567',
      milestone: 11,
      trigger: 'start',
    });

    // Assess
    expect(step7.requests.map((r) => [r.subject, r.kind, r.to])).toEqual([
      ['a1', 'm07-start', ['coordinator@a1.example.org']],
      ['a2', 'm07-start', ['coordinator@a2.example.org']],
    ]);
    expect(step6.requests.map((r) => r.to)).toEqual([['sec@example.org']]);
    expect(step10.requests.map((r) => r.to)).toEqual([['gov@example.org']]);
    expect(step11.requests).toEqual([]);
    expect(step11.notes[0]).toContain('NACC');
  });

  it('reminds only agencies not yet complete; the overdue notice copies the head', () => {
    // Prepare
    const agencies = [summary('done', { done: 20, iit: 999, eit: 999 }), summary('late', { done: 12 })];

    // Act
    const soon = milestoneNotifications(input('2024-03-24', agencies), {
      assessmentId: 'phatthalung-2567',
      milestone: 7,
      trigger: 'due-soon',
      days: 7,
    });
    const overdue = milestoneNotifications(input('2024-04-01', agencies), {
      assessmentId: 'phatthalung-2567',
      milestone: 7,
      trigger: 'overdue',
    });

    // Assess
    expect(soon.requests.map((r) => [r.subject, r.kind, r.cc])).toEqual([['late', 'm07-due-soon-7', []]]);
    expect(overdue.requests.map((r) => [r.subject, r.cc])).toEqual([['late', ['head@late.example.org']]]);
  });

  it('tells the approver how many submitted items wait for approval (step 10, by 30 Apr 2567)', () => {
    // Act
    const outcome = milestoneNotifications(
      input('2024-04-23', [summary('a1', { done: 5 }), summary('a2', { done: 0 })]),
      {
        assessmentId: 'phatthalung-2567',
        milestone: 10,
        trigger: 'due-soon',
        days: 7,
      },
    );

    // Assess
    expect(outcome.requests).toHaveLength(1);
    expect(outcome.requests[0]?.email).toMatchObject({ template: 'approval', pending: 5, daysLeft: 7 });
  });
});

describe('the pace check and the escalation ladder', () => {
  it('emails the coordinator on the first day behind, the head after 7 days, the secretariat 7 days after the deadline', () => {
    // Prepare
    const late = summary('late', { done: 2, iit: 999, eit: 999 });

    // Act
    const first = paceCheck(input('2024-02-15', [late]), []);
    const week = paceCheck(input('2024-02-22', [late]), [{ agencyId: 'late', behindSince: '2024-02-15' }]);
    const quiet = paceCheck(input('2024-02-20', [late]), [{ agencyId: 'late', behindSince: '2024-02-15' }]);
    const overdue = paceCheck(input('2024-04-08', [late]), [{ agencyId: 'late', behindSince: '2024-02-15' }]);

    // Assess
    expect(first.startBehind).toEqual([{ agencyId: 'late', behindSince: '2024-02-15' }]);
    expect(first.requests.map((r) => [r.kind, r.to, r.cc])).toEqual([
      ['behind', ['coordinator@late.example.org'], []],
    ]);
    expect(week.requests.map((r) => r.cc)).toEqual([['head@late.example.org']]);
    expect(quiet.requests).toEqual([]);
    expect(overdue.requests.filter((r) => r.kind === 'behind').map((r) => r.cc)).toEqual([
      ['head@late.example.org', 'sec@example.org'],
    ]);
  });

  it('clears the record of an agency back on track, and sends the weekly summary on Monday', () => {
    // Prepare: 19 Feb 2567 is a Monday
    const fine = summary('fine', { done: 15, iit: 999, eit: 999 });

    // Act
    const outcome = paceCheck(input('2024-02-19', [fine]), [{ agencyId: 'fine', behindSince: '2024-02-01' }]);

    // Assess
    expect(outcome.clearBehind).toEqual([{ agencyId: 'fine', behindSince: '2024-02-01' }]);
    expect(outcome.requests.map((r) => r.kind)).toEqual(['weekly-summary']);
    expect(outcome.requests[0]?.email).toMatchObject({
      template: 'weekly',
      rows: [{ agencyId: 'fine', state: 'on-track' }],
    });
  });
});
