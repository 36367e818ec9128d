import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createAgencyRepository } from '#adapters/dynamo/agency-repository';
import { createAssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { createDocumentClient } from '#adapters/dynamo/client';
import { OUTBOX_ITEM_TYPE, OutboxItem } from '#adapters/dynamo/outbox';
import type { DomainEvent } from '#domain/events';
import { ensureTable } from '#local/dynamo-local';

/**
 * A fresh table on the run's DynamoDB Local, with the repositories over it, and a counter of
 * the requests the client sent (for round-trip assertions).
 */
export const freshTable = async (prefix = 'test') => {
  const endpoint = inject('ddbEndpoint');
  const tableName = `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await ensureTable(endpoint, tableName);
  const client = createDocumentClient({ region: 'ap-southeast-1', endpoint });
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
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
 * The events in a table's outbox, in no particular order. A test may Scan (no request or
 * schedule path does): the outbox items are read only from the stream in the system itself.
 */
export const outboxEventsIn = async ({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): Promise<DomainEvent[]> => {
  const events: DomainEvent[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#type = :outbox',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':outbox': OUTBOX_ITEM_TYPE },
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) events.push(OutboxItem.parse(item).event);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return events;
};
