import { z } from 'zod';
import { Slug } from './model.ts';

export const Role = z.enum(['admin', 'agency', 'approver', 'viewer']);
export type Role = z.infer<typeof Role>;

/**
 * Who is calling, as the authorizer established it. `assessmentId` is `*` for a token that
 * spans assessments (the first admin token, created by the CLI).
 */
export const Principal = z.strictObject({
  tokenId: z.string().min(1),
  role: Role,
  assessmentId: z.union([Slug, z.literal('*')]),
  agencyId: Slug.optional(),
});
export type Principal = z.infer<typeof Principal>;

/** Used by local tooling (seeding, simulation) that acts outside any request. */
export const systemPrincipal: Principal = { tokenId: 'system', role: 'admin', assessmentId: '*' };
