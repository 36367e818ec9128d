/**
 * Bundle size and import time of every Lambda, built exactly as the CDK construct builds it
 * (infra/bundling.ts), beside a bare bundle of `@aws-sdk/client-dynamodb` with one GetItem built
 * the same way: a local stand-in for cold start. Import time is measured in a fresh Node
 * process per run (import only, no handler call), median of RUNS.
 *
 *   npm run bench:bundle            # every function
 *   npm run bench:bundle -- notifier oit
 *
 * Prints a table and writes .bench/bundle.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptions, REPO_ROOT } from '../../infra/bundling.ts';
import { allFunctions, entryOf } from '../../infra/catalogue.ts';

const RUNS = 7;
const TARGET_RATIO = 1.3;
const OUT = path.join(REPO_ROOT, '.bench', 'bundles');

const BARE_ENTRY = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = () => client.send(new GetItemCommand({ TableName: 't', Key: { PK: { S: 'k' } } }));
`;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Milliseconds from `import()` start to resolution, in a new process each time. */
const importMs = (file: string): number => {
  const url = pathToFileURL(file).href;
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); process.stdout.write(String(performance.now() - t));`;
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
    runs.push(Number(child.stdout));
  }
  return median(runs);
};

const bundle = async (name: string, entry: string) => {
  const outfile = path.join(OUT, name, 'index.mjs');
  await build(esbuildOptions(entry, outfile));
  return { name, bytes: statSync(outfile).size, importMs: importMs(outfile) };
};

const main = async () => {
  mkdirSync(OUT, { recursive: true });
  const bareEntry = path.join(OUT, 'bare-entry.mjs');
  writeFileSync(bareEntry, BARE_ENTRY);
  const only = process.argv.slice(2);
  const fns = allFunctions()
    .map((spec) => spec.fn)
    .filter((fn) => only.length === 0 || only.includes(fn));

  const bare = await bundle('bare-dynamodb-getitem', bareEntry);
  const rows = [];
  for (const fn of fns) rows.push(await bundle(fn, entryOf(fn)));

  const kb = (bytes: number) => (bytes / 1024).toFixed(0);
  const results = rows.map((row) => ({
    ...row,
    sizeRatio: row.bytes / bare.bytes,
    importRatio: row.importMs / bare.importMs,
  }));
  const lines = [
    `node ${process.version}, ${RUNS} runs per bundle (median), target <= ${TARGET_RATIO}x the bare client`,
    '',
    `${'bundle'.padEnd(24)} ${'KB'.padStart(6)} ${'size x'.padStart(7)} ${'import ms'.padStart(10)} ${'import x'.padStart(9)}  target`,
    `${bare.name.padEnd(24)} ${kb(bare.bytes).padStart(6)} ${'1.00'.padStart(7)} ${bare.importMs.toFixed(1).padStart(10)} ${'1.00'.padStart(9)}`,
    ...results.map(
      (r) =>
        `${r.name.padEnd(24)} ${kb(r.bytes).padStart(6)} ${r.sizeRatio.toFixed(2).padStart(7)} ${r.importMs.toFixed(1).padStart(10)} ${r.importRatio.toFixed(2).padStart(9)}  ${
          r.sizeRatio <= TARGET_RATIO && r.importRatio <= TARGET_RATIO ? 'met' : 'MISSED'
        }`,
    ),
  ];
  console.log(lines.join('\n'));
  mkdirSync(path.join(REPO_ROOT, '.bench'), { recursive: true });
  writeFileSync(
    path.join(REPO_ROOT, '.bench', 'bundle.json'),
    `${JSON.stringify({ node: process.version, runs: RUNS, targetRatio: TARGET_RATIO, bare, functions: results }, null, 2)}\n`,
  );
};

await main();
