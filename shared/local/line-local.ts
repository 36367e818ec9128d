import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod/mini';
import type { LineCredentials } from '#runtime/line';
import type { LocalStandIns } from '#runtime/stand-ins';
import { type LineStub, startLineStub } from './line-stub.ts';

/** What `.local/line.json` holds: the local channel's values and where its stub listens. */
export const LocalLineConfig = z.object({
  channelSecret: z.string().check(z.minLength(1)),
  channelAccessToken: z.string().check(z.minLength(1)),
  stubUrl: z.optional(z.string()),
  apiUrl: z.optional(z.string()),
});
export type LocalLineConfig = z.infer<typeof LocalLineConfig>;

/** The local channel's values: kept across starts, made once (random, never a real LINE channel's). */
const localCredentials = (file: string): LineCredentials => {
  if (existsSync(file)) {
    const parsed = LocalLineConfig.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success)
      return { channelSecret: parsed.data.channelSecret, channelAccessToken: parsed.data.channelAccessToken };
  }
  return {
    channelSecret: randomBytes(16).toString('hex'),
    channelAccessToken: `local-${randomBytes(24).toString('base64url')}`,
  };
};

/**
 * LINE on this machine: the Messaging API stub on 127.0.0.1 and, in `standIn`, what the functions
 * run against instead of LINE (the stub's URL and the local channel's values, kept in the local
 * config `.local/line.json`, which `npm run line` reads to sign its webhooks). Nothing reaches
 * LINE's servers. `stop` closes the stub.
 */
export const startLocalLine = async (options: {
  port: number;
  configFile: string;
  now: () => Date;
  apiUrl?: string;
}): Promise<{
  url: string;
  stub: LineStub;
  standIn: NonNullable<LocalStandIns['line']>;
  stop: () => Promise<void>;
}> => {
  const credentials = localCredentials(options.configFile);
  const stub = await startLineStub({
    port: options.port,
    accessToken: credentials.channelAccessToken,
    now: options.now,
  });
  writeFileSync(
    options.configFile,
    `${JSON.stringify({ ...credentials, stubUrl: stub.url, ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}) }, null, 2)}\n`,
    { mode: 0o600 },
  );
  return {
    url: stub.url,
    stub,
    standIn: { ...credentials, baseURL: stub.url },
    stop: () => stub.stop(),
  };
};
