import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalLineConfig } from '#local/line-local';
import { SEEDED_ASSESSMENT_ID } from '#local/seed';

/**
 * `npm run line -- join <agencyId>` plays, against the running `npm start`, what happens when
 * someone adds the province's LINE Official Account to the agency's LINE group and posts the
 * link code: it asks the API for a code (admin token), then sends LINE's `join` and the group
 * message as webhooks signed with the local channel secret. `leave <agencyId>`: the bot is
 * removed. `province` is the secretariat's group. The group's id is fixed per agency.
 */
const [command, owner] = process.argv.slice(2);
if (!['join', 'leave'].includes(command ?? '') || !owner) {
  console.error(
    'usage: npm run line -- join <agencyId> | leave <agencyId>   (agencyId: e.g. pt-treasury, or province)',
  );
  process.exit(2);
}
// LOCAL_DIR: another local system's state (tests run one in a temporary directory).
const localDir = process.env.LOCAL_DIR ?? join(import.meta.dirname, '..', '.local');
const read = (file: string): unknown => {
  try {
    return JSON.parse(readFileSync(join(localDir, file), 'utf8'));
  } catch {
    console.error(`No running local system found (.local/${file}). Start it with \`npm start\`.`);
    process.exit(1);
  }
};
const line = LocalLineConfig.parse(read('line.json'));
const api = line.apiUrl ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const admin = (read('tokens.json') as { admin: string }).admin;
const groupId = `C${createHash('sha256').update(`local-group:${owner}`).digest('hex').slice(0, 32)}`;

const event = (type: string, extra: Record<string, unknown> = {}) => ({
  type,
  webhookEventId: randomUUID().replaceAll('-', '').toUpperCase().slice(0, 26),
  timestamp: Date.now(),
  mode: 'active',
  deliveryContext: { isRedelivery: false },
  source: { type: 'group', groupId, userId: 'Ulocal' },
  ...(type === 'leave' ? {} : { replyToken: randomUUID().replaceAll('-', '') }),
  ...extra,
});

const sendWebhook = async (events: unknown[]) => {
  const body = JSON.stringify({ destination: 'Ulocal-official-account', events });
  const response = await fetch(`${api}/line/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-line-signature': createHmac('sha256', line.channelSecret).update(body).digest('base64'),
    },
    body,
  });
  if (!response.ok) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
};

try {
  if (command === 'leave') {
    await sendWebhook([event('leave')]);
    console.log(`The bot left ${owner}'s group ${groupId}: unlinked.`);
  } else {
    const answer = await fetch(`${api}/assessments/${SEEDED_ASSESSMENT_ID}/agencies/${owner}/line-link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    });
    if (answer.status !== 201) throw new Error(`line-link answered ${answer.status}: ${await answer.text()}`);
    const { code, expiresAt } = (await answer.json()) as { code: string; expiresAt: string };
    console.log(`Link code for ${owner}: ${code} (until ${expiresAt})`);
    await sendWebhook([event('join')]);
    await sendWebhook([event('message', { message: { type: 'text', id: '1', text: code } })]);
    console.log(
      `Bot added to group ${groupId} and the code posted; the group's replies: ${line.stubUrl ?? '(stub)'}/`,
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
