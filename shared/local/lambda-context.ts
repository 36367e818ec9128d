import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The API functions' timeout in the stacks (infra/constructs/node-function.ts). */
export const API_FUNCTION_TIMEOUT_MS = 10_000;

/**
 * A Lambda context as the runtime gives one: its remaining time counts down from the moment the
 * invocation starts, so a handler's deadline behaves locally and in tests as it does on AWS (a
 * constant `getRemainingTimeInMillis` would hide a request that runs out of time).
 */
export const lambdaContext = (functionName = 'local', timeoutMs = API_FUNCTION_TIMEOUT_MS): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};
