import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

/**
 * The one description of how a Lambda is bundled. The CDK construct (through
 * `scripts/bundle-function.ts`) and the bundle benchmark both build with `esbuildOptions`, so the
 * size the benchmark reports is the size that deploys. Kept free of aws-cdk-lib: the bundling
 * script loads it once per function during synth.
 */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Pinned beside `Runtime.NODEJS_24_X` in the function construct: the esbuild target and the
 * Lambda runtime move together, so emitted syntax never outruns the runtime.
 */
export const NODE_TARGET = 'node24';

/**
 * Some dependencies (middy's, the SDK's CJS fallbacks) still call `require`; in an ESM bundle
 * that global does not exist, so the banner recreates it from `import.meta.url`.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __ita_createRequire } from 'node:module'; const require = __ita_createRequire(import.meta.url);";

/** `.mjs`: Lambda loads it as ESM without a package.json beside it. */
export const BUNDLE_FILE = 'index.mjs';
export const HANDLER = 'index.handler';

export const BUNDLE = {
  target: NODE_TARGET,
  format: 'esm',
  platform: 'node',
  minify: true,
  sourcemap: true,
  /**
   * Thai text stays UTF-8 in the bundle: esbuild's default (ASCII) writes each Thai character as a
   * six-byte `\uXXXX` escape instead of its three UTF-8 bytes, and the templates are mostly Thai.
   */
  charset: 'utf8',
  /** ESM entry points first: the SDK's `module` builds tree-shake to the commands a function uses. */
  mainFields: ['module', 'main'],
  /** Empty: `@aws-sdk/*` is bundled and pinned by the lockfile rather than taken from the runtime. */
  external: [] as string[],
  banner: ESM_REQUIRE_BANNER,
} as const;

/**
 * The esbuild options of a Lambda bundle: esbuild as published, no plugin. The construct builds
 * through this function (not `NodejsFunction`'s own bundling) so that `npm run bench:bundle`
 * measures exactly what deploys.
 */
export const esbuildOptions = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  absWorkingDir: REPO_ROOT,
  target: BUNDLE.target,
  format: BUNDLE.format,
  platform: BUNDLE.platform,
  minify: BUNDLE.minify,
  charset: BUNDLE.charset,
  sourcemap: BUNDLE.sourcemap,
  mainFields: [...BUNDLE.mainFields],
  external: [...BUNDLE.external],
  banner: { js: BUNDLE.banner },
  logLevel: 'silent',
});

/** Builds `entry` (relative to the repository or absolute) into `outDir/index.mjs` and its map. */
export const bundleFunction = async (entry: string, outDir: string) =>
  build(esbuildOptions(path.resolve(REPO_ROOT, entry), path.join(outDir, BUNDLE_FILE)));
