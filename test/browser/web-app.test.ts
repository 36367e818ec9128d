import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_ASSESSMENT_ID as AID } from '#local/seed';
import type { WebSystem } from '#test/web-system';
import {
  DESKTOP,
  newPageWatch,
  PHONE,
  startWebSystem,
  violationsAtBothSizes,
  watchPage,
} from '#test/web-system';

/** Mid-March 2024 in Bangkok: OIT publishing is closing, surveys are under way. */
const NOW = '2024-03-15T10:00:00+07:00';
const COORDINATOR = 'ita.treasury@example.org';
const APPROVER = 'ita.approver@example.org';

type Item = { itemId: string; status: string; urls?: string[]; rejectionReason?: string; version?: number };
type Detail = { items: Item[]; surveys: { iit: { responses: number; required: number } } };
type AuditEntry = { action: string; target: string; changes: Record<string, unknown> };

let sys: WebSystem;
let agencyContext: BrowserContext;
let approverContext: BrowserContext;
let agencyPage: Page;
let approverPage: Page;
const seen = newPageWatch();

const agencyToken = () => sys.tokens.agencies['pt-treasury']!;
const detail = () =>
  sys.api<Detail>('GET', `/assessments/${AID}/agencies/pt-treasury/progress`, agencyToken());
const item = async (itemId: string) => (await detail()).items.find((i) => i.itemId === itemId)!;
const audit = async () =>
  (
    await sys.api<{ entries: AuditEntry[] }>(
      'GET',
      `/assessments/${AID}/audit?agencyId=pt-treasury`,
      sys.tokens.viewer,
    )
  ).entries;

const watch = (page: Page) => watchPage(page, seen);

const signIn = (page: Page, email: string) => sys.signInOnPage(page, email);

/** Both viewports: no serious or critical axe violation at 390×844 or 1280×800. */
const axeBoth = (page: Page) => violationsAtBothSizes(page, PHONE);

/** test-results/<name>.png on every run, docs/<name>.png with UPDATE_DOCS_SCREENSHOT=1 (for the README). */
const screenshot = async (page: Page, name: string) => {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1')
    await page.screenshot({ path: `docs/${name}.png`, fullPage: true });
  await page.setViewportSize(PHONE);
};

const submitEvidence = async (page: Page, itemId: string, urls: string[], note: string) => {
  const card = page.locator(`[data-item="${itemId}"]`);
  await card.locator('textarea[name=urls]').fill(urls.join('\n'));
  await card.locator('textarea[name=note]').fill(note);
  await card.locator('button[type=submit]').click();
  await card.locator('.notice.ok').waitFor();
};

