import { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { TABLE_KEYS } from '#adapters/dynamo/table';
import { ensureTable, localDynamoClient } from '#local/dynamo-local';

const ttlStatus = async (tableName: string) => {
  const client = localDynamoClient(inject('ddbEndpoint'));
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  client.destroy();
  return TimeToLiveDescription?.TimeToLiveStatus;
};

describe('the local table', () => {
  it('has no TTL, so DynamoDB Local never sweeps records stamped by the campaign clock', async () => {
    // Prepare
    const tableName = `local-ttl-${Date.now()}`;

    // Act
    await ensureTable(inject('ddbEndpoint'), tableName);

    // Assess
    expect(await ttlStatus(tableName)).toBe('DISABLED');
  });

  it('turns TTL off on a table kept in .local/ from before', async () => {
    // Prepare: a table as ensureTable made it before, with TTL on.
    const tableName = `local-kept-${Date.now()}`;
    await ensureTable(inject('ddbEndpoint'), tableName);
    const client = localDynamoClient(inject('ddbEndpoint'));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
      }),
    );
    client.destroy();
    const before = await ttlStatus(tableName);

    // Act
    await ensureTable(inject('ddbEndpoint'), tableName);

    // Assess
    expect(before).toBe('ENABLED');
    expect(await ttlStatus(tableName)).toBe('DISABLED');
  });
});
