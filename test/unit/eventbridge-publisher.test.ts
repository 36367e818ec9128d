import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createEventBridgePublisher } from '#adapters/eventbridge-publisher';
import { type DomainEvent, EVENT_RULES, matchesPattern } from '#domain/events';

const events = (n: number): DomainEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'PlanChanged',
    version: 1,
    assessmentId: `a${i}`,
    at: '2024-02-15T01:30:00.000Z',
  }));

const publisher = (retries = 3) =>
  createEventBridgePublisher({
    client: new EventBridgeClient({ region: 'ap-southeast-1' }),
    eventBusName: 'ita-bus',
    retries,
    sleep: async () => undefined,
  });

describe('EventBridge publisher', () => {
  it('sends 23 events in batches of 10, 10 and 3', async () => {
    // Prepare
    const mock = mockClient(EventBridgeClient);
    mock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });

    // Act
    await publisher().publish(events(23));

    // Assess
    const sizes = mock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length);
    expect(sizes).toEqual([10, 10, 3]);
    expect(mock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]).toMatchObject({
      EventBusName: 'ita-bus',
      Source: 'ita.campaign',
      DetailType: 'PlanChanged',
    });
  });

  it('re-sends only the entries that failed, and succeeds when they go through', async () => {
    // Prepare
    const mock = mockClient(EventBridgeClient);
    mock
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: '1' },
          { ErrorCode: 'ThrottlingException' },
          { EventId: '3' },
          { ErrorCode: 'InternalFailure' },
        ],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: '2' }, { EventId: '4' }] });

    // Act
    await publisher().publish(events(4));

    // Assess
    const second = mock
      .commandCalls(PutEventsCommand)[1]
      ?.args[0].input.Entries?.map((e) => JSON.parse(e.Detail ?? '{}').assessmentId);
    expect(second).toEqual(['a1', 'a3']);
  });

  it('throws when entries still fail after the retries, naming the error', async () => {
    // Prepare
    const mock = mockClient(EventBridgeClient);
    mock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });

    // Act
    const outcome = publisher(2).publish(events(1));

    // Assess
    await expect(outcome).rejects.toThrow(
      'EventBridge refused 1 event(s) after 3 attempts (InternalFailure: boom)',
    );
    expect(mock.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  it('shares its rule patterns with the local bus: NotificationRequested goes to the notifier only', () => {
    // Prepare
    const envelope = { source: 'ita.campaign', 'detail-type': 'NotificationRequested', detail: {} };

    // Act
    const targets = EVENT_RULES.filter((r) => matchesPattern(r.pattern, envelope)).map((r) => r.target);

    // Assess
    expect(targets).toEqual(['notifier']);
  });
});
