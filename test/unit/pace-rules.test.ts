import { describe, expect, it } from 'vitest';
import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import { newAgencySummary } from '#domain/agency';
import { loadDefaultFramework } from '#domain/framework';
import type { AgencySummary } from '#domain/model';
import { DEFAULT_NOTIFICATION_SETTINGS, type PaceRecord } from '#domain/notification-settings';
import { escalationLevel, milestoneNotifications, paceCheck, type RuleInput } from '#domain/notifications';
import { agencyPace, elapsedShare } from '#domain/pace';
import { PlanData } from '#domain/plan-import';
import { addDays } from '#domain/thai-date';
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
    secretariatEmails: ['sec@example.org'],
    approverEmails: ['gov@example.org'],
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
    const kickoff = (date: string, milestone: number) =>
      milestoneNotifications(input(date, agencies), {
        assessmentId: 'phatthalung-2567',
        milestone,
        trigger: 'start',
      });

    // Act
    const step7 = kickoff('2024-01-01', 7);
    const step6 = kickoff('2024-01-01', 6);
    const step10 = kickoff('2024-04-01', 10);
    const step11 = kickoff('2024-05-01', 11);

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

describe('the secretariat rung counts days from the first overdue day (OIT due 31 Mar 2567)', () => {
  it.each([
    // date, whole days since the first overdue day (1 Apr), secretariat copied
    ['2024-04-01', 0, false],
    ['2024-04-07', 6, false],
    ['2024-04-08', 7, true],
  ])('on %s the agency is %i days overdue; secretariat in copy: %s', (date, days, copied) => {
    // Prepare
    const late = summary('late', { done: 2, iit: 999, eit: 999 });
    const record = [{ agencyId: 'late', behindSince: '2024-02-15' }];

    // Act
    const pace = agencyPace(late, milestones, [], date);
    const outcome = paceCheck(input(date, [late]), record);

    // Assess
    expect(pace.state).toBe('overdue');
    expect(pace.daysOverdue).toBe(days);
    expect(escalationLevel(DEFAULT_NOTIFICATION_SETTINGS.escalation, 0, days)).toBe(copied ? 2 : 1);
    const behind = outcome.requests.find((r) => r.kind === 'behind');
    if (behind) expect(behind.cc.includes('sec@example.org')).toBe(copied);
    else expect(copied).toBe(false);
  });

  it('copies the head from the first overdue day, when nothing had been behind before', () => {
    // Assess
    expect(escalationLevel(DEFAULT_NOTIFICATION_SETTINGS.escalation, 0, 0)).toBe(1);
    expect(escalationLevel(DEFAULT_NOTIFICATION_SETTINGS.escalation, 0, null)).toBe(0);
  });
});

describe('the request to update a stale survey count, on weekday checks only', () => {
  const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  /** 4 to 10 Feb 2567: Sunday to Saturday. */
  const lastReports = Array.from({ length: 7 }, (_, i) => addDays('2024-02-04', i));

  it.each(lastReports.map((d) => [WEEKDAYS[new Date(`${d}T00:00:00Z`).getUTCDay()], d]))(
    'last report on a %s (%s): asked on the first weekday 14+ days later, then every 7+ days',
    (_day, last) => {
      // Prepare: on pace for OIT, surveys well ahead of the expected line but never reported again
      let records: PaceRecord[] = [];
      const asked: string[] = [];
      const s = summary('quiet', { done: 20, iit: 999, eit: 300, asOf: last });

      // Act: every weekday check for five weeks, carrying the records as the repository would
      for (let date = addDays(last, 1); date <= addDays(last, 35); date = addDays(date, 1)) {
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        if (weekday === 0 || weekday === 6) continue;
        const outcome = paceCheck(input(date, [s]), records);
        if (outcome.requests.some((r) => r.kind === 'behind' && r.subject === 'quiet')) asked.push(date);
        for (const r of outcome.staleRequested)
          records = [
            {
              ...(records.find((x) => x.agencyId === r.agencyId) ?? {}),
              agencyId: r.agencyId,
              staleRequestedOn: r.date,
            },
          ];
      }

      // Assess
      const firstStaleWeekday = (() => {
        for (let d = addDays(last, 14); ; d = addDays(d, 1)) {
          const w = new Date(`${d}T00:00:00Z`).getUTCDay();
          if (w !== 0 && w !== 6) return d;
        }
      })();
      expect(asked[0]).toBe(firstStaleWeekday);
      expect(asked.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < asked.length; i++) {
        const gap = (Date.parse(asked[i]!) - Date.parse(asked[i - 1]!)) / 86_400_000;
        expect(gap).toBeGreaterThanOrEqual(7);
        expect(gap).toBeLessThanOrEqual(9);
      }
    },
  );

  it('asks again on a same-day retry (the notifier sends it once), not the next day', () => {
    // Prepare
    const s = summary('quiet', { done: 20, iit: 999, eit: 300, asOf: '2024-02-03' });

    // Act
    const retry = paceCheck(input('2024-02-19', [s]), [
      { agencyId: 'quiet', staleRequestedOn: '2024-02-19' },
    ]);
    const nextDay = paceCheck(input('2024-02-20', [s]), [
      { agencyId: 'quiet', staleRequestedOn: '2024-02-19' },
    ]);

    // Assess
    expect(retry.requests.filter((r) => r.kind === 'behind')).toHaveLength(1);
    expect(nextDay.requests.filter((r) => r.kind === 'behind')).toEqual([]);
  });
});

describe('recipients that are not configured', () => {
  it('still produces the secretariat and approver notifications, addressed to nobody, for the milestone function to record', () => {
    // Prepare
    const nobody = { ...input('2024-01-01', [summary('a1')]), settings: DEFAULT_NOTIFICATION_SETTINGS };

    // Act
    const step6 = milestoneNotifications(nobody, {
      assessmentId: 'phatthalung-2567',
      milestone: 6,
      trigger: 'start',
    });
    const monday = paceCheck({ ...nobody, date: '2024-02-19' }, []);

    // Assess
    expect(step6.requests.map((r) => [r.to, r.audience])).toEqual([[[], 'secretariat']]);
    expect(monday.requests.find((r) => r.kind === 'weekly-summary')).toMatchObject({
      to: [],
      audience: 'secretariat',
    });
  });
});
