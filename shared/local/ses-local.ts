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
