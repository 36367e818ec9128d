/**
 * npm run bench:web — Lighthouse 12.2.3, mobile preset (its default config: a mid-range phone's
 * screen, simulated slow 4G and a 4× slower CPU), against the two pages people use most, signed
 * in, on the local system in Debian's Chromium:
 *   - the treasury coordinator's agency page (`#/phatthalung-2567/agency/pt-treasury`);
 *   - the approver's queue (`#/phatthalung-2567/review`).
 * Prints performance, accessibility and best-practices scores and the bytes the first load
 * transferred (fonts and API answers included: Lighthouse's `total-byte-weight`), each against its
 * target, and exits non-zero when one is missed.
 *
 * Everything is started here on free ports and stopped at the end: the local system as `npm start`
 * runs it (DynamoDB Local, the mail inbox, the clock, the API and the freshly built app, state in a
 * temporary directory) and one Chromium. People sign in through the sign-in API with the code read
 * from the local inbox; the session is put in localStorage (as the sign-in page does) on a page of
 * the origin that loads nothing else, so the audited load starts with an empty cache.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { freePort } from '#local/dynamo-local';
import { SEEDED_ASSESSMENT_ID as AID } from '#local/seed';
import { newestSignInCode } from '#local/ses-local';
import { startLocalSystem } from '#local/system';

const COORDINATOR = 'ita.treasury@example.org';
const APPROVER = 'ita.approver@example.org';
const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 95 } as const;
const MAX_BYTES = 250 * 1024;
/** The metrics the performance score is made of (Lighthouse 12 weights: 10, 25, 30, 25, 10 %). */
const METRICS = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI'],
] as const;
/** Debian's Chromium, headless; nothing that would reach beyond 127.0.0.1. */
const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

type Session = { token: string; role: string; agencyId?: string; expiresAt: string };

const post = async <T>(url: string, body: unknown): Promise<{ status: number; body: T }> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as T };
};

/** The newest 6-digit code mailed to `to` since `since` (epoch ms), polled with a deadline. */
const codeFor = async (inboxUrl: string, to: string, since: number): Promise<string> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const code = await newestSignInCode(inboxUrl, to, since);
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no sign-in code for ${to} in the inbox`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/** Signs in through POST /auth/code and POST /auth/session, as the sign-in page does. */
const signIn = async (base: string, inboxUrl: string, email: string) => {
  const since = Date.now();
  const asked = await post(`${base}/auth/code`, { email, assessmentId: AID });
  if (asked.status !== 202) throw new Error(`POST /auth/code answered ${asked.status}`);
  const code = await codeFor(inboxUrl, email, since);
  const session = await post<Session>(`${base}/auth/session`, { email, assessmentId: AID, code });
  if (session.status !== 201) throw new Error(`POST /auth/session answered ${session.status}`);
  return { ...session.body, assessmentId: AID, email };
};

/** Starts Chromium with a DevTools port of its choosing and reads the port from its banner. */
const launchChromium = async (profile: string): Promise<{ child: ChildProcess; port: number }> => {
  const child = spawn(
    '/usr/bin/chromium',
    [...CHROMIUM_FLAGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${seen}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const found = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(seen);
      if (found) {
        clearTimeout(timer);
        resolve(Number(found[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}): ${seen}`)));
  });
  child.stderr!.resume();
  return { child, port };
};

const stateDir = mkdtempSync(join(tmpdir(), 'ita-bench-web-'));
process.env.SES_PORT = String(await freePort());
process.env.CLOCK_PORT = String(await freePort());
const system = await startLocalSystem({
  stateDir,
  port: await freePort(),
  ddbPort: await freePort(),
  linePort: 0,
});
let browser: ChildProcess | undefined;
const rows: { page: string; scores: Record<string, number>; bytes: number; metrics: string }[] = [];
try {
  const base = system.apiUrl;
  const inbox = system.inboxUrl!;
  const coordinator = await signIn(base, inbox, COORDINATOR);
  const approver = await signIn(base, inbox, APPROVER);
  if (coordinator.role !== 'agency' || approver.role !== 'approver')
    throw new Error(`signed in as ${coordinator.role} and ${approver.role}, not agency and approver`);

  const chromiumRun = await launchChromium(join(stateDir, 'chromium'));
  browser = chromiumRun.child;
  const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${chromiumRun.port}`);
  /**
   * localStorage of the origin, set on /config.json (nothing of the app loads there), then the HTTP
   * cache emptied: each audited page is a first load, not the previous page's files from cache.
   */
  const storeSession = async (session: object) => {
    const page = await cdp.contexts()[0]!.newPage();
    await page.goto(`${base}/config.json`);
    await page.evaluate((value) => localStorage.setItem('ita-session', value), JSON.stringify(session));
    const devtools = await page.context().newCDPSession(page);
    await devtools.send('Network.clearBrowserCache');
    await page.close();
  };

  const pages = [
    { name: 'agency page (coordinator)', session: coordinator, url: `${base}/#/${AID}/agency/pt-treasury` },
    { name: 'approver queue', session: approver, url: `${base}/#/${AID}/review` },
  ];
  for (const { name, session, url } of pages) {
    await storeSession(session);
    const result = await lighthouse(url, {
      port: chromiumRun.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: Object.keys(TARGETS),
      // The session just stored must survive; storeSession emptied the HTTP cache itself.
      disableStorageReset: true,
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${name}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`${name}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const scores = Object.fromEntries(
      Object.keys(TARGETS).map((id) => [id, Math.round((lhr.categories[id]?.score ?? 0) * 100)]),
    );
    const bytes = lhr.audits['total-byte-weight']?.numericValue ?? Number.NaN;
    const metrics = METRICS.map(([id, label]) => {
      const value = lhr.audits[id]?.numericValue ?? Number.NaN;
      return `${label} ${id === 'cumulative-layout-shift' ? value.toFixed(3) : `${Math.round(value)} ms`}`;
    }).join(', ');
    rows.push({ page: name, scores, bytes, metrics });
    const failing = Object.values(lhr.audits)
      .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary')
      .map((audit) => audit.id);
    if (failing.length) console.log(`  ${name}: failed audits ${failing.join(', ')}`);
  }
  await cdp.close();
} finally {
  browser?.kill();
  await system.stop();
  rmSync(stateDir, { recursive: true, force: true });
}

let missed = 0;
const verdict = (met: boolean) => {
  if (!met) missed++;
  return met ? 'met' : 'MISS';
};
console.log('\nLighthouse 12.2.3, mobile preset (simulated throttling), Debian Chromium, local system');
for (const { page, scores, bytes, metrics } of rows) {
  console.log(`\n${page}: ${metrics}`);
  for (const [id, target] of Object.entries(TARGETS)) {
    const score = scores[id]!;
    console.log(
      `  ${id.padEnd(15)} ${String(score).padStart(3)}  (target ${id === 'accessibility' ? '' : '≥ '}${target})  ${verdict(score >= target)}`,
    );
  }
  console.log(
    `  ${'first load'.padEnd(15)} ${(bytes / 1024).toFixed(1)} KB transferred (target ≤ 250 KB)  ${verdict(bytes <= MAX_BYTES)}`,
  );
}
process.exitCode = missed > 0 ? 1 : 0;
