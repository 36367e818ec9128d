import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys';
import { createNotificationRepository } from '#adapters/dynamo/notification-repository';
import { createOutboxPublisher, OUTBOX_STREAM_FILTER } from '#adapters/dynamo/outbox';
import { eventsFromStream, OutboxItem } from '#adapters/dynamo/outbox-stream';
import { ConflictError, VersionConflictError } from '#domain/errors';
import { type DomainEvent, planChanged as planChangedAt } from '#domain/events';
import { DEFAULT_NOTIFICATION_SETTINGS } from '#domain/notification-settings';
import { type NotificationRequest, notificationId } from '#domain/notifications';
import { type StreamPoller, startStreamPoller } from '#local/stream-poller';
import { audit, makeAssessment, makeMilestones, NOW, seedAssessment } from '#test/fixtures';
import { freshTable, outboxEventsIn } from '#test/table';

let table: Awaited<ReturnType<typeof freshTable>>;
let poller: StreamPoller;
const batches: DynamoDBRecord[][] = [];

const planChanged = (assessmentId: string): DomainEvent => ({
  type: 'PlanChanged',
  version: 1,
  assessmentId,
  at: '2024-02-15T01:30:00.000Z',
});

/** The events delivered so far, in the order the stream gave them. */
const deliveredEvents = () => batches.flatMap((records) => eventsFromStream(records));

beforeAll(async () => {
  table = await freshTable('outbox');
  poller = await startStreamPoller({
    endpoint: table.endpoint,
    tableName: table.tableName,
    filter: OUTBOX_STREAM_FILTER,
    deliver: async (records) => void batches.push(records),
    log: () => undefined,
  });
});

afterAll(async () => {
  await poller.stop();
});

describe('the outbox on DynamoDB Local', () => {
  it('writes each event as an outbox item with a one-day TTL, 25 per BatchWriteItem', async () => {
    // Prepare
    const ids = Array.from({ length: 30 }, (_, i) => `evt-${i}`);
    let next = 0;
    const publisher = createOutboxPublisher(table, {
      newId: () => ids[next++]!,
      now: () => new Date('2024-02-15T01:30:00.000Z'),
    });
    const events = ids.map((_, i) => planChanged(`a-${i}`));
    table.calls.length = 0;

    // Act
    await publisher.publish(events);

    // Assess
    expect(table.calls).toEqual(['BatchWriteItemCommand', 'BatchWriteItemCommand']);
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: { PK: 'OUTBOX#evt-29', SK: 'EVENT' } }),
    );
    expect(OutboxItem.parse(Item)).toEqual({
      PK: 'OUTBOX#evt-29',
      SK: 'EVENT',
      type: 'OutboxEvent',
      event: planChanged('a-29'),
      expiresAt: Date.UTC(2024, 1, 16, 1, 30) / 1000,
    });
  });

  it('hands the stream poller every new outbox event and nothing else (other items, deletions)', async () => {
    // Prepare
    await poller.drain();
    batches.length = 0;
    const publisher = createOutboxPublisher(table);

    // Act
    await publisher.publish([planChanged('stream-1'), planChanged('stream-2')]);
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: { PK: 'A#other', SK: 'META', type: 'Assessment' } }),
    );
    await table.client.send(
      new DeleteCommand({ TableName: table.tableName, Key: { PK: 'OUTBOX#evt-0', SK: 'EVENT' } }),
    );
    await poller.drain();

    // Assess
    expect(deliveredEvents().map((event) => event.type === 'PlanChanged' && event.assessmentId)).toEqual([
      'stream-1',
      'stream-2',
    ]);
    expect(batches.flat().every((record) => record.eventName === 'INSERT')).toBe(true);
    expect(batches.flat()[0]?.eventSourceARN).toMatch(/stream/);
  });

  it('delivers on its own timer too, without drain()', async () => {
    // Prepare
    batches.length = 0;

    // Act
    await createOutboxPublisher(table).publish([planChanged('timer-1')]);

    // Assess
    const deadline = Date.now() + 10_000;
    while (deliveredEvents().length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(deliveredEvents()).toEqual([planChanged('timer-1')]);
  });

  it('retries a batch the function keeps failing, then sets it aside as dead letters and goes on', async () => {
    // Prepare: its own table, and a function that refuses one assessment's event
    const own = await freshTable('outbox-dlq');
    const attempts: string[] = [];
    const relayed: DomainEvent[] = [];
    const failing = await startStreamPoller({
      endpoint: own.endpoint,
      tableName: own.tableName,
      filter: OUTBOX_STREAM_FILTER,
      deliver: async (records) => {
        const events = eventsFromStream(records);
        attempts.push(
          events.map((event) => (event.type === 'PlanChanged' ? event.assessmentId : '?')).join(),
        );
        if (events.some((event) => event.type === 'PlanChanged' && event.assessmentId === 'refused')) {
          throw new Error('bus refused');
        }
        relayed.push(...events);
      },
      retries: 2,
      retryDelayMs: 1,
      intervalMs: 60_000,
      log: () => undefined,
    });

    // Act
    await createOutboxPublisher(own).publish([planChanged('refused')]);
    await failing.drain();
    await createOutboxPublisher(own).publish([planChanged('after')]);
    await failing.drain();
    await failing.stop();

    // Assess
    expect(attempts).toEqual(['refused', 'refused', 'refused', 'after']);
    expect(failing.deadLetters).toHaveLength(1);
    expect(failing.deadLetters[0]?.error).toBe('bus refused');
    expect(relayed).toEqual([planChanged('after')]);
  });
});

