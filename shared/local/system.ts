import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { formatThaiDateTime } from '#domain/thai-date';
import { routes } from '#http/routes';
import { createLocalAuthorizer, writeLocalTokens } from '#local/auth';
import { createClockServer } from '#local/clock-server';
import { ensureTable, startDynamoLocal } from '#local/dynamo-local';
import { createLocalApi, type LocalHandler } from '#local/http-server';
import { startLocalLine } from '#local/line-local';
import { startLocalNotifications } from '#local/local-notifications';
import { SEEDED_ASSESSMENT_ID, seedPhatthalung } from '#local/seed';
import { startTestSite } from '#local/test-site';
import { createWebAssets } from '#local/web-static';
import { eventPublisher } from '#runtime/events';
import type { LocalStandIns } from '#runtime/stand-ins';
import { tableRuntime } from '#runtime/table';
import { buildWeb, WEB_DIST } from '../../scripts/build-web.ts';

export type LocalSystemOptions = {
  /** Where local state lives (`.local/` under the repository). */
  stateDir: string;
  port: number;
  ddbPort: number;
  host?: string;
  /** Where the web app is built (default `web/dist`); tests build into their own directory. */
  webDir?: string;
  /** The LINE Messaging API stub's port: `npm start` takes LINE_PORT (8006); default 0, a free one. */
  linePort?: number;
  /** The local test website's port (link watch walk-through): `npm start` takes TESTSITE_PORT (8007); default 0. */
  testSitePort?: number;
};

export type LocalSystem = {
  apiUrl: string;
  /** The people's web app, served by the same server at `/`. */
  appUrl: string;
  ddbEndpoint: string;
  tokensFile: string;
  seeded: 'created' | 'present';
  /** aws-ses-v2-local's inbox (SES_PORT, default 8005) and the local clock's admin endpoint (CLOCK_PORT). */
  inboxUrl?: string;
  clockUrl?: string;
  /** The LINE Messaging API stub: what each group received (`/`, `/messages`). */
  lineUrl?: string;
  /** The local test website (an agency's pages to submit as evidence), switched by `npm run testsite -- off|on`. */
  testSiteUrl?: string;
  /** The campaign clock's time, in Thai, and how many schedules the local scheduler holds. */
  clockTh?: string;
  schedules?: number;
  stop: () => Promise<void>;
};

const loadHandler = async (fn: string): Promise<LocalHandler> => {
  const module = (await import(`../../functions/${fn}.ts`)) as { handler: LocalHandler };
  return module.handler;
};

/**
 * The whole system on this machine: DynamoDB Local with data under `stateDir`, the table, the
 * seeded assessment, local tokens, and the HTTP API running the Lambda handlers.
 */
export const startLocalSystem = async (options: LocalSystemOptions): Promise<LocalSystem> => {
  const host = options.host ?? '127.0.0.1';
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error) => console.error(error));
  };
  try {
    const dataDir = join(options.stateDir, 'dynamodb');
    mkdirSync(dataDir, { recursive: true });
    const dynamo = await startDynamoLocal({ port: options.ddbPort, dataDir });
    stops.push(dynamo.stop);

    process.env.TABLE_NAME ??= 'ita-local';
    process.env.DDB_ENDPOINT = dynamo.endpoint;
    process.env.AWS_REGION ??= 'ap-southeast-1';
    await ensureTable(dynamo.endpoint, process.env.TABLE_NAME);

    // What every function runs against instead of the real time, the AWS services and LINE: built
    // here and passed to each invocation (the notifications fill in the clock, bus, scheduler and
    // link queue, LINE adds its stub).
    const standIns: LocalStandIns = {};
    // Schedules, bus, clock and mail: see README, section schedules.
    const notifications = await startLocalNotifications({
      standIns,
      sesPort: Number(process.env.SES_PORT ?? 8005),
      clockFile: join(options.stateDir, 'clock.json'),
      schedulesFile: join(options.stateDir, 'schedules.json'),
      publicBaseUrl: `http://${host}:${options.port}`,
    });
    stops.push(notifications.stop);

    // LINE: the stub on 127.0.0.1 and the local channel's secret and token (.local/line.json).
    const line = await startLocalLine({
      port: options.linePort ?? 0,
      configFile: join(options.stateDir, 'line.json'),
      now: notifications.clock.now,
      apiUrl: `http://${host}:${options.port}`,
    });
    stops.push(line.stop);
    standIns.line = line.standIn;

    const runtime = tableRuntime();
    // Seeded on the campaign clock, like every later write, so the audit trail reads in one time line.
    const seeded = await seedPhatthalung(runtime, notifications.clock.now());
    const tokensFile = join(options.stateDir, 'tokens.json');
    await writeLocalTokens(runtime, SEEDED_ASSESSMENT_ID, tokensFile);

    await eventPublisher().publish([
      {
        type: 'PlanChanged',
        version: 1,
        assessmentId: SEEDED_ASSESSMENT_ID,
        at: notifications.clock.now().toISOString(),
      },
    ]);
    // Through the outbox and the relay, like any plan change; the banner counts the schedules.
    await notifications.outbox.drain();
    const clockPort = Number(process.env.CLOCK_PORT ?? options.port + 1);
    const clockServer = createClockServer(notifications.clock, notifications.scheduler);
    await new Promise<void>((resolve, reject) => {
      clockServer.once('error', reject);
      clockServer.listen(clockPort, '127.0.0.1', () => resolve());
    });
    stops.push(() => new Promise<void>((resolve) => clockServer.close(() => resolve())));
    const clockUrl = `http://127.0.0.1:${clockPort}/_local/clock`;
    writeFileSync(join(options.stateDir, 'clock-admin.json'), `${JSON.stringify({ url: clockUrl })}\n`);

    // A stand-in agency website on the loopback for the link watch (README, Link watch).
    const testSite = await startTestSite({ port: options.testSitePort ?? 0 });
    stops.push(testSite.stop);
    writeFileSync(
      join(options.stateDir, 'testsite.json'),
      `${JSON.stringify({ url: testSite.url, controlUrl: testSite.controlUrl })}\n`,
    );

    // The web app is built on every start, so what it serves is what the sources say.
    const web = await buildWeb(options.webDir ?? WEB_DIST);
    const server: Server = createLocalApi({
      routes,
      loadHandler,
      authorize: createLocalAuthorizer(),
      web: createWebAssets(web.outdir, { assessmentId: SEEDED_ASSESSMENT_ID, province: 'พัทลุง' }),
      standIns,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolve());
    });
    stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));

    return {
      apiUrl: `http://${host}:${options.port}`,
      appUrl: `http://${host}:${options.port}/`,
      ddbEndpoint: dynamo.endpoint,
      tokensFile,
      seeded,
      inboxUrl: notifications.ses.url,
      clockUrl,
      lineUrl: line.url,
      testSiteUrl: testSite.url,
      clockTh: formatThaiDateTime(notifications.clock.now()),
      schedules: notifications.scheduler.schedules.size,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
