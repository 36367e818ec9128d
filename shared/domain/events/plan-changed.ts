import * as z from 'zod/mini';
import { Slug } from '../primitives.ts';

/** The plan or the settings changed: the schedules follow (`sync-schedules`). */
export const PlanChanged = z.strictObject({
  type: z.literal('PlanChanged'),
  version: z.literal(1),
  assessmentId: Slug,
  at: z.iso.datetime({ offset: true }),
});
export type PlanChanged = z.infer<typeof PlanChanged>;
