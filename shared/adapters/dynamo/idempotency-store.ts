import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { TableDeps } from './bind.ts';
import { keys } from './keys.ts';
import { TABLE_KEYS } from './table.ts';

/** The attributes of an idempotency record, named as the rest of the table names things. */
export const IDEMPOTENCY_ATTRIBUTES = {
  status: 'status',
  /** The first answer, as JSON text. */
  response: 'response',
  /** Hash of the request's body: another body under the same key is refused. */
  bodyHash: 'bodyHash',
  /** Epoch milliseconds after which an unfinished request is taken to have died (its Lambda timed out). */
  inProgressUntil: 'inProgressUntil',
} as const;

/**
 * Powertools Idempotency's DynamoDB persistence on the single table: partition
 * `IDEMPOTENCY#<fn>` (its `staticPkValue`), sort key `<fn>#<hash of the key>`, the table's TTL
 * attribute as its expiry. The client is the process's document client: Powertools sends
 * low-level commands through it, so DynamoDB Local's endpoint and the client's middleware apply.
 * One layer per function, built on that function's first keyed request.
 */
export const createIdempotencyPersistence = ({ client, tableName }: TableDeps, fn: string) =>
  new DynamoDBPersistenceLayer({
    tableName,
    awsSdkV3Client: client,
    keyAttr: TABLE_KEYS.partitionKey,
    sortKeyAttr: TABLE_KEYS.sortKey,
    staticPkValue: keys.idempotencyPartition(fn),
    expiryAttr: TABLE_KEYS.ttlAttribute,
    statusAttr: IDEMPOTENCY_ATTRIBUTES.status,
    dataAttr: IDEMPOTENCY_ATTRIBUTES.response,
    validationKeyAttr: IDEMPOTENCY_ATTRIBUTES.bodyHash,
    inProgressExpiryAttr: IDEMPOTENCY_ATTRIBUTES.inProgressUntil,
  });
