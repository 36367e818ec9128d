import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#http/routes';
import { createLocalAuthorizer, type LocalTokens, writeLocalTokens } from '#local/auth';
import { createLocalApi, type LocalHandler } from '#local/http-server';
import { SEEDED_ASSESSMENT_ID as AID, seedPhatthalung } from '#local/seed';
import { useLocalClock } from '#runtime/clock';
import { tableRuntime } from '#runtime/table';
import { freshTable } from '#test/table';

/** Mid-March 2024 in Bangkok: OIT publishing is closing, surveys are under way. */
const NOW = new Date('2024-03-15T03:00:00.000Z');

const loadHandler = async (fn: string): Promise<LocalHandler> =>
  ((await import(`../../functions/${fn}.ts`)) as { handler: LocalHandler }).handler;

let server: Server;
let base: string;
let tokens: LocalTokens;
let context: BrowserContext;
let profileDir: string;
const stateDir = mkdtempSync(join(tmpdir(), 'ita-dashboard-'));

const api = async (method: string, path: string, token: string, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return response.json();
};

/** Opens the dashboard, enters the viewer token once and waits for the data to render. */
const openDashboard = async (page: Page) => {
  await page.goto(`${base}/assessments/${AID}/dashboard`);
  await page.fill('#token', tokens.viewer);
  await page.click('#token-form button[type=submit]');
  await page.waitForSelector('#content:not(.hidden) [data-agency="pt-treasury"][data-tool="OIT"]', {
    timeout: 15_000,
  });
};

