import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { readSheet } from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import type { SampleRule } from '#domain/model';
import type { PeopleAnswer } from '#domain/people';
import { minimumSample } from '#domain/sample';
import { SEEDED_ASSESSMENT_ID as AID } from '#local/seed';
import type { PageWatch, WebSystem } from '#test/web-system';
import { DESKTOP, startForFile, violationsAtBothSizes } from '#test/web-system';
import { SAMPLE_BAD_ROWS, SAMPLE_FILE } from '../../scripts/sample-agencies.ts';

/** Early December 2566 in Bangkok: the secretariat registers the agencies (seed steps 2–3). */
const NOW = '2023-12-05T09:00:00+07:00';
const SECRETARIAT = 'ita.secretariat@example.org';
const NEW_AGENCY = {
  id: 'pt-prison',
  nameTh: 'เรือนจำจังหวัดพัทลุง',
  coordinator: 'ita.prison@example.org',
  head: 'head.prison@example.org',
  internalStaff: '150',
  externalStakeholders: '12000',
};

let sys: WebSystem;
let page: Page;
let seen: PageWatch;

const adminToken = () => sys.tokens.admin;
const agencyIds = async () =>
  (
    await sys.api<{ agencies: { id: string }[] }>('GET', `/assessments/${AID}/agencies`, adminToken())
  ).agencies.map((a) => a.id);

/** Both viewports: no serious or critical axe violation at 390×844 or 1280×800; back to the desktop. */
const axeBoth = () => violationsAtBothSizes(page, DESKTOP);

