import * as z from 'zod/mini';
import { DecimalInteger } from '../paths.ts';
import { IsoDateTime, Slug } from '../primitives.ts';

/**
 * The audit routes' bodies and query strings, strict everywhere: an unknown field is a 400
 * naming it, never silently dropped. The OpenAPI document is generated from these; one module per
 * area, so that a function builds only the schemas of its own routes.
 */

/**
 * An audit action (`oit.review`), or a prefix ending in a dot (`oit.`) for every action under it:
 * lower-case words joined by dots or hyphens, as `auditEntry` callers write them.
 */
const AuditActionFilter = z
  .string()
  .check(
    z.maxLength(64),
    z.regex(
      /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.?$/,
      'one action such as oit.review, or a prefix ending in a dot such as oit.',
    ),
  );

export const AuditQuery = z
  .strictObject({
    agencyId: z.optional(Slug),
    /** Entries at or after this instant. */
    since: z.optional(IsoDateTime),
    /** Entries at or before this instant. */
    until: z.optional(IsoDateTime),
    action: z.optional(AuditActionFilter),
    limit: z._default(z.pipe(DecimalInteger, z.number().check(z.int(), z.gte(1), z.lte(200))), 50),
    nextToken: z.optional(z.string().check(z.maxLength(2048))),
  })
  .check(
    z.refine((q) => !q.since || !q.until || Date.parse(q.since) <= Date.parse(q.until), {
      message: 'until is before since',
      path: ['until'],
    }),
  );
export type AuditQuery = z.infer<typeof AuditQuery>;
