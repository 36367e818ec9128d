import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { TableDeps } from './bind.ts';
import { withoutKeys } from './items.ts';
import { TABLE_KEYS } from './table.ts';

/** What turns a stored item (keys stripped) into a domain value: a zod schema, or a function. */
export type ItemSchema<T> = { parse: (value: unknown) => T };

/**
 * Every item one Query matches, past DynamoDB's 1 MB page (the SDK's paginator follows
 * `LastEvaluatedKey`): one logical read, as many round trips as the result needs pages.
 */
export const queryAll = async (
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client }, input)) {
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
  }
  return items;
};

/** Which sort keys of the partition a Query reads: all of them when absent. */
export type SortRange = { beginsWith: string } | { from: string } | { between: readonly [string, string] };

export type PartitionQuery = {
  range?: SortRange;
  /** On GSI1 (`GSI1PK`/`GSI1SK`) instead of the table's own keys. */
  onIndex?: boolean;
  /** Strongly consistent (table only): the read follows a write it must see. */
  consistent?: boolean;
  /** Only these attributes (`ProjectionExpression`). */
  projection?: string;
  /** A filter on what the range reads, with its own attribute names and values. */
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
};

const rangeCondition = (range: SortRange | undefined, sortKey: string) => {
  if (!range) return { condition: '', values: {} };
  if ('beginsWith' in range)
    return { condition: ` AND begins_with(${sortKey}, :prefix)`, values: { ':prefix': range.beginsWith } };
  if ('from' in range) return { condition: ` AND ${sortKey} >= :from`, values: { ':from': range.from } };
  return {
    condition: ` AND ${sortKey} BETWEEN :from AND :to`,
    values: { ':from': range.between[0], ':to': range.between[1] },
  };
};

/**
 * Every item of one partition (or of its `range` of sort keys), pages followed: the one shape of
 * every repository's Query. The key condition and its values are built here, once.
 */
export const queryPartition = (
  { client, tableName }: TableDeps,
  partition: string,
  { range, onIndex = false, consistent = false, projection, filter }: PartitionQuery = {},
): Promise<Record<string, unknown>[]> => {
  const [partitionKey, sortKey] = onIndex
    ? [TABLE_KEYS.gsi1.partitionKey, TABLE_KEYS.gsi1.sortKey]
    : [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey];
  const sort = rangeCondition(range, sortKey);
  return queryAll(client, {
    TableName: tableName,
    ...(onIndex ? { IndexName: TABLE_KEYS.gsi1.name } : {}),
    KeyConditionExpression: `${partitionKey} = :pk${sort.condition}`,
    ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
    ...(projection ? { ProjectionExpression: projection } : {}),
    ExpressionAttributeValues: { ':pk': partition, ...sort.values, ...filter?.values },
    ...(consistent ? { ConsistentRead: true } : {}),
  });
};

/** Items read back as domain values: keys and bookkeeping stripped, each parsed by `schema`. */
export const parseItems = <T>(items: readonly Record<string, unknown>[], schema: ItemSchema<T>): T[] =>
  items.map((item) => schema.parse(withoutKeys(item)));

/** One item by its key, strongly consistent (every read here follows a write it must see), or null. */
export const getItem = async (
  { client, tableName }: TableDeps,
  key: Record<string, unknown>,
  /** Only these attributes (`ProjectionExpression`). */
  projection?: string,
): Promise<Record<string, unknown> | null> => {
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: key,
      ConsistentRead: true,
      ...(projection ? { ProjectionExpression: projection } : {}),
    }),
  );
  return Item ?? null;
};

/**
 * One item by its key as a domain value (keys stripped, parsed by `schema`), or null. A repository's
 * read is a function that calls this (`(deps, ...ids) => getParsed(deps, keys.task(...ids), Task)`),
 * not a top-level call that builds one: esbuild keeps a top-level call whose arguments read a
 * property, and with it the schema, in every bundle that imports the repository.
 */
export const getParsed = async <T>(
  deps: TableDeps,
  key: Record<string, unknown>,
  schema: ItemSchema<T>,
): Promise<T | null> => {
  const found = await getItem(deps, key);
  return found ? schema.parse(withoutKeys(found)) : null;
};