describe('the dashboard page in a real browser', () => {
  beforeAll(async () => {
    // Prepare: the real local API on a free port, over a fresh seeded table, with real tokens.
    const table = await freshTable('dashboard');
    process.env.TABLE_NAME = table.tableName;
    process.env.DDB_ENDPOINT = table.endpoint;
    useLocalClock(() => NOW);
    const runtime = tableRuntime();
    await seedPhatthalung(runtime, NOW);
    tokens = await writeLocalTokens(runtime, AID, join(stateDir, 'tokens.json'));
    server = createLocalApi({ routes, loadHandler, authorize: createLocalAuthorizer() });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const treasury = tokens.agencies['pt-treasury']!;
    for (const item of ['o14', 'o15', 'o16']) {
      await api('PUT', `/assessments/${AID}/agencies/pt-treasury/oit/${item}`, treasury, {
        urls: [`https://treasury.example.org/ita/${item}`],
      });
    }
    await api('PUT', `/assessments/${AID}/agencies/pt-treasury/surveys/iit`, treasury, {
      responses: 12,
      asOf: '2024-03-14',
    });
    await api('PUT', `/assessments/${AID}/agencies/pt-treasury/surveys/eit`, treasury, {
      responses: 40,
      asOf: '2024-03-14',
    });

    profileDir = mkdtempSync(join(tmpdir(), 'ita-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
  });

  afterAll(async () => {
    useLocalClock(undefined);
    await context?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const dir of [profileDir, stateDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the API’s numbers once the token is entered, with the token kept out of every URL', async () => {
    // Prepare
    const progress = await api('GET', `/assessments/${AID}/progress`, tokens.viewer);
    const forecast = await api('GET', `/assessments/${AID}/forecast`, tokens.viewer);
    const treasury = progress.agencies.find((a: { agencyId: string }) => a.agencyId === 'pt-treasury');
    const page = await context.newPage();
    const requested: string[] = [];
    const cspViolations: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });

    // Act
    const response = await page.goto(`${base}/assessments/${AID}/dashboard`);
    const beforeLogin = await page.isVisible('#token-form');
    await openDashboard(page);

    // Assess
    const text = (selector: string) => page.textContent(selector);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(beforeLogin).toBe(true);
    expect(treasury.oit).toMatchObject({ done: 3, assigned: 4 });
    expect(await text('[data-agency="pt-treasury"][data-tool="OIT"] .num')).toBe('3/4');
    expect(await text('[data-agency="pt-treasury"][data-tool="IIT"] .num')).toBe(
      `12/${treasury.surveys.iit.required}`,
    );
    expect(await text('[data-agency="pt-treasury"][data-tool="EIT"] .num')).toBe(
      `40/${treasury.surveys.eit.required}`,
    );
    expect(await page.getAttribute('#forecast-conservative strong', 'data-total')).toBe(
      forecast.conservative.total.toFixed(2),
    );
    expect(await page.getAttribute('#forecast-optimistic strong', 'data-total')).toBe(
      forecast.optimistic.total.toFixed(2),
    );
    expect(await text('#targets [data-target="85"]')).toContain(
      `${forecast.conservative.targets[0].itemsNeeded} ข้อ`,
    );
    expect(await page.locator('[data-milestone]').count()).toBe(15);
    expect(await page.locator('#today-line').count()).toBe(1);
    expect(await page.locator('svg[data-pace]').count()).toBe(2);
    expect(await text('#timeline-body')).toContain('ธ.ค. 66');
    expect(await text('#timeline-body')).toContain('ส.ค. 67');
    expect(await page.evaluate(() => sessionStorage.getItem('ita-dashboard-token'))).toBe(tokens.viewer);
    expect(requested.every((url) => url.startsWith(`${base}/`))).toBe(true);
    expect(requested.some((url) => url.includes(tokens.viewer))).toBe(false);
    expect(cspViolations).toEqual([]);

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      await page.screenshot({ path: 'docs/dashboard.png', fullPage: true });
    }
    await page.close();
  });

  it('fits a phone’s width without sideways scrolling of the page', async () => {
    // Prepare
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });

    // Act
    await openDashboard(page);

    // Assess
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    await page.screenshot({ path: 'test-results/dashboard-phone.png', fullPage: true });
    await page.close();
  });

  it('serves the calendar feed through the real authorizer to the feed token only', async () => {
    // Act
    const feed = await fetch(`${base}/assessments/${AID}/calendar.ics?token=${tokens.feed}`);
    const apiToken = await fetch(`${base}/assessments/${AID}/calendar.ics?token=${tokens.viewer}`);
    const none = await fetch(`${base}/assessments/${AID}/calendar.ics`);

    // Assess
    const body = await feed.text();
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(15);
    expect([apiToken.status, none.status]).toEqual([403, 401]);
  });

  it('shows an agency token its own agency only, opened from the link in its emails', async () => {
    // Prepare
    const treasury = tokens.agencies['pt-treasury']!;
    const detail = await api('GET', `/assessments/${AID}/agencies/pt-treasury/progress`, treasury);
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));

    // Act
    await page.goto(`${base}/assessments/${AID}/dashboard#agency-pt-treasury`);
    await page.fill('#token', treasury);
    await page.click('#token-form button[type=submit]');
    await page.waitForSelector('#agency-view:not(.hidden) [data-agency-view="pt-treasury"]', {
      timeout: 15_000,
    });

    // Assess
    const text = (selector: string) => page.textContent(selector);
    expect(await text('#title')).toContain(detail.agency.nameTh);
    expect(await text('[data-agency="pt-treasury"][data-tool="OIT"] .num')).toBe('3/4');
    expect(await text('[data-agency="pt-treasury"][data-tool="IIT"] .num')).toBe(
      `12/${detail.surveys.iit.required}`,
    );
    expect(await page.locator('#agency-items [data-item]').count()).toBe(detail.items.length);
    expect(await page.getAttribute('#agency-items [data-item="o14"]', 'data-status')).toBe('submitted');
    expect(await page.locator('#agency-tasks [data-task]').count()).toBeGreaterThan(0);
    expect(await page.isVisible('#forecast')).toBe(false);
    expect(await page.locator('[data-agency]:not([data-agency="pt-treasury"])').count()).toBe(0);
    expect(requested.some((url) => url.endsWith('/agencies/pt-treasury/progress'))).toBe(true);
    expect(requested.some((url) => url.includes(treasury))).toBe(false);
    await page.screenshot({ path: 'test-results/dashboard-agency.png', fullPage: true });
    await page.close();
  });

  it('refuses a wrong token and forgets it', async () => {
    // Prepare
    const page = await context.newPage();
    await page.goto(`${base}/assessments/${AID}/dashboard`);

    // Act
    await page.fill('#token', 'ita_not-a-real-token');
    await page.click('#token-form button[type=submit]');
    await page.waitForFunction(() =>
      (document.querySelector('#status')?.textContent ?? '').includes('โทเคน'),
    );

    // Assess
    expect(await page.evaluate(() => sessionStorage.getItem('ita-dashboard-token'))).toBeNull();
    expect(await page.isVisible('#content')).toBe(false);
    await page.close();
  });
});
