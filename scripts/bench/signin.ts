/**
 * npm run bench:signin — does POST /auth/code take the same time for a known and an unknown
 * address? In-process against DynamoDB Local: the deployed handler (middy, parsing, the
 * per-source count, the outbox write of SignInCodeRequested), 1,000 requests alternating a
 * coordinator's address and an address nobody holds, each from its own source address (so the
 * per-source limit never answers). Prints the median and p90 of each, their ratio, and the
 * DynamoDB calls each kind made (expected: the same two, UpdateItem and BatchWriteItem).
 *
 * The mail is sent later, by the bus consumer (`auth-code-mailer`), which this does not run:
 * that is the point of the design, and what is measured is what the caller can observe.
 * Starts its own DynamoDB Local on a free port and stops it at the end.
 */
import { performance } from 'node:perf_hooks';
import type { HttpEvent, HttpResult } from '#http/types';
import { httpEvent } from '#test/events';
import { seedAssessment } from '#test/fixtures';
import { ms, percentile, startBenchTable } from './measure.ts';

const PAIRS = 500;
const WARMUP = 50;
const ID = 'bench-signin';
const KNOWN = 'coordinator@a1.example.org';
const UNKNOWN = 'nobody-here@a1.example.org';

const { dynamo, runtime, calls } = await startBenchTable('bench-signin');
try {
  await seedAssessment(runtime, { id: ID, agencyIds: ['a1', 'a2'], items: ['o1'] });
  const { handler } = (await import('../../functions/auth.ts')) as {
    handler: (event: HttpEvent, context: never) => Promise<HttpResult>;
  };

  let source = 0;
  const ask = async (email: string) => {
    source++;
    const event = httpEvent({
      method: 'POST',
      path: '/auth/code',
      body: { email, assessmentId: ID },
      principal: null,
    });
    event.requestContext.http.sourceIp = `10.${(source >> 16) & 255}.${(source >> 8) & 255}.${source & 255}`;
    const before = calls.length;
    const started = performance.now();
    const result = await handler(event, {} as never);
    const elapsed = performance.now() - started;
    if (result.statusCode !== 202)
      throw new Error(`POST /auth/code answered ${result.statusCode}: ${result.body}`);
    return { elapsed, calls: calls.slice(before).join('+'), body: result.body };
  };

  for (let i = 0; i < WARMUP; i++) {
    await ask(KNOWN);
    await ask(UNKNOWN);
  }
  const known: number[] = [];
  const unknown: number[] = [];
  const callShapes = { known: new Set<string>(), unknown: new Set<string>() };
  const bodies = new Set<string>();
  for (let i = 0; i < PAIRS; i++) {
    // Alternate which goes first, so neither always follows the other.
    const order = i % 2 === 0 ? [KNOWN, UNKNOWN] : [UNKNOWN, KNOWN];
    for (const email of order) {
      const run = await ask(email);
      (email === KNOWN ? known : unknown).push(run.elapsed);
      callShapes[email === KNOWN ? 'known' : 'unknown'].add(run.calls);
      bodies.add(run.body);
    }
  }
  const medianKnown = percentile(known, 50);
  const medianUnknown = percentile(unknown, 50);
  console.log(`POST /auth/code, ${PAIRS} known and ${PAIRS} unknown addresses (DynamoDB Local, in-process)`);
  console.log(
    `  known:   median ${ms(medianKnown)}, p90 ${ms(percentile(known, 90))}; calls ${[...callShapes.known].join(' | ')}`,
  );
  console.log(
    `  unknown: median ${ms(medianUnknown)}, p90 ${ms(percentile(unknown, 90))}; calls ${[...callShapes.unknown].join(' | ')}`,
  );
  console.log(`  ratio known/unknown (median): ${(medianKnown / medianUnknown).toFixed(3)}`);
  console.log(`  distinct answer bodies: ${bodies.size}`);
} finally {
  await dynamo.stop();
}
