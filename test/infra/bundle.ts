import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { esbuildOptions, REPO_ROOT } from '../../infra/bundling.ts';

export type BundleOptions = {
  /** Keeps `.name` of classes and functions, which minifying renames differently per bundle. */
  keepNames?: boolean;
};

/**
 * Bundles `contents` as an entry at the repository root (so bare and `#` imports resolve) with the
 * options every Lambda is built with, in memory; returns the code.
 */
export const bundleSource = async (contents: string, options: BundleOptions = {}): Promise<string> => {
  const { entryPoints: _entry, ...lambda } = esbuildOptions('', path.join(REPO_ROOT, 'index.mjs'));
  const result = await build({
    ...lambda,
    stdin: { contents, resolveDir: REPO_ROOT, sourcefile: 'entry.ts', loader: 'ts' },
    sourcemap: false,
    write: false,
    keepNames: options.keepNames ?? false,
  });
  return result.outputFiles[0]!.text;
};

/**
 * Runs bundled code as a program in a new Node process and returns its stdout: Node loads the
 * bundle natively, as Lambda does (the test runner would transform an `import()`ed file). Only
 * PATH and `env` are passed, so no local AWS profile or credentials reach it.
 */
export const runBundle = async (code: string, env: Record<string, string> = {}): Promise<string> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ita-bundle-'));
  const file = path.join(dir, 'index.mjs');
  writeFileSync(file, code);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [file], {
      env: { PATH: process.env.PATH ?? '', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
