import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import * as tokenTable from '#adapters/dynamo/token-repository';
import type { AuthFailure } from '#domain/principal';
import { type Route, routes } from '#http/routes';
import type { AuthorizerContext } from '#http/types';
import { tokenClockNow } from '#runtime/clock';
import { tableDeps } from '#runtime/table';
import { verifyToken } from '#use-cases/verify-token';

const table = tableDeps({ tokens: { findByHash: tokenTable.findByHash } });

const deps = () => ({ ...table(), now: tokenClockNow });

export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

const refused = (authError: AuthFailure): AuthorizerResult => ({
  isAuthorized: true,
  context: { tokenId: '', role: '', assessmentId: '', agencyId: '', issuedBy: '', authError },
});

/**
 * The Lambda REQUEST authorizer (HTTP API, simple responses) over a route table. Every outcome
 * is `isAuthorized: true`: a bad token travels as `authError` so the handler can answer 401 with
 * the reason instead of HTTP API's bare 403. Calendar routes (`auth: 'feed'`) read the `token`
 * query parameter and accept only feed tokens; every other route reads `Authorization: Bearer …`.
 */
export const authorizerFor = (routeTable: readonly Route[]) => {
  const feedRoutes = new Set(routeTable.filter((r) => r.auth === 'feed').map((r) => `${r.method} ${r.path}`));
  return async (event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> => {
    const feedRoute = feedRoutes.has(event.routeKey);
    const header = Object.entries(event.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'authorization',
    );
    const secret = feedRoute ? event.queryStringParameters?.token : header?.[1]?.match(BEARER)?.[1];
    const verification = await verifyToken(deps(), secret);
    if (!verification.ok) return refused(verification.failure);
    if (feedRoute && verification.principal.role !== 'feed') return refused('not-feed');
    const { tokenId, role, assessmentId, agencyId, issuedBy } = verification.principal;
    return {
      isAuthorized: true,
      context: {
        tokenId,
        role,
        assessmentId,
        agencyId: agencyId ?? '',
        issuedBy: issuedBy ?? '',
        authError: '',
      },
    };
  };
};

export const authorizer = authorizerFor(routes);

export const handler = authorizer;
