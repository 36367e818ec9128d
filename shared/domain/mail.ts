/** The mail port: what the notifier and the sign-in mailer send, and how a send fails. */

export type OutgoingMail = { to: string[]; cc: string[]; subject: string; html: string; text: string };

/** The port the notifier sends through: SES v2 (or aws-ses-v2-local, by endpoint). */
export type Mailer = { send: (mail: OutgoingMail) => Promise<{ messageId: string }> };

/** A send that failed for good; `retryable` when waiting could help (throttling, 5xx). */
export class MailError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'MailError';
    this.retryable = retryable;
  }
}
