import * as z from 'zod/mini';
import { FreeText, IsoDateTime, OitItem, OitStatus, Slug } from './model.ts';

/**
 * An agency's OIT evidence (the URLs it submits for one item, and their review), and the request
 * that submits them. Apart from `model.ts`, so that a function that never reads evidence does not
 * build its schemas.
 */

const URL_MAX = 2048;

/**
 * An evidence URL as the approver will open it: refused when it carries controls, bidi or other
 * invisible characters (a link that reads as one site and opens another), credentials, or a scheme
 * other than http/https; stored in WHATWG canonical form (`new URL(x).href`), at most 2,048 characters.
 */
export const EvidenceUrl = z.pipe(
  z.string().check(
    z.maxLength(URL_MAX, 'URLs are limited to 2,048 characters'),
    z.refine(
      (s) => !/[\u0000-\u0020\u007f-\u00a0\u2028\u2029\p{Cf}]/u.test(s),
      'URLs must not contain spaces, control, bidi or invisible characters',
    ),
    z.refine((s) => {
      if (!URL.canParse(s)) return false;
      const url = new URL(s);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    }, 'must be an http or https URL'),
    z.refine((s) => {
      const url = URL.canParse(s) ? new URL(s) : null;
      return !url || (url.username === '' && url.password === '');
    }, 'URLs must not carry a user name or password'),
  ),
  z.pipe(
    z.transform((s: string) => new URL(s).href),
    z.string().check(z.maxLength(URL_MAX, 'URLs are limited to 2,048 characters')),
  ),
);

export const OitEvidence = z.strictObject({
  assessmentId: Slug,
  agencyId: Slug,
  itemId: OitItem.shape.id,
  status: OitStatus,
  urls: z.array(EvidenceUrl),
  note: z.string(),
  submittedAt: z.optional(IsoDateTime),
  submittedBy: z.optional(z.string()),
  reviewedAt: z.optional(IsoDateTime),
  reviewedBy: z.optional(z.string()),
  rejectionReason: z.optional(z.string()),
  updatedAt: IsoDateTime,
  version: z.number().check(z.int(), z.gte(1)),
});
export type OitEvidence = z.infer<typeof OitEvidence>;

export const SubmitEvidenceRequest = z.strictObject({
  urls: z.array(EvidenceUrl).check(z.minLength(1, 'give at least one URL'), z.maxLength(20)),
  note: z.optional(FreeText(2000)),
});
export type SubmitEvidenceRequest = z.infer<typeof SubmitEvidenceRequest>;
