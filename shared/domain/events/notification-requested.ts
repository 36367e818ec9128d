import * as z from 'zod/mini';
import { NotificationRequest } from '../notifications.ts';

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
