import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let recorders = 0;

/**
 * From now on, records the name of every command `client` sends (GetCommand, QueryCommand, …) in
 * order: round-trip assertions in tests, calls per request in the benchmarks. Empty the answer
 * (`length = 0`) to start counting again. No vitest here: the benchmarks import it too.
 */
export const recordCommands = (client: DynamoDBDocumentClient): string[] => {
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    // A stack refuses a second middleware of the same name.
    { step: 'initialize', name: `recordCommands${++recorders}` },
  );
  return sent;
};
