import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SEEDED_ASSESSMENT_ID as AID } from '#local/seed';
import { readInbox } from '#local/ses-local';
import { invokeWith } from '#runtime/stand-ins';
import type { PageWatch, WebSystem } from '#test/web-system';
import { DESKTOP, startForFile, violationsAtBothSizes } from '#test/web-system';

/** Monday 8 Jan 2567 in Bangkok: OIT publishing has started, so the weekday pace check runs and the weekly summary is due. */
const NOW = '2024-01-08T09:00:00+07:00';
const SECRETARIAT = 'ita.secretariat@example.org';
const FAILED_ID = '2024-01-08_province_weekly-summary';
/** The 2566 per-question results: 28 questions under 85 over five themes (i7–i24, e1–e10), o14 failed. */
const WEAK = [
  ...Array.from({ length: 18 }, (_, i) => `i${i + 7}`),
  ...Array.from({ length: 10 }, (_, i) => `e${i + 1}`),
];
const QUESTIONS = {
  iit: Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => [`i${i + 1}`, WEAK.includes(`i${i + 1}`) ? 70 : 92]),
  ),
  eit: Object.fromEntries(
    Array.from({ length: 15 }, (_, i) => [`e${i + 1}`, WEAK.includes(`e${i + 1}`) ? 78.5 : 90]),
  ),
  oit: { o1: 100, o14: 0 },
};
const DRAFTS = WEAK.length + 1;

let sys: WebSystem;
let page: Page;
let seen: PageWatch;

const admin = () => sys.tokens.admin;

/** No serious or critical axe violation at 390×844 and 1280×800; back to the desktop after. */
const axeBoth = () => violationsAtBothSizes(page, DESKTOP);

const openSection = async (section: string, ready: string) => {
  await page.goto(`${sys.base}/#/${AID}/console/${section}`);
  await page.waitForSelector(ready);
};

const rowsOf = (selector: string, attribute: string) =>
  page.$$eval(`${selector} tbody tr`, (rows, name) => rows.map((r) => r.getAttribute(name)), attribute);

/** Sets a ThaiDateInput by its parts, as a person picks them. */
const pickDate = async (id: string, day: number, month: number, beYear: number) => {
  await page.selectOption(`#${id}-day`, String(day));
  await page.selectOption(`#${id}-month`, String(month));
  await page.fill(`#${id}-year`, String(beYear));
};

