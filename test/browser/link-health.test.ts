import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgencyRepository } from '#adapters/dynamo/agency-repository';
import { createDocumentClient } from '#adapters/dynamo/client';
import { createLinkRepository } from '#adapters/dynamo/link-repository';
import { createLinkChecker, type LinkChecker, linkCheckUserAgent } from '#adapters/link-checker';
import { SEEDED_ASSESSMENT_ID as AID } from '#local/seed';
import { startTestSite, type TestSite } from '#local/test-site';
import type { WebSystem } from '#test/web-system';
import { newPageWatch, PHONE, startWebSystem, violationsAtBothSizes, watchPage } from '#test/web-system';
import { checkLinks, syncLinksFromEvidence } from '#use-cases/link-watch';

/**
 * Link health where people see it: an agency's evidence page on the local test website is switched
 * off and checked twice a day apart (the real checker through the loopback allowance, the real
 * dead-after-24-hours rule on DynamoDB Local); the agency's page, the approver's queue and the
 * dashboard then show it dead, in Thai, with a mark besides the colour, axe clean at 390 and 1280 px.
 */

const NOW = '2024-04-01T09:00:00+07:00';
const AGENCY = 'pt-treasury';

let sys: WebSystem;
let site: TestSite;
let checker: LinkChecker;
let url = '';
const contexts: BrowserContext[] = [];
const seen = newPageWatch();

const signInAt = async (route: string, email: string): Promise<Page> => {
  const context = await sys.newContext(PHONE);
  contexts.push(context);
  const page = watchPage(await context.newPage(), seen);
  page.setDefaultTimeout(60_000);
  await page.goto(`${sys.base}/#/${AID}/${route}`);
  await sys.signInOnPage(page, email);
  return page;
};

const axeBoth = (page: Page) => violationsAtBothSizes(page, PHONE);

describe('link health in the web app', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    sys = await startWebSystem({ now: NOW });
    site = await startTestSite({ port: 0 });
    checker = createLinkChecker({
      scope: 'loopback',
      userAgent: linkCheckUserAgent(AID),
      backoffMs: 10,
      hostSpacingMs: 0,
    });
    url = site.pageUrl('o14');
    // Prepare: the agency submits its test page, which then goes off and fails two checks a day apart.
    await sys.api('PUT', `/assessments/${AID}/agencies/${AGENCY}/oit/o14`, sys.tokens.agencies[AGENCY]!, {
      urls: [url],
      note: 'แผนการจัดซื้อจัดจ้าง ปี 2567',
    });
    const table = {
      client: createDocumentClient({ region: 'ap-southeast-1', endpoint: process.env.DDB_ENDPOINT }),
      tableName: process.env.TABLE_NAME!,
    };
    const links = createLinkRepository(table);
    await syncLinksFromEvidence(
      { agencies: createAgencyRepository(table), links },
      { assessmentId: AID, agencyId: AGENCY },
    );
    // The submission's own asynchronous check (the link watch's trigger) lands first, while the page is on.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await links.listLinks(AID, AGENCY)).some((l) => l.state === 'unchecked'))
      await new Promise((resolve) => setTimeout(resolve, 200));
    site.setState('off');
    for (const at of ['2024-04-01T03:00:00Z', '2024-04-02T03:30:00Z'])
      await checkLinks(
        { links, checker, now: () => new Date(at), deadNotice: async () => null },
        { assessmentId: AID, agencyId: AGENCY },
      );
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await checker?.close();
    await site?.stop();
    await sys?.stop();
  });

  it('shows the agency its dead link: the state in words and a mark, the last check in BE, the reason and what to do; axe clean', async () => {
    // Act
    const page = await signInAt(`agency/${AGENCY}`, 'ita.treasury@example.org');
    const link = page.locator(`[data-item="o14"] li[data-link-state="dead"]`);
    await link.waitFor();
    const text = await link.innerText();

    // Assess
    expect(await link.locator('a').getAttribute('href')).toBe(url);
    expect(text).toContain('✕ ลิงก์เสีย');
    expect(text).toMatch(/ตรวจล่าสุด \d{1,2} เม\.ย\. 2567 \d\d:\d\d น\./);
    expect(text).toContain('สาเหตุ: เว็บไซต์ตอบกลับว่าไม่พบหน้าหรือเกิดข้อผิดพลาด (รหัสตอบกลับ 404)');
    expect(text).toContain('เสียตั้งแต่ 2 เม.ย. 2567 10:30 น.');
    expect(text).toContain('สิ่งที่ควรทำ: แก้ไขหน้าเว็บให้เปิดได้ที่ลิงก์เดิม หรือส่งลิงก์ใหม่ของข้อนี้ในระบบ');
    expect(await axeBoth(page)).toEqual([]);
  });

  it('shows the approver the dead link in the queue before approving; axe clean', async () => {
    // Act
    const page = await signInAt('review', 'ita.approver@example.org');
    const card = page.locator(`[data-review="${AGENCY}/o14"]`);
    await card.locator('li[data-link-state="dead"]').waitFor();

    // Assess
    expect(await card.locator('[data-dead-links="1"]').innerText()).toContain('ลิงก์เสีย 1 ลิงก์');
    expect(await card.locator('li[data-link-state="dead"] [data-link-badge="dead"]').innerText()).toBe(
      '✕ ลิงก์เสีย',
    );
    expect(await axeBoth(page)).toEqual([]);
  });

  it('lists the dead link on the dashboard under its agency with the item and since when; axe clean; no CSP violation anywhere', async () => {
    // Act
    const page = await signInAt('dashboard', 'ita.committee@example.org');
    const row = page.locator(`#dead-links [data-dead-agency="${AGENCY}"] [data-dead-link="${url}"]`);
    await row.waitFor();
    const text = await row.innerText();
    const heading = await page.locator('#dead-links-heading').innerText();
    const agency = await page.locator(`#dead-links [data-dead-agency="${AGENCY}"] summary`).innerText();

    // Assess
    expect(heading).toBe('ลิงก์หลักฐานที่เสีย (1 ลิงก์)');
    expect(agency).toContain('สำนักงานคลังจังหวัดพัทลุง');
    expect(text).toContain('ข้อ o14');
    expect(text).toContain(url);
    expect(text).toContain('เสียตั้งแต่ 2 เม.ย. 2567 10:30 น.');
    expect(await axeBoth(page)).toEqual([]);
    expect(seen.cspViolations).toEqual([]);
  });
});
