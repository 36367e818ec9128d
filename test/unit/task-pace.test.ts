import { describe, expect, it } from 'vitest';
import { newAgencySummary } from '#domain/agency';
import { loadDefaultFramework } from '#domain/framework';
import type { AgencySummary, AgencyTaskState } from '#domain/model';
import { DEFAULT_NOTIFICATION_SETTINGS } from '#domain/notification-settings';
import { paceCheck, weeklyRow } from '#domain/notifications';
import { agencyPace } from '#domain/pace';
import { makeAgency, makeAssessment, makeTask, NOW } from '#test/fixtures';

const framework = loadDefaultFramework(2567);

/** An agency whose own states of the tasks are `states`, with nothing else to do (no OIT, no survey minimum). */
const agency = (id: string, states: Record<string, Omit<AgencyTaskState, 'updatedAt'>>): AgencySummary => {
  const base = newAgencySummary(
    'a-2567',
    makeAgency(id, { internalStaff: 0, externalStakeholders: 0 }),
    framework,
    NOW,
  );
  const tasks = Object.fromEntries(
    Object.entries(states).map(([taskId, s]) => [taskId, { ...s, updatedAt: NOW }]),
  );
  return {
    ...base,
    tasks,
    openTasks: Object.values(tasks).filter((s) => s.status === 'planned' || s.status === 'in_progress')
      .length,
  };
};

// 15 Feb 2567 is 45 of the 91 days of 1 Jan – 31 Mar: about half the window has passed.
const MID = '2024-02-15';

describe('improvement task pace is judged by each agency’s own state', () => {
  it('finds one agency behind on a shared task while another is on track, whatever the overall state says', () => {
    // Prepare: the secretariat has marked the task done overall; that closes it for nobody.
    const shared = makeTask('shared', { status: 'done', progress: 100 });
    const ahead = agency('ahead', { shared: { status: 'in_progress', progress: 60 } });
    const behind = agency('behind', { shared: { status: 'planned', progress: 0 } });

    // Act
    const aheadPace = agencyPace(ahead, [], [shared], MID);
    const behindPace = agencyPace(behind, [], [shared], MID);

    // Assess
    expect(aheadPace).toMatchObject({ state: 'on-track', findings: [] });
    expect(behindPace.state).toBe('behind');
    expect(behindPace.findings).toEqual([
      {
        what: 'task-behind',
        taskId: 'shared',
        title: 'การเปิดเผยข้อมูล',
        progress: 0,
        expected: 50,
        deadline: '2024-03-31',
      },
    ]);
  });

  it('counts a task closed by the agency as closed for it only, and overdue for the one that left it open', () => {
    // Prepare
    const shared = makeTask('shared');
    const finished = agency('finished', { shared: { status: 'done', progress: 100 } });
    const late = agency('late', { shared: { status: 'in_progress', progress: 80 } });

    // Act
    const after = '2024-04-02';
    const finishedPace = agencyPace(finished, [], [shared], after);
    const latePace = agencyPace(late, [], [shared], after);

    // Assess
    expect(finishedPace.state).toBe('complete');
    expect(latePace.state).toBe('overdue');
    expect(latePace.findings.map((f) => f.what)).toEqual(['task-overdue']);
  });

  it('ignores drafts and tasks cancelled for the province: no finding, no behind email', () => {
    // Prepare: a stale state left on a draft and on a cancelled task must not count.
    const draft = makeTask('draft', { status: 'draft' });
    const cancelled = makeTask('cancelled', { status: 'cancelled' });
    const idle = agency('idle', {
      draft: { status: 'planned', progress: 0 },
      cancelled: { status: 'planned', progress: 0 },
    });
    const assessment = makeAssessment('a-2567');

    // Act
    const pace = agencyPace(idle, [], [draft, cancelled], MID);
    const check = paceCheck(
      {
        assessment,
        milestones: [],
        tasks: [draft, cancelled],
        agencies: [idle],
        settings: DEFAULT_NOTIFICATION_SETTINGS,
        date: MID,
      },
      [],
    );

    // Assess
    expect(pace.findings).toEqual([]);
    expect(pace.state).toBe('complete');
    expect(check.requests.filter((r) => r.kind === 'behind')).toEqual([]);
  });

  it('reports the summary’s exact open count in the weekly row', () => {
    // Prepare
    const tasks = [makeTask('t1'), makeTask('t2'), makeTask('t3')];
    const summary = agency('mixed', {
      t1: { status: 'done', progress: 100 },
      t2: { status: 'in_progress', progress: 70 },
      t3: { status: 'cancelled', progress: 0 },
    });

    // Act
    const row = weeklyRow(summary, agencyPace(summary, [], tasks, MID));

    // Assess
    expect(row.tasks).toEqual({ open: 1, overdue: 0 });
  });
});
