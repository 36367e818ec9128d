import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { OitMatrixAnswer } from '#domain/oit-matrix';
import { SEEDED_ASSESSMENT_ID as AID } from '#local/seed';
import type { PageWatch, WebSystem } from '#test/web-system';
import { DESKTOP, startForFile, violationsAtBothSizes } from '#test/web-system';

/** Mid-January 2567 in Bangkok: OIT items are being assigned and published (seed steps 6–7). */
const NOW = '2024-01-15T09:00:00+07:00';
const SECRETARIAT = 'ita.secretariat@example.org';

type Milestone = { number: number; title: string; window: { start: string; end: string }; windowTh: string };
type Plan = { version: number; fiscalYear: number; milestones: (Milestone & Record<string, unknown>)[] };
type AuditEntry = { action: string; target: string; changes: Record<string, unknown> };

let sys: WebSystem;
let page: Page;
let seen: PageWatch;

const adminToken = () => sys.tokens.admin;
const matrix = () => sys.api<OitMatrixAnswer>('GET', `/assessments/${AID}/oit-assignments`, adminToken());
const assignedTo = async (agencyId: string) =>
  (await matrix()).cells.filter((c) => c.agencyId === agencyId).map((c) => c.itemId);
const plan = () => sys.api<Plan>('GET', `/assessments/${AID}`, adminToken());

/** Both viewports: no serious or critical axe violation at 390×844 or 1280×800; back to the desktop. */
const axeBoth = () => violationsAtBothSizes(page, DESKTOP);

const cell = (agencyId: string, itemId: string) => page.locator(`[data-cell="${agencyId}/${itemId}"]`);
const total = async (selector: string) => Number(await page.textContent(selector));

/** test-results/<name>.png on every run, docs/<name>.png with UPDATE_DOCS_SCREENSHOT=1 (for the README). */
const screenshot = async (name: string) => {
  await page.screenshot({ path: `test-results/${name}.png` });
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') await page.screenshot({ path: `docs/${name}.png` });
};

/** Waits until the cell shows the state asked for (the page reloads the matrix after each change). */
const cellPressed = (agencyId: string, itemId: string, pressed: boolean) =>
  page.waitForSelector(`[data-cell="${agencyId}/${itemId}"][aria-pressed="${pressed}"]:not([disabled])`);

