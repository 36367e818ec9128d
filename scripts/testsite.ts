import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run testsite -- off` | `on` | (nothing: print the state and the page URLs). Switches the
 * local test website that `npm start` serves (TESTSITE_PORT, default 8007) through its local-only
 * control path (the URL `npm start` wrote to `.local/testsite.json`, or TESTSITE_URL).
 */
const [command] = process.argv.slice(2);
if (command !== undefined && command !== 'on' && command !== 'off') {
  console.error('usage: npm run testsite -- on | off');
  process.exit(2);
}
const site = (() => {
  if (process.env.TESTSITE_URL)
    return { controlUrl: `${process.env.TESTSITE_URL}/_local/testsite`, url: process.env.TESTSITE_URL };
  try {
    return JSON.parse(readFileSync(join(import.meta.dirname, '..', '.local', 'testsite.json'), 'utf8')) as {
      url: string;
      controlUrl: string;
    };
  } catch {
    console.error('No running local system found (.local/testsite.json). Start it with `npm start`.');
    process.exit(1);
  }
})();

const response = await fetch(
  site.controlUrl,
  command
    ? {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state: command }),
      }
    : {},
).catch((error: Error) => {
  console.error(`Could not reach ${site.controlUrl}: ${error.message}. Is \`npm start\` running?`);
  process.exit(1);
});
const body = (await response.json()) as { state?: string; error?: string };
if (!response.ok) {
  console.error(body.error ?? `the test site answered ${response.status}`);
  process.exit(1);
}
console.log(
  `test site ${site.url} is ${body.state === 'on' ? 'ON: its pages answer 200' : 'OFF: every page answers 404'}`,
);
console.log(`  a page to submit as evidence: ${site.url}/ita/o14`);
