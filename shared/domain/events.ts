import type { DomainEvent } from './events/domain-event.ts';
import type { PlanChanged } from './events/plan-changed.ts';

export type { DomainEvent } from './events/domain-event.ts';
export type { NotificationRequested } from './events/notification-requested.ts';
export type { PlanChanged } from './events/plan-changed.ts';
export type { SignInCodeRequested } from './events/signin-code-requested.ts';

/**
 * Domain events published on the EventBridge custom bus (`source` below, `detail-type` = the
 * event's `type`). Every event carries a version so consumers can evolve. Each event's schema is
 * in a module of its own (`events/`; `LinkCheckRequested` in `link-check-plan.ts`, with the plan step
 * it starts), so a function builds only the schemas of the events it reads (this module builds none).
 */
export const EVENT_SOURCE = 'ita.campaign';

/** What a plan or settings change announces: the schedules follow from the plan and the settings. */
export const planChanged = (assessmentId: string, at: string): PlanChanged => ({
  type: 'PlanChanged',
  version: 1,
  assessmentId,
  at,
});

/** The port through which use cases publish; adapters: EventBridge, and the in-process local bus. */
export type EventPublisher = { publish: (events: DomainEvent[]) => Promise<void> };

/** The EventBridge entry of an event: the detail is the event itself, `detail-type` its type. */
export const toBusEntry = (event: DomainEvent) => ({
  Source: EVENT_SOURCE,
  DetailType: event.type,
  Detail: JSON.stringify(event),
});

/**
 * The bus rules as data. The CDK stack creates one EventBridge rule per entry with `pattern` as
 * its event pattern and the function `target` (a file in `functions/`) as its target; the local
 * bus matches the same patterns and calls the same handlers.
 */
export const EVENT_RULES = [
  {
    name: 'plan-changed-to-sync-schedules',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['PlanChanged'] },
    target: 'sync-schedules',
  },
  {
    name: 'notification-requested-to-notifier',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['NotificationRequested'] },
    target: 'notifier',
  },
  {
    name: 'signin-code-requested-to-mailer',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['SignInCodeRequested'] },
    target: 'auth-code-mailer',
  },
  {
    name: 'link-check-requested-to-plan',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['LinkCheckRequested'] },
    target: 'link-check-plan',
  },
] as const;

/**
 * The subset of EventBridge pattern matching the rules use: every key of the pattern must match,
 * an array lists the accepted values, an object descends into the event.
 */
export const matchesPattern = (pattern: unknown, event: unknown): boolean => {
  if (Array.isArray(pattern)) {
    const values = Array.isArray(event) ? event : [event];
    return values.some((value) => pattern.some((accepted) => accepted === value));
  }
  if (pattern && typeof pattern === 'object') {
    if (!event || typeof event !== 'object') return false;
    return Object.entries(pattern).every(([key, sub]) =>
      matchesPattern(sub, (event as Record<string, unknown>)[key]),
    );
  }
  return pattern === event;
};
