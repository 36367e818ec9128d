import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { routes } from '#http/routes';
import { createLocalAuthorizer, type LocalTokens, writeLocalTokens } from '#local/auth';
import { freePort } from '#local/dynamo-local';
import { createLocalApi, type LocalHandler } from '#local/http-server';
import { type LocalNotifications, startLocalNotifications } from '#local/local-notifications';
import { SEEDED_ASSESSMENT_ID, seedPhatthalung } from '#local/seed';
import { newestSignInCode } from '#local/ses-local';
import { createWebAssets } from '#local/web-static';
import { tableRuntime } from '#runtime/table';
import { freshTable } from '#test/table';
import { buildWeb } from '../../scripts/build-web.ts';

const loadHandler = async (fn: string): Promise<LocalHandler> =>
  ((await import(`../../functions/${fn}.ts`)) as { handler: LocalHandler }).handler;

/** Debian's Chromium, headless, with nothing that would reach beyond 127.0.0.1. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type WebSystem = {
  base: string;
  tokens: LocalTokens;
  local: LocalNotifications;
  /** A fresh browser profile: its own localStorage, as a second phone would have. */
  newContext: (viewport?: { width: number; height: number }) => Promise<BrowserContext>;
  /** The 6-digit code of the newest sign-in email to `to` sent after `since` (epoch ms). */
  codeFor: (to: string, since: number) => Promise<string>;
  /** Signs in through the page's own form, with the code read from the local inbox. */
  signInOnPage: (page: Page, email: string) => Promise<void>;
  api: <T = unknown>(method: string, path: string, token: string, body?: unknown) => Promise<T>;
  stop: () => Promise<void>;
};

/**
 * The local system as `npm start` runs it, in-process on free ports: the seeded table (on the
 * run's DynamoDB Local), aws-ses-v2-local for the mail, the API and the freshly built web app on
 * one origin, and Debian's Chromium.
 */
export const startWebSystem = async ({ now }: { now: string }): Promise<WebSystem> => {
  const table = await freshTable('web');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  const local = await startLocalNotifications({
    sesPort: await freePort(),
    clockStart: now,
    publicBaseUrl: 'http://127.0.0.1:9',
    log: () => undefined,
  });
  const runtime = tableRuntime();
  await seedPhatthalung(runtime, local.clock.now());
  const stateDir = mkdtempSync(join(tmpdir(), 'ita-web-'));
  const tokens = await writeLocalTokens(runtime, SEEDED_ASSESSMENT_ID, join(stateDir, 'tokens.json'));
  const web = await buildWeb(join(stateDir, 'dist'));
  const server: Server = createLocalApi({
    routes,
    loadHandler,
    authorize: createLocalAuthorizer(),
    web: createWebAssets(web.outdir, { assessmentId: SEEDED_ASSESSMENT_ID, province: 'พัทลุง' }),
    standIns: local.standIns,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });

  const api = async <T>(method: string, path: string, token: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };

  const codeFor = async (to: string, since: number): Promise<string> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const code = await newestSignInCode(local.ses.url, to, since);
      if (code) return code;
      if (Date.now() > deadline) throw new Error(`no sign-in code for ${to} in the inbox`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const signInOnPage = async (page: Page, email: string) => {
    await page.waitForSelector('#email');
    const since = Date.now();
    await page.fill('#email', email);
    await page.click('#email-form button[type=submit]');
    await page.waitForSelector('#code');
    await page.fill('#code', await codeFor(email, since));
    await page.click('#code-form button[type=submit]');
  };

  return {
    base,
    tokens,
    local,
    signInOnPage,
    newContext: (viewport = { width: 390, height: 844 }) => browser.newContext({ viewport }),
    codeFor,
    api,
    stop: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await local.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
};

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/**
 * axe-core's serious and critical violations of WCAG 2.1 A/AA on the page as it is now. Legacy
 * mode runs `axe.run` in the page itself (the app has no frames) instead of a blank page per pass
 * for `finishRun`, and only violations come back: the same rules on the same nodes, about four
 * times faster on the OIT matrix (6.2 s to 1.6 s a pass, measured).
 */
export const seriousViolations = async (page: Page) => {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .setLegacyMode()
    .options({ resultTypes: ['violations'] })
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

/** The serious and critical violations at 390×844 and at 1280×800, the page left at `restore`. */
export const violationsAtBothSizes = async (page: Page, restore: { width: number; height: number }) => {
  const found: string[] = [];
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    found.push(...(await seriousViolations(page)).map((v) => `${viewport.width}px ${v}`));
  }
  await page.setViewportSize(restore);
  return found;
};

/** What the pages of a test did that none may: CSP reports, requests, uncaught errors. */
export type PageWatch = { cspViolations: string[]; requested: string[]; pageErrors: string[] };

export const newPageWatch = (): PageWatch => ({ cspViolations: [], requested: [], pageErrors: [] });

/** Records the page's CSP reports, every URL it requests and its uncaught errors into `seen`. */
export const watchPage = (page: Page, seen: PageWatch): Page => {
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.cspViolations.push(message.text());
  });
  page.on('request', (request) => seen.requested.push(request.url()));
  page.on('pageerror', (error) => seen.pageErrors.push(error.message));
  return page;
};

/**
 * The local system at `now` with one watched page in a fresh profile at `viewport`, and
 * test-results/ ready for screenshots: the start of every one-flow browser test.
 */
export const startWithPage = async (now: string, viewport: { width: number; height: number }) => {
  const sys = await startWebSystem({ now });
  const context = await sys.newContext(viewport);
  const seen = newPageWatch();
  const page = watchPage(await context.newPage(), seen);
  mkdirSync('test-results', { recursive: true });
  return { sys, context, page, seen };
};

/**
 * The file's hooks for a one-flow browser test: before all, the system at `now` with one watched
 * page at `viewport`, handed to `ready`; after all, everything stopped.
 */
export const startForFile = (
  now: string,
  viewport: { width: number; height: number },
  ready: (started: Awaited<ReturnType<typeof startWithPage>>) => unknown,
) => {
  let sys: WebSystem | undefined;
  beforeAll(async () => {
    const started = await startWithPage(now, viewport);
    sys = started.sys;
    await ready(started);
  }, 120_000);
  afterAll(async () => {
    await sys?.stop();
  });
};
