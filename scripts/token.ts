import { parseArgs } from 'node:util';
import { CreateTokenRequest, DEFAULT_TOKEN_DAYS } from '#domain/auth';
import { DomainError } from '#domain/errors';
import { systemPrincipal } from '#domain/principal';
import { authRuntime } from '#runtime/auth';
import { issueToken } from '#use-cases/tokens';

/**
 * Creates a bearer token directly in the table and prints the secret once (stdout; everything
 * else goes to stderr, so `TOKEN=$(npm run -s token -- …)` captures only the secret). This is how
 * the first admin token of a deployed system is made: no API call can, since every one needs a token.
 *
 * Usage: npm run token -- --role admin [--assessment phatthalung-2567] [--agency <id>] [--label …] [--days 90]
 * Table: TABLE_NAME (default ita-local) and DDB_ENDPOINT (default http://127.0.0.1:8000, the
 * local one); DDB_ENDPOINT= (empty) means the real DynamoDB with the usual AWS credentials.
 */

process.env.TABLE_NAME ??= 'ita-local';
process.env.DDB_ENDPOINT ??= 'http://127.0.0.1:8000';

const usage =
  'usage: npm run token -- --role admin|approver|viewer|agency|feed [--assessment <id>] [--agency <id>] [--label <text>] [--days <n>]';

const main = async () => {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      assessment: { type: 'string' },
      agency: { type: 'string' },
      label: { type: 'string' },
      days: { type: 'string' },
    },
    strict: true,
  });
  if (!values.role) throw new Error(usage);
  const parsed = CreateTokenRequest.safeParse({
    role: values.role,
    ...(values.agency ? { agencyId: values.agency } : {}),
    label: values.label ?? `cli ${values.role}`,
    ttlDays: values.days === undefined ? DEFAULT_TOKEN_DAYS : Number(values.days),
  });
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`).join('\n'),
    );
  }
  const assessmentId = values.assessment ?? '*';
  const issued = await issueToken(authRuntime(), systemPrincipal, {
    assessmentId,
    request: parsed.data,
    channel: 'operator',
  });
  const { token } = issued;
  console.error(
    `created ${token.id}: ${token.role} for ${token.assessmentId}${token.agencyId ? ` / ${token.agencyId}` : ''}, ` +
      `expires ${token.expiresAt}, table ${process.env.TABLE_NAME}. The secret is shown only now:`,
  );
  console.log(issued.secret);
};

await main().catch((error: Error) => {
  console.error(error instanceof DomainError ? `refused: ${error.message}` : error.message);
  process.exit(1);
});
