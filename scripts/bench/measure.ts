import { ensureTable, startDynamoLocal } from '#local/dynamo-local';
import { tableRuntime } from '#runtime/table';
import { recordCommands } from '#test/commands';

/** The nearest-rank percentile `p` (0–100) of `values`; NaN for none. */
export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

export const ms = (n: number) => `${n.toFixed(2)} ms`;

/**
 * A DynamoDB Local of the benchmark's own on a free port, with the table `tableName` on it and
 * the functions' runtime pointed there (TABLE_NAME, DDB_ENDPOINT); `calls` records every command
 * the runtime's client sends. The caller stops `dynamo` when done.
 */
export const startBenchTable = async (tableName: string) => {
  const dynamo = await startDynamoLocal();
  try {
    process.env.TABLE_NAME = tableName;
    process.env.DDB_ENDPOINT = dynamo.endpoint;
    await ensureTable(dynamo.endpoint, tableName);
    const runtime = tableRuntime();
    return { dynamo, runtime, calls: recordCommands(runtime.client) };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
};
