/**
 * Where a function's import time goes among our modules: the zod schema constructor steps each
 * module runs at load, and the time between one module's code and the next. A diagnosis beside
 * `npm run bench:bundle`, not a measure of what deploys: the function is bundled with the
 * construct's options (infra/bundling.ts) but unminified, and the output is then instrumented,
 * analysis only: a counter after zod's trait initialisation (`inst._zod.traits.add(name)` in
 * `$constructor`, one step per trait of every schema built) and a mark at each module's first line
 * (esbuild's `// path` comment). Import in a fresh Node process, as the benchmark does. The total
 * is exact; a module esbuild wraps to run later (`__esm`, behind a dynamic `import()`) is counted
 * under the module whose code first runs it.
 *
 *   npx tsx scripts/bench/bundle-steps.ts notifier auth     # the modules with steps, most first
 *   TOP=40 npx tsx scripts/bench/bundle-steps.ts notifier   # more rows
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptions, REPO_ROOT } from '../../infra/bundling.ts';

const OUT = path.join(REPO_ROOT, '.bench', 'bundle-steps');
const TRAIT_STEP = 'inst._zod.traits.add(name);';

/** Counter and marks, prepended to the bundle: each row is [module, steps, ms] since the last mark. */
const PRELUDE = `globalThis.__steps = 0; globalThis.__rows = []; globalThis.__current = ['(start)', 0, performance.now()];
globalThis.__mark = (file) => { const now = performance.now(); const [name, steps, at] = globalThis.__current;
  globalThis.__rows.push([name, globalThis.__steps - steps, now - at]); globalThis.__current = [file, globalThis.__steps, now]; };
`;

const instrumented = (bundle: string) => {
  if (!bundle.includes(TRAIT_STEP)) throw new Error(`zod's trait step (${TRAIT_STEP}) is not in the bundle`);
  const marked = bundle
    .replace(TRAIT_STEP, `${TRAIT_STEP} globalThis.__steps++;`)
    .replace(
      /^\/\/ (\S+)$/gm,
      (line, file: string) => `${line}\nglobalThis.__mark(${JSON.stringify(file)});`,
    );
  return `${PRELUDE}${marked}\nglobalThis.__mark('(end)');\n`;
};

const stepsOf = async (fn: string) => {
  const file = path.join(OUT, fn, 'index.mjs');
  mkdirSync(path.dirname(file), { recursive: true });
  const options = esbuildOptions(path.join(REPO_ROOT, 'functions', `${fn}.ts`), file);
  await build({ ...options, minify: false, sourcemap: false });
  writeFileSync(file, instrumented(readFileSync(file, 'utf8')));
  const script = `await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(JSON.stringify(globalThis.__rows));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  if (child.status !== 0) throw new Error(`importing ${fn} failed: ${child.stderr}`);
  const byModule = new Map<string, { steps: number; ms: number }>();
  for (const [name, steps, ms] of JSON.parse(child.stdout) as [string, number, number][]) {
    const row = byModule.get(name) ?? { steps: 0, ms: 0 };
    byModule.set(name, { steps: row.steps + steps, ms: row.ms + ms });
  }
  return byModule;
};

const top = Number(process.env.TOP ?? 15);
for (const fn of process.argv.slice(2)) {
  const byModule = await stepsOf(fn);
  const rows = [...byModule].filter(([, row]) => row.steps > 0).sort((a, b) => b[1].steps - a[1].steps);
  const total = rows.reduce((sum, [, row]) => sum + row.steps, 0);
  console.log(`${fn}: ${total} schema steps at load`);
  for (const [name, row] of rows.slice(0, top))
    console.log(`${String(row.steps).padStart(7)} ${row.ms.toFixed(1).padStart(7)} ms  ${name}`);
}
