import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * The schema modules of the AWS SDK v3 clients (`dist-es/schemas/schemas_N.js`, and the same under
 * `nested-clients/dist-es/submodules/<client>/schemas/`): one module per client describing every
 * operation and shape, tens of KB each.
 */
export const SDK_SCHEMA_MODULE =
  /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:submodules[\\/][^\\/]+[\\/])?schemas[\\/]schemas_\d+\.js$/;

/** A top-level (unindented) `const _x = "...";` line: the SDK's shared string table. */
const STRING_CONST = /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm;

/**
 * `[_x]:` as an object key, that is after `{` or `,`; the guard leaves alone a member access
 * followed by a ternary's colon (`a ? b[_x]: c`), which is not a key.
 */
const COMPUTED_KEY = /([{,]\s*)\[(_\w+)\]:/g;

/**
 * Rewrites each computed key whose name is one of the module's top-level string constants into
 * that constant's literal: `{ [_h]: [...] }` with `const _h = "http";` becomes `{ "http": [...] }`.
 * Same object, same key order. `__proto__` is the one key where the two forms differ (the literal
 * sets the prototype, the computed key makes an own property), so it is left computed.
 */
export const inlineSchemaKeys = (source: string): string => {
  const literals = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(STRING_CONST)) {
    if (literal !== '"__proto__"') literals.set(name!, literal!);
  }
  return source.replace(COMPUTED_KEY, (key: string, before: string, name: string) => {
    const literal = literals.get(name);
    return literal === undefined ? key : `${before}${literal}:`;
  });
};

/**
 * Lets esbuild tree-shake the SDK's schema modules.
 *
 * Why: the schemas of REST-protocol clients (SES v2, Scheduler) carry their HTTP traits in objects
 * with computed keys, `export var TagResource$ = [9, n0, _TRa, { [_h]: ["POST", "/v2/email/tags",
 * 200] }, ...]`, where `_h` is a `const` holding `"http"`. A computed key converts its value to a
 * property key, which runs user code when the value is an object, and esbuild's side-effect check
 * does not follow the identifier to its string constant: it keeps every such schema even when
 * nothing uses it. A function sending one SES email carried the schemas of all SES v2 operations
 * (47 KB of the notifier's 493 KB when measured). With literal keys the arrays are side-effect
 * free and the unused ones are dropped (notifier: 449 KB). The rewrite is syntactic, keeps every
 * line where it was (source maps stay right), and touches only these modules.
 */
export const sdkSchemaPlugin = (): Plugin => ({
  name: 'sdk-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: SDK_SCHEMA_MODULE }, async (args) => ({
      contents: inlineSchemaKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
});
