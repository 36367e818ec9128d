import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineRepository } from '#adapters/dynamo/line-repository';
import { writeLocalTokens } from '#local/auth';
import { startLocalLine } from '#local/line-local';
import type { LocalNotifications } from '#local/local-notifications';
import { SEEDED_ASSESSMENT_ID, seedPhatthalung } from '#local/seed';
import { readInbox } from '#local/ses-local';
import { tableRuntime } from '#runtime/table';
import { type LocalApi, startLocalApi } from '#test/local-api';
import { announcePlan, startNotificationsOnFreshTable } from '#test/notifications';
import { until } from '#test/poll';
import type { freshTable } from '#test/table';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const ID = SEEDED_ASSESSMENT_ID;

let dir: string;
let local: LocalNotifications;
let line: Awaited<ReturnType<typeof startLocalLine>>;
let api: LocalApi | undefined;
let table: Awaited<ReturnType<typeof freshTable>>;

const lineScript = (...args: string[]) =>
  run(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'line.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOCAL_DIR: dir },
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ita-line-'));
  ({ local, table } = await startNotificationsOnFreshTable('linesys', {
    clockStart: '2024-02-16T08:00:00+07:00',
  }));
  const runtime = tableRuntime();
  await seedPhatthalung(runtime, local.clock.now());
  await writeLocalTokens(runtime, ID, join(dir, 'tokens.json'));
  await announcePlan(local, ID);
  api = await startLocalApi({ standIns: local.standIns });
  // As npm start does: the stub, the local channel's values in the state directory's line.json.
  line = await startLocalLine({
    port: 0,
    configFile: join(dir, 'line.json'),
    now: local.clock.now,
    apiUrl: api.baseUrl,
  });
  // As npm start does: the functions (the API's and the bus's) reach LINE's stub.
  local.standIns.line = line.standIn;
});

afterAll(async () => {
  await line?.stop();
  await api?.close();
  await local?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('LINE on the local system (issue 13, done when)', () => {
  it('npm run line -- join links the treasury and the secretariat through signed webhooks to the local API', async () => {
    // Act
    const treasury = await lineScript('join', 'pt-treasury');
    await lineScript('join', 'province');

    // Assess
    expect(treasury.stdout).toMatch(/Link code for pt-treasury: [A-HJKMNP-Z2-9]{8}/);
    const links = (await createLineRepository(table).getState(ID)).links.map((l) => l.owner).sort();
    expect(links).toEqual(['province', 'pt-treasury']);
    expect(line.stub.replies().map((r) => r.messages[0]?.text)).toContainEqual(
      expect.stringContaining('สำนักงานคลังจังหวัดพัทลุง'),
    );
  });

  it("a week where the treasury is behind: its reminder in the inbox and in its group, once; Monday's summary in the secretariat's group", async () => {
    // Prepare
    const groups = Object.fromEntries(
      (await createLineRepository(table).getState(ID)).links.map((l) => [l.owner, l.groupId]),
    );

    // Act: the clock moves from Friday 16 to Monday 19 Feb 2567, 12:00 (the 08:30 checks fire)
    await local.scheduler.advanceTo(new Date('2024-02-19T12:00:00+07:00'));

    // Assess
    const pushes = await until(
      () => line.stub.pushes(),
      (p) => p.some((x) => x.to === groups.province) && p.some((x) => x.to === groups['pt-treasury']),
      15_000,
    );
    const treasury = pushes.filter((p) => p.to === groups['pt-treasury']);
    expect(treasury).toHaveLength(1);
    expect(treasury[0]?.messages[0]?.text).toContain('สำนักงานคลังจังหวัดพัทลุง');
    expect(treasury[0]?.messages[0]?.text).toContain('ส่งหลักฐาน OIT แล้ว 0 จาก');
    const mails = await readInbox(local.ses.url);
    const treasuryMails = mails.filter((m) => m.subject.includes('สำนักงานคลังจังหวัดพัทลุง ล่าช้ากว่าแผน'));
    expect(treasuryMails).toHaveLength(1);
    expect(pushes.filter((p) => p.to === groups.province).map((p) => p.messages[0]?.text)).toContainEqual(
      expect.stringContaining('สรุปรายสัปดาห์ ณ 19 ก.พ. 2567'),
    );
  });
});