describe('the transactional outbox: a change and its event commit together or not at all', () => {
  const A = 'tx-2567';
  let tx: Awaited<ReturnType<typeof freshTable>>;
  let notifications: ReturnType<typeof createNotificationRepository>;
  const planChangedOf = async (assessmentId: string) =>
    (await outboxEventsIn(tx)).filter(
      (event) => event.type === 'PlanChanged' && event.assessmentId === assessmentId,
    );
  const requestsFor = async (subject: string) =>
    (await outboxEventsIn(tx)).filter(
      (event) => event.type === 'NotificationRequested' && event.request.subject === subject,
    );
  const requestOf = (subject: string, to: string[]): NotificationRequest => ({
    assessmentId: A,
    subject,
    kind: 'behind',
    localDate: '2024-02-15',
    to,
    cc: [],
    email: {
      template: 'behind',
      asOf: '2024-02-15',
      unitName: 'จังหวัดทดสอบ',
      agencyId: subject,
      agencyName: `หน่วยงานทดสอบ ${subject}`,
      lines: [{ what: 'oit-incomplete', done: 3, assigned: 20, deadline: '2024-03-31' }],
      daysBehind: 0,
      daysOverdue: 0,
      escalation: 0,
    },
  });
  const requested = (request: NotificationRequest): DomainEvent => ({
    type: 'NotificationRequested',
    version: 1,
    at: NOW,
    request,
  });

  beforeAll(async () => {
    tx = await freshTable('outbox-tx');
    notifications = createNotificationRepository(tx);
    await seedAssessment(tx, { id: A, agencyIds: ['agency-a'] });
  });

  it('a plan change: refused at a stale version, neither the plan nor PlanChanged; committed, both', async () => {
    // Prepare
    const moved = makeMilestones().map((m) => ({ ...m, title: `${m.title} (แก้ไข)` }));

    // Act
    const refused = await tx.assessments
      .replacePlan(A, moved, 7, NOW, audit(A), [planChangedAt(A, NOW)])
      .catch((error: unknown) => error);
    const afterRefusal = await tx.assessments.getWithPlan(A);
    const eventsAfterRefusal = await planChangedOf(A);
    await tx.assessments.replacePlan(A, moved, 1, NOW, audit(A), [planChangedAt(A, NOW)]);

    // Assess
    expect(refused).toBeInstanceOf(VersionConflictError);
    expect(afterRefusal?.assessment.version).toBe(1);
    expect(afterRefusal?.milestones.map((m) => m.title)).toEqual(makeMilestones().map((m) => m.title));
    expect(eventsAfterRefusal).toEqual([]);
    expect((await tx.assessments.getWithPlan(A))?.assessment.version).toBe(2);
    expect(await planChangedOf(A)).toEqual([planChangedAt(A, NOW)]);
  });

  it('a transaction DynamoDB refuses as a whole (over 100 items) writes neither the plan nor its event', async () => {
    // Prepare: 98 milestones, the assessment, the audit entry and the outbox item: 101 items
    const many = Array.from({ length: 98 }, (_, i) => ({ ...makeMilestones()[0]!, number: i + 1 }));

    // Act
    const refused = await tx.assessments
      .replacePlan(A, many, 2, NOW, audit(A), [planChangedAt(A, '2024-02-16T01:30:00.000Z')])
      .catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(Error);
    expect((await tx.assessments.getWithPlan(A))?.milestones).toHaveLength(2);
    expect(await planChangedOf(A)).toHaveLength(1);
  });

  it('a new assessment: an id in use writes no event; a new one commits with its PlanChanged', async () => {
    // Prepare
    const created = (id: string) => ({
      assessment: makeAssessment(id),
      milestones: makeMilestones(),
      tasks: [],
      results: [],
    });

    // Act
    const taken = await tx.assessments
      .create(created(A), audit(A), [planChangedAt(A, '2024-02-17T01:30:00.000Z')])
      .catch((error: unknown) => error);
    await tx.assessments.create(created('tx-2568'), audit('tx-2568'), [planChangedAt('tx-2568', NOW)]);

    // Assess
    expect(taken).toBeInstanceOf(ConflictError);
    expect(await planChangedOf(A)).toHaveLength(1);
    expect(await planChangedOf('tx-2568')).toEqual([planChangedAt('tx-2568', NOW)]);
  });

  it('notification settings: a stale version writes neither the settings nor PlanChanged; committed, both', async () => {
    // Act
    const refused = await notifications
      .putSettings(A, DEFAULT_NOTIFICATION_SETTINGS, 3, new Date(NOW), audit(A), [
        planChangedAt(A, '2024-02-18T01:30:00.000Z'),
      ])
      .catch((error: unknown) => error);
    const stored = await notifications.getSettings(A);
    const eventsAfterRefusal = await planChangedOf(A);
    await notifications.putSettings(A, DEFAULT_NOTIFICATION_SETTINGS, 0, new Date(NOW), audit(A), [
      planChangedAt(A, '2024-02-19T01:30:00.000Z'),
    ]);

    // Assess
    expect(refused).toBeInstanceOf(VersionConflictError);
    expect(stored).toBeNull();
    expect(eventsAfterRefusal).toHaveLength(1);
    expect((await notifications.getSettings(A))?.version).toBe(1);
    expect((await planChangedOf(A)).map((event) => event.at)).toContain('2024-02-19T01:30:00.000Z');
  });

  it('a resend: refused while the record is not failed, no request queued; committed, the mark and its request', async () => {
    // Prepare: a failed record
    const request = requestOf('resend-me', ['coordinator@agency-a.example.org']);
    await notifications.recordUndeliverable(request, 'test failure', new Date(NOW), audit(A));
    const id = notificationId(request);

    // Act
    await notifications.requestResend(A, id, audit(A), undefined, [requested(request)]);
    const again = await notifications
      .requestResend(A, id, audit(A), undefined, [requested(request)])
      .catch((error: unknown) => error);

    // Assess
    expect(again).toBeInstanceOf(ConflictError);
    expect(await notifications.get(A, id)).toMatchObject({ status: 'resend' });
    expect(await requestsFor('resend-me')).toEqual([requested(request)]);
  });

  it('a pace move: refused when another run made it first, neither record, audit nor request; committed, all three', async () => {
    // Prepare
    const request = requestOf('agency-a', ['coordinator@agency-a.example.org']);
    const move = { agencyId: 'agency-a', startBehind: '2024-02-15' };
    const paceAudit = () => ({ ...audit(A, 'agency-a'), action: 'pace.behind' });

    // Act
    const first = await notifications.movePace(A, move, [paceAudit()], [requested(request)]);
    const second = await notifications.movePace(
      A,
      { agencyId: 'agency-a', startBehind: '2024-02-16' },
      [paceAudit()],
      [requested({ ...request, localDate: '2024-02-16' })],
    );
    const { Item } = await tx.client.send(
      new GetCommand({ TableName: tx.tableName, Key: keys.paceRecord(A, 'agency-a') }),
    );
    const trail = await tx.assessments.listAudit(A, { agencyId: 'agency-a', limit: 50 });

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(Item).toMatchObject({ agencyId: 'agency-a', behindSince: '2024-02-15' });
    expect(trail.entries.filter((entry) => entry.action === 'pace.behind')).toHaveLength(1);
    expect(await requestsFor('agency-a')).toEqual([requested(request)]);
  });
});
