import { createLineRepository } from '#adapters/dynamo/line-repository';
import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import { auditEntry } from '#domain/audit';
import { hashLinkCode, newLinkCode } from '#domain/line';
import { elapsedShare } from '#domain/pace';
import { PlanData } from '#domain/plan-import';
import { type Principal, systemPrincipal } from '#domain/principal';
import { addDays, formatThaiDate, todayIn } from '#domain/thai-date';
import { ensureTable, freePort, startDynamoLocal } from '#local/dynamo-local';
import { startLocalLine } from '#local/line-local';
import { startLocalNotifications } from '#local/local-notifications';
import { SEEDED_ASSESSMENT_ID, sampleAgencies, seedPhatthalung } from '#local/seed';
import { eventPublisher } from '#runtime/events';
import { notificationRepository } from '#runtime/schedules';
import { tableRuntime } from '#runtime/table';
import { submitEvidence } from '#use-cases/submit-evidence';
import { reportSurvey } from '#use-cases/surveys';
import { updateTask } from '#use-cases/tasks';

/**
 * `npm run simulate [-- --keep]`: the whole FY2567 campaign, 1 Dec 2566 to 31 Aug 2567, in this
 * process: its own in-memory DynamoDB Local and aws-ses-v2-local on free ports, the seeded
 * Phatthalung plan and sample agencies progressing at different paces, the local clock moved day
 * by day (firing every schedule), then a summary of the emails. `--keep` leaves the inbox open
 * until Ctrl-C; otherwise everything stops.
 */
const keep = process.argv.includes('--keep');
const FIRST = '2023-12-01';
const LAST = '2024-08-31';
const ID = SEEDED_ASSESSMENT_ID;
/** Evidence and survey counts come from each agency itself: the secretariat may not report them. */
const agencyPrincipal = (agencyId: string): Principal => ({
  tokenId: `simulate-${agencyId}`,
  role: 'agency',
  assessmentId: ID,
  agencyId,
});

/** Share of the on-time pace each sample agency keeps: on time, early, late, and one that never starts. */
const PACE: Record<string, number> = {
  'pt-provincial-office': 1.15,
  'pt-public-health': 1.0,
  'pt-land': 0.75,
  'pt-treasury': 1.05,
  'pt-agriculture': 0.5,
  'pt-social-development': 0.9,
  'pt-labour': 0,
};

/**
 * LINE counts a push to a group once per member. Assumed group sizes: an agency's ITA working
 * group about 8 people, the secretariat's group about 15. Every sample agency and the secretariat
 * have a linked group (channels: both, daily), the heaviest case.
 */
const AGENCY_GROUP_MEMBERS = 8;
const PROVINCE_GROUP_MEMBERS = 15;
const PROVINCE_AGENCIES = 40;
/** LINE Thailand's free monthly quota is not confirmed; 300 is the figure believed (README, LINE). */
const ASSUMED_FREE_QUOTA = 300;

const plan = PlanData.parse(planData);
const oitWindow = plan.milestones.find((m) => m.tracks === 'oit_publishing')!.window;
const surveyWindow = plan.milestones.find((m) => m.tracks === 'survey_collection')!.window;

