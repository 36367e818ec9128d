import { createTokenRepository } from '#adapters/dynamo/token-repository';
import { tokenClockNow } from '#runtime/clock';
import { tableRuntime } from '#runtime/table';

/**
 * The token repository over the same table and client as everything else, built once per
 * process on first use (the authorizer Lambda needs nothing more than this).
 */
const build = () => {
  const table = tableRuntime();
  return {
    ...table,
    now: tokenClockNow,
    tokens: createTokenRepository({ client: table.client, tableName: table.tableName }),
  };
};

export type AuthRuntime = ReturnType<typeof build>;

let runtime: AuthRuntime | undefined;

export const authRuntime = (): AuthRuntime => {
  runtime ??= build();
  return runtime;
};
