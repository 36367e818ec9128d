import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { TableDeps } from '#adapters/dynamo/bind';
import { createTokenRepository } from '#adapters/dynamo/token-repository';
import { type Principal, systemPrincipal } from '#domain/principal';
import { issueToken } from '#use-cases/tokens';

type Table = TableDeps & { assessments: AssessmentRepository; agencies: AgencyRepository };

/** Who holds a token: a role, and for an agency token the agency it is bound to. */
export type Holder = [role: Principal['role'], agencyId?: string];

/**
 * Issues one token on `assessmentId` per holder, as the operator does (`npm run token`), labelled
 * `<label> <role>`, and answers each one's secret under the holder's name: the bearer a test sends.
 */
export const issueOperatorSecrets = async <Name extends string>(
  table: Table,
  assessmentId: string,
  label: string,
  holders: Record<Name, Holder>,
): Promise<Record<Name, string>> => {
  const deps = { ...table, tokens: createTokenRepository(table), now: () => new Date() };
  const secrets = {} as Record<Name, string>;
  for (const [name, [role, agencyId]] of Object.entries(holders) as [Name, Holder][])
    secrets[name] = (
      await issueToken(deps, systemPrincipal, {
        channel: 'operator',
        assessmentId,
        request: { role, label: `${label} ${role}`, ...(agencyId ? { agencyId } : {}) },
      })
    ).secret;
  return secrets;
};
