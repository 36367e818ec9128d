import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { LinkCheckQueue, OutgoingLinkCheck } from '#domain/link-check-plan';
import { retry, type Sleep } from './backoff.ts';

/** SendMessageBatch takes at most 10 entries and 256 KiB in all. */
const ENTRIES_PER_BATCH = 10;
const BYTES_PER_BATCH = 256 * 1024;

/** Groups entries by both limits (a message of 25 long URLs is ~52 KB, so five of them fill a batch). */
const batchesOf = (entries: SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] => {
  const batches: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody ?? '', 'utf8');
    if (current.length === ENTRIES_PER_BATCH || (current.length > 0 && bytes + size > BYTES_PER_BATCH)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
};

/**
 * The check queue in AWS: each message a JSON `LinkCheckMessage`, sent 10 to a SendMessageBatch;
 * entries SQS refuses for the moment (throttling, an internal error) are sent again with backoff,
 * and if some still fail the send throws, so the plan step is retried and nothing is lost quietly
 * (a message sent twice is checked twice, which the consumer's conditional writes absorb).
 */
export const createSqsLinkQueue = (
  client: Pick<SQSClient, 'send'>,
  queueUrl: string,
  options: { attempts?: number; baseMs?: number; sleep?: Sleep } = {},
): LinkCheckQueue => ({
  async send(messages: readonly OutgoingLinkCheck[]) {
    const entries = messages.map(
      (m, i): SendMessageBatchRequestEntry => ({
        Id: String(i),
        MessageBody: JSON.stringify(m.body),
        ...(m.delaySeconds > 0 ? { DelaySeconds: m.delaySeconds } : {}),
      }),
    );
    for (const batch of batchesOf(entries)) {
      let pending = batch;
      await retry(
        async () => {
          const result = await client.send(
            new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }),
          );
          const failed = new Set((result.Failed ?? []).map((f) => f.Id));
          const permanent = (result.Failed ?? []).find((f) => f.SenderFault);
          if (permanent)
            throw new Error(
              `SQS refused link check message ${permanent.Id}: ${permanent.Code} ${permanent.Message ?? ''}`,
            );
          pending = pending.filter((e) => failed.has(e.Id));
        },
        {
          attempts: options.attempts ?? 5,
          isRetryable: () => false,
          retryResult: () => pending.length > 0,
          baseMs: options.baseMs ?? 100,
          capMs: 2_000,
          ...(options.sleep ? { sleep: options.sleep } : {}),
        },
      );
      if (pending.length) throw new Error(`SQS did not take ${pending.length} link check message(s)`);
    }
  },
});
