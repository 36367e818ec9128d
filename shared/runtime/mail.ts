import { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod/mini';
import { createSesMailer, sesClientConfig } from '#adapters/ses-mailer';
import { parseConfig } from '#config';
import type { Mailer } from '#domain/mail';

/* The notifier's and the sign-in mailer's SES configuration and mailer, apart from the schedules'
 * configuration (`schedules.ts`). */

/** `notifier` and `auth-code-mailer`: SES and the links in the emails. */
export const MailConfig = z.object({
  MAIL_FROM: z.string().check(z.minLength(3)),
  SES_CONFIGURATION_SET: z.optional(z.string()),
  /** Set only locally, to aws-ses-v2-local. */
  SES_ENDPOINT: z.union([
    z.optional(z.string().check(z.url())),
    z.pipe(
      z.literal(''),
      z.transform(() => undefined),
    ),
  ]),
  PUBLIC_BASE_URL: z.string().check(z.url()),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'ap-southeast-1'),
});

let mail: { mailer: Mailer; publicBaseUrl: string } | undefined;

/** The mailer and link base, built once per process from the configuration. */
export const mailRuntime = () => {
  if (!mail) {
    const config = parseConfig(MailConfig);
    const client = new SESv2Client(
      sesClientConfig({ region: config.AWS_REGION, endpoint: config.SES_ENDPOINT }),
    );
    mail = {
      mailer: createSesMailer({
        client,
        from: config.MAIL_FROM,
        configurationSet: config.SES_CONFIGURATION_SET,
      }),
      publicBaseUrl: config.PUBLIC_BASE_URL,
    };
  }
  return mail;
};
