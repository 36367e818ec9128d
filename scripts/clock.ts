import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run clock -- set 2024-02-15` (12:00 Bangkok that day) | `advance 7d` | (nothing: print the clock). Talks to the
 * running `npm start` through its local-only admin endpoint (the URL it wrote to
 * `.local/clock-admin.json`, or CLOCK_URL); moving the clock fires everything due in between.
 */
const [command, value] = process.argv.slice(2);
const url =
  process.env.CLOCK_URL ??
  (() => {
    try {
      return (
        JSON.parse(readFileSync(join(import.meta.dirname, '..', '.local', 'clock-admin.json'), 'utf8')) as {
          url: string;
        }
      ).url;
    } catch {
      console.error('No running local system found (.local/clock-admin.json). Start it with `npm start`.');
      process.exit(1);
    }
  })();

const response = await fetch(
  url,
  command
    ? {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command, value: value ?? '' }),
      }
    : {},
).catch((error: Error) => {
  console.error(`Could not reach ${url}: ${error.message}. Is \`npm start\` running?`);
  process.exit(1);
});
const body = (await response.json()) as {
  error?: string;
  nowTh?: string;
  from?: string;
  to?: string;
  fired?: { atTh: string; name: string }[];
};
if (!response.ok) {
  console.error(body.error ?? `clock answered ${response.status}`);
  process.exit(1);
}
if (!command) {
  console.log(`local clock: ${body.nowTh}`);
} else {
  for (const f of body.fired ?? []) console.log(`fired  ${f.atTh}  ${f.name}`);
  console.log(`clock moved ${body.from} -> ${body.to}; ${body.fired?.length ?? 0} schedule(s) fired`);
}
