import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { TokenRepository } from '#adapters/dynamo/token-repository';
import { auditEntry } from '#domain/audit';
import {
  type CalendarFeedLink,
  type CreateTokenRequest,
  calendarFeedLabel,
  DEFAULT_TOKEN_DAYS,
  hashToken,
  MAX_TOKEN_DAYS,
  NEVER_EXPIRES,
  newTokenId,
  newTokenSecret,
  OPERATOR_ONLY_ROLES,
  type StoredToken,
  type TokenChannel,
  type TokenView,
  tokenView,
} from '#domain/auth';
import { ForbiddenError, NotFoundError, UnprocessableError } from '#domain/errors';
import type { Principal } from '#domain/principal';

export type TokenDeps = {
  tokens: Pick<TokenRepository, 'create' | 'list' | 'revoke'>;
  assessments: Pick<AssessmentRepository, 'getWithPlan'>;
  agencies: Pick<AgencyRepository, 'getDetail'>;
  /** Token lifetimes run on real time (creation, expiry, revocation). */
  now: () => Date;
  /**
   * The audit trail's clock, the one every other audit entry reads (the movable campaign clock
   * locally), so the trail stays in one order; `now` when not given (in AWS they are the same).
   */
  auditNow?: () => Date;
};

const auditAt = (deps: Pick<TokenDeps, 'now' | 'auditNow'>, now: Date) =>
  (deps.auditNow ? deps.auditNow() : now).toISOString();

const DAY_MS = 86_400_000;

export type IssuedToken = { secret: string; token: TokenView };

const expiryOf = (request: Pick<CreateTokenRequest, 'expiresAt' | 'ttlDays'>, now: Date): string => {
  if (!request.expiresAt)
    return new Date(now.getTime() + (request.ttlDays ?? DEFAULT_TOKEN_DAYS) * DAY_MS).toISOString();
  const at = Date.parse(request.expiresAt);
  if (at <= now.getTime())
    throw new UnprocessableError('expiresAt is in the past', [
      { path: 'expiresAt', message: 'must be in the future' },
    ]);
  if (at > now.getTime() + MAX_TOKEN_DAYS * DAY_MS)
    throw new UnprocessableError(`a token may live at most ${MAX_TOKEN_DAYS} days`, [
      { path: 'expiresAt', message: `at most ${MAX_TOKEN_DAYS} days ahead` },
    ]);
  return new Date(at).toISOString();
};

/**
 * Issues a bearer token bound to one assessment (or `*`, for the CLI's first admin token). The
 * secret is returned once and never stored; the agency a token is bound to must exist.
 */
export const issueToken = async (
  deps: TokenDeps,
  principal: Principal,
  input: { assessmentId: string; request: CreateTokenRequest; channel: TokenChannel },
): Promise<IssuedToken> => {
  const { assessmentId, request } = input;
  if (input.channel === 'api' && OPERATOR_ONLY_ROLES.includes(request.role))
    throw new ForbiddenError(
      `${request.role} tokens are issued by the operator only (npm run token), never through the API`,
    );
  if (input.channel === 'calendar' && (request.role !== 'feed' || !request.agencyId))
    throw new Error('the calendar channel issues an agency-bound feed token only');
  const now = deps.now();
  const expiresAt = input.channel === 'calendar' ? NEVER_EXPIRES : expiryOf(request, now);
  if (assessmentId === '*' && request.role !== 'admin')
    throw new UnprocessableError('only an admin token may span assessments', [
      { path: 'assessmentId', message: 'bind the token to one assessment' },
    ]);
  if (assessmentId !== '*') {
    const found = await deps.assessments.getWithPlan(assessmentId);
    if (!found) throw new NotFoundError(`assessment ${assessmentId} not found`);
  }
  if (request.agencyId) {
    const agency =
      assessmentId === '*' ? null : await deps.agencies.getDetail(assessmentId, request.agencyId);
    if (!agency)
      throw new UnprocessableError(`agency ${request.agencyId} is not in ${assessmentId}`, [
        { path: 'agencyId', message: 'no such agency in this assessment' },
      ]);
  }
  const secret = newTokenSecret();
  const at = now.toISOString();
  const token: StoredToken = {
    id: newTokenId(),
    hash: hashToken(secret),
    role: request.role,
    assessmentId,
    ...(request.agencyId ? { agencyId: request.agencyId } : {}),
    label: request.label,
    createdAt: at,
    createdBy: principal.tokenId,
    expiresAt,
  };
  await deps.tokens.create(
    token,
    auditEntry(
      principal,
      {
        assessmentId,
        ...(token.agencyId ? { agencyId: token.agencyId } : {}),
        action: input.channel === 'calendar' ? 'calendar-feed.create' : 'token.create',
        target: `token/${token.id}`,
        changes: {
          role: token.role,
          label: token.label,
          expiresAt,
          ...(token.agencyId ? { agencyId: token.agencyId } : {}),
        },
      },
      auditAt(deps, now),
    ),
  );
  return { secret, token: tokenView(token, now) };
};

