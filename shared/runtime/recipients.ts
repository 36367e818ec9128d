import * as z from 'zod/mini';
import { parseConfig } from '#config';
import type { DefaultRecipients } from '#domain/notification-settings';
import { Email } from '#domain/primitives';

/* The deployment's default recipients: a module of its own, as most functions need only these of
 * the notification configuration. */

const addressList = z.pipe(
  z.pipe(
    z._default(z.string(), ''),
    z.transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    ),
  ),
  z.array(Email),
);

/**
 * The deployment-wide recipients (CDK context `secretariatEmail` / `approverEmail`, comma-separated
 * lists), used for an assessment whose notification settings name none.
 */
export const RecipientsConfig = z.object({
  SECRETARIAT_EMAIL: addressList,
  APPROVER_EMAIL: addressList,
});

let recipients: DefaultRecipients | undefined;

/** The deployment's default recipients, parsed once per process. */
export const defaultRecipients = (): DefaultRecipients => {
  if (!recipients) {
    const config = parseConfig(RecipientsConfig);
    recipients = { secretariatEmails: config.SECRETARIAT_EMAIL, approverEmails: config.APPROVER_EMAIL };
  }
  return recipients;
};
