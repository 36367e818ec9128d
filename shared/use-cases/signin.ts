import { randomUUID } from 'node:crypto';
import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { SignInRepository } from '#adapters/dynamo/signin-repository';
import type { TokenRepository } from '#adapters/dynamo/token-repository';
import { auditEntry } from '#domain/audit';
import { signInCodeEmail, signInUrl } from '#domain/emails/signin-code';
import { InvalidCodeError, TooManyRequestsError, UnauthorizedError } from '#domain/errors';
import type { EventPublisher, SignInCodeRequested } from '#domain/events';
import type { Mailer } from '#domain/mail';
import type { DefaultRecipients } from '#domain/notification-settings';
import type { Principal } from '#domain/principal';
import {
  type CodeRequest,
  codeMatches,
  codeState,
  decideIssue,
  decideRole,
  INVALID_CODE_MESSAGE,
  issuedCode,
  newCodeSalt,
  newSignInCode,
  normaliseEmail,
  rolesOf,
  type SessionRequest,
  type SessionView,
  SIGNIN_LIMITS,
  type SignInChoice,
  type SignInDirectory,
  sessionExpiry,
  signInIssuer,
  TOO_MANY_REQUESTS_MESSAGE,
} from '#domain/signin';
import { issueToken } from './tokens.ts';

const invalid = () => new InvalidCodeError(INVALID_CODE_MESSAGE);

/** The settings' lists, each falling back to the deployment's when empty (as the notifications do). */
export const withFallbacks = (directory: SignInDirectory, defaults: DefaultRecipients): SignInDirectory => ({
  ...directory,
  secretariatEmails: directory.secretariatEmails.length
    ? directory.secretariatEmails
    : defaults.secretariatEmails,
  approverEmails: directory.approverEmails.length ? directory.approverEmails : defaults.approverEmails,
});

/** The acting principal of a sign-in's audit entries: the address, in the role it holds or chose. */
const actor = (email: string, choice: SignInChoice) => ({ tokenId: signInIssuer(email), role: choice.role });

const limitSource = async (
  signIn: Pick<SignInRepository, 'countSourceRequest'>,
  scope: 'code' | 'session',
  sourceIp: string,
  now: Date,
) => {
  const limit =
    scope === 'code' ? SIGNIN_LIMITS.codeRequestsPerSource : SIGNIN_LIMITS.sessionAttemptsPerSource;
  const counted = await signIn.countSourceRequest(scope, sourceIp, limit, now);
  if (!counted.allowed) throw new TooManyRequestsError(TOO_MANY_REQUESTS_MESSAGE, counted.retryAfterSeconds);
};

// ---------------------------------------------------------------- POST /auth/code

export type RequestCodeDeps = {
  signIn: Pick<SignInRepository, 'countSourceRequest'>;
  publisher: EventPublisher;
  now: () => Date;
  newId?: () => string;
};

/**
 * POST /auth/code. Steps: 1. count the source address (429 over the limit); 2. queue the
 * request as `SignInCodeRequested`. Nothing here depends on the address: the same two writes
 * whether it is known or not, so neither the answer nor its timing tells them apart.
 */
export const requestCode = async (deps: RequestCodeDeps, request: CodeRequest, sourceIp: string) => {
  const now = deps.now();
  await limitSource(deps.signIn, 'code', sourceIp, now);
  const event: SignInCodeRequested = {
    type: 'SignInCodeRequested',
    version: 1,
    at: now.toISOString(),
    requestId: (deps.newId ?? randomUUID)(),
    assessmentId: request.assessmentId,
    email: normaliseEmail(request.email),
  };
  await deps.publisher.publish([event]);
};

// ---------------------------------------------------------------- the consumer: code and email

export type DeliverCodeDeps = {
  signIn: Pick<SignInRepository, 'getDirectory' | 'getCode' | 'replaceCode' | 'markMailed' | 'recordAudit'>;
  mailer: Mailer;
  publicBaseUrl: string;
  defaults: DefaultRecipients;
  now: () => Date;
};

export type DeliverOutcome = 'sent' | 'suppressed' | 'already-sent' | 'unknown';

