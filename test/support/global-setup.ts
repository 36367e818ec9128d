import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '#local/dynamo-local';

declare module 'vitest' {
  export interface ProvidedContext {
    ddbEndpoint: string;
  }
}

/**
 * One DynamoDB Local for the whole run, on a free port, in memory. Each test file creates its
 * own table, so files stay independent. Teardown kills the process group, and an interrupted
 * run (Ctrl-C, a CI timeout) kills it on the way out: no java is left behind.
 */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal({ killOnExit: true });
  project.provide('ddbEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
