import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { processGroupStopper, waitUntilReady } from './process-group.ts';

export type SesLocal = { url: string; port: number; stop: () => Promise<void> };

/** A mail as aws-ses-v2-local's `/store` returns it. */
export type StoredMail = {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
};

const BIN = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'aws-ses-v2-local');

/**
 * Starts aws-ses-v2-local (its CLI) on 127.0.0.1 in its own process group, so `stop` ends it and
 * anything it spawned. Its inbox is the URL itself; `/store` lists the mails as JSON.
 */
export const startSesLocal = async ({ port }: { port: number }): Promise<SesLocal> => {
  const child = spawn(BIN, ['--port', String(port), '--host', '127.0.0.1'], {
    detached: true,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = processGroupStopper(child);
  try {
    await waitUntilReady('aws-ses-v2-local', child, async () => (await fetch(`${url}/store`)).ok, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, stop };
};

export const readInbox = async (url: string): Promise<StoredMail[]> => {
  const response = await fetch(`${url}/store`);
  if (!response.ok) throw new Error(`inbox answered ${response.status}`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
};

/** The sign-in email's subject carries its code (`shared/domain/emails/signin-code.ts`). */
const SIGN_IN_SUBJECT = /^รหัสเข้าสู่ระบบ ITA: (\d{6})$/;

/**
 * The code of the newest sign-in email to `to` since `since` (epoch ms), read from its subject, or
 * undefined while there is none. Other mail to the same address (a kickoff, a weekly summary sent
 * by the same moment's schedule) is passed over, whatever digits it holds.
 */
export const newestSignInCode = async (url: string, to: string, since: number): Promise<string | undefined> =>
  (await readInbox(url))
    // aws-ses-v2-local stamps mails in whole seconds.
    .filter((m) => m.destination.to.includes(to) && m.at * 1000 >= since - 1000)
    .map((m) => SIGN_IN_SUBJECT.exec(m.subject)?.[1])
    .filter((code) => code !== undefined)
    .at(-1);
