import * as z from 'zod/mini';
import { createLinkChecker, type LinkChecker, linkCheckUserAgent } from '#adapters/link-checker';
import { parseConfig } from '#config';

/**
 * The deployed link checker's configuration. The scope can only be `public`: the loopback
 * allowance (`scope: 'loopback'`) is not a value this schema accepts, so no deployed function can
 * be configured into reaching 127.0.0.0/8. Tests and the local system build their checker with
 * `createLinkChecker({ scope: 'loopback', … })` themselves, injected where the checker is used.
 */
export const LinkCheckConfig = z.object({
  LINK_CHECK_SCOPE: z._default(z.literal('public'), 'public'),
});
export type LinkCheckConfig = z.infer<typeof LinkCheckConfig>;

let checker: LinkChecker | undefined;

/** The process's checker for one province (the assessment id names it in the User-Agent). */
export const deployedLinkChecker = (assessmentId: string): LinkChecker => {
  const { LINK_CHECK_SCOPE } = parseConfig(LinkCheckConfig);
  checker ??= createLinkChecker({ scope: LINK_CHECK_SCOPE, userAgent: linkCheckUserAgent(assessmentId) });
  return checker;
};