export const listTokens = async (
  deps: Pick<TokenDeps, 'tokens' | 'now'>,
  assessmentId: string,
): Promise<TokenView[]> => {
  const now = deps.now();
  return (await deps.tokens.list(assessmentId)).map((token) => tokenView(token, now));
};

/** Revokes a token of the assessment; revoking it again answers the same and records nothing new. */
export const revokeToken = async (
  deps: Pick<TokenDeps, 'tokens' | 'now' | 'auditNow'>,
  principal: Principal,
  input: { assessmentId: string; tokenId: string },
): Promise<TokenView> => {
  const now = deps.now();
  const at = now.toISOString();
  const outcome = await deps.tokens.revoke(
    input.assessmentId,
    input.tokenId,
    at,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        action: 'token.revoke',
        target: `token/${input.tokenId}`,
        changes: { revokedAt: at },
      },
      auditAt(deps, now),
    ),
  );
  if (!outcome) throw new NotFoundError(`token ${input.tokenId} not found in ${input.assessmentId}`);
  return tokenView(outcome.token, now);
};

/**
 * An agency's own calendar subscription link: a `feed` token bound to the agency, labelled
 * `calendar:<agencyId>`, with no expiry. One live link per agency: every earlier live link made
 * here is revoked once the new one is stored, so a leaked link is stopped by making a new one.
 * The earlier ones are read before the new one is written (one Query on the assessment's
 * tokens), so two concurrent requests can at worst leave two live links, never none.
 * Feed tokens the secretariat made (other labels) are left alone.
 */
export const createCalendarFeed = async (
  deps: TokenDeps,
  principal: Principal,
  input: { assessmentId: string; agencyId: string; publicBaseUrl: string },
): Promise<CalendarFeedLink> => {
  const { assessmentId, agencyId } = input;
  if (!(await deps.agencies.getDetail(assessmentId, agencyId)))
    throw new NotFoundError(`agency ${agencyId} not found in ${assessmentId}`);
  const label = calendarFeedLabel(agencyId);
  const earlier = (await deps.tokens.list(assessmentId)).filter(
    (token) =>
      token.role === 'feed' && token.agencyId === agencyId && token.label === label && !token.revokedAt,
  );
  const issued = await issueToken(deps, principal, {
    assessmentId,
    request: { role: 'feed', agencyId, label },
    channel: 'calendar',
  });
  for (const token of earlier) await revokeToken(deps, principal, { assessmentId, tokenId: token.id });
  const path = ['assessments', assessmentId, 'agencies', agencyId, 'calendar.ics']
    .map(encodeURIComponent)
    .join('/');
  return {
    url: `${input.publicBaseUrl.replace(/\/+$/, '')}/${path}?token=${issued.secret}`,
    createdAt: issued.token.createdAt,
    revoked: earlier.length,
  };
};