const dynamo = await startDynamoLocal();
process.env.TABLE_NAME = 'ita-simulation';
process.env.DDB_ENDPOINT = dynamo.endpoint;
process.env.AWS_REGION ??= 'ap-southeast-1';
let local: Awaited<ReturnType<typeof startLocalNotifications>> | undefined;
let line: Awaited<ReturnType<typeof startLocalLine>> | undefined;
const stopAll = async () => {
  await line?.stop();
  await local?.stop();
  await dynamo.stop();
};
try {
  await ensureTable(dynamo.endpoint, process.env.TABLE_NAME);
  local = await startLocalNotifications({
    sesPort: await freePort(),
    clockStart: `${FIRST}T07:00:00+07:00`,
    publicBaseUrl: 'http://127.0.0.1:3000',
    log: () => undefined,
  });
  const { clock, scheduler, ses } = local;
  const runtime = { ...tableRuntime(), now: clock.now };
  await seedPhatthalung(runtime, clock.now());
  line = await startLocalLine({
    port: 0,
    configFile: `${process.env.TMPDIR ?? '/tmp'}/ita-simulate-line-${process.pid}.json`,
    now: clock.now,
  });
  // The notifier's LINE pushes go to the stub: added to what the local functions run against.
  local.standIns.line = line.standIn;
  // Every sample agency's group and the secretariat's, linked as a posted code would link them.
  const lineRepo = createLineRepository(runtime);
  for (const owner of [...sampleAgencies().map((a) => a.id), 'province']) {
    const hash = hashLinkCode(newLinkCode());
    const groupId = `C-${owner}`;
    const at = clock.now();
    const audit = auditEntry(
      { ...systemPrincipal, tokenId: 'simulate' },
      { assessmentId: ID, action: 'line.link', target: `line-group/${owner}`, changes: { groupId } },
      at.toISOString(),
    );
    await lineRepo.createCode(hash, { assessmentId: ID, owner, expiresAtIso: addDays(FIRST, 2) }, audit);
    await lineRepo.redeemCode(
      hash,
      { assessmentId: ID, owner, groupId, now: at, previousGroupId: null, previousOwner: null },
      [{ ...audit, id: `${audit.id}-r` }],
    );
    line.stub.setMembers(groupId, owner === 'province' ? PROVINCE_GROUP_MEMBERS : AGENCY_GROUP_MEMBERS);
  }
  // Quiet the functions' one-line logs while the year runs; the summary follows.
  const log = console.log;
  console.log = () => undefined;
  await eventPublisher().publish([
    { type: 'PlanChanged', version: 1, assessmentId: ID, at: clock.now().toISOString() },
  ]);
  await local.outbox.drain();
  log(
    `simulating ${ID}: ${formatThaiDate(FIRST)} – ${formatThaiDate(LAST)}, ${scheduler.schedules.size} schedules`,
  );
  const agencies = sampleAgencies();
  const fired: Record<string, number> = {};
  for (let day = FIRST; day <= LAST; day = addDays(day, 1)) {
    clock.set(new Date(`${day}T07:00:00+07:00`));
    for (const agency of agencies) {
      const pace = PACE[agency.id] ?? 1;
      if (pace === 0) continue;
      // OIT: submit items in order until the agency's share of the window is reached.
      const oitDue = Math.min(
        agency.oitItems.length,
        Math.floor(agency.oitItems.length * pace * elapsedShare(oitWindow, day) + 0.5),
      );
      const detail = await runtime.agencies.getDetail(ID, agency.id);
      const done = detail?.evidence.filter((e) => e.status !== 'missing').length ?? 0;
      for (const itemId of agency.oitItems.slice(done, oitDue)) {
        await submitEvidence(runtime, agencyPrincipal(agency.id), {
          assessmentId: ID,
          agencyId: agency.id,
          itemId,
          request: { urls: [`https://www.example.org/${agency.id}/oit/${itemId}`] },
        });
      }
      // Surveys: a weekly report (Fridays) inside the collection window.
      const friday = new Date(`${day}T00:00:00Z`).getUTCDay() === 5;
      if (friday && day >= surveyWindow.start && day <= surveyWindow.end && detail) {
        for (const tool of ['iit', 'eit'] as const) {
          const required = detail.summary.surveys[tool].required;
          const responses = Math.min(
            required,
            Math.floor(required * pace * elapsedShare(surveyWindow, day) * 1.1),
          );
          if (responses > detail.summary.surveys[tool].responses) {
            await reportSurvey(runtime, agencyPrincipal(agency.id), {
              assessmentId: ID,
              agencyId: agency.id,
              tool,
              report: { responses, asOf: day },
            });
          }
        }
      }
    }
    // Every agency moves its own state of its improvement tasks every Monday, a little ahead of their
    // windows, so only OIT and surveys lag.
    if (new Date(`${day}T00:00:00Z`).getUTCDay() === 1) {
      const tasks = await runtime.assessments.listTasks(ID);
      for (const agency of agencies) {
        for (const task of tasks) {
          const summary = await runtime.agencies.getSummary(ID, agency.id);
          const state = summary?.tasks[task.id];
          if (!summary || !state || state.status === 'done' || state.status === 'cancelled') continue;
          const progress = Math.min(100, Math.round(100 * elapsedShare(task.window, day) * 1.05));
          if (progress <= state.progress) continue;
          await updateTask(
            runtime,
            { tokenId: 'simulation', role: 'agency', assessmentId: ID, agencyId: agency.id },
            { assessmentId: ID, taskId: task.id, change: { progress }, expectedVersion: summary.version },
            () => undefined,
          );
        }
      }
    }
    for (const f of await scheduler.advanceTo(new Date(`${day}T23:59:00+07:00`))) {
      const kind =
        f.input.trigger === 'pace-check' || f.input.trigger === 'link-check'
          ? f.input.trigger
          : `m${String(f.input.milestone).padStart(2, '0')}-${f.input.trigger}`;
      fired[kind] = (fired[kind] ?? 0) + 1;
    }
  }
  console.log = log;

  const all = await notificationRepository().listAll(ID);
  const records = all.filter((r) => r.channel !== 'line');
  const pushes = all.filter((r) => r.channel === 'line');
  const count = (key: (r: (typeof records)[number]) => string) => {
    const out: Record<string, number> = {};
    for (const r of records) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return Object.entries(out).sort(([a], [b]) => a.localeCompare(b));
  };
  const table = (title: string, rows: [string, number][]) => {
    console.log(`\n${title}`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(28)} ${String(v).padStart(5)}`);
  };
  console.log(`\nlocal clock ended at ${formatThaiDate(todayIn('Asia/Bangkok', clock.now()))}`);
  table(
    'schedules fired',
    Object.entries(fired).sort(([a], [b]) => a.localeCompare(b)),
  );
  table(
    'emails per milestone',
    count((r) => (/^m\d\d/.exec(r.request.kind)?.[0] ?? r.request.kind).replace(/^m(\d\d)$/, 'step $1')),
  );
  table(
    'emails per kind',
    count((r) => r.request.email.template),
  );
  table(
    'emails per agency',
    count((r) => `${r.request.subject} (pace ${PACE[r.request.subject] ?? '-'})`),
  );
  table(
    'by status',
    count((r) => r.status),
  );
  console.log(`\n${records.length} emails; inbox: ${ses.url}  (JSON: ${ses.url}/store)`);
  const pushRows = (key: (r: (typeof pushes)[number]) => string) => {
    const out: Record<string, number> = {};
    for (const r of pushes) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return Object.entries(out).sort(([a], [b]) => a.localeCompare(b));
  };
  table(
    'LINE pushes per kind',
    pushRows(
      (r) => `${r.request.email.template}${r.id.endsWith('_line-province') ? ' (copy to secretariat)' : ''}`,
    ),
  );
  table(
    'LINE pushes by status',
    pushRows((r) => r.status),
  );
  // The projection: the sample agencies' pushes scaled to a province of 40 agencies, each push
  // counted per group member as LINE does, month by month (the quota is monthly), over 12 months.
  const sample = sampleAgencies().length;
  const perMonth: Record<string, number> = {};
  for (const r of pushes.filter((p) => p.status === 'sent')) {
    const toProvince = r.groupId === 'C-province';
    const messages = toProvince
      ? PROVINCE_GROUP_MEMBERS
      : (AGENCY_GROUP_MEMBERS * PROVINCE_AGENCIES) / sample;
    const month = r.request.localDate.slice(0, 7);
    perMonth[month] = (perMonth[month] ?? 0) + messages;
  }
  const months = Object.entries(perMonth).sort(([a], [b]) => a.localeCompare(b));
  table(
    `LINE messages per month, ${PROVINCE_AGENCIES} agencies (x${AGENCY_GROUP_MEMBERS} / x${PROVINCE_GROUP_MEMBERS} members)`,
    months.map(([m, v]) => [m, Math.round(v)]),
  );
  const campaign = months.reduce((sum, [, v]) => sum + v, 0);
  const peak = Math.max(0, ...months.map(([, v]) => v));
  console.log(
    `\n${pushes.length} LINE pushes (stub ${line.url}, ${line.stub.pushes().length} recorded)` +
      `\nprojected for ${PROVINCE_AGENCIES} agencies over the year: ${Math.round(campaign).toLocaleString('en-US')} messages (the campaign's ${months.length} months; nothing outside them), peak month ${Math.round(peak).toLocaleString('en-US')}` +
      ` against a free quota of about ${ASSUMED_FREE_QUOTA} a month: ${peak > ASSUMED_FREE_QUOTA ? 'a paid plan is needed in busy months, or the weekly digest (PUT …/line/settings {"agencyDigest":"weekly"})' : 'within it'}`,
  );
  if (local.bus.deadLetters.length) console.log(`dead-lettered events: ${local.bus.deadLetters.length}`);
  if (keep) {
    console.log('--keep: the inbox stays open; Ctrl-C to stop.');
    const shutdown = async () => {
      await stopAll();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  } else {
    await stopAll();
  }
} catch (error) {
  await stopAll();
  throw error;
}
