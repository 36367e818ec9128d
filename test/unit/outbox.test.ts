import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxPublisher, OUTBOX_STREAM_FILTER, outboxItem } from '#adapters/dynamo/outbox';
import { type DomainEvent, matchesPattern } from '#domain/events';
import { outboxRelay } from '../../functions/outbox-relay.ts';

const AT = new Date('2024-02-15T01:30:00.000Z');

const planChanged = (assessmentId: string): DomainEvent => ({
  type: 'PlanChanged',
  version: 1,
  assessmentId,
  at: AT.toISOString(),
});

/** A stream record of a new outbox item, as Lambda delivers it. */
const insertRecord = (event: DomainEvent, id: string): DynamoDBRecord => ({
  eventID: id,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: { NewImage: marshall(outboxItem(event, id, AT)) as never },
});

describe('outbox publisher', () => {
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-southeast-1' }));
  const publisher = (retries = 2) =>
    createOutboxPublisher(
      { client: documentClient, tableName: 't' },
      { retries, sleep: async () => undefined },
    );

  it('writes again what DynamoDB left unprocessed, and only that', async () => {
    // Prepare
    const mock = mockClient(documentClient);
    mock
      .on(BatchWriteCommand)
      .callsFakeOnce((input) => ({ UnprocessedItems: { t: input.RequestItems.t.slice(1) } }))
      .resolves({});

    // Act
    await publisher().publish([planChanged('a1'), planChanged('a2'), planChanged('a3')]);

    // Assess
    const written = mock
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems?.t?.map((r) => r.PutRequest?.Item?.event.assessmentId));
    expect(written).toEqual([
      ['a1', 'a2', 'a3'],
      ['a2', 'a3'],
    ]);
  });

  it('throws when puts stay unprocessed after its retries, so the caller reports the event as not sent', async () => {
    // Prepare
    const mock = mockClient(documentClient);
    mock.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));

    // Act
    const result = await publisher(2)
      .publish([planChanged('a1')])
      .catch((error: Error) => error);

    // Assess
    expect((result as Error).message).toBe('the outbox took 0 of 1 event(s)');
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(3);
  });
});

describe('OUTBOX_STREAM_FILTER', () => {
  it('accepts a new outbox item and refuses its TTL deletion and any other item', () => {
    // Prepare
    const insert = insertRecord(planChanged('a1'), 'e1');
    const removal = { ...insert, eventName: 'REMOVE' as const };
    const other: DynamoDBRecord = {
      eventName: 'INSERT',
      dynamodb: { NewImage: marshall({ PK: 'A#a1', SK: 'META', type: 'Assessment' }) as never },
    };

    // Act
    const accepted = [insert, removal, other].map((record) => matchesPattern(OUTBOX_STREAM_FILTER, record));

    // Assess
    expect(accepted).toEqual([true, false, false]);
  });
});

describe('outbox relay', () => {
  const eventBridge = mockClient(EventBridgeClient);

  beforeEach(() => {
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    process.env.EVENT_BUS_NAME = 'ita-test-bus';
  });
  afterEach(() => {
    delete process.env.EVENT_BUS_NAME;
  });

  it('puts each record’s event on the bus, 10 entries per PutEvents', async () => {
    // Prepare
    const records = Array.from({ length: 12 }, (_, i) => insertRecord(planChanged(`a${i}`), `e${i}`));

    // Act
    const result = await outboxRelay({ Records: records });

    // Assess
    expect(result).toEqual({ relayed: 12 });
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 2]);
    expect(calls[1]?.args[0].input.Entries?.[1]).toEqual({
      EventBusName: 'ita-test-bus',
      Source: 'ita.campaign',
      DetailType: 'PlanChanged',
      Detail: JSON.stringify(planChanged('a11')),
    });
  });

  it('throws on a record that is not an outbox event and puts nothing, so the batch is retried and split', async () => {
    // Prepare
    const broken: DynamoDBRecord = {
      eventID: 'e-broken',
      eventName: 'INSERT',
      dynamodb: {
        NewImage: marshall({ PK: 'OUTBOX#x', SK: 'EVENT', type: 'OutboxEvent', event: {} }) as never,
      },
    };

    // Act
    const result = await outboxRelay({ Records: [insertRecord(planChanged('a1'), 'e1'), broken] }).catch(
      (error: Error) => error,
    );

    // Assess
    expect((result as Error).message).toContain('stream record e-broken is not an outbox event');
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
