import type { Plugin } from 'esbuild';

/**
 * Packages whose modules have no side effects at import but whose package.json does not say so
 * (`"sideEffects": false`, which every `@aws-sdk/client-*` and `@aws-sdk/util-dynamodb` declares).
 *
 * `@aws-sdk/lib-dynamodb`: its index imports `pagination/`, where each paginator is a top-level
 * `createPaginator(...)` call. Without the flag esbuild keeps those calls, and with them the
 * DocumentClient's Scan and Query paginators and `ScanCommand`, in every function (1.5 KB each),
 * although no function paginates through them (`queryAll` pages by hand).
 */
export const SIDE_EFFECT_FREE_PACKAGES = ['@aws-sdk/lib-dynamodb'] as const;

const packageDirectory = (name: string) =>
  new RegExp(`[\\\\/]node_modules[\\\\/]${name.replace('/', '[\\\\/]')}[\\\\/]`);

/** Marks every module resolved inside `packages` as side-effect free, as their own flag would. */
export const sideEffectFreePlugin = (packages: readonly string[] = SIDE_EFFECT_FREE_PACKAGES): Plugin => ({
  name: 'side-effect-free-packages',
  setup(build) {
    const directories = packages.map(packageDirectory);
    const inPackage = (path: string) => directories.some((directory) => directory.test(path));
    build.onResolve({ filter: /.*/ }, async (args) => {
      // Only imports of the packages and imports made inside them; everything else resolves as usual.
      const candidate = packages.some((name) => args.path.startsWith(name)) || inPackage(args.importer);
      if (!candidate || args.pluginData === 'side-effect-free') return undefined;
      const resolved = await build.resolve(args.path, {
        importer: args.importer,
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: 'side-effect-free',
      });
      if (resolved.errors.length > 0 || !inPackage(resolved.path)) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
});
