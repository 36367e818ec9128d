import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import * as z from 'zod/mini';
import { createEventBridgePublisher } from '#adapters/eventbridge-publisher';
import { parseConfig } from '#config';
import type { EventPublisher } from '#domain/events';
import { standInOr } from './stand-ins.ts';

/** What the function that puts events on the bus (the outbox relay) needs. */
export const BusConfig = z.object({
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'ap-southeast-1'),
});
export type BusConfig = z.infer<typeof BusConfig>;

/**
 * The bus: the local system's in-process bus when it runs this invocation (`LocalStandIns`),
 * else EventBridge (built once).
 */
export const busPublisher: () => EventPublisher = /* @__PURE__ */ standInOr('bus', () => {
  const config = parseConfig(BusConfig);
  return createEventBridgePublisher({
    client: new EventBridgeClient({ region: config.AWS_REGION }),
    eventBusName: config.EVENT_BUS_NAME,
  });
});
