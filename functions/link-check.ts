import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import * as linkTable from '#adapters/dynamo/link-repository';
import { LinkCheckMessage } from '#domain/link-check-plan';
import { clockNow } from '#runtime/clock';
import { deployedLinkChecker, linkCheckQueue } from '#runtime/link-check';
import { logEntry } from '#runtime/logger';
import { tableDeps } from '#runtime/table';
import { checkLinkMessage, deadLinkNotices, type LinkMessageRun } from '#use-cases/link-watch';

const table = tableDeps({
  links: { listLinks: linkTable.listLinks, recordCheck: linkTable.recordCheck },
  assessments: { getWithPlan: assessmentTable.getWithPlan },
  agencies: { getSummary: agencyTable.getSummary },
});

/**
 * The most one message may take: the function's timeout is 120 s (infra), so a message cut short
 * here still has time to record what it checked and send the rest on before Lambda stops it.
 */
export const MESSAGE_BUDGET_MS = 90_000;
/** Kept back from the invocation's remaining time for the writes after the stop. */
export const SAFETY_MS = 15_000;

/**
 * Each record on its own (SQS partial batch response, `reportBatchItemFailures`): a record whose
 * body is not a check message, or whose work throws, is reported failed and comes back after the
 * visibility timeout; after the queue's maxReceiveCount it is in the DLQ. The others are deleted.
 */
export const consumeLinkChecks = async (
  event: Pick<SQSEvent, 'Records'>,
  remainingMs: () => number,
  work: (message: LinkCheckMessage, stop: AbortSignal) => Promise<LinkMessageRun>,
  log: (entry: Record<string, unknown>) => void = logEntry,
): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const message = LinkCheckMessage.parse(JSON.parse(record.body));
      const stop = AbortSignal.timeout(Math.max(0, Math.min(MESSAGE_BUDGET_MS, remainingMs() - SAFETY_MS)));
      const { unchecked, ...run } = await work(message, stop);
      log({
        level: 'INFO',
        message: 'links checked',
        messageId: record.messageId,
        assessmentId: message.assessmentId,
        reason: message.reason,
        ...run,
        unchecked: unchecked.length,
      });
    } catch (error) {
      log({
        level: 'ERROR',
        message: 'link check message failed',
        messageId: record.messageId,
        error: error instanceof Error ? error.message : String(error),
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

/** The check queue's consumer: one message of at most 25 links by host, within its budget. */
export const linkCheck = async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>) =>
  consumeLinkChecks(
    event,
    () => context.getRemainingTimeInMillis(),
    (message, stop) => {
      const deps = table();
      return checkLinkMessage(
        {
          links: deps.links,
          checker: deployedLinkChecker(message.assessmentId),
          now: clockNow,
          deadNotice: deadLinkNotices(deps),
          queue: linkCheckQueue(),
        },
        message,
        stop,
      );
    },
  );

/** No middleware runs on this path, so Lambda calls the function itself. */
export const handler = linkCheck;
