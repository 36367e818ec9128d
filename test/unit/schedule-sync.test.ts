import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEventBridgeScheduler } from '#adapters/eventbridge-scheduler';
import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import { DEFAULT_NOTIFICATION_SETTINGS, DEFAULT_SCHEDULE_SETTINGS } from '#domain/notification-settings';
import { PlanData } from '#domain/plan-import';
import {
  desiredSchedules,
  diffSchedules,
  isOwnScheduleName,
  scheduleName,
  triggerMatchesPlan,
} from '#domain/schedule-plan';
import { clockTarget } from '#local/clock';
import { firingsBetween } from '#local/local-scheduler';
import { syncSchedules } from '#use-cases/sync-schedules';

const plan = PlanData.parse(planData);
const ID = 'phatthalung-2567';
const ASSESSMENT = { id: ID, window: { start: '2023-10-01', end: '2024-09-30' }, version: 3 };
const overviewOf = (milestones = plan.milestones) => ({
  overview: { assessment: ASSESSMENT, milestones, tasks: plan.improvementTasks },
  notificationState: {
    settings: DEFAULT_NOTIFICATION_SETTINGS,
    settingsVersion: 0,
    paceRecords: [],
    scheduleSync: null,
  },
});
/** Step 7's schedules that hang on its end date (all but its start), in name order. */
const STEP_7_REMINDERS = [
  `${ID}-m07-due`,
  `${ID}-m07-due-soon-1`,
  `${ID}-m07-due-soon-14`,
  `${ID}-m07-due-soon-7`,
  `${ID}-m07-overdue`,
];
const assessments = { getOverviewWithNotificationState: async () => overviewOf() as never };
const recorded: unknown[] = [];
const notifications = {
  recordScheduleSync: async (_id: string, state: unknown) => {
    recorded.push(state);
    return true;
  },
};

/** A fake Scheduler group on aws-sdk-client-mock: the commands the adapter sends change a map. */
const fakeGroup = () => {
  const mock = mockClient(SchedulerClient);
  const store = new Map<string, Record<string, unknown>>();
  mock.on(ListSchedulesCommand).callsFake((input: { NamePrefix?: string; NextToken?: string }) => {
    const names = [...store.keys()].filter((n) => n.startsWith(input.NamePrefix ?? '')).sort();
    // Pages of 10, to exercise the pagination.
    const start = Number(input.NextToken ?? 0);
    return {
      Schedules: names.slice(start, start + 10).map((Name) => ({ Name })),
      ...(start + 10 < names.length ? { NextToken: String(start + 10) } : {}),
    };
  });
  mock.on(GetScheduleCommand).callsFake((input: { Name: string }) => {
    const s = store.get(input.Name);
    if (!s) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
    return s;
  });
  mock.on(CreateScheduleCommand).callsFake((input: { Name: string }) => {
    store.set(input.Name, input);
    return {};
  });
  mock.on(UpdateScheduleCommand).callsFake((input: { Name: string }) => {
    store.set(input.Name, input);
    return {};
  });
  mock.on(DeleteScheduleCommand).callsFake((input: { Name: string }) => {
    store.delete(input.Name);
    return {};
  });
  const port = createEventBridgeScheduler({
    client: new SchedulerClient({ region: 'ap-southeast-1' }),
    groupName: 'ita',
    targetArn: 'arn:aws:lambda:ap-southeast-1:111111111111:function:milestone',
    roleArn: 'arn:aws:iam::111111111111:role/scheduler',
    deadLetterArn: 'arn:aws:sqs:ap-southeast-1:111111111111:schedules-dlq',
  });
  return { mock, store, port };
};

