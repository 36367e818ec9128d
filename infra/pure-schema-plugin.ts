import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/** The project's own TypeScript sources, where our zod schemas are declared (esbuild filters are Go regexps: no lookahead). */
export const OWN_SOURCE = /[\\/](?:shared|functions)[\\/].*\.ts$/;

/**
 * A zod/mini call through the `z` namespace (`z.strictObject(`, `z.string(`) or one of its
 * sub-namespaces (`z.iso.datetime(`, `z.coerce.number(`), except `z.config(`, which is called for
 * its effect (the English messages, `shared/domain/zod-locale.ts`).
 */
const ZOD_CALL = /\bz\.(?!config\b)([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\(/g;

/** Marks every zod schema construction as free of side effects: `z.object(` → `/* @__PURE__ *\/ z.object(`. */
export const annotateZodCalls = (source: string): string =>
  source.replace(ZOD_CALL, (_call, name: string) => `/* @__PURE__ */ z.${name}(`);

/**
 * Lets esbuild drop the schemas a function never uses.
 *
 * Why: a module-level `export const Milestone = z.strictObject({...})` is a call, and esbuild
 * keeps any call it cannot prove harmless, so every schema of every module a function imports
 * was built at cold start and shipped, used or not. Building a zod schema has no effect outside
 * the value it returns, which is what the `@__PURE__` annotation states; the annotation is written
 * here rather than by hand on each of the hundreds of schema expressions. Only `z.` calls in our
 * own sources are touched, line and column structure aside from the inserted comment unchanged.
 */
export const pureSchemaPlugin = (): Plugin => ({
  name: 'pure-zod-schemas',
  setup(build) {
    build.onLoad({ filter: OWN_SOURCE }, async (args) =>
      /[\\/]node_modules[\\/]/.test(args.path)
        ? undefined
        : { contents: annotateZodCalls(await readFile(args.path, 'utf8')), loader: 'ts' },
    );
  },
});
