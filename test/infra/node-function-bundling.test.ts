import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stageSettings } from '../../infra/config.ts';
import { NodeFunction } from '../../infra/constructs/node-function.ts';

/** The directory CDK staged a function's code into, inside the app's cloud assembly. */
const stagedCodeOf = (app: App, fn: NodeFunction) =>
  path.join(app.outdir, (fn.node.findChild('Code') as Asset).assetPath);

describe('NodeFunction bundling (bundling on, as in `cdk synth`)', () => {
  it("stages each function's own bundle, index.mjs with its source map, that Node loads as ESM", async () => {
    // Prepare: two functions in one stack, so a bundle shared between them would show.
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'ita-cdk-')) });
    onTestFinished(() => rmSync(app.outdir, { recursive: true, force: true }));
    const stack = new Stack(app, 'Bundled');
    const settings = stageSettings('dev');

    // Act
    const health = new NodeFunction(stack, 'Health', { fn: 'health', description: 'health', settings });
    const openapi = new NodeFunction(stack, 'Openapi', { fn: 'openapi', description: 'openapi', settings });

    // Assess
    const [healthDir, openapiDir] = [stagedCodeOf(app, health), stagedCodeOf(app, openapi)];
    expect(healthDir).not.toBe(openapiDir);
    expect(readdirSync(healthDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(readdirSync(openapiDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(readFileSync(path.join(healthDir, 'index.mjs.map'), 'utf8')).toContain('functions/health.ts');
    const url = pathToFileURL(path.join(healthDir, 'index.mjs')).href;
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(url)}); process.stdout.write(typeof m.handler);`,
    ]);
    expect(stdout).toBe('function');
  });
});