/** The plan written behind the page's back (another secretariat member), with the ETag it read. */
const putPlanBehind = async (change: (m: Plan['milestones'][number]) => Plan['milestones'][number]) => {
  const current = await plan();
  const response = await fetch(`${sys.base}/assessments/${AID}/plan`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${adminToken()}`,
      'content-type': 'application/json',
      'if-match': `"${current.version}"`,
    },
    body: JSON.stringify({
      milestones: current.milestones.map(({ windowTh: _shown, ...m }) => change(m as never)),
    }),
  });
  expect(response.status).toBe(200);
};

// One flow in order (each step builds on the last); a shared 2-core machine needs the long timeout.
describe('the console: OIT matrix and plan', { timeout: 300_000 }, () => {
  startForFile(NOW, DESKTOP, async (started) => {
    ({ sys, page, seen } = started);
    // Every plan save re-syncs the schedules before it answers: slow on a loaded 2-core machine.
    page.setDefaultTimeout(90_000);
  });

  it('signs the secretariat in to the matrix: every catalog item by every agency, with totals that match the API', async () => {
    // Act
    await page.goto(`${sys.base}/#/${AID}/console/oit`);
    await sys.signInOnPage(page, SECRETARIAT);
    await page.waitForSelector('#oit-matrix table');

    // Assess
    const api = await matrix();
    expect(await page.locator('#oit-matrix tbody tr').count()).toBe(api.catalog.length);
    expect(await page.locator('#oit-matrix thead th[data-agency]').count()).toBe(api.agencies.length);
    expect(await total('[data-agency-total="pt-treasury"]')).toBe((await assignedTo('pt-treasury')).length);
    expect(await cell('pt-treasury', 'o14').getAttribute('aria-label')).toBe(
      `มอบหมาย o14 ${api.catalog.find((i) => i.id === 'o14')!.nameTh} ให้ สำนักงานคลังจังหวัดพัทลุง`,
    );
    expect(await cell('pt-treasury', 'o14').getAttribute('aria-pressed')).toBe('true');
    expect(await cell('pt-treasury', 'o1').getAttribute('aria-pressed')).toBe('false');
    expect(await axeBoth()).toEqual([]);
  });

  it('assigns an item and takes it back at once while it holds no evidence; the totals move both ways', async () => {
    // Prepare
    const agencyBefore = await total('[data-agency-total="pt-treasury"]');
    const itemBefore = await total('[data-item-total="o1"]');

    // Act
    await cell('pt-treasury', 'o1').click();
    await cellPressed('pt-treasury', 'o1', true);
    const afterAssign = {
      agency: await total('[data-agency-total="pt-treasury"]'),
      item: await total('[data-item-total="o1"]'),
      api: await assignedTo('pt-treasury'),
    };
    await cell('pt-treasury', 'o1').click();
    await cellPressed('pt-treasury', 'o1', false);

    // Assess
    expect(afterAssign).toEqual({
      agency: agencyBefore + 1,
      item: itemBefore + 1,
      api: expect.arrayContaining(['o1']),
    });
    expect(await page.isVisible('#oit-confirm')).toBe(false);
    expect(await total('[data-agency-total="pt-treasury"]')).toBe(agencyBefore);
    expect(await total('[data-item-total="o1"]')).toBe(itemBefore);
    expect(await assignedTo('pt-treasury')).not.toContain('o1');
    expect(await page.textContent('#oit-message')).toContain('ยกเลิกการมอบหมายข้อ o1');
  });

  it('asks before taking back an item holding evidence, keeps it on "no", and removes it on "yes" with the evidence in the audit', async () => {
    // Prepare: the treasury submits evidence for o14 (on its own page, here through the API).
    const url = 'https://pt-treasury.example.org/ita/o14';
    await sys.api(
      'PUT',
      `/assessments/${AID}/agencies/pt-treasury/oit/o14`,
      sys.tokens.agencies['pt-treasury']!,
      {
        urls: [url],
        note: 'แผนจัดซื้อ 2567',
      },
    );
    await page.reload();
    await page.waitForSelector('[data-cell="pt-treasury/o14"].submitted');
    const agencyBefore = await total('[data-agency-total="pt-treasury"]');

    // Act
    await cell('pt-treasury', 'o14').click();
    await page.waitForSelector('#oit-confirm[open]');
    const question = await page.textContent('#oit-confirm');
    const focused = await page.evaluate(() => document.activeElement?.closest('dialog')?.id);
    await screenshot('console-oit');
    const dialogViolations = await axeBoth();
    await page.keyboard.press('Escape');
    await page.waitForSelector('#oit-confirm[open]', { state: 'detached' });
    const keptOnEscape = await cell('pt-treasury', 'o14').getAttribute('aria-pressed');
    await cell('pt-treasury', 'o14').click();
    await page.waitForSelector('#oit-confirm[open]');
    await page.click('#oit-confirm button.reject');
    await cellPressed('pt-treasury', 'o14', false);

    // Assess
    expect(question).toContain('ข้อนี้มีหลักฐานแล้ว');
    expect(question).toContain('หลักฐานจะถูกเก็บไว้ในประวัติการทำรายการ');
    expect(focused).toBe('oit-confirm');
    expect(dialogViolations).toEqual([]);
    expect(keptOnEscape).toBe('true');
    expect(await total('[data-agency-total="pt-treasury"]')).toBe(agencyBefore - 1);
    expect(await assignedTo('pt-treasury')).not.toContain('o14');
    const { entries } = await sys.api<{ entries: AuditEntry[] }>(
      'GET',
      `/assessments/${AID}/audit?agencyId=pt-treasury&limit=200`,
      adminToken(),
    );
    expect(entries.find((e) => e.action === 'oit.unassign' && e.target === 'oit/o14')?.changes).toMatchObject(
      {
        confirmed: true,
        evidence: { status: 'submitted', urls: [url], note: 'แผนจัดซื้อ 2567' },
      },
    );
  });

  it('moves a milestone with the Thai date picker and saves it with If-Match', async () => {
    // Prepare
    await page.goto(`${sys.base}/#/${AID}/console/plan`);
    await page.waitForSelector('#plan-editor [data-milestone="1"]');
    const before = (await plan()).milestones.find((m) => m.number === 1)!;
    const endDay = Number(before.window.end.slice(8, 10));
    const newDay = endDay === 1 ? 2 : endDay - 1;

    // Act
    await page.selectOption('#m1-end-day', String(newDay));
    await page.click('#plan-save');
    await page.waitForFunction(() =>
      document.querySelector('#plan-message')?.textContent?.includes('บันทึกแผนแล้ว'),
    );

    // Assess
    const after = (await plan()).milestones.find((m) => m.number === 1)!;
    expect(after.window.end).toBe(`${before.window.end.slice(0, 8)}${String(newDay).padStart(2, '0')}`);
    expect(after.window.start).toBe(before.window.start);
    expect(await page.textContent('[data-window="1"]')).toBe(after.windowTh);
  });

  it('explains a plan changed behind its back in Thai, keeps the edit, and saves it again with a warning beside its milestone', async () => {
    // Prepare: someone else moves milestone 2 after the page read the plan.
    const theirs = (await plan()).milestones.find((m) => m.number === 2)!;
    const theirEnd = theirs.window.end === theirs.window.start ? theirs.window.end : theirs.window.start;
    await putPlanBehind((m) => (m.number === 2 ? { ...m, window: { ...m.window, end: theirEnd } } : m));
    const fiscalYear = (await plan()).fiscalYear;

    // Act: a start a year before the fiscal year, saved with the stale ETag.
    await page.fill('#m3-start-year', String(fiscalYear - 2));
    await page.click('#plan-save');
    await page.waitForSelector('[data-conflict="3"]');
    const conflictText = await page.textContent('#plan-message');
    const keptYear = await page.inputValue('#m3-start-year');
    await page.click('#plan-save');
    await page.waitForSelector('[data-warning="3"]');

    // Assess
    expect(conflictText).toContain('มีผู้อื่นแก้ไขแผนหลังจากที่คุณเปิดหน้านี้');
    expect(keptYear).toBe(String(fiscalYear - 2));
    const saved = await plan();
    expect(saved.milestones.find((m) => m.number === 2)!.window.end).toBe(theirEnd);
    expect(saved.milestones.find((m) => m.number === 3)!.window.start.slice(0, 4)).toBe(
      String(fiscalYear - 2 - 543),
    );
    expect(await page.textContent('[data-warning="3"]')).toContain('อยู่นอกปีงบประมาณ');
    await page.locator('[data-milestone="3"]').scrollIntoViewIfNeeded();
    await screenshot('console-plan');
    expect(await page.locator('[data-warning]').count()).toBe(1);
    expect(await page.textContent('#plan-message')).toContain('มีคำเตือน 1 รายการ');
    expect(await axeBoth()).toEqual([]);
  });

  it('sent nothing beyond its own origin and broke no CSP rule', () => {
    // Assess
    const origin = new URL(sys.base).origin;
    expect(seen.requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    expect(seen.cspViolations).toEqual([]);
  });
});
