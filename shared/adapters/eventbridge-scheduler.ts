import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { MilestoneInvocation, type ScheduleDefinition, type SchedulePort } from '#domain/schedule-plan';

export type EventBridgeSchedulerOptions = {
  client: SchedulerClient;
  groupName: string;
  /** The milestone function every schedule invokes. */
  targetArn: string;
  /** The role Scheduler assumes to invoke it. */
  roleArn: string;
  /** The SQS queue that receives invocations Scheduler gave up on. */
  deadLetterArn: string;
  /** Parallel GetSchedule calls while listing. */
  concurrency?: number;
};

const isNotFound = (error: unknown) => (error as { name?: string })?.name === 'ResourceNotFoundException';

/**
 * The schedule port on EventBridge Scheduler, one schedule group for all assessments.
 *
 * Every schedule: flexible window OFF (a reminder at 08:30 means 08:30), 3 retries within 2 hours,
 * a dead-letter queue, and `ActionAfterCompletion: NONE`. With DELETE a fired one-time schedule
 * would vanish, and the next sync could not tell "fired" from "never created"; keeping it (it costs
 * nothing and is never invoked again) and never creating a schedule whose moment passed makes the
 * sync idempotent.
 */
export const createEventBridgeScheduler = ({
  client,
  groupName,
  targetArn,
  roleArn,
  deadLetterArn,
  concurrency = 5,
}: EventBridgeSchedulerOptions): SchedulePort => {
  const toInput = (d: ScheduleDefinition): CreateScheduleCommandInput => ({
    Name: d.name,
    GroupName: groupName,
    ScheduleExpression: d.expression,
    ScheduleExpressionTimezone: d.timezone,
    ...(d.startDate ? { StartDate: new Date(d.startDate) } : {}),
    ...(d.endDate ? { EndDate: new Date(d.endDate) } : {}),
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'NONE',
    State: 'ENABLED',
    Target: {
      Arn: targetArn,
      RoleArn: roleArn,
      Input: JSON.stringify(d.input),
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 2 * 60 * 60 },
      DeadLetterConfig: { Arn: deadLetterArn },
    },
  });

  const read = async (name: string): Promise<ScheduleDefinition | null> => {
    try {
      const s = await client.send(new GetScheduleCommand({ Name: name, GroupName: groupName }));
      const parsed = MilestoneInvocation.safeParse(JSON.parse(s.Target?.Input ?? 'null'));
      return {
        name,
        expression: s.ScheduleExpression ?? '',
        timezone: s.ScheduleExpressionTimezone ?? 'UTC',
        ...(s.StartDate ? { startDate: s.StartDate.toISOString() } : {}),
        ...(s.EndDate ? { endDate: s.EndDate.toISOString() } : {}),
        // A payload we cannot read is kept as a marker that never equals a desired one, so it is updated.
        input: parsed.success
          ? parsed.data
          : ({ assessmentId: '?', trigger: 'pace-check' } as MilestoneInvocation),
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };

  return {
    async list(prefix) {
      const names: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new ListSchedulesCommand({ GroupName: groupName, NamePrefix: prefix, NextToken }),
        );
        names.push(...(page.Schedules ?? []).flatMap((s) => (s.Name ? [s.Name] : [])));
        NextToken = page.NextToken;
      } while (NextToken);
      const found: ScheduleDefinition[] = [];
      for (let i = 0; i < names.length; i += concurrency) {
        const batch = await Promise.all(names.slice(i, i + concurrency).map(read));
        found.push(...batch.filter((d): d is ScheduleDefinition => d !== null));
      }
      return found;
    },
    async create(definition) {
      try {
        await client.send(new CreateScheduleCommand(toInput(definition)));
      } catch (error) {
        // Created by a concurrent sync of the same plan: make it match instead.
        if ((error as { name?: string })?.name !== 'ConflictException') throw error;
        await client.send(new UpdateScheduleCommand(toInput(definition)));
      }
    },
    async update(definition) {
      await client.send(new UpdateScheduleCommand(toInput(definition)));
    },
    async delete(name) {
      try {
        await client.send(new DeleteScheduleCommand({ Name: name, GroupName: groupName }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
};