/**
 * The `SignInCodeRequested` consumer. Steps: 1. the assessment's directory (an unknown
 * assessment or address ends here, silently and unaudited: the trail holds no address anyone
 * may type); 2. the address's current code and send count decide: a new code, a suppressed
 * send (4th within 15 minutes, audited), or nothing (the request was already mailed); 3. the new
 * code's hash replaces the old one conditionally, with `auth.code.sent`; 4. the Thai email;
 * 5. the code marked mailed. A redelivery after step 3 but before 5 mails a fresh code.
 */
export const deliverCode = async (
  deps: DeliverCodeDeps,
  event: SignInCodeRequested,
): Promise<DeliverOutcome> => {
  const email = normaliseEmail(event.email);
  const directory = await deps.signIn.getDirectory(event.assessmentId);
  if (!directory) return 'unknown';
  const roles = rolesOf(withFallbacks(directory, deps.defaults), email);
  const first = roles[0];
  if (!first) return 'unknown';
  const agencyId = first.role === 'agency' ? first.agencyId : undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = deps.now();
    const at = now.toISOString();
    const current = await deps.signIn.getCode(event.assessmentId, email);
    const decision = decideIssue(current, event.requestId, now);
    if (decision.kind === 'done') return 'already-sent';
    if (decision.kind === 'suppress') {
      await deps.signIn.recordAudit(
        auditEntry(
          actor(email, first),
          {
            assessmentId: event.assessmentId,
            ...(agencyId ? { agencyId } : {}),
            action: 'auth.code.suppressed',
            target: `signin/${email}`,
            changes: { email, sendsInWindow: decision.sends.length, requestId: event.requestId },
          },
          at,
        ),
      );
      return 'suppressed';
    }
    const code = newSignInCode();
    const stored = issuedCode(
      {
        assessmentId: event.assessmentId,
        email,
        requestId: event.requestId,
        code,
        salt: newCodeSalt(),
        sends: decision.sends,
      },
      now,
    );
    const replaced = await deps.signIn.replaceCode(
      stored,
      current?.issuedAt ?? null,
      auditEntry(
        actor(email, first),
        {
          assessmentId: event.assessmentId,
          ...(agencyId ? { agencyId } : {}),
          action: 'auth.code.sent',
          target: `signin/${email}`,
          changes: { email, expiresAt: stored.codeExpiresAt, requestId: event.requestId },
        },
        at,
      ),
    );
    if (!replaced) continue;
    const mail = signInCodeEmail({
      code,
      assessmentName: directory.assessmentName,
      issuedAt: stored.issuedAt,
      expiresAt: stored.codeExpiresAt,
      signInUrl: signInUrl(deps.publicBaseUrl, event.assessmentId),
    });
    await deps.mailer.send({ to: [email], cc: [], ...mail });
    await deps.signIn.markMailed(stored, deps.now().toISOString());
    return 'sent';
  }
  throw new Error(`the code of ${event.requestId} lost the race five times`);
};

// ---------------------------------------------------------------- POST /auth/session

export type CreateSessionDeps = {
  signIn: Pick<
    SignInRepository,
    'countSourceRequest' | 'getDirectory' | 'getCode' | 'countWrongTry' | 'recordAudit' | 'redeemCode'
  >;
  tokens: Pick<TokenRepository, 'list' | 'revoke'>;
  assessments: Pick<AssessmentRepository, 'getWithPlan'>;
  agencies: Pick<AgencyRepository, 'getDetail'>;
  defaults: DefaultRecipients;
  now: () => Date;
};

export type SessionOutcome =
  | {
      kind: 'token';
      answer: {
        token: string;
        role: SignInChoice['role'];
        agencyId?: string;
        assessmentId: string;
        expiresAt: string;
        email: string;
      };
    }
  | { kind: 'choices'; choices: SignInChoice[] };

/**
 * POST /auth/session. Steps: 1. count the source address (429); 2. the address's code: none, or
 * not live → 401; 3. a wrong code counts a try (conditionally, so never past 5) with
 * `auth.signin.failed` (after the count, so it names the try it was) → 401; 4. the roles the address holds now: several and none chosen →
 * the choices (the code stays live and no try is counted); a choice it does not hold → 401;
 * 5. the token through the token machinery (channel `signin`, 12 hours, labelled with the
 * address), written in one transaction with the code's use, `token.create` and `auth.signin`.
 * Every 401 is the same body.
 */
