import { type SESv2Client, type SESv2ClientConfig, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MailError, type Mailer, type OutgoingMail } from '#domain/mail';

export type SesMailerOptions = {
  /** Built from `sesClientConfig`: the SDK retries throttling and 5xx, so the mailer sends once. */
  client: SESv2Client;
  from: string;
  configurationSet?: string | undefined;
};

/** Attempts in all, the first included, the SDK makes of one email on throttling, 5xx and network failures. */
export const SES_MAX_ATTEMPTS = 5;

/**
 * The SES client's settings: the SDK's standard retry strategy (exponential backoff with full
 * jitter, 500 ms base for throttling such as `TooManyRequestsException` and 429, a retry quota
 * shared by the process) over `SES_MAX_ATTEMPTS` attempts. `endpoint` points it at aws-ses-v2-local.
 */
export const sesClientConfig = ({
  region,
  endpoint,
  maxAttempts = SES_MAX_ATTEMPTS,
}: {
  region: string;
  endpoint?: string | undefined;
  maxAttempts?: number;
}): SESv2ClientConfig => ({
  region,
  maxAttempts,
  retryMode: 'standard',
  ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
});

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

/**
 * Sends through SES v2 `SendEmail` (UTF-8 HTML and text), one `send` per email: the client's own
 * retry strategy (`sesClientConfig`) retries throttling and server errors, and what still fails
 * becomes a MailError that says whether time may cure it and how many attempts the SDK made.
 */
export const createSesMailer = ({ client, from, configurationSet }: SesMailerOptions): Mailer => ({
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
    try {
      const result = await client.send(command);
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      const e = error as { name?: string; message?: string; $metadata?: { attempts?: number } };
      throw new MailError(
        `${e?.name ?? 'Error'}: ${e?.message ?? String(error)} (attempt ${e?.$metadata?.attempts ?? 1})`,
        isTransient(error),
      );
    }
  },
});
