import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LinkCheckQueue, OutgoingLinkCheck } from '#domain/link-check-plan';

export type LocalLinkQueueOptions = {
  /** The consumer (functions/link-check.ts), called with one record per event like the mapping's batch size 1. */
  deliver: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
  /** Receives before a failing message is set aside, like the queue's redrive policy (3 in AWS). */
  maxReceives?: number;
  log?: (line: string) => void;
};

type Held = { messageId: string; body: string; receives: number };

const recordOf = (held: Held): SQSRecord => ({
  messageId: held.messageId,
  receiptHandle: `local-${held.messageId}-${held.receives}`,
  body: held.body,
  attributes: {
    ApproximateReceiveCount: String(held.receives),
    SentTimestamp: String(Date.now()),
    SenderId: 'local',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:local:000000000000:link-check',
  awsRegion: 'local',
});

/**
 * The check queue on this machine, behind the same port as SQS: `send` holds the messages and
 * returns at once (the sender does not wait for the checks, as with SQS), and one worker hands
 * them to the consumer in order. A message the consumer reports failed (partial batch response)
 * or that throws is delivered again, and after `maxReceives` set aside in `deadLetters`, as the
 * queue's DLQ would hold it. `DelaySeconds` is not waited for here: the local clock is moved by
 * hand, and a delay would only make the walk-through wait. `drain()` resolves once every message
 * sent so far, and every one those sent on, has been handled.
 */
export const createLocalLinkQueue = ({
  deliver,
  maxReceives = 3,
  log = (line) => console.log(line),
}: LocalLinkQueueOptions) => {
  const held: Held[] = [];
  const deadLetters: Array<{ body: string; receives: number }> = [];
  const sent: OutgoingLinkCheck[] = [];
  let worker: Promise<void> | undefined;

  const work = async () => {
    for (let next = held.shift(); next; next = held.shift()) {
      next.receives += 1;
      let failed: boolean;
      try {
        const answer = await deliver({ Records: [recordOf(next)] });
        failed = (answer?.batchItemFailures ?? []).some((f) => f.itemIdentifier === next.messageId);
      } catch (error) {
        log(`link queue: consumer threw: ${error instanceof Error ? error.message : String(error)}`);
        failed = true;
      }
      if (!failed) continue;
      if (next.receives >= maxReceives) {
        deadLetters.push({ body: next.body, receives: next.receives });
        log(`link queue: a message failed ${next.receives} times, dead-lettered`);
      } else held.push(next);
    }
  };

  /** One worker at a time; a message sent while the last one was finishing starts the next. */
  const kick = () => {
    if (worker) return;
    worker = work().finally(() => {
      worker = undefined;
      if (held.length) kick();
    });
  };

  const queue: LinkCheckQueue = {
    async send(messages) {
      for (const message of messages) {
        sent.push(message);
        held.push({ messageId: randomUUID(), body: JSON.stringify(message.body), receives: 0 });
      }
      kick();
    },
  };

  const drain = async () => {
    while (worker) await worker;
  };

  return { queue, drain, deadLetters, sent };
};

export type LocalLinkQueue = ReturnType<typeof createLocalLinkQueue>;