describe('the desired schedules of the FY2567 plan', () => {
  it('gives each measured milestone its reminders at 08:30 Bangkok, and one weekday pace check', () => {
    // Act
    const desired = desiredSchedules(ASSESSMENT, plan.milestones);

    // Assess
    const byName = Object.fromEntries(desired.map((d) => [d.name, d]));
    expect(byName[`${ID}-m07-start`]?.expression).toBe('at(2024-01-01T08:30:00)');
    expect(byName[`${ID}-m07-due-soon-14`]?.expression).toBe('at(2024-03-17T08:30:00)');
    expect(byName[`${ID}-m07-due-soon-7`]?.expression).toBe('at(2024-03-24T08:30:00)');
    expect(byName[`${ID}-m07-due-soon-1`]?.expression).toBe('at(2024-03-30T08:30:00)');
    expect(byName[`${ID}-m07-due`]?.expression).toBe('at(2024-03-31T08:30:00)');
    expect(byName[`${ID}-m07-overdue`]?.expression).toBe('at(2024-04-01T08:30:00)');
    expect(byName[`${ID}-m10-due`]?.expression).toBe('at(2024-04-30T08:30:00)');
    expect(byName[`${ID}-m05-overdue`]?.expression).toBe('at(2024-07-02T08:30:00)');
    expect(byName[`${ID}-m11-due`]).toBeUndefined();
    expect(byName[`${ID}-pace-check`]).toMatchObject({
      expression: 'cron(30 8 ? * MON-FRI *)',
      timezone: 'Asia/Bangkok',
      // The fiscal year, whatever the tasks: task routes change windows without a re-sync.
      startDate: '2023-09-30T17:00:00.000Z',
      endDate: '2024-09-30T17:00:00.000Z',
    });
    expect(desired.every((d) => d.timezone === 'Asia/Bangkok')).toBe(true);
    expect(desired.every((d) => /^[0-9a-zA-Z\-_.]{1,64}$/.test(d.name))).toBe(true);
  });

  it('keeps names within 64 characters for the longest ids, without mixing two assessments up', () => {
    // Prepare
    const long = 'a'.repeat(64);
    const other = `${'a'.repeat(63)}b`;

    // Act
    const names = [long, other].map((assessmentId) =>
      scheduleName({ assessmentId, milestone: 99, trigger: 'due-soon', days: 366 }),
    );

    // Assess
    expect(names.every((n) => n.length <= 64)).toBe(true);
    expect(names[0]).not.toBe(names[1]);
    expect(isOwnScheduleName('a', 'a-b-m05-start')).toBe(false);
    expect(isOwnScheduleName('a-b', 'a-b-m05-start')).toBe(true);
  });

  it('neither creates nor updates a schedule whose moment has passed', () => {
    // Prepare
    const desired = desiredSchedules(ASSESSMENT, plan.milestones);

    // Act
    const diff = diffSchedules(ID, desired, [], new Date('2024-03-25T00:00:00Z'));

    // Assess
    const created = diff.create.map((d) => d.name);
    expect(created).not.toContain(`${ID}-m07-due-soon-7`);
    expect(created).toContain(`${ID}-m07-due-soon-1`);
    expect(created).toContain(`${ID}-pace-check`);
  });
});

describe('syncing EventBridge Scheduler (aws-sdk-client-mock)', () => {
  let group: ReturnType<typeof fakeGroup>;
  beforeEach(() => {
    group = fakeGroup();
  });
  const deps = (now: string) => ({
    assessments,
    notifications,
    scheduler: group.port,
    settings: DEFAULT_SCHEDULE_SETTINGS,
    now: () => new Date(now),
  });

  it('creates every schedule with the window off, a retry policy and a DLQ, and changes nothing on a second run', async () => {
    // Act
    const first = await syncSchedules(deps('2023-12-01T01:00:00Z'), ID);
    group.mock.resetHistory();
    const second = await syncSchedules(deps('2023-12-01T01:00:00Z'), ID);

    // Assess
    expect(first.created.length).toBeGreaterThan(20);
    expect(second).toEqual({ created: [], updated: [], deleted: [] });
    expect(group.mock).not.toHaveReceivedCommand(CreateScheduleCommand);
    expect(group.mock).not.toHaveReceivedCommand(UpdateScheduleCommand);
    expect(group.mock).not.toHaveReceivedCommand(DeleteScheduleCommand);
    expect(group.mock.commandCalls(ListSchedulesCommand).length).toBeGreaterThan(1);
    const sample = group.store.get(`${ID}-m07-due-soon-7`);
    expect(sample).toMatchObject({
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      ScheduleExpressionTimezone: 'Asia/Bangkok',
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:ap-southeast-1:111111111111:schedules-dlq' },
      },
    });
    expect(JSON.parse(String((sample?.Target as { Input: string } | undefined)?.Input))).toEqual({
      assessmentId: ID,
      milestone: 7,
      trigger: 'due-soon',
      days: 7,
    });
  });

  it('updates a moved milestone, deletes a removed one, and leaves another assessment alone', async () => {
    // Prepare
    await syncSchedules(deps('2023-12-01T01:00:00Z'), ID);
    group.store.set(`${ID}-x-m01-start`, {
      Name: `${ID}-x-m01-start`,
      ScheduleExpression: 'at(2024-01-01T08:30:00)',
    });
    const moved = plan.milestones
      .filter((m) => m.number !== 12)
      .map((m) => (m.number === 7 ? { ...m, window: { ...m.window, end: '2024-04-07' } } : m));
    const changed = { getOverviewWithNotificationState: async () => overviewOf(moved) as never };

    // Act
    const result = await syncSchedules({ ...deps('2023-12-01T01:00:00Z'), assessments: changed }, ID);

    // Assess
    expect(result.created).toEqual([]);
    expect(result.updated.sort()).toEqual(STEP_7_REMINDERS);
    expect(result.deleted).toEqual([`${ID}-m12-start`]);
    expect(group.store.has(`${ID}-x-m01-start`)).toBe(true);
    expect(group.store.get(`${ID}-m07-due`)?.ScheduleExpression).toBe('at(2024-04-07T08:30:00)');
  });
});

