import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import { LineError, type LineMessenger } from '#domain/line';
import { sleep as realSleep, retry, type Sleep } from './backoff.ts';

export type LineMessengerOptions = {
  client: Pick<
    messagingApi.MessagingApiClient,
    'pushMessage' | 'replyMessage' | 'getMessageQuota' | 'getMessageQuotaConsumption' | 'getGroupMemberCount'
  >;
  /** Attempts per push for 5xx and timeouts (the same retry key each time, so LINE sends one). */
  attempts?: number;
  /** A push that has not answered in this time is abandoned and tried again. */
  timeoutMs?: number;
  sleep?: Sleep;
};

class TimeoutError extends Error {}

const withTimeout = async <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(`no answer from LINE in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/** LINE's own message in an error body (`{"message": "..."}`), for the record. */
const lineMessage = (error: HTTPFetchError): string => {
  try {
    const body = JSON.parse(error.body) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: the status says enough
  }
  return error.statusText || 'error';
};

/**
 * How a LINE answer maps to our failures: 429 is the month's quota spent (or the rate limit), and
 * LINE asks not to retry it; 400/403/404 on a push to a group means the bot is no longer in it (or
 * may not push there): unlinked; 5xx and timeouts are transient; anything else is rejected.
 */
export const classify = (error: unknown): LineError => {
  if (error instanceof LineError) return error;
  if (error instanceof TimeoutError) return new LineError(error.message, 'transient');
  if (error instanceof HTTPFetchError) {
    const reason = `LINE ${error.status}: ${lineMessage(error)}`;
    if (error.status === 429) return new LineError(reason, 'quota', 429);
    if (error.status === 400 || error.status === 403 || error.status === 404)
      return new LineError(reason, 'unlinked', error.status);
    if (error.status >= 500) return new LineError(reason, 'transient', error.status);
    return new LineError(reason, 'rejected', error.status);
  }
  // fetch itself failed (connection refused or reset): worth another try.
  return new LineError(
    `LINE unreachable: ${error instanceof Error ? error.message : String(error)}`,
    'transient',
  );
};

/**
 * The LINE Messaging API behind the `LineMessenger` port, through the official SDK's
 * `MessagingApiClient` (its `baseURL` points at the local stub in tests and `npm start`). Every
 * push carries `X-Line-Retry-Key`; 5xx and timeouts are tried again with backoff under the same
 * key, and a 409 (LINE already accepted that key) counts as sent.
 */
export const createLineMessenger = ({
  client,
  attempts = 3,
  timeoutMs = 5000,
  sleep = realSleep,
}: LineMessengerOptions): LineMessenger => ({
  push: (to, text, retryKey) =>
    retry(
      async () => {
        try {
          const answer = await withTimeout(
            client.pushMessage({ to, messages: [{ type: 'text', text }] }, retryKey),
            timeoutMs,
          );
          return { messageId: answer.sentMessages[0]?.id ?? retryKey };
        } catch (error) {
          if (error instanceof HTTPFetchError && error.status === 409)
            return { messageId: error.headers.get('x-line-accepted-request-id') ?? retryKey };
          throw classify(error);
        }
      },
      {
        attempts,
        isRetryable: (failure) => (failure as LineError).retryable,
        baseMs: 200,
        capMs: 2_000,
        sleep,
      },
    ),
  reply: async (replyToken, text) => {
    try {
      await withTimeout(client.replyMessage({ replyToken, messages: [{ type: 'text', text }] }), timeoutMs);
    } catch (error) {
      throw classify(error);
    }
  },
  quota: async () => {
    const [quota, consumption] = await Promise.all([
      client.getMessageQuota(),
      client.getMessageQuotaConsumption(),
    ]);
    return { limit: quota.type === 'limited' ? (quota.value ?? null) : null, used: consumption.totalUsage };
  },
  memberCount: async (groupId) => {
    try {
      return (await withTimeout(client.getGroupMemberCount(groupId), timeoutMs)).count;
    } catch {
      // LINE gives the count only for groups the bot is in; the overview shows "unknown" instead.
      return null;
    }
  },
});
