import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { DomainError } from '#domain/errors';
import { Email, Slug } from '#domain/primitives';
import { systemPrincipal } from '#domain/principal';
import { mailRuntime } from '#runtime/mail';
import { notificationRepository } from '#runtime/schedules';
import { designateApprover } from '#use-cases/approver';

/**
 * Names who approves OIT evidence for an assessment (the governor or a delegate, plan step 10).
 * The operator's alone: the admin API refuses it, so the secretariat cannot make itself approver.
 * Writes to the table with the operator's AWS credentials, audits the change and emails the old
 * and the new approvers.
 *
 * Usage: npm run approver -- --assessment phatthalung-2567 --email gov@example.org [--email …]
 * Table and mail as `npm run token`: TABLE_NAME (default ita-local), DDB_ENDPOINT (default the
 * local one; empty for AWS), SES_ENDPOINT (default the local inbox; empty for AWS), MAIL_FROM.
 */
process.env.TABLE_NAME ??= 'ita-local';
process.env.DDB_ENDPOINT ??= 'http://127.0.0.1:8000';
process.env.SES_ENDPOINT ??= `http://127.0.0.1:${process.env.SES_PORT ?? 8005}`;
process.env.MAIL_FROM ??= 'ita-noreply@example.org';
process.env.PUBLIC_BASE_URL ??= 'http://127.0.0.1:3000';

const Arguments = z.object({
  assessment: Slug,
  email: z.array(Email).check(z.minLength(1), z.maxLength(10)),
});

const main = async () => {
  const { values } = parseArgs({
    options: { assessment: { type: 'string' }, email: { type: 'string', multiple: true } },
    strict: true,
  });
  const parsed = Arguments.safeParse(values);
  if (!parsed.success)
    throw new Error(
      'usage: npm run approver -- --assessment <id> --email <address> [--email <address>]\n' +
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'),
    );
  const result = await designateApprover(
    { notifications: notificationRepository(), mailer: mailRuntime().mailer, now: () => new Date() },
    { ...systemPrincipal, tokenId: 'operator-cli' },
    { assessmentId: parsed.data.assessment, emails: parsed.data.email },
  );
  console.log(
    result.notified.length
      ? `approver of ${parsed.data.assessment}: ${result.from.join(', ') || '(none)'} -> ${result.to.join(', ')}; told ${result.notified.join(', ')}`
      : `approver of ${parsed.data.assessment} already ${result.to.join(', ')}; nothing changed`,
  );
};

await main().catch((error: Error) => {
  console.error(error instanceof DomainError ? `refused: ${error.message}` : error.message);
  process.exit(1);
});
