import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What every table operation takes first: the document client and the table it reads and writes. */
export type TableDeps = { client: DynamoDBDocumentClient; tableName: string };

/** A table operation: a standalone function of the table's deps and its own arguments. */
export type TableOperation = (deps: TableDeps, ...args: never[]) => unknown;

/**
 * Each operation with its deps argument taken away. A generic operation would lose its type
 * parameters here (a mapped type turns them into their constraints); none of ours is generic.
 */
export type BoundOperations<Ops> = {
  [K in keyof Ops]: Ops[K] extends (deps: TableDeps, ...args: infer A) => infer R ? (...args: A) => R : never;
};

/**
 * Binds table operations to one table: `{ getDetail }` → `{ getDetail(assessmentId, agencyId) }`.
 * Only the operations passed end up in a bundle, so a Lambda binds just the ones it calls. The
 * client and table name are read once, here, as the repository factories always did.
 */
export const bindTable = <const Ops extends Record<string, TableOperation>>(
  deps: TableDeps,
  ops: Ops,
): BoundOperations<Ops> => {
  const table: TableDeps = { client: deps.client, tableName: deps.tableName };
  const bound: Record<string, unknown> = {};
  for (const [name, op] of Object.entries(ops)) bound[name] = (...args: never[]) => op(table, ...args);
  return bound as BoundOperations<Ops>;
};
