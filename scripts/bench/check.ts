import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createAssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { createDocumentClient } from '#adapters/dynamo/client';
import { keys } from '#adapters/dynamo/keys';
import { createNotificationRepository } from '#adapters/dynamo/notification-repository';
import { createOutboxPublisher, OUTBOX_BATCH, OUTBOX_STREAM_FILTER } from '#adapters/dynamo/outbox';
import { PUT_EVENTS_BATCH } from '#adapters/eventbridge-publisher';
import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import { newAgencySummary } from '#domain/agency';
import { auditEntry } from '#domain/audit';
import { loadDefaultFramework } from '#domain/framework';
import type { AgencySummary } from '#domain/model';
import { DEFAULT_SCHEDULE_SETTINGS } from '#domain/notification-settings';
import { PlanData } from '#domain/plan-import';
import { systemPrincipal } from '#domain/principal';
import { ensureTable, startDynamoLocal } from '#local/dynamo-local';
import { startStreamPoller } from '#local/stream-poller';
import { recordCommands } from '#test/commands';
import { runMilestone } from '#use-cases/run-milestone';
import { outboxRelay } from '../../functions/outbox-relay.ts';

/**
 * `npm run bench:check`: the daily pace check (read, evaluate, publish) over 100, 1,000 and
 * 10,000 agencies on DynamoDB Local (its own in-memory instance on a free port). The milestone
 * function publishes into the table's outbox; the outbox relay, fed by DynamoDB Local's stream
 * as the event source mapping would, puts the events on the bus through the real EventBridge
 * publisher (its client mocked with aws-sdk-client-mock: nothing leaves the machine). Prints time
 * and DynamoDB calls per size (the pace check's own, outbox writes included), reads per agency,
 * the events written and the relay's PutEvents calls, and T(10,000)/T(1,000) with PASS/MISS
 * against the target (<= 12, linear); a miss exits 1. The relay's time is not in the pace
 * check's: it runs in its own invocations.
 */
const TARGET_RATIO = 12;
const SIZES = [100, 1_000, 10_000];
const NOW = new Date('2024-02-15T08:30:00+07:00');
const plan = PlanData.parse(planData);
const framework = loadDefaultFramework(plan.fiscalYear);

