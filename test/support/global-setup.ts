import type { TestProject } from 'vitest/node';
import { type DynamoLocal, startDynamoLocal } from '#local/dynamo-local';

declare module 'vitest' {
  export interface ProvidedContext {
    ddbEndpoint: string;
  }
}

/**
 * Vitest runs a project's global setup once per project, each in its own module instance but all
 * in the one main process: the integration and browser projects share one DynamoDB Local through
 * this process-wide slot instead of paying a second JVM's start and warm-up (each file creates
 * its own table, so they stay independent). The last project to finish stops it.
 */
type SharedDynamo = { started: Promise<DynamoLocal>; users: number };
const slot = globalThis as typeof globalThis & { itaSharedDynamo?: SharedDynamo };

/**
 * One DynamoDB Local for the whole run, on a free port, in memory. Teardown kills the process
 * group, and an interrupted run (Ctrl-C, a CI timeout) kills it on the way out: no java is left behind.
 */
export default async function setup(project: TestProject) {
  slot.itaSharedDynamo ??= { started: startDynamoLocal({ killOnExit: true }), users: 0 };
  const shared = slot.itaSharedDynamo;
  shared.users++;
  const dynamo = await shared.started;
  project.provide('ddbEndpoint', dynamo.endpoint);
  return async () => {
    shared.users--;
    if (shared.users > 0) return;
    slot.itaSharedDynamo = undefined;
    await dynamo.stop();
  };
}
