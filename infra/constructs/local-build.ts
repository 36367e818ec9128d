import { spawnSync } from 'node:child_process';
import {
  AssetHashType,
  type AssetOptions,
  BundlingOutput,
  type DockerImage,
  type ILocalBundling,
} from 'aws-cdk-lib';
import { REPO_ROOT } from '../bundling.ts';

/**
 * CDK's local bundling step: runs a build script of `scripts/` with tsx in a child process, the
 * output directory as its last argument, since `tryBundle` is synchronous and the builds (esbuild's
 * JS API) are asynchronous. A failed build throws instead of returning false, which would fall
 * back to Docker.
 */
class LocalScriptBuild implements ILocalBundling {
  /**
   * Fields, not a closure: CDK caches staged assets by the JSON of the bundling options, so the
   * script and its arguments must show in it or every asset would get the first one's output.
   */
  readonly script: string;
  readonly args: readonly string[];
  /** What is built, for the error: "bundling functions/health.ts". */
  readonly what: string;

  constructor(script: string, args: readonly string[], what: string) {
    this.script = script;
    this.args = args;
    this.what = what;
  }

  tryBundle(outputDir: string): boolean {
    const child = spawnSync(process.execPath, ['--import', 'tsx', this.script, ...this.args, outputDir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.status !== 0) {
      throw new Error(`${this.what} failed: ${child.stderr || child.stdout || child.error}`);
    }
    return true;
  }
}

/**
 * An asset's options when its content is what a build script writes at synth. The hash is the
 * output's (OUTPUT): the asset changes exactly when the build does, without hashing a source
 * directory that would miss changes or read the whole repository. When bundling is skipped
 * (`aws:cdk:bundling-stacks`, as in the infra tests) CDK replaces OUTPUT with a hash of the
 * construct path and builds nothing. The Docker image is required by the bundling props but never
 * run: the local build succeeds or throws.
 */
export const locallyBuilt = (
  build: { script: string; args?: readonly string[]; what: string },
  image: DockerImage,
): AssetOptions => ({
  assetHashType: AssetHashType.OUTPUT,
  bundling: {
    image,
    local: new LocalScriptBuild(build.script, build.args ?? [], build.what),
    outputType: BundlingOutput.NOT_ARCHIVED,
  },
});
