import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { messagingApi } from '@line/bot-sdk';
import * as z from 'zod/mini';
import { createLineMessenger } from '#adapters/line-messenger';
import { parseConfig } from '#config';
import type { LineMessenger } from '#domain/line';
import { localStandIns } from './stand-ins.ts';

/**
 * Where the LINE channel's secret and access token live: one Secrets Manager secret (created
 * empty by CDK in the stateful stack, filled by the operator) whose value is
 * `{"channelSecret": "…", "channelAccessToken": "…"}`. The environment carries only its ARN;
 * locally the local system passes the stub's URL and the local channel's values with each
 * invocation (`LocalStandIns`), and nothing is read from env.
 */
export const LineConfig = z.object({
  LINE_SECRET_ARN: z.string().check(z.minLength(1)),
  /** Set only where LINE is a stand-in (tests); in AWS the SDK's default, https://api.line.me. */
  LINE_API_BASE_URL: z.optional(z.string().check(z.url())),
});

export const LineCredentials = z.object({
  channelSecret: z.string().check(z.minLength(1, 'the LINE secret has no channelSecret yet')),
  channelAccessToken: z.string().check(z.minLength(1, 'the LINE secret has no channelAccessToken yet')),
});
export type LineCredentials = z.infer<typeof LineCredentials>;

/** A cached secret is read again after this long, so a token the operator replaces is taken up without a deploy. */
const SECRET_MAX_AGE_SECONDS = 900;

/**
 * The channel's secret and token: once per cold start through Powertools Parameters (which caches
 * them for `SECRET_MAX_AGE_SECONDS`), never logged. Throws naming what is missing.
 */
export const lineCredentials = async (): Promise<LineCredentials> => {
  const local = localStandIns()?.line;
  if (local) return { channelSecret: local.channelSecret, channelAccessToken: local.channelAccessToken };
  const config = parseConfig(LineConfig);
  const value = await getSecret(config.LINE_SECRET_ARN, {
    transform: 'json',
    maxAge: SECRET_MAX_AGE_SECONDS,
  });
  const parsed = LineCredentials.safeParse(value);
  if (!parsed.success)
    throw new Error(`LINE is not configured: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
};

let messenger: { token: string; baseURL: string | undefined; port: LineMessenger } | undefined;

/** The LINE port over `MessagingApiClient`, rebuilt only when the token or the API's address changes. */
export const lineMessenger = async (): Promise<LineMessenger> => {
  const { channelAccessToken } = await lineCredentials();
  const baseURL = localStandIns()?.line?.baseURL ?? parseConfig(LineConfig).LINE_API_BASE_URL;
  if (messenger?.token !== channelAccessToken || messenger.baseURL !== baseURL) {
    const client = new messagingApi.MessagingApiClient({
      channelAccessToken,
      ...(baseURL ? { baseURL } : {}),
    });
    messenger = { token: channelAccessToken, baseURL, port: createLineMessenger({ client }) };
  }
  return messenger.port;
};
