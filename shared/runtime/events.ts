import { createOutboxPublisher } from '#adapters/dynamo/outbox';
import type { EventPublisher } from '#domain/events';
import { localStandIns } from './stand-ins.ts';
import { tableAccess } from './table.ts';

let outboxPublisher: EventPublisher | undefined;

/**
 * How the functions publish domain events: into the table's outbox (`outbox.ts`), from where the
 * relay function puts them on the bus. Built once, on the table's client. A test that captures or
 * refuses what a handler publishes passes its own publisher with the invocation
 * (`LocalStandIns.outbox`).
 */
export const eventPublisher = (): EventPublisher => {
  const local = localStandIns()?.outbox;
  if (local) return local;
  outboxPublisher ??= createOutboxPublisher(tableAccess());
  return outboxPublisher;
};
