/**
 * Builds one Lambda bundle: the local bundling step of `NodeFunction`'s asset, run by CDK during
 * synth. A separate process because CDK's `tryBundle` is synchronous and esbuild runs plugins only
 * in its asynchronous API.
 *
 *   tsx scripts/bundle-function.ts functions/notifier.ts <outDir>
 */
import { bundleFunction } from '../infra/bundling.ts';

const [entry, outDir] = process.argv.slice(2);
if (!entry || !outDir) {
  process.stderr.write('usage: bundle-function.ts <entry> <outDir>\n');
  process.exit(2);
}
try {
  await bundleFunction(entry, outDir);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
