/**
 * npm run bench:api — the API's hot path against DynamoDB Local, in-process.
 *
 * 1. 2,000 first submissions of OIT evidence through the deployed handler (middy, parsing,
 *    authorization, the use case), each beside a raw TransactWriteItems of the same shape
 *    (evidence update + summary update + audit put) on another fresh item, alternating so both
 *    see the same database state. Prints p50/p99 of each, their ratio, and the DynamoDB calls
 *    per submission (expected: 1).
 * 2. 200 more submissions with an Idempotency-Key: calls per submission (expected: 3).
 * 3. GET /assessments/{id}/progress over 100 agencies: p50/p99 and its Query count (expected: 1).
 *
 * Starts its own DynamoDB Local on a free port and stops it at the end.
 */
import { performance } from 'node:perf_hooks';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#adapters/dynamo/keys';
import { auditPut } from '#adapters/dynamo/transact';
import { newAgencySummary } from '#domain/agency';
import { auditEntry } from '#domain/audit';
import { loadDefaultFramework, oitItemIds } from '#domain/framework';
import type { Principal } from '#domain/principal';
import type { HttpEvent, HttpResult } from '#http/types';
import { httpEvent } from '#test/events';
import { makeAgency, makeAssessment, makeMilestones } from '#test/fixtures';
import { ms, percentile, startBenchTable } from './measure.ts';

const SUBMISSIONS = 2000;
const KEYED = 200;
const PROGRESS_AGENCIES = 100;
const PROGRESS_RUNS = 50;

const admin: Principal = { tokenId: 'bench-admin', role: 'admin', assessmentId: '*' };
const items = oitItemIds(loadDefaultFramework(2567));

/** What Lambda passes; the idempotency layer reads the remaining time to expire an in-progress record. */
const lambdaContext = { getRemainingTimeInMillis: () => 30_000 } as never;

