import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AuditEntry } from '#domain/audit';
import { retry } from '../backoff.ts';
import { keys } from './keys.ts';

export type CancellationReason = { Code?: string; Item?: Record<string, unknown> };

/**
 * The reasons of a cancelled transaction, one per item in the order written, or null. The
 * document client does not unmarshall the items returned with the reasons, so it is done here.
 */
export const cancellationReasons = (error: unknown): CancellationReason[] | null => {
  if (
    error instanceof TransactionCanceledException ||
    (error as { name?: string })?.name === 'TransactionCanceledException'
  ) {
    return ((error as TransactionCanceledException).CancellationReasons ?? []).map((reason) => ({
      ...(reason.Code ? { Code: reason.Code } : {}),
      ...(reason.Item ? { Item: unmarshall(reason.Item as Parameters<typeof unmarshall>[0]) } : {}),
    }));
  }
  return null;
};

/**
 * Writes a transaction, retrying only when DynamoDB cancelled it for a conflict with another
 * transaction on the same items (the summary item is shared by every write of an agency).
 * Condition failures are returned to the caller, who knows what they mean.
 */
export const transactWrite = async (
  client: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  maxAttempts = 12,
): Promise<void> => {
  await retry(() => client.send(new TransactWriteCommand(input)), {
    attempts: maxAttempts,
    isRetryable: (error) => {
      const reasons = cancellationReasons(error);
      const conflicted = reasons?.some((r) => r.Code === 'TransactionConflict') ?? false;
      const onlyConflicts =
        reasons?.every((r) => r.Code === 'TransactionConflict' || r.Code === 'None') ?? false;
      return conflicted && onlyConflicts;
    },
    baseMs: 20,
    capMs: 400,
  });
};

/** The audit entry of a write, as an item of the same transaction. */
export const auditPut = (tableName: string, entry: AuditEntry) => ({
  Put: {
    TableName: tableName,
    Item: {
      ...keys.audit(entry.assessmentId, entry.at, entry.id),
      ...(entry.agencyId ? keys.auditByAgency(entry.assessmentId, entry.agencyId, entry.at, entry.id) : {}),
      type: 'audit',
      ...entry,
    },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

/** What DynamoDB held when a write's condition failed: the old item, or null when there was none. */
export type ConditionRefusal = { old: Record<string, unknown> | null };

/**
 * One conditional write and its audit entry in one transaction. A failed condition comes back
 * as a refusal carrying the old item (ask for it with `ReturnValuesOnConditionCheckFailure`),
 * so each caller says what it means; anything else is thrown.
 */
export const writeWithAudit = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  write: NonNullable<TransactWriteCommandInput['TransactItems']>[number],
  audit: AuditEntry,
): Promise<ConditionRefusal | null> => {
  try {
    await transactWrite(client, { TransactItems: [write, auditPut(tableName, audit)] });
    return null;
  } catch (error) {
    const first = cancellationReasons(error)?.[0];
    if (first?.Code === 'ConditionalCheckFailed') return { old: first.Item ?? null };
    throw error;
  }
};
