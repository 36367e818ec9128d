import * as z from 'zod/mini';
import { Agency } from '../model.ts';

/**
 * The agency routes' bodies and query strings, strict everywhere: an unknown field is a 400
 * naming it, never silently dropped. The OpenAPI document is generated from these; one module per
 * area, so that a function builds only the schemas of its own routes.
 */

export const CreateAgencyRequest = Agency;
export type CreateAgencyRequest = z.infer<typeof CreateAgencyRequest>;

/** PUT /assessments/{id}/agencies/{agencyId}: the profile (name, contacts, headcounts); the id is the path's. */
export const UpdateAgencyRequest = z.omit(Agency, { id: true });
export type UpdateAgencyRequest = z.infer<typeof UpdateAgencyRequest>;
