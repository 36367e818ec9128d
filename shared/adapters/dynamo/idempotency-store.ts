import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import type { TableDeps } from './bind.ts';
import { keys } from './keys.ts';
import { TABLE_KEYS } from './table.ts';

/** One request's record: the function it belongs to and the hash of the request's identity. */
export type IdempotencyKey = { fn: string; hash: string };

/** Times are the caller's, so the store holds no policy and tests can place a record in the past. */
export type ClaimRequest = {
  bodyHash: string;
  /** Epoch milliseconds. */
  now: number;
  /** Epoch milliseconds after which an unfinished request is taken to have died (its Lambda timed out). */
  inProgressUntil: number;
  /** Epoch seconds, the table's TTL: after it the record counts as absent, whether or not TTL has deleted it yet. */
  expiresAt: number;
};

export const HeldRecord = z.discriminatedUnion('status', [
  z.object({ status: z.literal('INPROGRESS'), bodyHash: z.string() }),
  z.object({ status: z.literal('COMPLETED'), bodyHash: z.string(), response: z.string() }),
]);
export type HeldRecord = z.infer<typeof HeldRecord>;

export type ClaimOutcome = { claimed: true } | { claimed: false; record: HeldRecord };

const recordKey = ({ fn, hash }: IdempotencyKey) => ({
  [TABLE_KEYS.partitionKey]: keys.idempotencyPartition(fn),
  [TABLE_KEYS.sortKey]: hash,
});

/**
 * The holder returned with a failed condition, or null for any other error. The document client
 * does not unmarshall the item an exception carries, so it is done here.
 */
const existingItem = (error: unknown): Record<string, unknown> | null => {
  if ((error as { name?: string })?.name !== 'ConditionalCheckFailedException') return null;
  const item = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
  return item ? unmarshall(item) : null;
};

/** Idempotency records in the data table: partition `IDEMPOTENCY#<fn>`, one item per key hash. */
export const createIdempotencyStore = ({ client, tableName }: TableDeps) => ({
  /**
   * Creates the in-progress record unless a live one holds the key. A conflict returns the
   * holder from the same round trip (ALL_OLD on the failed condition), so a replay costs one call.
   */
  async claim(key: IdempotencyKey, request: ClaimRequest): Promise<ClaimOutcome> {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...recordKey(key),
            status: 'INPROGRESS',
            bodyHash: request.bodyHash,
            inProgressUntil: request.inProgressUntil,
            [TABLE_KEYS.ttlAttribute]: request.expiresAt,
          },
          ConditionExpression:
            'attribute_not_exists(#pk) OR #ttl < :nowSeconds OR (#status = :inProgress AND inProgressUntil < :now)',
          ExpressionAttributeNames: {
            '#pk': TABLE_KEYS.partitionKey,
            '#ttl': TABLE_KEYS.ttlAttribute,
            '#status': 'status',
          },
          ExpressionAttributeValues: {
            ':nowSeconds': Math.floor(request.now / 1000),
            ':now': request.now,
            ':inProgress': 'INPROGRESS',
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true };
    } catch (error) {
      const item = existingItem(error);
      if (!item) throw error;
      return { claimed: false, record: HeldRecord.parse(item) };
    }
  },

  /** Keeps the response for the replays. The TTL set by the claim stays: a key holds a fixed time from its first use. */
  async complete(key: IdempotencyKey, response: string): Promise<void> {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: recordKey(key),
        UpdateExpression: 'SET #status = :completed, #response = :response',
        ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
        ExpressionAttributeValues: { ':completed': 'COMPLETED', ':response': response },
      }),
    );
  },

  /** Frees the key after a failed request, so the caller may retry it with the same key. */
  async release(key: IdempotencyKey): Promise<void> {
    await client.send(new DeleteCommand({ TableName: tableName, Key: recordKey(key) }));
  },
});

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