describe('a milestone whose end moves into the past', () => {
  it('deletes the reminders still armed at the old dates, keeps the fired ones, and is stable', () => {
    // Prepare: synced on 1 Dec 2566 with step 7 ending 31 Mar; on 20 Mar its end moves to 15 Mar
    const before = desiredSchedules(ASSESSMENT, plan.milestones);
    const moved = plan.milestones.map((m) =>
      m.number === 7 ? { ...m, window: { ...m.window, end: '2024-03-15' } } : m,
    );
    const after = desiredSchedules(ASSESSMENT, moved);
    const now = new Date('2024-03-20T01:00:00Z');

    // Act
    const diff = diffSchedules(ID, after, before, now);
    const rest = before.filter((d) => !diff.delete.includes(d.name));
    const again = diffSchedules(ID, after, rest, now);

    // Assess: due-soon-14 (17 Mar -> 1 Mar), -7, -1, due and overdue were all still in the future
    expect(diff.delete.sort()).toEqual(STEP_7_REMINDERS);
    expect(diff.create.map((d) => d.name)).not.toContain(`${ID}-m07-due`);
    expect(diff.delete).not.toContain(`${ID}-m07-start`);
    expect(again).toEqual({ create: [], update: [], delete: [] });
  });
});

describe('the milestone function checks its trigger against the current plan', () => {
  const desired = desiredSchedules(ASSESSMENT, plan.milestones);
  it.each([
    // invocation, today (Bangkok), accepted
    [{ milestone: 7, trigger: 'due-soon', days: 7 }, '2024-03-24', true],
    [{ milestone: 7, trigger: 'due-soon', days: 7 }, '2024-03-31', false],
    [{ milestone: 7, trigger: 'start' }, '2024-01-01', true],
    [{ milestone: 7, trigger: 'start' }, '2024-01-02', false],
    [{ milestone: 11, trigger: 'due' }, '2024-05-31', false],
    [{ milestone: 7, trigger: 'due-soon', days: 3 }, '2024-03-28', false],
    [{ trigger: 'pace-check' }, '2024-02-15', true],
    [{ trigger: 'pace-check' }, '2024-10-01', false],
  ] as const)('%o on %s: %s', (input, today, accepted) => {
    // Act
    const check = triggerMatchesPlan({ assessmentId: ID, ...input } as never, desired, today);

    // Assess
    expect(check.ok).toBe(accepted);
    if (!check.ok) expect(check.reason).toMatch(/not in the current plan|planned for|runs/);
  });
});

describe('what the sync records for the pace check', () => {
  it('records the assessment and settings versions it synced for, once', async () => {
    // Prepare
    const group = fakeGroup();
    recorded.length = 0;
    const deps = {
      assessments,
      notifications,
      scheduler: group.port,
      settings: DEFAULT_SCHEDULE_SETTINGS,
      now: () => new Date('2023-12-01T01:00:00Z'),
    };

    // Act
    await syncSchedules(deps, ID);

    // Assess
    expect(recorded).toEqual([
      { assessmentVersion: 3, settingsVersion: 0, syncedAt: '2023-12-01T01:00:00.000Z' },
    ]);
    group.mock.restore();
  });
});

describe('npm run clock -- set DATE', () => {
  it("moves to 12:00 Bangkok that day, so the day's 08:30 schedules fire; a full instant stays exact", () => {
    // Prepare
    const from = new Date('2024-02-14T12:00:00+07:00');
    const reminder = desiredSchedules(ASSESSMENT, plan.milestones).find((d) => d.name === `${ID}-m07-start`)!;
    const pace = desiredSchedules(ASSESSMENT, plan.milestones).find((d) => d.name === `${ID}-pace-check`)!;

    // Act
    const to = clockTarget(from, 'set', '2024-02-15');
    const exact = clockTarget(from, 'set', '2024-02-15T08:00:00+07:00');

    // Assess
    expect(to.toISOString()).toBe('2024-02-15T05:00:00.000Z');
    expect(exact.toISOString()).toBe('2024-02-15T01:00:00.000Z');
    expect(firingsBetween(pace, from, to).map((d) => d.toISOString())).toEqual(['2024-02-15T01:30:00.000Z']);
    expect(firingsBetween(pace, from, exact)).toEqual([]);
    expect(
      firingsBetween(reminder, new Date('2023-12-31T12:00:00+07:00'), clockTarget(from, 'set', '2024-01-01')),
    ).toHaveLength(1);
  });
});
