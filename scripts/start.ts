import { join } from 'node:path';
import { SEEDED_ASSESSMENT_ID } from '#local/seed';
import { startLocalSystem } from '#local/system';

/** `npm start`: the whole system on 127.0.0.1, with data kept under `.local/` between runs. */
const port = Number(process.env.PORT ?? 3000);
const ddbPort = Number(process.env.DDB_PORT ?? 8000);
const stateDir = join(import.meta.dirname, '..', '.local');

const linePort = Number(process.env.LINE_PORT ?? 8006);
const testSitePort = Number(process.env.TESTSITE_PORT ?? 8007);

const system = await startLocalSystem({ stateDir, port, ddbPort, linePort, testSitePort }).catch(
  (error: Error) => {
    console.error(`Could not start: ${error.message}`);
    process.exit(1);
  },
);

console.log(`ITA campaign backend (local)
  API            ${system.apiUrl}
  assessment     ${system.apiUrl}/assessments/${SEEDED_ASSESSMENT_ID}  (seed ${system.seeded})
  web app        ${system.appUrl}  (sign in with an address from the seed; the code arrives in the inbox)
  tokens         ${system.tokensFile}
  inbox          ${system.inboxUrl}
  LINE (stub)    ${system.lineUrl}  (npm run line -- join <agencyId>)
  test website   ${system.testSiteUrl}/ita/o14  (an agency's page for the link watch; npm run testsite -- off | on)
  clock          ${system.clockTh}, ${system.schedules} schedules  (npm run clock -- set 2024-02-15 | advance 7d)
  DynamoDB Local ${system.ddbEndpoint}
Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await system.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
