import * as z from 'zod/mini';
import { Slug } from './primitives.ts';

/**
 * Who is calling and why a token was refused: what every HTTP function parses from the authorizer's
 * context. Apart from the token schemas of `auth.ts`, which only the token routes build.
 */

/** `feed` is the read-only calendar subscription token: it opens nothing but the calendar feeds. */
export const Role = z.enum(['admin', 'agency', 'approver', 'viewer', 'feed']);
export type Role = z.infer<typeof Role>;

/**
 * Who is calling, as the authorizer established it. `assessmentId` is `*` for a token that
 * spans assessments (the first admin token, created by the CLI).
 */
export const Principal = z.strictObject({
  tokenId: z.string().check(z.minLength(1)),
  role: Role,
  assessmentId: z.union([Slug, z.literal('*')]),
  agencyId: z.optional(Slug),
  /** Who issued the token (the issuing token's id, `system` for the operator's CLI): recorded on every audit entry made with it. */
  issuedBy: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});
export type Principal = z.infer<typeof Principal>;

/**
 * The system acting outside any request: the operator's CLIs and the local seeding, and the writes
 * of the scheduled and event-driven functions, each with its own `tokenId` for the audit
 * (`notifier`, `pace-check`, `milestone`, `sync-schedules`, `line-webhook`).
 */
export const systemPrincipal: Principal = { tokenId: 'system', role: 'admin', assessmentId: '*' };

/**
 * Why the authorizer refused a token; the handler turns it into a 401 naming the reason
 * (`not-feed`, an API token sent in a calendar URL, is a 403: the token is real but may not be
 * used there).
 */
export const AuthFailure = z.enum(['malformed', 'unknown', 'expired', 'revoked', 'not-feed']);
export type AuthFailure = z.infer<typeof AuthFailure>;
