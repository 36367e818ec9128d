/**
 * What a function's import costs in instructions, beside `npm run bench:bundle`'s milliseconds: a
 * diagnosis for deciding between two ways of writing a function, not the budget's measure. On a
 * shared machine one import's wall time scatters by ±15 % from run to run, so a change worth 3 %
 * needs hundreds of runs to show; the instructions the main thread executes for the same import
 * (Valgrind's callgrind, one thread per output) repeat within about 1 %, from one run.
 *
 * Each function is bundled as the construct bundles it (infra/bundling.ts), then imported once in a
 * fresh Node process under callgrind; the instructions of a process that imports nothing are
 * subtracted, leaving the import's own. Background threads (V8's compilers and concurrent GC) are
 * left out: on Lambda's second vCPU share they run beside the import, not in its way. Needs
 * `valgrind` (Debian: `apt-get install valgrind`); about 10 s a function, two at a time.
 *
 *   npx tsx scripts/bench/bundle-instructions.ts                 # every function
 *   npx tsx scripts/bench/bundle-instructions.ts notifier oit    # some
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../infra/bundling.ts';
import { buildBenchBundles } from './bundles.ts';

const run = promisify(execFile);
const OUT = path.join(REPO_ROOT, '.bench', 'bundle-instructions');
const PARALLEL = 2;

/** Instructions the main thread of `node -e <script>` executes, in millions. */
const mainThreadInstructions = async (script: string): Promise<number> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callgrind-'));
  try {
    await run(
      'valgrind',
      [
        '--tool=callgrind',
        '--separate-threads=yes',
        `--callgrind-out-file=${path.join(dir, 'out')}`,
        process.execPath,
        '--input-type=module',
        '-e',
        script,
      ],
      { env: { PATH: process.env.PATH ?? '' }, maxBuffer: 16 * 1024 * 1024 },
    );
    // Thread 1 is the main thread; its file's `summary:` (or `totals:`) line is its event count.
    const main = readFileSync(path.join(dir, 'out-01'), 'utf8').match(/^(?:summary|totals): (\d+)/m);
    if (!main) throw new Error('callgrind wrote no summary for the main thread');
    return Number(main[1]) / 1e6;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const importScript = (file: string) => `await import(${JSON.stringify(pathToFileURL(file).href)});`;

const inBatches = async <T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += PARALLEL)
    results.push(...(await Promise.all(items.slice(i, i + PARALLEL).map(each))));
  return results;
};

const main = async () => {
  try {
    await run('valgrind', ['--version']);
  } catch {
    process.stderr.write('valgrind is not installed (Debian: apt-get install valgrind)\n');
    process.exit(2);
  }
  const bundles = await buildBenchBundles(OUT, process.argv.slice(2));
  const [nothing, ...counts] = await inBatches(['0', ...bundles.map((b) => importScript(b.file))], (script) =>
    mainThreadInstructions(script),
  );
  const own = counts.map((count) => count - nothing!);
  const bare = own[0]!;
  const rows = bundles
    .map((b, i) => ({ name: b.name, millions: own[i]!, ratio: own[i]! / bare }))
    .sort((a, b) => b.ratio - a.ratio);
  console.log(
    `node ${process.version}; main-thread instructions of one import in a fresh process, less a process importing nothing (${nothing!.toFixed(0)}M)\n`,
  );
  console.log(`${'bundle'.padEnd(24)} ${'M instr'.padStart(8)} ${'x bare'.padStart(7)}`);
  for (const row of rows)
    console.log(
      `${row.name.padEnd(24)} ${row.millions.toFixed(0).padStart(8)} ${row.ratio.toFixed(2).padStart(7)}`,
    );
};

await main();
