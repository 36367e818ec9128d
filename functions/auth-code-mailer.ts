import type { EventBridgeEvent } from 'aws-lambda';
import * as signInTable from '#adapters/dynamo/signin-repository';
import { SignInCodeRequested } from '#domain/events/signin-code-requested';
import { tokenClockNow } from '#runtime/clock';
import { logger, withLogContext } from '#runtime/logger';
import { mailRuntime } from '#runtime/mail';
import { defaultRecipients } from '#runtime/recipients';
import { tableDeps } from '#runtime/table';
import { deliverCode } from '#use-cases/signin';

const table = tableDeps({
  signIn: {
    getDirectory: signInTable.getDirectory,
    getCode: signInTable.getCode,
    replaceCode: signInTable.replaceCode,
    markMailed: signInTable.markMailed,
    recordAudit: signInTable.recordAudit,
  },
});

/**
 * Target of the `SignInCodeRequested` rule: looks the address up, issues and mails the code.
 * Throws on a malformed event or a failed send, so EventBridge's retries and the DLQ take over.
 * The log line names the outcome, never the code.
 */
export const authCodeMailer = async (
  event: Pick<EventBridgeEvent<'SignInCodeRequested', unknown>, 'detail'>,
) => {
  const request = SignInCodeRequested.parse(event.detail);
  const { mailer, publicBaseUrl } = mailRuntime();
  const outcome = await deliverCode(
    { signIn: table().signIn, mailer, publicBaseUrl, defaults: defaultRecipients(), now: tokenClockNow },
    request,
  );
  logger.info('signin code', { requestId: request.requestId, outcome });
  return { outcome };
};

/** The sign-in request's id is the correlation id: the same as on the `POST /auth/code` that asked. */
export const handler = withLogContext(
  authCodeMailer,
  (event) => SignInCodeRequested.safeParse(event.detail).data?.requestId,
);
