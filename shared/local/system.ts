import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { routes } from '#http/routes';
import { createLocalAuthorizer, writeLocalTokens } from '#local/auth';
import { ensureTable, startDynamoLocal } from '#local/dynamo-local';
import { createLocalApi, type LocalHandler } from '#local/http-server';
import { SEEDED_ASSESSMENT_ID, seedPhatthalung } from '#local/seed';
import { tableRuntime } from '#runtime/table';

export type LocalSystemOptions = {
  /** Where local state lives (`.local/` under the repository). */
  stateDir: string;
  port: number;
  ddbPort: number;
  host?: string;
};

export type LocalSystem = {
  apiUrl: string;
  ddbEndpoint: string;
  tokensFile: string;
  seeded: 'created' | 'present';
  stop: () => Promise<void>;
};

const loadHandler = async (fn: string): Promise<LocalHandler> => {
  const module = (await import(`../../functions/${fn}.ts`)) as { handler: LocalHandler };
  return module.handler;
};

/**
 * The whole system on this machine: DynamoDB Local with data under `stateDir`, the table, the
 * seeded assessment, local tokens, and the HTTP API running the Lambda handlers.
 */
export const startLocalSystem = async (options: LocalSystemOptions): Promise<LocalSystem> => {
  const host = options.host ?? '127.0.0.1';
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error) => console.error(error));
  };
  try {
    const dataDir = join(options.stateDir, 'dynamodb');
    mkdirSync(dataDir, { recursive: true });
    const dynamo = await startDynamoLocal({ port: options.ddbPort, dataDir });
    stops.push(dynamo.stop);

    process.env.TABLE_NAME ??= 'ita-local';
    process.env.DDB_ENDPOINT = dynamo.endpoint;
    process.env.AWS_REGION ??= 'ap-southeast-1';
    await ensureTable(dynamo.endpoint, process.env.TABLE_NAME);

    const runtime = tableRuntime();
    const seeded = await seedPhatthalung(runtime);
    const tokensFile = join(options.stateDir, 'tokens.json');
    await writeLocalTokens(runtime, SEEDED_ASSESSMENT_ID, tokensFile);

    const server: Server = createLocalApi({ routes, loadHandler, authorize: createLocalAuthorizer() });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolve());
    });
    stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));

    return { apiUrl: `http://${host}:${options.port}`, ddbEndpoint: dynamo.endpoint, tokensFile, seeded, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
