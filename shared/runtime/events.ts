import { createOutboxPublisher } from '#adapters/dynamo/outbox';
import type { EventPublisher } from '#domain/events';
import { tableAccess } from './table.ts';

let localPublisher: EventPublisher | undefined;
let outboxPublisher: EventPublisher | undefined;

/**
 * For tests that capture or refuse what the handlers publish, instead of the outbox. Pass
 * `undefined` to go back to the outbox.
 */
export const useLocalEventPublisher = (publisher: EventPublisher | undefined): void => {
  localPublisher = publisher;
};

/**
 * How the functions publish domain events: into the table's outbox (`outbox.ts`), from where the
 * relay function puts them on the bus. Built once, on the table's client.
 */
export const eventPublisher = (): EventPublisher => {
  if (localPublisher) return localPublisher;
  outboxPublisher ??= createOutboxPublisher(tableAccess());
  return outboxPublisher;
};