const dynamo = await startDynamoLocal();
try {
  const tableName = 'bench-check';
  await ensureTable(dynamo.endpoint, tableName);
  const client = createDocumentClient({ region: 'ap-southeast-1', endpoint: dynamo.endpoint });
  const calls = recordCommands(client);
  const assessments = createAssessmentRepository({ client, tableName });
  const notifications = createNotificationRepository({ client, tableName });
  const rows: {
    size: number;
    firstMs: number;
    steadyMs: number;
    calls: Record<string, number>;
    reads: number;
    outboxWrites: number;
    published: number;
    putEvents: number;
  }[] = [];
  // The relay's real publisher over a mocked client: each PutEvents call is counted with its entries.
  process.env.EVENT_BUS_NAME = 'bench-bus';
  const eventBridge = mockClient(EventBridgeClient);
  let putEventsCalls = 0;
  let published = 0;
  eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => {
    putEventsCalls++;
    published += input.Entries?.length ?? 0;
    return { FailedEntryCount: 0, Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `e${i}` })) };
  });
  const publisher = createOutboxPublisher({ client, tableName });
  const stream = await startStreamPoller({
    endpoint: dynamo.endpoint,
    tableName,
    filter: OUTBOX_STREAM_FILTER,
    deliver: (records) => outboxRelay({ Records: records }),
    intervalMs: 60_000,
  });

  for (const size of SIZES) {
    const id = `bench-${size}`;
    const at = NOW.toISOString();
    await assessments.create(
      {
        assessment: {
          id,
          unitName: 'จังหวัดทดสอบ',
          fiscalYear: 2567,
          window: { start: '2023-10-01', end: '2024-09-30' },
          timeZone: 'Asia/Bangkok',
          framework,
          version: 1,
          createdAt: at,
          updatedAt: at,
        },
        milestones: plan.milestones,
        tasks: [],
        results: [],
      },
      auditEntry(systemPrincipal, { assessmentId: id, action: 'bench', target: 'bench', changes: {} }, at),
    );
    // Agencies at every pace: done = i mod 21 of 20 (0 … 20), so about half are behind.
    const items = Array.from({ length: size }, (_, i): Record<string, unknown> => {
      const s = newAgencySummary(
        id,
        {
          id: `agency-${String(i).padStart(5, '0')}`,
          nameTh: `หน่วยงานทดสอบ ${i}`,
          coordinator: { email: `c${i}@example.org` },
          head: { email: `h${i}@example.org` },
          internalStaff: 120,
          externalStakeholders: 5000,
        },
        framework,
        at,
      );
      const summary: AgencySummary = {
        ...s,
        oit: { assigned: 20, submitted: i % 21, approved: 0, rejected: 0 },
      };
      const key = keys.agencySummary(id, summary.agency.id);
      return { ...key, ...keys.overview(id, key.SK), type: 'agency', ...summary };
    });
    for (let i = 0; i < items.length; i += 25) {
      let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
        [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      while (request && Object.keys(request).length) {
        const out = await client.send(new BatchWriteCommand({ RequestItems: request }));
        request = out.UnprocessedItems as typeof request;
      }
    }

    // As after a sync, so the pace check does not ask for one (it would publish a PlanChanged).
    await notifications.recordScheduleSync(
      id,
      { assessmentVersion: 1, settingsVersion: 0, syncedAt: at },
      auditEntry(systemPrincipal, { assessmentId: id, action: 'bench', target: 'bench', changes: {} }, at),
    );
    const deps = {
      assessments,
      notifications,
      publisher,
      defaults: { secretariatEmails: ['sec@example.org'], approverEmails: [] },
      schedules: DEFAULT_SCHEDULE_SETTINGS,
      now: () => NOW,
    };
    // First run of the day starts the "behind since" records (one write per newly behind agency).
    let t0 = performance.now();
    await runMilestone(deps, { assessmentId: id, trigger: 'pace-check' });
    const firstMs = performance.now() - t0;
    // Steady state: the records exist; read, evaluate, publish. The median of three runs, so one
    // garbage collection or a busy neighbour does not decide the ratio.
    const times: number[] = [];
    await stream.drain();
    for (let run = 0; run < 3; run++) {
      calls.length = 0;
      published = 0;
      putEventsCalls = 0;
      t0 = performance.now();
      await runMilestone(deps, { assessmentId: id, trigger: 'pace-check' });
      times.push(performance.now() - t0);
      await stream.drain();
    }
    const steadyMs = times.sort((a, b) => a - b)[1]!;
    const byCommand: Record<string, number> = {};
    for (const c of calls) byCommand[c] = (byCommand[c] ?? 0) + 1;
    rows.push({
      size,
      firstMs,
      steadyMs,
      calls: byCommand,
      reads: byCommand.QueryCommand ?? 0,
      outboxWrites: byCommand.BatchWriteItemCommand ?? 0,
      published,
      putEvents: putEventsCalls,
    });
  }

  console.log('daily pace check on DynamoDB Local (in memory), 15 Feb 2567');
  console.log(
    'agencies | first run ms | steady run ms (median of 3) | DynamoDB calls (steady) | reads/agency | emails published | relay PutEvents calls',
  );
  for (const r of rows) {
    console.log(
      `${String(r.size).padStart(8)} | ${r.firstMs.toFixed(0).padStart(12)} | ${r.steadyMs.toFixed(0).padStart(13)} | ${JSON.stringify(r.calls).padEnd(23)} | ${(r.reads / r.size).toFixed(4).padStart(12)} | ${String(r.published).padStart(16)} | ${r.putEvents} (${Math.ceil(r.published / PUT_EVENTS_BATCH)} if every batch were full)`,
    );
  }
  const t1k = rows.find((r) => r.size === 1_000)!.steadyMs;
  const t10k = rows.find((r) => r.size === 10_000)!.steadyMs;
  const ratio = t10k / t1k;
  const noScan = rows.every((r) => !('ScanCommand' in r.calls));
  // The relay gets at most 100 records a batch, so its PutEvents are full batches of 10 per 100.
  const batched = rows.every(
    (r) =>
      r.outboxWrites === Math.ceil(r.published / OUTBOX_BATCH) &&
      r.putEvents <= Math.ceil(r.published / PUT_EVENTS_BATCH) + Math.ceil(r.published / 100),
  );
  const pass = ratio <= TARGET_RATIO && noScan && batched && stream.deadLetters.length === 0;
  console.log(
    `T(10,000)/T(1,000) = ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}, linear); no Scan: ${noScan}; outbox writes in batches of ${OUTBOX_BATCH} and PutEvents in batches of ${PUT_EVENTS_BATCH}: ${batched}; relay failures: ${stream.deadLetters.length}`,
  );
  console.log(pass ? 'PASS' : 'MISS');
  if (!pass) process.exitCode = 1;
  await stream.stop();
  eventBridge.restore();
  client.destroy();
} finally {
  await dynamo.stop();
}
