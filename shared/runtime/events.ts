import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import * as z from 'zod/mini';
import { createEventBridgePublisher } from '#adapters/eventbridge-publisher';
import { parseConfig } from '#config';
import type { EventPublisher } from '#domain/events';

/** What a function that publishes domain events needs. */
export const EventsConfig = z.object({
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'ap-southeast-1'),
});
export type EventsConfig = z.infer<typeof EventsConfig>;

let localPublisher: EventPublisher | undefined;
let awsPublisher: EventPublisher | undefined;

/**
 * Set by the local system (`shared/local/system.ts`) to its in-process bus, so the same handlers
 * publish locally without EventBridge. Pass `undefined` to go back to EventBridge.
 */
export const useLocalEventPublisher = (publisher: EventPublisher | undefined): void => {
  localPublisher = publisher;
};

/** The publisher for this process: the local bus when one is registered, else EventBridge (built once). */
export const eventPublisher = (): EventPublisher => {
  if (localPublisher) return localPublisher;
  if (!awsPublisher) {
    const config = parseConfig(EventsConfig);
    awsPublisher = createEventBridgePublisher({
      client: new EventBridgeClient({ region: config.AWS_REGION }),
      eventBusName: config.EVENT_BUS_NAME,
    });
  }
  return awsPublisher;
};
