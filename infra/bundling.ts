import { fileURLToPath } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * The one description of how a Lambda is bundled. The CDK construct (`NodejsFunction` bundling
 * props) and the bundle benchmark (esbuild's JS API) are both derived from it, so the size the
 * benchmark reports is the size that deploys.
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

export const BUNDLE = {
  target: NODE_TARGET,
  format: 'esm',
  platform: 'node',
  minify: true,
  sourcemap: true,
  /** ESM entry points first: the SDK's `module` builds tree-shake to the commands a function uses. */
  mainFields: ['module', 'main'],
  /** Empty: `@aws-sdk/*` is bundled and pinned by the lockfile rather than taken from the runtime. */
  external: [] as string[],
  banner: ESM_REQUIRE_BANNER,
} as const;

/** `NodejsFunction` bundling props: local esbuild only (no Docker), the shared options above. */
export const nodejsBundling = (): BundlingOptions => ({
  forceDockerBundling: false,
  target: BUNDLE.target,
  format: OutputFormat.ESM,
  minify: BUNDLE.minify,
  sourceMap: BUNDLE.sourcemap,
  sourceMapMode: SourceMapMode.DEFAULT,
  mainFields: [...BUNDLE.mainFields],
  externalModules: [...BUNDLE.external],
  banner: BUNDLE.banner,
});

/** The same bundle through esbuild's JS API (what the benchmark builds). */
export const esbuildOptions = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  absWorkingDir: REPO_ROOT,
  target: BUNDLE.target,
  format: BUNDLE.format,
  platform: BUNDLE.platform,
  minify: BUNDLE.minify,
  sourcemap: BUNDLE.sourcemap,
  mainFields: [...BUNDLE.mainFields],
  external: [...BUNDLE.external],
  banner: { js: BUNDLE.banner },
  logLevel: 'silent',
});
