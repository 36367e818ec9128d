import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { DomainEvent } from '#domain/events/domain-event';
import { keys } from './keys.ts';
import { OUTBOX_ITEM_TYPE } from './outbox.ts';

/**
 * The relay's side of the outbox (`outbox.ts` is the writers'): an outbox item read back from the
 * table's stream and checked against every domain event's schema. Kept apart so that a function
 * that only writes events does not build the schemas of all of them at load; only the relay (and
 * the tests that read the outbox) parse items.
 */
export const OutboxItem = z.object({
  PK: z.string().check(z.startsWith(keys.outboxPrefix)),
  SK: z.literal('EVENT'),
  type: z.literal(OUTBOX_ITEM_TYPE),
  event: DomainEvent,
  expiresAt: z.number(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

/** A stream record as the relay receives it: only the part it reads. */
export type OutboxStreamRecord = {
  eventID?: string;
  dynamodb?: { NewImage?: Record<string, unknown> };
};

/**
 * The domain events carried by stream records of new outbox items. A record that is not one
 * throws: the filter should never let it through, and dropping it silently would lose an event.
 */
export const eventsFromStream = (records: readonly OutboxStreamRecord[]): DomainEvent[] =>
  records.map((record) => {
    const image = record.dynamodb?.NewImage;
    if (!image) throw new Error(`stream record ${record.eventID ?? '?'} has no new image`);
    // The Lambda event's AttributeValue type and the SDK's differ only in optional members.
    const parsed = OutboxItem.safeParse(unmarshall(image as Parameters<typeof unmarshall>[0]));
    if (!parsed.success) {
      throw new Error(
        `stream record ${record.eventID ?? '?'} is not an outbox event: ${parsed.error.message}`,
      );
    }
    return parsed.data.event;
  });
