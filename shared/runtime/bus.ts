import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import * as z from 'zod/mini';
import { createEventBridgePublisher } from '#adapters/eventbridge-publisher';
import { parseConfig } from '#config';
import type { EventPublisher } from '#domain/events';

/** What the function that puts events on the bus (the outbox relay) needs. */
export const BusConfig = z.object({
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'ap-southeast-1'),
});
export type BusConfig = z.infer<typeof BusConfig>;

let localBus: EventPublisher | undefined;
let awsBus: EventPublisher | undefined;

/**
 * Set by the local system (`shared/local/local-notifications.ts`) to its in-process bus, so the
 * relay delivers locally without EventBridge. Pass `undefined` to go back to EventBridge.
 */
export const useLocalBus = (publisher: EventPublisher | undefined): void => {
  localBus = publisher;
};

/** The bus for this process: the local bus when one is registered, else EventBridge (built once). */
export const busPublisher = (): EventPublisher => {
  if (localBus) return localBus;
  if (!awsBus) {
    const config = parseConfig(BusConfig);
    awsBus = createEventBridgePublisher({
      client: new EventBridgeClient({ region: config.AWS_REGION }),
      eventBusName: config.EVENT_BUS_NAME,
    });
  }
  return awsBus;
};
