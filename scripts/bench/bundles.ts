import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions } from '../../infra/bundling.ts';
import { allFunctions, entryOf } from '../../infra/catalogue.ts';

/**
 * The bundles `npm run bench:bundle` and `scripts/bench/bundle-instructions.ts` measure: a bare
 * `@aws-sdk/client-dynamodb` with one GetItem, the baseline, and the functions, each built as the
 * CDK construct builds it (infra/bundling.ts).
 */
export const BARE = 'bare-dynamodb-getitem';

const BARE_ENTRY = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = () => client.send(new GetItemCommand({ TableName: 't', Key: { PK: { S: 'k' } } }));
`;

export type BenchBundle = { name: string; file: string; bytes: number };

/**
 * Builds the bare bundle and the functions named in `only` (every function when empty) into
 * `outDir/<name>/index.mjs`; the bare bundle is the first of the answer.
 */
export const buildBenchBundles = async (outDir: string, only: readonly string[]): Promise<BenchBundle[]> => {
  mkdirSync(outDir, { recursive: true });
  const bareEntry = path.join(outDir, 'bare-entry.mjs');
  writeFileSync(bareEntry, BARE_ENTRY);
  const fns = allFunctions()
    .map((spec) => spec.fn)
    .filter((fn) => only.length === 0 || only.includes(fn));
  return Promise.all(
    [{ name: BARE, entry: bareEntry }, ...fns.map((fn) => ({ name: fn, entry: entryOf(fn) }))].map(
      async ({ name, entry }) => {
        const file = path.join(outDir, name, 'index.mjs');
        await build(esbuildOptions(entry, file));
        return { name, file, bytes: statSync(file).size };
      },
    ),
  );
};
