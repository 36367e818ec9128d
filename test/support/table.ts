import { paginateQuery, paginateScan, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createAgencyRepository } from '#adapters/dynamo/agency-repository';
import { createAssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { TableDeps } from '#adapters/dynamo/bind';
import { createDocumentClient } from '#adapters/dynamo/client';
import { keys } from '#adapters/dynamo/keys';
import { OUTBOX_ITEM_TYPE } from '#adapters/dynamo/outbox';
import { OutboxItem } from '#adapters/dynamo/outbox-stream';
import type { DomainEvent } from '#domain/events';
import { ensureTable } from '#local/dynamo-local';
import { seedPhatthalung } from '#local/seed';
import { recordCommands } from '#test/commands';

/**
 * A fresh table on the run's DynamoDB Local, with the repositories over it, and a counter of
 * the requests the client sent (for round-trip assertions).
 */
export const freshTable = async (prefix = 'test') => {
  const endpoint = inject('ddbEndpoint');
  const tableName = `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await ensureTable(endpoint, tableName);
  const client = createDocumentClient({ region: 'ap-southeast-1', endpoint });
  const calls = recordCommands(client);
  const deps = { client, tableName };
  return {
    endpoint,
    tableName,
    client,
    calls,
    assessments: createAssessmentRepository(deps),
    agencies: createAgencyRepository(deps),
  };
};

/**
 * A fresh table holding the seeded Phatthalung assessment (`npm start`'s), with this process's
 * functions pointed at it (TABLE_NAME, DDB_ENDPOINT).
 */
export const freshPhatthalungTable = async (prefix: string) => {
  const table = await freshTable(prefix);
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedPhatthalung(table);
  return table;
};

/**
 * The events in a table's outbox, in no particular order. A test may Scan (no request or
 * schedule path does): the outbox items are read only from the stream in the system itself.
 */
export const outboxEventsIn = async ({ client, tableName }: TableDeps): Promise<DomainEvent[]> => {
  const events: DomainEvent[] = [];
  const pages = paginateScan(
    { client },
    {
      TableName: tableName,
      FilterExpression: '#type = :outbox',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':outbox': OUTBOX_ITEM_TYPE },
      ConsistentRead: true,
    },
  );
  for await (const page of pages)
    for (const item of page.Items ?? []) events.push(OutboxItem.parse(item).event);
  return events;
};

/** Every item of one partition (`PK`), every page, read consistently: what a test checks was written. */
export const partitionItems = async ({ client, tableName }: TableDeps, pk: string) => {
  const items: NonNullable<QueryCommandOutput['Items']> = [];
  const pages = paginateQuery(
    { client },
    {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
};

/** The Powertools idempotency records function `fn` holds, read straight from its partition. */
export const idempotencyRecords = (table: TableDeps, fn: string) =>
  partitionItems(table, keys.idempotencyPartition(fn));
