import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { createLinkChecker, type LinkChecker, linkCheckUserAgent } from '#adapters/link-checker';
import { createSqsLinkQueue } from '#adapters/sqs-link-queue';
import { parseConfig } from '#config';
import type { LinkCheckQueue } from '#domain/link-check-plan';
import { localStandIns, standInOr } from './stand-ins.ts';

/**
 * The deployed link checker's configuration. The scope can only be `public`: the loopback
 * allowance (`scope: 'loopback'`) is not a value this schema accepts, so no deployed function can
 * be configured into reaching 127.0.0.0/8. Tests and the local system build their checker with
 * `createLinkChecker({ scope: 'loopback', … })` themselves and pass it with each invocation
 * (`LocalStandIns.linkChecker`).
 */
export const LinkCheckConfig = z.object({
  LINK_CHECK_SCOPE: z._default(z.literal('public'), 'public'),
});
export type LinkCheckConfig = z.infer<typeof LinkCheckConfig>;

let checker: LinkChecker | undefined;

/**
 * The invocation's checker: the local system's loopback one when it runs this invocation, else
 * the process's deployed checker for one province (the assessment id names it in the User-Agent).
 */
export const deployedLinkChecker = (assessmentId: string): LinkChecker => {
  const local = localStandIns()?.linkChecker;
  if (local) return local;
  const { LINK_CHECK_SCOPE } = parseConfig(LinkCheckConfig);
  checker ??= createLinkChecker({ scope: LINK_CHECK_SCOPE, userAgent: linkCheckUserAgent(assessmentId) });
  return checker;
};

/** The plan step and the consumer: the check queue's URL (CDK sets it with the send permission). */
export const LinkQueueConfig = z.object({
  LINK_CHECK_QUEUE_URL: z.string().check(z.url()),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'ap-southeast-1'),
});

/**
 * The queue the plan step sends to: the local system's in-process queue when it runs this
 * invocation, else SQS, built once per process.
 */
export const linkCheckQueue: () => LinkCheckQueue = /* @__PURE__ */ standInOr('linkCheckQueue', () => {
  const config = parseConfig(LinkQueueConfig);
  return createSqsLinkQueue(new SQSClient({ region: config.AWS_REGION }), config.LINK_CHECK_QUEUE_URL);
});
