import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MailError, type Mailer, type OutgoingMail } from '#domain/notifications';

export type SesMailerOptions = {
  client: SESv2Client;
  from: string;
  configurationSet?: string | undefined;
  /** Attempts in all, the first included, for throttling and server errors. */
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

const THROTTLING = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException']);

/** Throttling, 5xx and network failures pass with time; anything else (bad address, rejected) needs a person. */
const isTransient = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  if (e?.name && THROTTLING.has(e.name)) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  return (
    status === undefined && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(String(e?.code))
  );
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends through SES v2 `SendEmail` (UTF-8 HTML and text). Give it a client with `maxAttempts: 1`:
 * the retry of throttling (TooManyRequests, LimitExceeded) with exponential backoff and jitter is
 * done here, so the attempts are counted in one place and the failure can say how many were made.
 */
export const createSesMailer = ({
  client,
  from,
  configurationSet,
  attempts = 5,
  baseDelayMs = 200,
  sleep = defaultSleep,
}: SesMailerOptions): Mailer => ({
  async send(mail: OutgoingMail) {
    const command = new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: mail.to, ...(mail.cc.length ? { CcAddresses: mail.cc } : {}) },
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: { Html: { Data: mail.html, Charset: 'UTF-8' }, Text: { Data: mail.text, Charset: 'UTF-8' } },
        },
      },
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await client.send(command);
        return { messageId: result.MessageId ?? '' };
      } catch (error) {
        const transient = isTransient(error);
        if (!transient || attempt >= attempts) {
          const name = (error as { name?: string })?.name ?? 'Error';
          throw new MailError(
            `${name}: ${(error as Error)?.message ?? String(error)} (attempt ${attempt})`,
            transient,
          );
        }
        await sleep(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      }
    }
  },
});
