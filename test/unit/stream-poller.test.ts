import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStreamPoller } from '#local/stream-poller';

const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-12-02T00:00:00.000';
// Mocked per test and restored after it: unit files share one module graph (vitest.config.ts).
let table: AwsClientStub<DynamoDBClient>;
let streams: AwsClientStub<DynamoDBStreamsClient>;

/** A poller over one shard whose first iterator (TRIM_HORIZON, taken while empty) DynamoDB Local calls trimmed. */
const pollerOverTrimmedShard = async (failure: Error) => {
  table.on(DescribeTableCommand).resolves({ Table: { LatestStreamArn: STREAM_ARN } });
  streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } });
  streams
    .on(GetShardIteratorCommand)
    .resolvesOnce({ ShardIterator: 'taken-while-empty' })
    .resolves({ ShardIterator: 'renewed' });
  streams.on(GetRecordsCommand, { ShardIterator: 'taken-while-empty' }).rejects(failure);
  streams.on(GetRecordsCommand, { ShardIterator: 'renewed' }).resolvesOnce({
    Records: [{ eventID: 'e1', eventName: 'INSERT', dynamodb: { SequenceNumber: '100', Keys: {} } }],
    NextShardIterator: 'next',
  });
  streams
    .on(GetRecordsCommand, { ShardIterator: 'next' })
    .resolves({ Records: [], NextShardIterator: 'next' });
  const delivered: DynamoDBRecord[] = [];
  const poller = await startStreamPoller({
    endpoint: 'http://127.0.0.1:1',
    tableName: 't',
    filter: { eventName: ['INSERT'] },
    deliver: async (records) => delivered.push(...records),
    intervalMs: 60_000,
    log: () => undefined,
  });
  return { poller, delivered };
};

describe('local stream poller', () => {
  beforeEach(() => {
    table = mockClient(DynamoDBClient);
    streams = mockClient(DynamoDBStreamsClient);
  });
  afterEach(() => {
    table.restore();
    streams.restore();
  });

  it("renews an iterator DynamoDB Local calls trimmed from the trim horizon and delivers the shard's first record", async () => {
    // Prepare
    const trimmed = new TrimmedDataAccessException({
      message: 'read past the oldest stream record',
      $metadata: {},
    });
    const { poller, delivered } = await pollerOverTrimmedShard(trimmed);

    // Act
    await poller.drain();
    await poller.stop();

    // Assess
    expect(delivered.map((record) => record.eventID)).toEqual(['e1']);
    expect(
      streams.commandCalls(GetShardIteratorCommand).map((call) => call.args[0].input.ShardIteratorType),
    ).toEqual(['TRIM_HORIZON', 'TRIM_HORIZON']);
  });

  it('passes any other read failure on to the caller', async () => {
    // Prepare
    const { poller, delivered } = await pollerOverTrimmedShard(
      Object.assign(new Error('Invalid ShardId in ShardIterator'), { name: 'ResourceNotFoundException' }),
    );

    // Act
    const drained = poller.drain();

    // Assess
    await expect(drained).rejects.toThrow('Invalid ShardId in ShardIterator');
    await poller.stop();
    expect(delivered).toEqual([]);
  });
});