const { dynamo, runtime, calls } = await startBenchTable('bench-api');
try {
  const { handler } = (await import('../../functions/put-oit-evidence.ts')) as {
    handler: (event: HttpEvent, context: never) => Promise<HttpResult>;
  };
  const { handler: progress } = (await import('../../functions/progress.ts')) as {
    handler: (event: HttpEvent, context: never) => Promise<HttpResult>;
  };

  // Seed: enough agencies, each with every catalog item assigned, for both sides and the keyed pass.
  const now = new Date().toISOString();
  const seed = async (assessmentId: string, agencyCount: number, assign: boolean) => {
    const assessment = makeAssessment(assessmentId);
    await runtime.assessments.create(
      { assessment, milestones: makeMilestones(), tasks: [], results: [] },
      auditEntry(admin, { assessmentId, action: 'bench.seed', target: 'seed', changes: {} }, now),
    );
    const ids = Array.from({ length: agencyCount }, (_, i) => `ag-${String(i).padStart(3, '0')}`);
    for (const agencyId of ids) {
      const audit = auditEntry(
        admin,
        { assessmentId, agencyId, action: 'bench.seed', target: 'seed', changes: {} },
        now,
      );
      await runtime.agencies.create(
        newAgencySummary(assessmentId, makeAgency(agencyId), assessment.framework, now),
        audit,
      );
      if (assign)
        await runtime.agencies.assignOitItems(assessmentId, agencyId, items, now, {
          ...audit,
          id: crypto.randomUUID(),
        });
    }
    return ids.flatMap((agencyId) => items.map((itemId) => ({ assessmentId, agencyId, itemId })));
  };
  const perSide = Math.ceil(SUBMISSIONS / items.length);
  const handlerSlots = await seed('bench-handler', perSide, true);
  const rawSlots = await seed('bench-raw', perSide, true);
  const keyedSlots = await seed('bench-keyed', Math.ceil(KEYED / items.length), true);
  await seed('bench-progress', PROGRESS_AGENCIES, false);

  // Evidence comes from the agency itself (the secretariat may not submit it), on both sides.
  const agencyOf = (slot: { assessmentId: string; agencyId: string }): Principal => ({
    tokenId: `bench-${slot.agencyId}`,
    role: 'agency',
    assessmentId: slot.assessmentId,
    agencyId: slot.agencyId,
  });

  const submit = (
    slot: { assessmentId: string; agencyId: string; itemId: string },
    headers: Record<string, string> = {},
  ) =>
    handler(
      httpEvent({
        method: 'PUT',
        routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
        pathParameters: { id: slot.assessmentId, agencyId: slot.agencyId, itemId: slot.itemId },
        body: { urls: [`https://example.org/${slot.agencyId}/${slot.itemId}`], note: 'หลักฐาน' },
        headers,
        principal: agencyOf(slot),
      }),
      lambdaContext,
    );

  const raw = (slot: { assessmentId: string; agencyId: string; itemId: string }) => {
    const at = new Date().toISOString();
    const urls = [`https://example.org/${slot.agencyId}/${slot.itemId}`];
    return runtime.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: runtime.tableName,
              Key: keys.evidence(slot.assessmentId, slot.agencyId, slot.itemId),
              UpdateExpression:
                'SET #status = :submitted, urls = :urls, note = :note, submittedAt = :now, submittedBy = :by, updatedAt = :now, version = :one REMOVE rejectionReason, reviewedAt, reviewedBy',
              ConditionExpression: 'attribute_exists(PK) AND #status = :from',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':submitted': 'submitted',
                ':from': 'missing',
                ':urls': urls,
                ':note': 'หลักฐาน',
                ':now': at,
                ':by': agencyOf(slot).tokenId,
                ':one': 1,
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Update: {
              TableName: runtime.tableName,
              Key: keys.agencySummary(slot.assessmentId, slot.agencyId),
              UpdateExpression: 'ADD version :one, #oit.#c0 :d0 SET updatedAt = :now',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeNames: { '#oit': 'oit', '#c0': 'submitted' },
              ExpressionAttributeValues: { ':one': 1, ':now': at, ':d0': 1 },
            },
          },
          auditPut(
            runtime.tableName,
            auditEntry(
              agencyOf(slot),
              {
                assessmentId: slot.assessmentId,
                agencyId: slot.agencyId,
                action: 'oit.submit',
                target: `oit/${slot.itemId}`,
                changes: { status: 'submitted', urls, note: 'หลักฐาน' },
              },
              at,
            ),
          ),
        ],
      }),
    );
  };

  // Warm-up off the measured slots' agencies would still touch them; warm up on the progress assessment instead.
  for (let i = 0; i < 50; i++)
    await progress(
      httpEvent({
        routeKey: 'GET /assessments/{id}/progress',
        pathParameters: { id: 'bench-progress' },
        principal: admin,
      }),
      lambdaContext,
    );

  const handlerTimes: number[] = [];
  const rawTimes: number[] = [];
  let handlerCalls = 0;
  for (let i = 0; i < SUBMISSIONS; i++) {
    calls.length = 0;
    let t = performance.now();
    const result = await submit(handlerSlots[i]!);
    handlerTimes.push(performance.now() - t);
    handlerCalls += calls.length;
    if (result.statusCode !== 200)
      throw new Error(`submission ${i} answered ${result.statusCode}: ${result.body}`);
    t = performance.now();
    await raw(rawSlots[i]!);
    rawTimes.push(performance.now() - t);
  }

  let keyedCalls = 0;
  for (let i = 0; i < KEYED; i++) {
    calls.length = 0;
    const result = await submit(keyedSlots[i]!, { 'idempotency-key': `bench-${i}` });
    keyedCalls += calls.length;
    if (result.statusCode !== 200) throw new Error(`keyed submission ${i} answered ${result.statusCode}`);
  }

  const progressTimes: number[] = [];
  let progressQueries = 0;
  let rows = 0;
  for (let i = 0; i < PROGRESS_RUNS; i++) {
    calls.length = 0;
    const t = performance.now();
    const result = await progress(
      httpEvent({
        routeKey: 'GET /assessments/{id}/progress',
        pathParameters: { id: 'bench-progress' },
        principal: admin,
      }),
      lambdaContext,
    );
    progressTimes.push(performance.now() - t);
    progressQueries = calls.filter((c) => c === 'QueryCommand').length;
    rows = JSON.parse(result.body).agencies.length;
  }

  const hp50 = percentile(handlerTimes, 50);
  const rp50 = percentile(rawTimes, 50);
  console.log(
    `evidence submission, ${SUBMISSIONS} first submissions each side (DynamoDB Local ${dynamo.endpoint})`,
  );
  console.log(`  handler           p50 ${ms(hp50)}  p99 ${ms(percentile(handlerTimes, 99))}`);
  console.log(`  raw transaction   p50 ${ms(rp50)}  p99 ${ms(percentile(rawTimes, 99))}`);
  console.log(`  p50 ratio handler/raw ${(hp50 / rp50).toFixed(3)} (target <= 1.3)`);
  console.log(
    `  DynamoDB calls per submission without Idempotency-Key: ${(handlerCalls / SUBMISSIONS).toFixed(2)}`,
  );
  console.log(
    `  DynamoDB calls per submission with Idempotency-Key (${KEYED}): ${(keyedCalls / KEYED).toFixed(2)}`,
  );
  console.log(`GET /assessments/{id}/progress, ${rows} agencies, ${PROGRESS_RUNS} runs`);
  console.log(
    `  p50 ${ms(percentile(progressTimes, 50))}  p99 ${ms(percentile(progressTimes, 99))}  Query calls ${progressQueries}`,
  );
} finally {
  await dynamo.stop();
}
