import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { withoutKeys } from './items.ts';

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

/** One item by its key, strongly consistent (every read here follows a write it must see), or null. */
export const getItem = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, unknown>,
): Promise<Record<string, unknown> | null> => {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return Item ?? null;
};

/** One item by its key as a domain value (keys stripped, parsed by `schema`), or null. */
export const getParsed = async <T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, unknown>,
  schema: { parse: (value: unknown) => T },
): Promise<T | null> => {
  const found = await getItem(client, tableName, key);
  return found ? schema.parse(withoutKeys(found)) : null;
};
