import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { createTokenRepository } from '#adapters/dynamo/token-repository';
import { MAX_TOKEN_DAYS } from '#domain/auth';
import { type Role, systemPrincipal } from '#domain/principal';
import type { Route } from '#http/routes';
import type { HttpEvent } from '#http/types';
import type { LocalAuthorizer } from '#local/http-server';
import type { TableRuntime } from '#runtime/table';
import { issueToken } from '#use-cases/tokens';
import { verifyToken } from '#use-cases/verify-token';
import { authorizer } from '../../functions/authorizer.ts';

/** Where API Gateway would look for the token of a route (its authorizer's identity source). */
const identityOf = (event: HttpEvent, route: Route): string | undefined =>
  route.auth === 'feed' ? event.queryStringParameters?.token : event.headers.authorization;

/**
 * Runs the real authorizer handler on the event API Gateway would send it. Like API Gateway,
 * a request without the identity source never reaches the authorizer: it is a 401 (null).
 */
export const createLocalAuthorizer =
  (): LocalAuthorizer =>
  async (event, route): Promise<Record<string, string> | null> => {
    const identity = identityOf(event, route);
    if (!identity) return null;
    const authorizerEvent: APIGatewayRequestAuthorizerEventV2 = {
      version: '2.0',
      type: 'REQUEST',
      routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${route.method}${event.rawPath}`,
      identitySource: [identity],
      routeKey: event.routeKey,
      rawPath: event.rawPath,
      rawQueryString: event.rawQueryString,
      cookies: event.cookies ?? [],
      headers: event.headers,
      ...(event.queryStringParameters ? { queryStringParameters: event.queryStringParameters } : {}),
      ...(event.pathParameters ? { pathParameters: event.pathParameters } : {}),
      requestContext: event.requestContext,
    };
    const result = await authorizer(authorizerEvent);
    return result.isAuthorized ? result.context : null;
  };

const LocalTokens = z.object({
  admin: z.string(),
  approver: z.string(),
  viewer: z.string(),
  feed: z.string(),
  agencies: z.record(z.string(), z.string()),
});
export type LocalTokens = z.infer<typeof LocalTokens>;

const readTokensFile = (path: string): Partial<LocalTokens> => {
  if (!existsSync(path)) return {};
  try {
    return z.partial(LocalTokens).parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return {};
  }
};

/**
 * Makes sure every local token exists and writes them to `path` (git-ignored `.local/`).
 *
 * Only hashes are in the table, so the file is the one place the secrets live. A token already
 * in the file is kept when it still verifies with the same role, assessment and agency, so a
 * second `npm start` hands out the same tokens; anything missing, expired, revoked or from a
 * wiped table is issued afresh and the file rewritten. The admin token spans assessments (`*`),
 * like the first admin token the CLI makes in a deployed system.
 */
export const writeLocalTokens = async (
  runtime: TableRuntime,
  assessmentId: string,
  path: string,
): Promise<LocalTokens> => {
  const tokens = createTokenRepository({ client: runtime.client, tableName: runtime.tableName });
  // Tokens live in real time even when the campaign clock is moved (see shared/runtime/auth.ts).
  const deps = { ...runtime, now: () => new Date(), tokens };
  const previous = readTokensFile(path);

  const ensure = async (
    existing: string | undefined,
    want: { role: Role; assessmentId: string; agencyId?: string },
  ): Promise<string> => {
    if (existing) {
      const verified = await verifyToken(deps, existing);
      if (
        verified.ok &&
        verified.principal.role === want.role &&
        verified.principal.assessmentId === want.assessmentId &&
        verified.principal.agencyId === want.agencyId
      )
        return existing;
    }
    const issued = await issueToken(deps, systemPrincipal, {
      assessmentId: want.assessmentId,
      request: {
        role: want.role,
        ...(want.agencyId ? { agencyId: want.agencyId } : {}),
        label: `local ${want.role}${want.agencyId ? ` ${want.agencyId}` : ''}`,
        ttlDays: MAX_TOKEN_DAYS,
      },
      channel: 'operator',
    });
    return issued.secret;
  };

  const overview = await runtime.assessments.getOverview(assessmentId);
  const agencyIds = (overview?.agencies ?? []).map((a) => a.agency.id);
  const result: LocalTokens = {
    admin: await ensure(previous.admin, { role: 'admin', assessmentId: '*' }),
    approver: await ensure(previous.approver, { role: 'approver', assessmentId }),
    viewer: await ensure(previous.viewer, { role: 'viewer', assessmentId }),
    feed: await ensure(previous.feed, { role: 'feed', assessmentId }),
    agencies: {},
  };
  for (const agencyId of agencyIds) {
    result.agencies[agencyId] = await ensure(previous.agencies?.[agencyId], {
      role: 'agency',
      assessmentId,
      agencyId,
    });
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`, { encoding: 'utf8', mode: 0o600 });
  return result;
};
