/**
 * Builds the web app into a given directory: the local bundling step of the web app's asset in
 * `infra/constructs/web-app.ts`, run by CDK during synth. A separate process for the same reason
 * as `scripts/bundle-function.ts`: CDK's `tryBundle` is synchronous and esbuild's build is not.
 *
 *   tsx scripts/bundle-web.ts <outDir>
 */
import { buildWeb } from './build-web.ts';

const [outDir] = process.argv.slice(2);
if (!outDir) {
  process.stderr.write('usage: bundle-web.ts <outDir>\n');
  process.exit(2);
}
try {
  await buildWeb(outDir);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