// One flow in order (each step builds on the last); a shared 2-core machine needs the long timeout.
describe('the web app in a real browser', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    sys = await startWebSystem({ now: NOW });
    agencyContext = await sys.newContext(PHONE);
    approverContext = await sys.newContext(PHONE);
    agencyPage = watch(await agencyContext.newPage());
    approverPage = watch(await approverContext.newPage());
    mkdirSync('test-results', { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await sys?.stop();
  });

  it('serves the app with the security headers and sends an email link through sign-in to its page', async () => {
    // Act
    const response = await agencyPage.goto(`${sys.base}/#/${AID}/agency/pt-treasury`);
    await agencyPage.waitForSelector('#email');
    const signInViolations = await axeBoth(agencyPage);
    await signIn(agencyPage, COORDINATOR);
    await agencyPage.waitForSelector('[data-agency-page="pt-treasury"]');

    // Assess
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response?.headers()['referrer-policy']).toBe('no-referrer');
    expect(new URL(agencyPage.url()).hash).toBe(`#/${AID}/agency/pt-treasury`);
    expect(await agencyPage.evaluate(() => document.activeElement?.id)).toBe('page-heading');
    expect(await agencyPage.textContent('#page-heading')).toBe('สำนักงานคลังจังหวัดพัทลุง');
    expect(signInViolations).toEqual([]);
  });

  it('lets the coordinator submit evidence for two items and report a survey count', async () => {
    // Act
    await submitEvidence(agencyPage, 'o14', ['https://pt-treasury.example.org/ita/o14'], 'แผนจัดซื้อ 2567');
    await submitEvidence(
      agencyPage,
      'o15',
      ['https://pt-treasury.example.org/ita/o15', 'https://pt-treasury.example.org/ita/o15-2'],
      '',
    );
    const survey = agencyPage.locator('[data-survey="iit"]');
    await survey.locator('input[name=responses]').fill('12');
    await survey.locator('button[type=submit]').click();
    await survey.locator('.notice.ok').waitFor();

    // Assess: the page and the API say the same.
    const api = await detail();
    expect(await agencyPage.getAttribute('[data-item="o14"]', 'data-status')).toBe('submitted');
    expect(await agencyPage.getAttribute('[data-item="o15"]', 'data-status')).toBe('submitted');
    expect(api.items.filter((i) => i.status === 'submitted').map((i) => i.itemId)).toEqual(['o14', 'o15']);
    expect((await item('o15')).urls).toHaveLength(2);
    expect(api.surveys.iit.responses).toBe(12);
    expect(await survey.locator('.num').first().textContent()).toBe(`12/${api.surveys.iit.required}`);
    expect(await survey.locator('input[name=asOf]').inputValue()).toBe('2024-03-15');
    expect(await axeBoth(agencyPage)).toEqual([]);
  });

  it('lets the approver approve one item and reject the other with a required reason', async () => {
    // Prepare
    await approverPage.goto(`${sys.base}/`);
    await signIn(approverPage, APPROVER);
    await approverPage.waitForSelector('[data-review="pt-treasury/o14"]');
    const reviewViolations = await axeBoth(approverPage);

    // Act
    await approverPage.locator('[data-review="pt-treasury/o14"] button.approve').click();
    await approverPage.waitForSelector('[data-review="pt-treasury/o14"]', { state: 'detached' });
    const o15 = approverPage.locator('[data-review="pt-treasury/o15"]');
    await o15.locator('button.secondary').click();
    await o15.locator('textarea').fill('');
    await o15.locator('button.reject').click();
    const required = await approverPage.evaluate(
      () =>
        (document.querySelector('[data-review="pt-treasury/o15"] textarea') as HTMLTextAreaElement).validity
          .valueMissing,
    );
    await o15.locator('textarea').fill('ลิงก์ที่สองเปิดไม่ได้ กรุณาส่งลิงก์หน้าที่เผยแพร่จริง');
    await screenshot(approverPage, 'approver');
    await o15.locator('button.reject').click();
    await approverPage.waitForSelector('[data-review="pt-treasury/o15"]', { state: 'detached' });

    // Assess
    expect(new URL(approverPage.url()).hash).toBe(`#/${AID}/review`);
    expect(required).toBe(true);
    expect((await item('o14')).status).toBe('approved');
    expect(await item('o15')).toMatchObject({
      status: 'rejected',
      rejectionReason: 'ลิงก์ที่สองเปิดไม่ได้ กรุณาส่งลิงก์หน้าที่เผยแพร่จริง',
    });
    expect(await approverPage.textContent('#review-message')).toContain('ไม่อนุมัติข้อ o15');
    expect(reviewViolations).toEqual([]);
  });

  it('shows the agency the rejection with its reason, and takes the resubmission', async () => {
    // Act
    await agencyPage.reload();
    const o15 = agencyPage.locator('[data-item="o15"]');
    await o15.waitFor();
    const status = await o15.getAttribute('data-status');
    const reason = await o15.locator('[data-reason]').textContent();
    await submitEvidence(agencyPage, 'o15', ['https://pt-treasury.example.org/ita/o15-new'], 'แก้ไขลิงก์แล้ว');

    // Assess: the page, the progress route and the audit trail agree.
    const entries = await audit();
    const reviews = entries.filter((e) => e.action === 'oit.review').map((e) => [e.target, e.changes.status]);
    expect(status).toBe('rejected');
    expect(reason).toContain('ลิงก์ที่สองเปิดไม่ได้');
    expect(await o15.getAttribute('data-status')).toBe('submitted');
    expect(await agencyPage.getAttribute('[data-item="o14"]', 'data-status')).toBe('approved');
    expect(await item('o15')).toMatchObject({
      status: 'submitted',
      urls: ['https://pt-treasury.example.org/ita/o15-new'],
    });
    expect(reviews).toEqual(
      expect.arrayContaining([
        ['oit/o14', 'approved'],
        ['oit/o15', 'rejected'],
      ]),
    );
    expect(entries.filter((e) => e.action === 'oit.submit' && e.target === 'oit/o15')).toHaveLength(2);
    expect(entries.filter((e) => e.action === 'survey.report')).toHaveLength(1);
    await screenshot(agencyPage, 'agency');
  });

  it('refuses a stale approval with a Thai message and shows the evidence as it is now', async () => {
    // Prepare: the approver has the queue open; then the agency replaces o15's links.
    await approverPage.reload();
    const card = approverPage.locator('[data-review="pt-treasury/o15"]');
    await card.waitFor();
    await sys.api('PUT', `/assessments/${AID}/agencies/pt-treasury/oit/o15`, agencyToken(), {
      urls: ['https://pt-treasury.example.org/ita/o15-final'],
    });

    // Act
    await card.locator('button.approve').click();
    await approverPage.waitForFunction(() =>
      (document.querySelector('#review-message')?.textContent ?? '').includes('เปลี่ยนไปแล้ว'),
    );

    // Assess
    expect((await item('o15')).status).toBe('submitted');
    await approverPage.waitForSelector('[data-review="pt-treasury/o15"] a[href$="o15-final"]');
  });

  it('saves once when the answer to a submission is lost and the coordinator presses the button again', async () => {
    // Prepare: the first PUT reaches the API, but its answer never reaches the phone.
    const keys: string[] = [];
    let dropped = false;
    await agencyPage.route('**/oit/o16', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (dropped) return route.continue();
      dropped = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    const card = agencyPage.locator('[data-item="o16"]');
    await card.locator('textarea[name=urls]').fill('https://pt-treasury.example.org/ita/o16');

    // Act
    await card.locator('button[type=submit]').click();
    await card.locator('.notice.error').waitFor();
    const offline = await card.locator('.notice.error').textContent();
    await card.locator('button[type=submit]').click();
    await card.locator('.notice.ok').waitFor();
    await agencyPage.unroute('**/oit/o16');

    // Assess
    const submits = (await audit()).filter((e) => e.action === 'oit.submit' && e.target === 'oit/o16');
    expect(offline).toContain('เชื่อมต่อระบบไม่ได้');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(submits).toHaveLength(1);
    expect(await card.getAttribute('data-status')).toBe('submitted');
  });

  it('lets the coordinator make the calendar link, shown once, whose calendar.ics answers', async () => {
    // Prepare
    const calendar = agencyPage.locator('#calendar');

    // Act
    await calendar.locator('button', { hasText: 'สร้างลิงก์ปฏิทิน' }).click();
    await calendar.locator('#calendar-url').waitFor();
    const shown = await calendar.locator('#calendar-url').inputValue();
    const renewLabel = await calendar.locator('button.secondary').textContent();
    // The link starts with the deployment's public base URL (here the web system's stand-in);
    // fetched from the test, not the page, so no token ever sits in a URL the browser requests.
    const link = new URL(shown);
    const feed = await fetch(`${sys.base}${link.pathname}${link.search}`);

    // Assess
    expect(link.pathname).toBe(`/assessments/${AID}/agencies/pt-treasury/calendar.ics`);
    expect(link.searchParams.get('token')).toMatch(/^ita_[A-Za-z0-9_-]{43}$/);
    expect(await calendar.locator('input#calendar-url').getAttribute('readonly')).not.toBeNull();
    expect(renewLabel).toBe('สร้างลิงก์ใหม่');
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(await axeBoth(agencyPage)).toEqual([]);
  });

  it('shows the dashboard with the API’s numbers, on a phone without sideways scrolling', async () => {
    // Prepare
    const progress = await sys.api<{
      agencies: { agencyId: string; oit: { done: number; assigned: number } }[];
    }>('GET', `/assessments/${AID}/progress`, sys.tokens.viewer);
    const forecast = await sys.api<{ conservative: { total: number } }>(
      'GET',
      `/assessments/${AID}/forecast`,
      sys.tokens.viewer,
    );
    const treasury = progress.agencies.find((a) => a.agencyId === 'pt-treasury')!;

    // Act
    await approverPage.goto(`${sys.base}/#/${AID}/dashboard`);
    await approverPage.waitForSelector('[data-agency="pt-treasury"] [data-bar="pt-treasury-oit"]');
    const widths = await approverPage.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    const violations = await axeBoth(approverPage);

    // Assess
    expect(await approverPage.textContent('[data-bar="pt-treasury-oit"] .num')).toBe(
      `${treasury.oit.done}/${treasury.oit.assigned}`,
    );
    expect(await approverPage.getAttribute('#forecast-conservative strong', 'data-total')).toBe(
      forecast.conservative.total.toFixed(2),
    );
    expect(await approverPage.locator('[data-milestone]').count()).toBe(15);
    expect(await approverPage.locator('#today-line').count()).toBe(1);
    expect(await approverPage.locator('svg[data-pace]').count()).toBe(2);
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    expect(violations).toEqual([]);
    await screenshot(approverPage, 'dashboard');
  });

  it('lets a person who holds two roles choose one, and lands on that role’s page', async () => {
    // Prepare: the treasury's head (an agency address) is also named a viewer.
    await sys.api('PUT', `/assessments/${AID}/notification-settings`, sys.tokens.admin, {
      secretariatEmails: ['ita.secretariat@example.org'],
      viewerEmails: ['head.treasury@example.org'],
    });
    const context = await sys.newContext(PHONE);
    const page = watch(await context.newPage());
    await page.goto(`${sys.base}/`);

    // Act
    await signIn(page, 'head.treasury@example.org');
    await page.waitForSelector('#role-form');
    const labels = await page.locator('#role-form label.choice').allTextContents();
    const violations = await axeBoth(page);
    await page.locator('#role-form label.choice', { hasText: 'ผู้ติดตามผล' }).click();
    await page.click('#role-form button[type=submit]');
    await page.waitForSelector('#forecast');

    // Assess
    expect(labels).toEqual(['สำนักงานคลังจังหวัดพัทลุง', 'ผู้ติดตามผล']);
    expect(new URL(page.url()).hash).toBe(`#/${AID}/dashboard`);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('ita-session') ?? '{}').role)).toBe(
      'viewer',
    );
    expect(violations).toEqual([]);
    await context.close();
  });

  it('signs the other tab out when one tab signs out, and the token no longer works', async () => {
    // Prepare
    const second = watch(await agencyContext.newPage());
    await second.goto(`${sys.base}/#/${AID}/agency/pt-treasury`);
    await second.waitForSelector('[data-agency-page="pt-treasury"]');
    const token = await agencyPage.evaluate(
      () => JSON.parse(localStorage.getItem('ita-session') ?? '{}').token,
    );

    // Act: the page signs out at once and revokes the session on the server beside it; the
    // token is asked about once that revocation has answered.
    const revoked = agencyPage.waitForResponse(
      (r) => r.url().endsWith('/auth/session') && r.request().method() === 'DELETE',
    );
    await agencyPage.click('#sign-out');
    await second.waitForSelector('#email');
    expect((await revoked).status()).toBe(204);
    const after = await fetch(`${sys.base}/auth/session`, { headers: { authorization: `Bearer ${token}` } });

    // Assess
    expect(await second.textContent('#app-notice')).toContain('ออกจากระบบแล้ว');
    expect(await agencyPage.evaluate(() => localStorage.getItem('ita-session'))).toBeNull();
    expect(after.status).toBe(401);
    await second.close();
  });

  it('sends a revoked token back to sign-in with a Thai message, and keeps tokens out of every URL', async () => {
    // Prepare: a valid-looking session whose token the API does not know, in a profile of its own
    // (another open tab of the same profile would see it through the storage event and act on it).
    const context = await sys.newContext(PHONE);
    const page = watch(await context.newPage());
    await page.goto(`${sys.base}/#/${AID}/signin`);
    await page.evaluate((aid) => {
      localStorage.setItem(
        'ita-session',
        JSON.stringify({
          token: 'ita_revoked000000000000000000000000000000000',
          role: 'agency',
          agencyId: 'pt-treasury',
          assessmentId: aid,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          email: 'ita.treasury@example.org',
        }),
      );
    }, AID);

    // Act
    await page.goto(`${sys.base}/#/${AID}/agency/pt-treasury`);
    await page.reload();
    await page.waitForFunction(() => (document.querySelector('#app-notice')?.textContent ?? '') !== '');
    await page.waitForSelector('#email');

    // Assess
    expect(await page.textContent('#app-notice')).toContain('กรุณาเข้าสู่ระบบใหม่');
    expect(seen.requested.every((url) => url.startsWith(`${sys.base}/`))).toBe(true);
    expect(seen.requested.some((url) => /ita_[A-Za-z0-9_-]{20,}/.test(url))).toBe(false);
    expect(seen.cspViolations).toEqual([]);
    await context.close();
  });
});
