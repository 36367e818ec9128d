/**
 * `npm test`: the type check and the lint run beside the test tiers instead of before them, at the
 * lowest CPU priority, so they take only what vitest leaves idle (its files wait on DynamoDB
 * Local, the mail server and Chromium: about a quarter of two cores). Measured on this 2-core
 * machine, idle: in sequence 24 s + 2 s + vitest 164 s; beside it at normal priority 221 s (the
 * three fought for the cores); beside it at low priority 165 s, vitest 159 s, tsc done at 136 s.
 * Vitest's output streams as it runs; the checks' output is held and printed when they end, so
 * the three never interleave. Exits non-zero when any of the three fails, after all three end.
 */
import { spawn } from 'node:child_process';
import { constants, setPriority } from 'node:os';

type Outcome = { name: string; code: number; seconds: number; output: string };

/** Runs a command of node_modules/.bin (npm puts it on the PATH); `inherit` streams its output. */
const run = (
  name: string,
  command: string,
  args: string[],
  { inherit = false, background = false } = {},
): Promise<Outcome> =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    if (background && child.pid) setPriority(child.pid, constants.priority.PRIORITY_LOW);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const end = (code: number) =>
      resolve({ name, code, seconds: Math.round((Date.now() - started) / 100) / 10, output });
    child.on('error', (error) => {
      output += `${error.message}\n`;
      end(1);
    });
    child.on('close', (code, signal) => end(code ?? (signal ? 1 : 0)));
  });

const report = (outcome: Outcome) => {
  const verdict = outcome.code === 0 ? 'passed' : `FAILED (exit ${outcome.code})`;
  // tsc prints nothing when it passes; Biome a line, and its warnings.
  if (outcome.output.trim()) process.stdout.write(`\n${outcome.output}`);
  process.stdout.write(`${outcome.name}: ${verdict} in ${outcome.seconds} s\n`);
  return outcome;
};

const outcomes = await Promise.all([
  run('typecheck (tsc --noEmit)', 'tsc', ['--noEmit'], { background: true }).then(report),
  run('lint (biome check .)', 'biome', ['check', '.'], { background: true }).then(report),
  run('tests (vitest run)', 'vitest', ['run', ...process.argv.slice(2)], { inherit: true }).then(report),
]);
process.exitCode = outcomes.every((o) => o.code === 0) ? 0 : 1;
