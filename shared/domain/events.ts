import * as z from 'zod/mini';
import { LinkCheckRequested } from './link-check-plan.ts';
import { Slug } from './model.ts';
import { NotificationRequest } from './notifications.ts';

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

/** What a plan or settings change announces: the schedules follow from the plan and the settings. */
export const planChanged = (assessmentId: string, at: string): PlanChanged => ({
  type: 'PlanChanged',
  version: 1,
  assessmentId,
  at,
});

/** One email the rules decided must go out; the notifier renders and sends it exactly once. */
export const NotificationRequested = z.strictObject({
  type: z.literal('NotificationRequested'),
  version: z.literal(1),
  at: z.iso.datetime({ offset: true }),
  request: NotificationRequest,
  /** Only these deliveries (`line.ts` ids): a resend of one LINE push. Absent: every channel. */
  only: z.optional(z.array(z.string().check(z.minLength(1))).check(z.maxLength(50))),
});
export type NotificationRequested = z.infer<typeof NotificationRequested>;

/**
 * Someone asked for a sign-in code (`POST /auth/code`), known address or not: the request path
 * does the same for both and leaves the lookup, the code and the email to the consumer, so its
 * timing says nothing about the address. The event never carries a code.
 */
export const SignInCodeRequested = z.strictObject({
  type: z.literal('SignInCodeRequested'),
  version: z.literal(1),
  at: z.iso.datetime({ offset: true }),
  requestId: z.string().check(z.minLength(1), z.maxLength(64)),
  assessmentId: Slug,
  email: z.email(),
});
export type SignInCodeRequested = z.infer<typeof SignInCodeRequested>;

export const DomainEvent = z.discriminatedUnion('type', [
  PlanChanged,
  NotificationRequested,
  SignInCodeRequested,
  LinkCheckRequested,
]);
export type DomainEvent = z.infer<typeof DomainEvent>;
export type DomainEventType = DomainEvent['type'];

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
export type EventRule = (typeof EVENT_RULES)[number];

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