/** Polls `check` until it answers true, or fails after `ms`. */
const eventually = async (what: string, check: () => Promise<boolean>, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

// One flow in order (each step builds on the last); a shared 2-core machine needs the long timeout.
describe('the console: tasks, notifications and audit', { timeout: 120_000 }, () => {
  startForFile(NOW, DESKTOP, async (started) => {
    ({ sys, page, seen } = started);
    await sys.api('PUT', `/assessments/${AID}/results/2566/questions`, admin(), QUESTIONS);
  });

  it('signs the secretariat in, shows the weak questions by theme and creates the draft tasks once', async () => {
    // Act
    await page.goto(`${sys.base}/#/${AID}/console/tasks`);
    await sys.signInOnPage(page, SECRETARIAT);
    await page.waitForSelector('#analysis-year');
    await page.selectOption('#analysis-year', '2566');
    await page.fill('#analysis-threshold', '85');
    await page.click('form[aria-label="เลือกปีและเกณฑ์คะแนน"] button[type=submit]');
    await page.waitForSelector('#analysis-result table');
    const themes = await page.$$eval('#analysis-result table', (tables) =>
      tables.map((t) => Number(t.getAttribute('data-theme'))),
    );
    await page.click('#create-drafts');
    await page.waitForSelector('#drafts-message.ok');
    await page.waitForSelector(`#task-table tr[data-task="r2566-e10"]`);

    // Assess
    expect(themes).toEqual([1, 3, 4, 5, 6]);
    expect(await page.textContent('#analysis-result table[data-theme="5"] caption')).toContain(
      'ประเด็นที่ 5: กระบวนการสร้างความโปร่งใสในการใช้งบประมาณและการจัดซื้อจัดจ้าง (7 ข้อ)',
    );
    expect(await page.textContent('#drafts-message')).toContain(`สร้างร่างงานปรับปรุงใหม่ ${DRAFTS} งาน`);
    const drafts = (await rowsOf('#task-table', 'data-status')).filter((s) => s === 'draft');
    expect(drafts).toHaveLength(DRAFTS);
    expect(await page.textContent('#task-table tr[data-task="r2566-i8"]')).toContain('ร่าง (ยังไม่มอบหมาย)');
    expect(await page.textContent('#task-table tr[data-task="r2566-i8"]')).toContain(
      '1 ต.ค. 2566 – 31 มี.ค. 2567',
    );
    expect(await axeBoth()).toEqual([]);
  });

  it('rewords a draft with BE dates and publishes it to the treasury, whose progress then holds it', async () => {
    // Act
    await page.click('#task-table tr[data-task="r2566-i8"] button');
    await page.waitForSelector('#task-editor');
    await page.fill('#task-guideline', 'เผยแพร่รายงานการใช้จ่ายงบประมาณรายไตรมาสบนเว็บไซต์');
    await pickDate('task-start', 1, 2, 2567);
    await pickDate('task-end', 30, 6, 2567);
    const readStart = await page.textContent('#task-start-read');
    await page.check('input[name=task-scope] >> nth=1');
    await page.check('#task-editor input[value="pt-treasury"]');
    await page.click('#task-editor button:has-text("เผยแพร่ให้ส่วนราชการ")');
    await page.click('#confirm-publish');
    await page.waitForSelector('#task-table tr[data-task="r2566-i8"][data-status="planned"]');
    const progress = await sys.api<{
      tasks: { taskId: string; status: string; window?: { start: string } }[];
    }>('GET', `/assessments/${AID}/agencies/pt-treasury/progress`, admin());

    // Assess
    expect(readStart).toBe('1 กุมภาพันธ์ 2567');
    expect(await page.textContent('#tasks-message')).toContain('เผยแพร่งาน r2566-i8 ให้ส่วนราชการแล้ว');
    const row = await page.textContent('#task-table tr[data-task="r2566-i8"]');
    expect(row).toContain('สำนักงานคลังจังหวัดพัทลุง');
    expect(row).toContain('1 ก.พ. 2567 – 30 มิ.ย. 2567');
    expect(progress.tasks.find((t) => t.taskId === 'r2566-i8')).toMatchObject({
      status: 'planned',
      window: { start: '2024-02-01' },
    });
  });

  it('explains in Thai that a draft changed meanwhile, and reloads it', async () => {
    // Prepare: the editor is open on r2566-i7 at version 1; someone else saves it first.
    await page.click('#task-table tr[data-task="r2566-i7"] button');
    await page.waitForSelector('#task-editor');
    const other = await fetch(`${sys.base}/assessments/${AID}/tasks/r2566-i7`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin()}`, 'content-type': 'application/json', 'if-match': '"1"' },
      body: JSON.stringify({ method: 'แก้โดยอีกคน' }),
    });
    expect(other.status).toBe(200);

    // Act
    await page.fill('#task-guideline', 'ข้อความของฉัน');
    await page.click('#task-editor button[type=submit]');
    await page.waitForSelector('#tasks-message.error');

    // Assess
    expect(await page.textContent('#tasks-message')).toContain('r2566-i7: ข้อมูลนี้เปลี่ยนไปแล้ว');
    await eventually(
      'the reloaded draft',
      async () => (await page.inputValue('#task-method')) === 'แก้โดยอีกคน',
    );
  });

  it('cancels a published task after an inline confirmation', async () => {
    // Act
    await page.click('#task-table tr[data-task="r2566-i8"] button:has-text("ยกเลิกงาน")');
    await page.click('#task-table tr[data-task="r2566-i8"] button:has-text("ยืนยันยกเลิกงาน")');
    await page.waitForSelector('#task-table tr[data-task="r2566-i8"][data-status="cancelled"]');

    // Assess
    expect(await page.textContent('#task-table tr[data-task="r2566-i8"]')).toContain('ยกเลิก');
  });

  it('shows a notification nobody could receive, refuses a bad address beside its field, then saves and resends it', async () => {
    // Prepare: nobody configured for the secretariat (the deployment names nobody either), then Monday's check.
    await sys.api('PUT', `/assessments/${AID}/notification-settings`, admin(), { secretariatEmails: [] });
    const { milestone } = await import('../../functions/milestone.ts');
    // With the local system's stand-ins (its campaign clock on Monday), as its scheduler runs it.
    await invokeWith(sys.local.standIns, () => milestone({ assessmentId: AID, trigger: 'pace-check' }));
    await sys.local.outbox.drain();
    // The notifier records it from the outbox, after the check has answered.
    await eventually('the failed weekly summary', async () =>
      (
        await sys.api<{ items: { id: string }[] }>(
          'GET',
          `/assessments/${AID}/notifications?status=failed`,
          admin(),
        )
      ).items.some((i) => i.id === FAILED_ID),
    );
    await openSection('notifications', '#settings-form');
    await page.waitForSelector(`#failed-table tr[data-notification="${FAILED_ID}"]`);
    const failedRow = await page.textContent(`#failed-table tr[data-notification="${FAILED_ID}"]`);

    // Act: one good and one bad address
    await page.fill('#ns-secretariatEmails', `${SECRETARIAT}\nita.secretariat-at-example.org`);
    await page.click('#settings-form button[type=submit]');
    await page.waitForSelector('[data-problem="secretariatEmails"]');
    const problem = await page.textContent('[data-problem="secretariatEmails"]');
    const violationsWithError = await axeBoth();
    await page.fill('#ns-secretariatEmails', SECRETARIAT);
    // The save reloads the settings, which mounts a new form: the message must outlive it.
    const reloaded = page.waitForResponse(
      (r) => r.url().endsWith('/notification-settings') && r.request().method() === 'GET',
    );
    await page.click('#settings-form button[type=submit]');
    await reloaded;
    await page.waitForSelector('#settings-message.ok');
    const saved = await sys.api<{ settings: { secretariatEmails: string[] } }>(
      'GET',
      `/assessments/${AID}/notification-settings`,
      admin(),
    );
    const resendAt = Date.now();
    await page.waitForSelector(`#failed-table tr[data-notification="${FAILED_ID}"] button`);
    await page.click(`#failed-table tr[data-notification="${FAILED_ID}"] button`);
    await page.waitForSelector('#resend-message.ok');

    // Assess
    expect(failedRow).toContain('สรุปความคืบหน้ารายสัปดาห์');
    expect(failedRow).toContain('ฝ่ายเลขานุการ (ทั้งจังหวัด)');
    expect(failedRow).toContain('ยังไม่มีผู้รับ');
    expect(failedRow).toContain('8 ม.ค. 2567');
    expect(failedRow).toContain('ยังไม่ได้กำหนดอีเมลผู้รับ');
    expect(problem).toContain('บรรทัดที่ 2');
    expect(await page.getAttribute('#ns-secretariatEmails', 'aria-invalid')).toBeNull();
    expect(violationsWithError).toEqual([]);
    expect(saved.settings.secretariatEmails).toEqual([SECRETARIAT]);
    await eventually('the resent weekly summary in the inbox', async () =>
      (await readInbox(sys.local.ses.url)).some(
        (m) =>
          m.destination.to.includes(SECRETARIAT) &&
          m.at * 1000 >= resendAt - 1000 &&
          !m.subject.startsWith('รหัสเข้าสู่ระบบ'),
      ),
    );
    const failed = await sys.api<{ items: { id: string }[] }>(
      'GET',
      `/assessments/${AID}/notifications?status=failed`,
      admin(),
    );
    expect(failed.items.map((i) => i.id)).not.toContain(FAILED_ID);
  });

  it('filters the audit trail by action and date and pages through it', async () => {
    // Act
    await openSection('audit', '#audit-table');
    await page.selectOption('#audit-action', 'task.draft');
    await page.selectOption('#audit-limit', '20');
    await pickDate('audit-from', 8, 1, 2567);
    await pickDate('audit-to', 8, 1, 2567);
    await page.click('#audit-filters button[type=submit]');
    await page.waitForSelector('#audit-page:has-text("หน้า 1")');
    await eventually('the filtered first page', async () =>
      (await rowsOf('#audit-table', 'data-action')).every((a) => a === 'task.draft'),
    );
    const first = await rowsOf('#audit-table', 'data-action');
    const firstText = await page.textContent('#audit-table tbody');
    const violations = await axeBoth();
    await page.click('#audit-next');
    await page.waitForSelector('#audit-page:has-text("หน้า 2")');
    const second = await rowsOf('#audit-table', 'data-action');

    // Assess
    expect(first).toHaveLength(20);
    expect(second).toHaveLength(DRAFTS - 20);
    expect(second.every((a) => a === 'task.draft')).toBe(true);
    expect(firstText).toContain('สร้างร่างงานปรับปรุงจากผลวิเคราะห์');
    expect(firstText).toContain('8 ม.ค. 2567');
    expect(firstText).toContain(SECRETARIAT);
    expect(await page.$('#audit-next')).toBeNull();
    expect(violations).toEqual([]);
    await page.screenshot({ path: 'test-results/console-audit.png', fullPage: true });
  });

  it('sent no request beyond the origin, no token in a URL, and broke no CSP rule', () => {
    // Assess
    expect(seen.requested.filter((url) => new URL(url).origin !== sys.base)).toEqual([]);
    expect(seen.requested.some((url) => /ita_[A-Za-z0-9_-]{20,}/.test(url))).toBe(false);
    expect(seen.cspViolations).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
  });
});
