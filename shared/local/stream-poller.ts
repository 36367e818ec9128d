import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { matchesPattern } from '#domain/events';
import { localDynamoClient } from './dynamo-local.ts';

export type StreamPollerOptions = {
  endpoint: string;
  tableName: string;
  /** The event source mapping's filter, as a Lambda event filter pattern. */
  filter: unknown;
  /** The function the mapping triggers, called with each batch of matching records. */
  deliver: (records: DynamoDBRecord[]) => Promise<unknown>;
  batchSize?: number;
  intervalMs?: number;
  /** Deliveries of a failing batch after the first, like the mapping's retry attempts. */
  retries?: number;
  retryDelayMs?: number;
  log?: (line: string) => void;
};

export type StreamDeadLetter = { records: DynamoDBRecord[]; error: string };

/** A record from the Streams API in the shape Lambda hands a stream-triggered function. */
const asLambdaRecord = (record: StreamRecord, streamArn: string): DynamoDBRecord => {
  const { ApproximateCreationDateTime, ...dynamodb } = record.dynamodb ?? {};
  return {
    ...(record.eventID ? { eventID: record.eventID } : {}),
    ...(record.eventName ? { eventName: record.eventName } : {}),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'local',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(dynamodb as DynamoDBRecord['dynamodb']),
      ...(ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
    },
  };
};

/**
 * The table stream's event source mapping on this machine: reads DynamoDB Local's stream from
 * the trim horizon (as the deployed mapping starts), keeps the records the filter accepts, and
 * calls the function with them in batches, retrying a failing batch and then setting it aside in
 * `deadLetters`, as the mapping's on-failure destination would. It polls on a timer; `drain()`
 * delivers everything written so far before it resolves, which the local scheduler uses so that
 * a milestone's emails go out before the clock moves on.
 */
export const startStreamPoller = async ({
  endpoint,
  tableName,
  filter,
  deliver,
  batchSize = 100,
  intervalMs = 200,
  retries = 2,
  retryDelayMs = 50,
  log = (line) => console.log(line),
}: StreamPollerOptions) => {
  if (!endpoint) throw new Error('the stream poller reads DynamoDB Local: set DDB_ENDPOINT');
  const table = localDynamoClient(endpoint);
  const described = await table
    .send(new DescribeTableCommand({ TableName: tableName }))
    .finally(() => table.destroy());
  const streamArn = described.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream (see ensureTable)`);
  const client = new DynamoDBStreamsClient({
    endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  /** Each shard's next iterator; `null` once a closed shard has been read to its end. */
  const iterators = new Map<string, string | null>();
  /** The last record read from each shard, to start again after it when an iterator expires. */
  const lastSequence = new Map<string, string>();
  const deadLetters: StreamDeadLetter[] = [];

  const deliverBatch = async (records: DynamoDBRecord[]) => {
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
      try {
        await deliver(records);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    const message = lastError instanceof Error ? lastError.message : String(lastError);
    deadLetters.push({ records, error: message });
    log(`stream: ${records.length} record(s) failed ${retries + 1} times, dead-lettered: ${message}`);
  };

  const shardIterator = async (shardId: string) => {
    const after = lastSequence.get(shardId);
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator ?? null;
  };

  const discoverShards = async () => {
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await client.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (shard.ShardId && !iterators.has(shard.ShardId)) {
          iterators.set(shard.ShardId, await shardIterator(shard.ShardId));
        }
      }
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  };

  /**
   * A shard's next page. The iterator is renewed after the last record read when it was left unused
   * past its 15 minutes (a suspended laptop), or when DynamoDB Local calls it trimmed: it does so
   * for an iterator taken on a still-empty shard once the first record arrives (aws-sdk-java#2923),
   * which parallel test files hit.
   */
  const readShard = async (shardId: string, iterator: string) => {
    try {
      return await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'ExpiredIteratorException' && name !== 'TrimmedDataAccessException') throw error;
      const renewed = await shardIterator(shardId);
      return renewed
        ? client.send(new GetRecordsCommand({ ShardIterator: renewed, Limit: batchSize }))
        : { Records: [], NextShardIterator: undefined };
    }
  };

  /** One pass over every shard; answers how many records it read. */
  const pollOnce = async (): Promise<number> => {
    await discoverShards();
    let read = 0;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      const { Records = [], NextShardIterator } = await readShard(shardId, iterator);
      iterators.set(shardId, NextShardIterator ?? null);
      const last = Records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) lastSequence.set(shardId, last);
      read += Records.length;
      const matching = Records.map((record) => asLambdaRecord(record, streamArn)).filter((record) =>
        matchesPattern(filter, record),
      );
      if (matching.length > 0) await deliverBatch(matching);
    }
    return read;
  };

  // Passes never overlap: a shard iterator may be used once, and drain() must see every record.
  let running: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const result = running.then(task);
    running = result.catch(() => undefined);
    return result;
  };

  const drain = () =>
    exclusive(async () => {
      while ((await pollOnce()) > 0);
    });

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    await exclusive(pollOnce).catch((error: unknown) =>
      log(`stream: poll failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    if (!stopped) timer = setTimeout(tick, intervalMs).unref();
  };
  timer = setTimeout(tick, intervalMs).unref();

  const stop = async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
    client.destroy();
  };

  return {
    drain,
    stop,
    deadLetters,
  };
};

export type StreamPoller = Awaited<ReturnType<typeof startStreamPoller>>;
