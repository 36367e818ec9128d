/**
 * Bundle size and import time of every Lambda, built exactly as the CDK construct builds it
 * (infra/bundling.ts), beside a bare bundle of `@aws-sdk/client-dynamodb` with one GetItem built
 * the same way: a local stand-in for cold start. Import time is measured in a fresh Node process
 * per run (import only, no handler call). Budget: import time <= 1.5x the bare bundle's; size is
 * printed beside it.
 *
 * A busy machine drifts over a run of minutes, so each function is timed in its own loop that
 * alternates bare and function imports (bare, fn, bare, fn, ...): drift hits both alike, and the
 * ratio is the median of the function's runs over the median of the bare runs of that same loop.
 *
 *   npm run bench:bundle            # every function
 *   npm run bench:bundle -- notifier oit
 *
 * Prints a table (progress on stderr) and writes .bench/bundle.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../infra/bundling.ts';
import { buildBenchBundles } from './bundles.ts';

const RUNS = 25;
const TARGET_IMPORT_RATIO = 1.5;
const OUT = path.join(REPO_ROOT, '.bench', 'bundles');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Milliseconds from `import()` start to resolution, in a new process. */
const importMs = (file: string): number => {
  const url = pathToFileURL(file).href;
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); process.stdout.write(String(performance.now() - t));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
  return Number(child.stdout);
};

const interleaved = (fnFile: string, bareFile: string) => {
  const fn: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    bare.push(importMs(bareFile));
    fn.push(importMs(fnFile));
  }
  return { fn, bare };
};

const main = async () => {
  const [bare, ...bundles] = await buildBenchBundles(OUT, process.argv.slice(2));
  const allBareRuns: number[] = [];
  const results = bundles.map((row, index) => {
    process.stderr.write(`timing ${row.name} (${index + 1}/${bundles.length})\n`);
    const runs = interleaved(row.file, bare!.file);
    allBareRuns.push(...runs.bare);
    const fnMs = median(runs.fn);
    const bareMs = median(runs.bare);
    return {
      name: row.name,
      bytes: row.bytes,
      importMs: fnMs,
      bareImportMs: bareMs,
      sizeRatio: row.bytes / bare!.bytes,
      importRatio: fnMs / bareMs,
    };
  });
  const bareMs = median(allBareRuns);

  const kb = (bytes: number) => (bytes / 1024).toFixed(0);
  const met = (r: (typeof results)[number]) => r.importRatio <= TARGET_IMPORT_RATIO;
  const lines = [
    `node ${process.version}, ${RUNS} runs per bundle interleaved with ${RUNS} of the bare client (medians; import x against the bare runs of the same loop), budget: import <= ${TARGET_IMPORT_RATIO}x the bare client`,
    '',
    `${'bundle'.padEnd(24)} ${'KB'.padStart(6)} ${'size x'.padStart(7)} ${'import ms'.padStart(10)} ${'import x'.padStart(9)}  budget`,
    `${bare!.name.padEnd(24)} ${kb(bare!.bytes).padStart(6)} ${'1.00'.padStart(7)} ${bareMs.toFixed(1).padStart(10)} ${'1.00'.padStart(9)}`,
    ...results.map(
      (r) =>
        `${r.name.padEnd(24)} ${kb(r.bytes).padStart(6)} ${r.sizeRatio.toFixed(2).padStart(7)} ${r.importMs.toFixed(1).padStart(10)} ${r.importRatio.toFixed(2).padStart(9)}  ${
          met(r) ? 'met' : 'MISSED'
        }`,
    ),
    '',
    `met ${results.filter(met).length} of ${results.length}`,
  ];
  console.log(lines.join('\n'));
  mkdirSync(path.join(REPO_ROOT, '.bench'), { recursive: true });
  writeFileSync(
    path.join(REPO_ROOT, '.bench', 'bundle.json'),
    `${JSON.stringify(
      {
        node: process.version,
        runs: RUNS,
        targetImportRatio: TARGET_IMPORT_RATIO,
        bare: { name: bare!.name, bytes: bare!.bytes, importMs: bareMs },
        functions: results,
      },
      null,
      2,
    )}\n`,
  );
};

await main();
