import * as z from 'zod/mini';
import { LinkCheckRequested } from '../link-check-plan.ts';
import { NotificationRequested } from './notification-requested.ts';
import { PlanChanged } from './plan-changed.ts';
import { SignInCodeRequested } from './signin-code-requested.ts';

/**
 * Any domain event, as the outbox relay parses a stored one. Building it builds every event's
 * schema (every email's facts among them), so only the relay imports it.
 */
export const DomainEvent = z.discriminatedUnion('type', [
  PlanChanged,
  NotificationRequested,
  SignInCodeRequested,
  LinkCheckRequested,
]);
export type DomainEvent = z.infer<typeof DomainEvent>;
