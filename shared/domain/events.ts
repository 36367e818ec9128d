import { z } from 'zod';
import { Slug } from './model.ts';

/**
 * Domain events published on the EventBridge custom bus (`source` below, `detail-type` = the
 * event's `type`). Every event carries a version so consumers can evolve.
 */
export const EVENT_SOURCE = 'ita.campaign';

export const PlanChanged = z.strictObject({
  type: z.literal('PlanChanged'),
  version: z.literal(1),
  assessmentId: Slug,
  at: z.iso.datetime({ offset: true }),
});
export type PlanChanged = z.infer<typeof PlanChanged>;

export const DomainEvent = z.discriminatedUnion('type', [PlanChanged]);
export type DomainEvent = z.infer<typeof DomainEvent>;

/** The port through which use cases publish; adapters: EventBridge, and the in-process local bus. */
export type EventPublisher = { publish: (events: DomainEvent[]) => Promise<void> };
