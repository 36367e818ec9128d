import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutboxPublisher,
  eventsFromStream,
  OUTBOX_STREAM_FILTER,
  OutboxItem,
} from '#adapters/dynamo/outbox';
import type { DomainEvent } from '#domain/events';
import { type StreamPoller, startStreamPoller } from '#local/stream-poller';
import { freshTable } from '#test/table';

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
