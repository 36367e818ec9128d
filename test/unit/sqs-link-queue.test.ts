import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSqsLinkQueue } from '#adapters/sqs-link-queue';
import type { OutgoingLinkCheck } from '#domain/link-check-plan';

const QUEUE_URL = 'https://sqs.ap-southeast-1.amazonaws.com/000000000000/ita-link-check';

/** `n` messages of 25 links each, every URL `urlLength` characters long. */
const messages = (n: number, urlLength = 40, delaySeconds = 0): OutgoingLinkCheck[] =>
  Array.from({ length: n }, (_, m) => ({
    body: {
      assessmentId: 'phatthalung-2567',
      reason: 'schedule',
      links: Array.from({ length: 25 }, (_, i) => ({
        agencyId: 'pt-land',
        itemId: `o${i + 1}`,
        url: `https://example.go.th/${m}/${i}/`.padEnd(urlLength, 'x'),
      })),
    },
    delaySeconds,
  }));

const sqs = mockClient(SQSClient);
const queue = (attempts = 3) =>
  createSqsLinkQueue(new SQSClient({ region: 'ap-southeast-1' }), QUEUE_URL, {
    attempts,
    sleep: async () => undefined,
  });

describe('the SQS link check queue', () => {
  beforeEach(() => sqs.reset());

  it('sends 23 messages as batches of 10, 10 and 3, each body the JSON message, delays only where asked', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const outgoing = [...messages(22), ...messages(1, 40, 240)];

    // Act
    await queue().send(outgoing);

    // Assess
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.every((c) => c.QueueUrl === QUEUE_URL)).toBe(true);
    const entries = calls.flatMap((c) => c.Entries ?? []);
    expect(entries.map((e) => JSON.parse(e.MessageBody ?? ''))).toEqual(outgoing.map((m) => m.body));
    expect(entries.filter((e) => e.DelaySeconds !== undefined).map((e) => e.DelaySeconds)).toEqual([240]);
  });

  it('cuts a batch before 256 KiB: six messages of 25 URLs of 2,000 characters go as 5 and 1', async () => {
    // Prepare: 25 URLs of 2,000 characters make a body of ~52 KB.
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    await queue().send(messages(6, 2_000));

    // Assess
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(batches.map((b) => b.length)).toEqual([5, 1]);
    for (const batch of batches)
      expect(batch.reduce((sum, e) => sum + Buffer.byteLength(e.MessageBody ?? ''), 0)).toBeLessThanOrEqual(
        256 * 1024,
      );
  });

  it('sends again only the entries SQS could not take for the moment', async () => {
    // Prepare
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [],
        Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
      })
      .resolves({ Successful: [], Failed: [] });

    // Act
    await queue().send(messages(3));

    // Assess
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.map((e) => e.Id))).toEqual([['0', '1', '2'], ['1']]);
  });

  it('throws when an entry is refused for good, or still not taken after the last attempt', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', Code: 'InvalidParameterValue', SenderFault: true, Message: 'bad body' }],
    });

    // Act / Assess
    await expect(queue().send(messages(1))).rejects.toThrow(
      /refused link check message 0: InvalidParameterValue/,
    );

    // Prepare
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }],
    });

    // Act / Assess
    await expect(queue(3).send(messages(1))).rejects.toThrow(/did not take 1 link check message/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });
});
