import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AuditEntry } from '#domain/audit';
import { retry } from '../backoff.ts';
import type { TableDeps } from './bind.ts';
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

/** Whether a cancelled transaction's item at `index` failed its condition. */
export const conditionFailedAt = (error: unknown, index = 0): boolean =>
  cancellationReasons(error)?.[index]?.Code === 'ConditionalCheckFailed';

/**
 * Whether a write was refused by a condition: a single write's `ConditionalCheckFailedException`,
 * or any item of a cancelled transaction.
 */
export const conditionRefused = (error: unknown): boolean =>
  (error as { name?: string })?.name === 'ConditionalCheckFailedException' ||
  (cancellationReasons(error)?.some((r) => r.Code === 'ConditionalCheckFailed') ?? false);

/** The `:next` and `:expected` values of a write conditional on the item's `version`, which it moves by one. */
export const versionStep = (expectedVersion: number) => ({
  ':next': expectedVersion + 1,
  ':expected': expectedVersion,
});

/**
 * An update conditional on the item's `version`, which it moves by one, setting `updatedAt`; the
 * change adds its own `SET` and `ADD` parts, condition, names and values. A refusal returns the
 * old item, so the caller can say why.
 */
export const versionedUpdate = (
  tableName: string,
  key: Record<string, unknown>,
  expectedVersion: number,
  now: string,
  change: {
    set?: string;
    add?: string;
    condition?: string;
    names?: Record<string, string>;
    values?: Record<string, unknown>;
  } = {},
) => ({
  Update: {
    TableName: tableName,
    Key: key,
    UpdateExpression: `SET ${[change.set, 'version = :next', 'updatedAt = :now'].filter(Boolean).join(', ')}${change.add ? ` ADD ${change.add}` : ''}`,
    ConditionExpression: ['version = :expected', change.condition].filter(Boolean).join(' AND '),
    ...(change.names ? { ExpressionAttributeNames: change.names } : {}),
    ExpressionAttributeValues: { ...change.values, ...versionStep(expectedVersion), ':now': now },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  },
});

/** A put's condition: no item yet when `expectedVersion` is null, otherwise the stored one at that version. */
export const versionCondition = (expectedVersion: number | null) =>
  expectedVersion === null
    ? { ConditionExpression: 'attribute_not_exists(PK)' }
    : {
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      };

/** A transaction item that refuses the transaction unless the assessment exists (put first: reason 0). */
export const assessmentExists = (tableName: string, assessmentId: string) => ({
  ConditionCheck: {
    TableName: tableName,
    Key: keys.assessment(assessmentId),
    ConditionExpression: 'attribute_exists(PK)',
  },
});

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

/**
 * Writes a transaction as `transactWrite` does; false when a condition refused it (nothing of it
 * was written), as `refused` reads the error. Anything else is thrown.
 */
export const transactWriteUnlessRefused = async (
  client: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  refused: (error: unknown) => boolean = conditionRefused,
): Promise<boolean> => {
  try {
    await transactWrite(client, input);
    return true;
  } catch (error) {
    if (refused(error)) return false;
    throw error;
  }
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
  { client, tableName }: TableDeps,
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

/**
 * An update conditional on the item's `version` (`versionedUpdate`, with its change) and its audit
 * entry in one transaction; a refusal comes back as `writeWithAudit` gives it, with the old item.
 */
export const versionedUpdateWithAudit = (
  deps: TableDeps,
  key: Record<string, unknown>,
  expectedVersion: number,
  now: string,
  audit: AuditEntry,
  change: Parameters<typeof versionedUpdate>[4],
): Promise<ConditionRefusal | null> =>
  writeWithAudit(deps, versionedUpdate(deps.tableName, key, expectedVersion, now, change), audit);
