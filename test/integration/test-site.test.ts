import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkChecker, type LinkChecker, linkCheckUserAgent } from '#adapters/link-checker';
import { startTestSite, type TestSite } from '#local/test-site';

/**
 * The local test website of `npm start` (the link watch walk-through): its item pages are alive to
 * the real link checker through the loopback allowance; switched off through its control path,
 * every page answers 404 and the checker reports the failure; switched on, alive again.
 */

let site: TestSite;
let checker: LinkChecker;

beforeAll(async () => {
  site = await startTestSite({ port: 0 });
  checker = createLinkChecker({
    scope: 'loopback',
    userAgent: linkCheckUserAgent('phatthalung-2567'),
    backoffMs: 10,
    hostSpacingMs: 0,
  });
});

afterAll(async () => {
  await checker?.close();
  await site?.stop();
});

const switchTo = (state: string) =>
  fetch(site.controlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ state }),
  });

describe('the local test website', () => {
  it('serves item pages the checker finds alive, fails them once switched off, and serves them again once switched on', async () => {
    // Prepare
    const url = site.pageUrl('o14');

    // Act
    const [before] = await checker.checkAll([url], 1);
    const off = await switchTo('off');
    const state = (await (await fetch(site.controlUrl)).json()) as { state: string };
    const [during] = await checker.checkAll([url], 1);
    const page = await fetch(url);
    const pageText = await page.text();
    await switchTo('on');
    const [after] = await checker.checkAll([url], 1);

    // Assess
    expect(before).toMatchObject({ outcome: 'alive', status: 200 });
    expect(off.status).toBe(200);
    expect(state).toEqual({ state: 'off' });
    expect(during).toMatchObject({ outcome: 'failed', error: 'http_status', status: 404 });
    expect(page.status).toBe(404);
    expect(pageText).toContain('ไม่พบหน้าที่คุณต้องการ');
    expect(after).toMatchObject({ outcome: 'alive', status: 200 });
  });

  it('refuses a state other than on or off and stays as it was', async () => {
    // Act
    const refused = await switchTo('maybe');
    const state = (await (await fetch(site.controlUrl)).json()) as { state: string };

    // Assess
    expect(refused.status).toBe(400);
    expect(state).toEqual({ state: 'on' });
  });
});
