import { randomUUID } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent, EventPublisher } from '#domain/events';
import { sleep as realSleep, retry, type Sleep } from '../backoff.ts';
import type { TableDeps } from './bind.ts';
import { keys } from './keys.ts';
import type { OutboxItem } from './outbox-stream.ts';

/**
 * The transactional outbox: a change and the event that announces it are written in the SAME
 * TransactWriteItems (`outboxPut` is one more item of the change's transaction), so both commit or
 * neither does; the table's stream hands every new outbox item to one relay function
 * (`functions/outbox-relay.ts`), the only code that calls EventBridge. An event that announces
 * no change of its own (a milestone's reminders, a sign-in code request, the sync route) is one
 * PutItem / BatchWriteItem through `createOutboxPublisher`: that write is the whole change.
 *
 * Item: `OUTBOX#<eventId>` / `EVENT`, `type` = `OutboxEvent`, the event as a map, TTL `expiresAt`
 * one day on (the stream keeps records 24 hours). One partition per event: writes never queue on
 * a hot key and nothing ever reads the items back by key.
 */
export const OUTBOX_ITEM_TYPE = 'OutboxEvent';

/**
 * The stream records the relay receives, as a Lambda event filter: new outbox items only (not
 * the TTL's deletions, not any other item). The CDK event source mapping and the local stream
 * poller use this same pattern.
 */
export const OUTBOX_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { type: { S: [OUTBOX_ITEM_TYPE] } } },
} as const;

/** BatchWriteItem takes at most 25 puts. */
export const OUTBOX_BATCH = 25;

/** BatchWriteItem calls in flight at once: a pace check over thousands of agencies writes hundreds. */
const OUTBOX_CONCURRENCY = 8;

const OUTBOX_TTL_SECONDS = 24 * 60 * 60;

export type OutboxPublisherOptions = {
  newId?: () => string;
  /** Real time, for the TTL: outbox items expire by the wall clock, not the campaign's. */
  now?: () => Date;
  /** Rounds of re-sending what DynamoDB left unprocessed, after the first write. */
  retries?: number;
  baseDelayMs?: number;
  sleep?: Sleep;
};

export const outboxItem = (event: DomainEvent, id: string, now: Date): OutboxItem => ({
  ...keys.outbox(id),
  type: OUTBOX_ITEM_TYPE,
  event,
  expiresAt: Math.floor(now.getTime() / 1000) + OUTBOX_TTL_SECONDS,
});

/**
 * The event as one more item of the transaction that makes the change it announces. Its id is new
 * (a random UUID), so the put needs no condition; its TTL runs by the wall clock.
 */
export const outboxPut = (
  tableName: string,
  event: DomainEvent,
  id: string = randomUUID(),
  now = new Date(),
) => ({
  Put: { TableName: tableName, Item: outboxItem(event, id, now) },
});

/**
 * Publishes by writing each event as an outbox item, 25 per BatchWriteItem, up to 8 calls at a
 * time (each event is its own partition, so parallel batches do not contend). DynamoDB may leave
 * some puts unprocessed under throttling; those are written again with backoff, and if some
 * still remain the publish throws, so the caller knows the event did not go out.
 */
export const createOutboxPublisher = (
  deps: TableDeps,
  {
    newId = randomUUID,
    now = () => new Date(),
    retries = 4,
    baseDelayMs = 50,
    sleep = realSleep,
  }: OutboxPublisherOptions = {},
): EventPublisher => {
  const writeBatch = async (items: OutboxItem[]) => {
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    await retry(
      async () => {
        const result = await deps.client.send(
          new BatchWriteCommand({ RequestItems: { [deps.tableName]: pending } }),
        );
        pending = (result.UnprocessedItems?.[deps.tableName] ?? []) as typeof pending;
      },
      {
        attempts: retries + 1,
        isRetryable: () => false,
        retryResult: () => pending.length > 0,
        baseMs: baseDelayMs,
        capMs: 1_000,
        sleep,
      },
    );
    if (pending.length === 0) return;
    throw new Error(`the outbox took ${items.length - pending.length} of ${items.length} event(s)`);
  };

  return {
    async publish(events) {
      const at = now();
      const items = events.map((event) => outboxItem(event, newId(), at));
      const batches: OutboxItem[][] = [];
      for (let i = 0; i < items.length; i += OUTBOX_BATCH) batches.push(items.slice(i, i + OUTBOX_BATCH));
      const writer = async () => {
        for (let batch = batches.shift(); batch; batch = batches.shift()) await writeBatch(batch);
      };
      await Promise.all(Array.from({ length: Math.min(OUTBOX_CONCURRENCY, batches.length) }, writer));
    },
  };
};