/** A sign-in through the API (a second person, on another device): the code from the local inbox. */
const signInByApi = async (email: string) => {
  const since = Date.now();
  const post = (path: string, body: object) =>
    fetch(`${sys.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await post('/auth/code', { email, assessmentId: AID })).status).toBe(202);
  const code = await sys.codeFor(email, since);
  const answer = await post('/auth/session', { email, assessmentId: AID, code });
  expect(answer.status).toBe(201);
  return (await answer.json()) as { token: string };
};

// One flow in order (each step builds on the last); a shared 2-core machine under load took 85 s for the import step.
describe('the console: agencies and people', { timeout: 240_000 }, () => {
  startForFile(NOW, DESKTOP, async (started) => {
    ({ sys, page, seen } = started);
  });

  it('signs the secretariat in to the agency list with each agency and its state', async () => {
    // Act
    await page.goto(`${sys.base}/#/${AID}/console/agencies`);
    await sys.signInOnPage(page, SECRETARIAT);
    await page.waitForSelector('[data-agency-list]');

    // Assess
    expect(new URL(page.url()).hash).toBe(`#/${AID}/console/agencies`);
    const listed = await page.$$eval('[data-agency-list] tbody tr', (rows) =>
      rows.map((r) => r.getAttribute('data-agency')),
    );
    expect(listed.sort()).toEqual((await agencyIds()).sort());
    expect(await page.textContent('[data-agency-list] caption')).toContain('5 ธ.ค. 2566');
    expect(await page.textContent('[data-agency="pt-treasury"]')).toContain('สำนักงานคลังจังหวัดพัทลุง');
    expect(await axeBoth()).toEqual([]);
  });

  it('adds an agency, showing the minimum samples by the framework rule as typed and as the API saved them', async () => {
    // Prepare
    const { sampleRule } = await sys.api<{ sampleRule: SampleRule }>(
      'GET',
      `/assessments/${AID}`,
      adminToken(),
    );
    const form = page.locator('[data-agency-form="new"]');

    // Act
    await form.locator('input[name=id]').fill(NEW_AGENCY.id);
    await form.locator('input[name=nameTh]').fill(NEW_AGENCY.nameTh);
    await form.locator('input[name=coordinatorEmail]').fill(NEW_AGENCY.coordinator);
    await form.locator('input[name=headEmail]').fill(NEW_AGENCY.head);
    await form.locator('input[name=internalStaff]').fill(NEW_AGENCY.internalStaff);
    await form.locator('input[name=externalStakeholders]').fill(NEW_AGENCY.externalStakeholders);
    const typed = await form.locator('.minimums').getAttribute('data-minimums');
    await form.locator('button[type=submit]').click();
    await form.locator('.notice.ok').waitFor();
    await page.waitForSelector(`[data-agency="${NEW_AGENCY.id}"]`);

    // Assess: the rule in the page, the API's answer and the stored agency agree.
    const stored = await sys.api<{ required: { iit: number; eit: number } }>(
      'GET',
      `/assessments/${AID}/agencies/${NEW_AGENCY.id}`,
      adminToken(),
    );
    const expected = `${minimumSample(sampleRule, 'iit', 150)}/${minimumSample(sampleRule, 'eit', 12000)}`;
    expect(typed).toBe(expected);
    expect(`${stored.required.iit}/${stored.required.eit}`).toBe(expected);
    expect(await form.locator('[data-saved-minimums]').getAttribute('data-saved-minimums')).toBe(expected);
    expect(await form.locator('.notice.ok').textContent()).toContain(NEW_AGENCY.nameTh);
  });

  it('edits an agency with If-Match: a change made meanwhile is a Thai conflict with the form reloaded, then the save goes through', async () => {
    // Prepare: the editor open on the new agency, then someone else changes it through the API.
    const { sampleRule } = await sys.api<{ sampleRule: SampleRule }>(
      'GET',
      `/assessments/${AID}`,
      adminToken(),
    );
    await page.click(`[data-agency="${NEW_AGENCY.id}"] button`);
    const form = page.locator(`[data-agency-form="${NEW_AGENCY.id}"]`);
    await form.waitFor();
    const headingFocused = await page
      .waitForFunction(() => document.activeElement?.id === 'edit-agency-heading')
      .then(() => true);
    const agencyPathOf = `/assessments/${AID}/agencies/${NEW_AGENCY.id}`;
    const seen = await sys.api<{ agency: Record<string, unknown>; version: number }>(
      'GET',
      agencyPathOf,
      adminToken(),
    );
    const { id: _id, ...profile } = seen.agency;
    const response = await fetch(`${sys.base}${agencyPathOf}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${adminToken()}`,
        'content-type': 'application/json',
        'if-match': `"${seen.version}"`,
        'idempotency-key': crypto.randomUUID(),
      },
      body: JSON.stringify({ ...profile, nameTh: 'เรือนจำกลางจังหวัดพัทลุง' }),
    });
    expect(response.status).toBe(200);

    // Act: the page still holds the old version.
    await form.locator('input[name=internalStaff]').fill('40');
    await form.locator('button[type=submit]').click();
    await page.locator('[data-form-notice] .notice.error', { hasText: 'มีผู้อื่นแก้ไข' }).waitFor();
    const reloaded = page.locator(`[data-agency-form="${NEW_AGENCY.id}"]`);
    const reloadedName = await reloaded.locator('input[name=nameTh]').inputValue();
    await reloaded.locator('input[name=internalStaff]').fill('40');
    await reloaded.locator('button[type=submit]').click();
    await reloaded.locator('.notice.ok').waitFor();
    const stored = await sys.api<{
      agency: { nameTh: string; internalStaff: number };
      required: { iit: number };
    }>('GET', agencyPathOf, adminToken());

    // Assess
    expect(headingFocused).toBe(true);
    expect(reloadedName).toBe('เรือนจำกลางจังหวัดพัทลุง');
    expect(stored.agency).toMatchObject({ nameTh: 'เรือนจำกลางจังหวัดพัทลุง', internalStaff: 40 });
    expect(stored.required.iit).toBe(minimumSample(sampleRule, 'iit', 40));
    expect(await reloaded.locator('[data-saved-minimums]').getAttribute('data-saved-minimums')).toContain(
      `${stored.required.iit}/`,
    );
    await reloaded.locator('button.secondary', { hasText: 'ปิด' }).click();
  });

  it('imports the sample sheet: the dry run shows the bad rows and writes nothing, apply writes the rest, a second apply changes nothing', async () => {
    // Prepare
    const before = await agencyIds();
    const panel = page.locator('[data-import]');

    // Act: the dry run
    await panel.locator('#import-file').setInputFiles(SAMPLE_FILE);
    await panel.locator('form button[type=submit]').click();
    await page.waitForSelector('[data-import-rows="dry-run"]');
    const dryRun = await page.$$eval('[data-import-rows] tbody tr', (rows) =>
      rows.map((r) => ({
        row: Number(r.getAttribute('data-import-row')),
        action: r.getAttribute('data-action'),
        text: r.textContent ?? '',
      })),
    );
    const afterDryRun = await agencyIds();
    const applyButton = panel.locator('.actions button');
    const applyLabel = await applyButton.textContent();

    // Act: apply, then apply again
    await applyButton.click();
    await page.waitForSelector('[data-import-rows="applied"]');
    const afterApply = await agencyIds();
    const applied = await page.$$eval('[data-import-rows] tbody tr', (rows) =>
      rows.map((r) => r.getAttribute('data-action')),
    );
    const appliedViolations = await axeBoth();
    await page.locator('[data-import-rows] caption').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/console-agencies.png', fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1')
      await page.screenshot({ path: 'docs/console-agencies.png', fullPage: true });
    await applyButton.click();
    await page.locator('#import-message', { hasText: 'ไม่มีการเปลี่ยนแปลง' }).waitFor();
    const again = await page.$$eval('[data-import-rows] tbody tr', (rows) =>
      rows.map((r) => r.getAttribute('data-action')),
    );
    const afterAgain = await agencyIds();

    // Assess
    expect(dryRun).toHaveLength(30);
    for (const bad of SAMPLE_BAD_ROWS) {
      const shown = dryRun.find((r) => r.row === bad.row);
      expect(shown?.action).toBe('refuse');
      expect(shown?.text).toContain(bad.agencyId);
      expect(shown?.text).toContain('ไม่รับ');
      expect(shown?.text).toContain(`คอลัมน์ "${bad.column}"`);
    }
    expect(dryRun.filter((r) => r.action === 'create')).toHaveLength(28);
    expect(afterDryRun).toEqual(before);
    expect(applyLabel).toBe('นำเข้าแถวที่ถูกต้อง 28 แถว');
    expect(afterApply).toHaveLength(before.length + 28);
    expect(applied.filter((a) => a === 'refuse')).toHaveLength(2);
    expect(applied.filter((a) => a === 'create')).toHaveLength(28);
    expect(again.filter((a) => a === 'unchanged')).toHaveLength(28);
    expect(again.filter((a) => a === 'refuse')).toHaveLength(2);
    expect(afterAgain).toEqual(afterApply);
    expect(await page.$$eval('[data-agency-list] tbody tr', (rows) => rows.length)).toBe(afterApply.length);
    expect(appliedViolations).toEqual([]);
  });

  it('downloads progress.xlsx, which parses and lists every agency', async () => {
    // Act
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-download="progress"]'),
    ]);
    const path = 'test-results/console-progress.xlsx';
    await download.saveAs(path);
    const rows = (await readSheet(readFileSync(path))) as unknown[][];

    // Assess
    expect(download.suggestedFilename()).toBe(`progress-${AID}.xlsx`);
    expect(rows).toHaveLength((await agencyIds()).length + 1);
    expect(rows.some((row) => row.includes('เรือนจำกลางจังหวัดพัทลุง'))).toBe(true);
    expect(rows.some((row) => row.includes('สำนักงานวัฒนธรรมจังหวัดพัทลุง'))).toBe(true);
  });

  it("lists the new agency's coordinator among the people, with a sign-in made elsewhere, and revokes that session", async () => {
    // Prepare: the new agency's coordinator signs in on another device.
    const coordinator = await signInByApi(NEW_AGENCY.coordinator);

    // Act
    await page.goto(`${sys.base}/#/${AID}/console/people`);
    const row = page.locator(`[data-person="${NEW_AGENCY.coordinator}"]`);
    await row.locator('[data-session]').waitFor();
    const roles = await row.locator('td').first().textContent();
    const lastSignIn = await row.locator('[data-last-signin]').getAttribute('data-last-signin');
    const peopleViolations = await axeBoth();
    await row.locator('[data-session] button').click();
    // The confirm step takes focus after it renders: poll for it (with the default deadline) before pressing Enter.
    const focused = await page
      .waitForFunction(() => document.activeElement?.hasAttribute('data-confirm-revoke') === true)
      .then(() => true);
    await page.keyboard.press('Enter');
    await page.locator('#people-message', { hasText: 'ยกเลิกการเข้าสู่ระบบของ' }).waitFor();
    const sessionAfter = await fetch(`${sys.base}/auth/session`, {
      headers: { authorization: `Bearer ${coordinator.token}` },
    });
    const listed = await sys.api<PeopleAnswer>('GET', `/assessments/${AID}/people`, adminToken());

    // Assess
    expect(roles).toContain('เรือนจำกลางจังหวัดพัทลุง');
    expect(roles).toContain('ผู้ประสานงาน ITA');
    expect(lastSignIn).not.toBe('');
    expect(focused).toBe(true);
    expect(sessionAfter.status).toBe(401);
    expect(listed.people.find((p) => p.email === NEW_AGENCY.coordinator)?.sessions).toEqual([]);
    expect(await row.locator('[data-session]').count()).toBe(0);
    expect(peopleViolations).toEqual([]);
  });

  it('sent nothing beyond the origin and broke no CSP rule', () => {
    // Assess: blob: URLs of the downloads are the page's own origin.
    expect(seen.requested.filter((url) => new URL(url).origin !== sys.base)).toEqual([]);
    expect(seen.requested.some((url) => /ita_[A-Za-z0-9_-]{20,}/.test(url))).toBe(false);
    expect(seen.cspViolations).toEqual([]);
  });
});
