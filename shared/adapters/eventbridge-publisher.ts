import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { type DomainEvent, type EventPublisher, toBusEntry } from '#domain/events';
import { sleep as realSleep, retry, type Sleep } from './backoff.ts';

export type EventBridgePublisherOptions = {
  client: EventBridgeClient;
  eventBusName: string;
  /** Rounds of re-sending the entries EventBridge reported as failed, after the first send. */
  retries?: number;
  /** First backoff in ms; doubled each round, with full jitter, at most 2 s. */
  baseDelayMs?: number;
  sleep?: Sleep;
};

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;

/**
 * Publishes domain events to the custom bus. PutEvents is not all-or-nothing: it answers 200 with
 * `FailedEntryCount` and an error per failed entry, so only those entries are sent again, with
 * backoff; if some still fail, it throws so the caller's retry (or DLQ) takes over rather than
 * losing an event.
 */
export const createEventBridgePublisher = ({
  client,
  eventBusName,
  retries = 4,
  baseDelayMs = 100,
  sleep = realSleep,
}: EventBridgePublisherOptions): EventPublisher => {
  const sendBatch = async (batch: PutEventsRequestEntry[]) => {
    let pending = batch;
    let lastFailures: PutEventsResultEntry[] = [];
    await retry(
      async () => {
        const result = await client.send(new PutEventsCommand({ Entries: pending }));
        if (!result.FailedEntryCount) {
          pending = [];
          return;
        }
        const entries = result.Entries ?? [];
        lastFailures = entries.filter((entry) => entry.ErrorCode);
        pending = pending.filter((_, i) => entries[i]?.ErrorCode);
      },
      {
        attempts: retries + 1,
        // A thrown error is the SDK's, after its own retries: the caller's retry takes it from there.
        isRetryable: () => false,
        retryResult: () => pending.length > 0,
        baseMs: baseDelayMs,
        capMs: 2_000,
        sleep,
      },
    );
    if (pending.length === 0) return;
    const codes = [...new Set(lastFailures.map((f) => `${f.ErrorCode}: ${f.ErrorMessage ?? ''}`))].join('; ');
    throw new Error(
      `EventBridge refused ${pending.length} event(s) after ${retries + 1} attempts (${codes})`,
    );
  };

  return {
    async publish(events: DomainEvent[]) {
      const entries = events.map((event) => ({ ...toBusEntry(event), EventBusName: eventBusName }));
      for (let i = 0; i < entries.length; i += PUT_EVENTS_BATCH) {
        await sendBatch(entries.slice(i, i + PUT_EVENTS_BATCH));
      }
    },
  };
};
