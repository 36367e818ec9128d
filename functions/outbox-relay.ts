import type { DynamoDBStreamEvent } from 'aws-lambda';
import { eventsFromStream } from '#adapters/dynamo/outbox-stream';
import { busPublisher } from '#runtime/bus';
import { logger, withLogContext } from '#runtime/logger';

/**
 * The table stream's consumer, filtered to new outbox items (`OUTBOX_STREAM_FILTER`): puts each
 * batch's events on the bus, where the rules route them as before. A record that is not an
 * outbox event, or events EventBridge keeps refusing, make it throw: the event source mapping
 * retries, splits the batch to isolate the record, and finally sends it to the stream's DLQ.
 * A retried batch publishes its events again; every consumer is idempotent (the schedule sync
 * converges, the notifier claims each email once).
 */
export const outboxRelay = async (event: Pick<DynamoDBStreamEvent, 'Records'>) => {
  const events = eventsFromStream(event.Records);
  await busPublisher().publish(events);
  logger.debug('outbox relayed', { relayed: events.length });
  return { relayed: events.length };
};

/** A batch has no one id of its own: lines carry the Lambda request id (and cold start) only. */
export const handler = withLogContext(outboxRelay);
