import * as z from 'zod/mini';
import { Slug } from '../primitives.ts';

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
