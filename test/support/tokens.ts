import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { TableDeps } from '#adapters/dynamo/bind';
import { createTokenRepository } from '#adapters/dynamo/token-repository';
import { type Principal, systemPrincipal } from '#domain/auth';
import { issueToken } from '#use-cases/tokens';

type Table = TableDeps & { assessments: AssessmentRepository; agencies: AgencyRepository };

/**
 * Issues tokens on `assessmentId` as the operator does (`npm run token`), labelled `<label> <role>`,
 * and answers each one's secret: the bearer a test sends. An agency token is bound to `agencyId`.
 */
export const operatorSecrets = (table: Table, assessmentId: string, label: string) => {
  const deps = { ...table, tokens: createTokenRepository(table), now: () => new Date() };
  return async (role: Principal['role'], agencyId?: string) =>
    (
      await issueToken(deps, systemPrincipal, {
        channel: 'operator',
        assessmentId,
        request: { role, label: `${label} ${role}`, ...(agencyId ? { agencyId } : {}) },
      })
    ).secret;
};