export const createSession = async (
  deps: CreateSessionDeps,
  request: SessionRequest,
  sourceIp: string,
): Promise<SessionOutcome> => {
  const now = deps.now();
  await limitSource(deps.signIn, 'session', sourceIp, now);
  const email = normaliseEmail(request.email);
  const { assessmentId } = request;
  const code = await deps.signIn.getCode(assessmentId, email);
  if (!code || codeState(code, now) !== 'live') throw invalid();
  const directory = await deps.signIn.getDirectory(assessmentId);
  const held = directory ? rolesOf(withFallbacks(directory, deps.defaults), email) : [];
  const first = held[0];
  if (!codeMatches(request.code, code)) {
    // A try counts against the code whoever holds the address; the audit entry names the role it holds.
    const tries = await deps.signIn.countWrongTry(code);
    if (tries !== null && first)
      await deps.signIn.recordAudit(
        auditEntry(
          actor(email, first),
          {
            assessmentId,
            ...(first.agencyId ? { agencyId: first.agencyId } : {}),
            action: 'auth.signin.failed',
            target: `signin/${email}`,
            changes: { email, tries, killed: tries >= SIGNIN_LIMITS.maxWrongTries },
          },
          now.toISOString(),
        ),
      );
    throw invalid();
  }
  const decision = decideRole(held, request);
  if (decision.kind === 'refused') throw invalid();
  if (decision.kind === 'choose') return { kind: 'choices', choices: decision.choices };
  const chosen = decision.choice;
  const principal: Principal = { tokenId: signInIssuer(email), role: chosen.role, assessmentId };
  const issued = await issueToken(
    {
      tokens: {
        ...deps.tokens,
        create: async (token, tokenAudit) => {
          const signedIn = auditEntry(
            principal,
            {
              assessmentId,
              ...(chosen.agencyId ? { agencyId: chosen.agencyId } : {}),
              action: 'auth.signin',
              target: `token/${token.id}`,
              changes: { email, role: chosen.role, expiresAt: token.expiresAt },
            },
            now.toISOString(),
          );
          const redeemed = await deps.signIn.redeemCode(code, now, token, [tokenAudit, signedIn], chosen);
          if (!redeemed) throw invalid();
        },
      },
      assessments: deps.assessments,
      agencies: deps.agencies,
      now: () => now,
    },
    principal,
    {
      assessmentId,
      request: {
        role: chosen.role,
        ...(chosen.agencyId ? { agencyId: chosen.agencyId } : {}),
        label: email,
        expiresAt: sessionExpiry(now),
      },
      channel: 'signin',
    },
  );
  return {
    kind: 'token',
    answer: {
      token: issued.secret,
      role: chosen.role,
      ...(chosen.agencyId ? { agencyId: chosen.agencyId } : {}),
      assessmentId,
      expiresAt: issued.token.expiresAt,
      email,
    },
  };
};

// ---------------------------------------------------------------- GET and DELETE /auth/session

/** GET /auth/session: who the presenting token is. */
export const readSession = async (
  deps: { tokens: Pick<TokenRepository, 'get'> },
  principal: Principal,
): Promise<SessionView> => {
  const token = await deps.tokens.get(principal.assessmentId, principal.tokenId);
  if (!token) throw new UnauthorizedError();
  return {
    role: token.role,
    ...(token.agencyId ? { agencyId: token.agencyId } : {}),
    assessmentId: token.assessmentId,
    label: token.label,
    expiresAt: token.expiresAt ?? null,
  };
};

/** DELETE /auth/session: revokes the presenting token (then it is a 401 everywhere), with `auth.signout`. */
export const endSession = async (
  deps: { tokens: Pick<TokenRepository, 'revoke'>; now: () => Date },
  principal: Principal,
): Promise<void> => {
  const at = deps.now().toISOString();
  const outcome = await deps.tokens.revoke(
    principal.assessmentId,
    principal.tokenId,
    at,
    auditEntry(
      principal,
      {
        assessmentId: principal.assessmentId,
        ...(principal.agencyId ? { agencyId: principal.agencyId } : {}),
        action: 'auth.signout',
        target: `token/${principal.tokenId}`,
        changes: { revokedAt: at },
      },
      at,
    ),
  );
  if (!outcome) throw new UnauthorizedError();
};
