import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { Email, IsoDateTime, Slug } from './primitives.ts';

/**
 * Sign-in by emailed code: the rules, pure. A person asks for a code with an address and an
 * assessment; if the assessment knows the address a 6-digit code is mailed; the code, posted
 * back, becomes an ordinary `ita_` token of the role the address holds.
 */

// ---------------------------------------------------------------- limits

export const SIGNIN_LIMITS = {
  /** How long a code works after it is issued. */
  codeTtlMs: 10 * 60 * 1000,
  /** Wrong tries that kill a code. */
  maxWrongTries: 5,
  /** Codes mailed to one address of one assessment per window; more are suppressed, not refused. */
  codesPerAddress: 3,
  addressWindowMs: 15 * 60 * 1000,
  /** Requests from one source address per window, each route counted apart; over them a 429. */
  codeRequestsPerSource: 30,
  sessionAttemptsPerSource: 30,
  sourceWindowMs: 15 * 60 * 1000,
  /** A signed-in token's life. */
  sessionMs: 12 * 60 * 60 * 1000,
} as const;

// ---------------------------------------------------------------- requests

export const CodeRequest = z.strictObject({
  email: z.pipe(Email, z.string().check(z.maxLength(120))),
  assessmentId: Slug,
});
export type CodeRequest = z.infer<typeof CodeRequest>;

export const SignInCode = z.string().check(z.regex(/^\d{6}$/, 'six digits'));

/** Signing in with a code; `role` (and `agencyId` for an agency) chooses among several roles. */
export const SessionRequest = z.strictObject({
  email: z.pipe(Email, z.string().check(z.maxLength(120))),
  assessmentId: Slug,
  code: SignInCode,
  role: z.optional(z.enum(['admin', 'agency', 'approver', 'viewer'])),
  agencyId: z.optional(Slug),
});
export type SessionRequest = z.infer<typeof SessionRequest>;

/** Addresses compare case-insensitively (mail systems treat them so in practice). */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

// ---------------------------------------------------------------- roles an address holds

export type SignInRole = 'admin' | 'agency' | 'approver' | 'viewer';

export const SignInChoice = z.strictObject({
  role: z.enum(['admin', 'agency', 'approver', 'viewer']),
  agencyId: z.optional(Slug),
  label: z.string(),
});
export type SignInChoice = z.infer<typeof SignInChoice>;

/** Who the assessment knows, by address: its agencies' contacts and the settings' lists. */
export type SignInDirectory = {
  assessmentId: string;
  /** The assessment as its emails name it, e.g. `จังหวัดพัทลุง ปีงบประมาณ พ.ศ. 2567`. */
  assessmentName: string;
  agencies: { id: string; nameTh: string; coordinatorEmail: string; headEmail: string }[];
  secretariatEmails: string[];
  viewerEmails: string[];
  approverEmails: string[];
};

export const ROLE_LABELS: Record<Exclude<SignInRole, 'agency'>, string> = {
  admin: 'ฝ่ายเลขานุการ',
  approver: 'ผู้อนุมัติ (ผู้ว่าราชการจังหวัดหรือผู้ที่ได้รับมอบหมาย)',
  viewer: 'ผู้ติดตามผล',
};

const ROLE_ORDER: Record<SignInRole, number> = { agency: 0, approver: 1, admin: 2, viewer: 3 };

/**
 * Every role the address holds in the assessment, agencies first (by id), then approver,
 * secretariat, viewer. An agency's coordinator or head acts for that agency.
 */
export const rolesOf = (directory: SignInDirectory, email: string): SignInChoice[] => {
  const address = normaliseEmail(email);
  const holds = (list: string[]) => list.some((e) => normaliseEmail(e) === address);
  const agencies = directory.agencies
    .filter((a) => normaliseEmail(a.coordinatorEmail) === address || normaliseEmail(a.headEmail) === address)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((a): SignInChoice => ({ role: 'agency', agencyId: a.id, label: a.nameTh }));
  const others = (['approver', 'admin', 'viewer'] as const)
    .filter((role) =>
      holds(
        role === 'approver'
          ? directory.approverEmails
          : role === 'admin'
            ? directory.secretariatEmails
            : directory.viewerEmails,
      ),
    )
    .map((role): SignInChoice => ({ role, label: ROLE_LABELS[role] }));
  return [...agencies, ...others].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
};

export type RoleDecision =
  | { kind: 'one'; choice: SignInChoice }
  | { kind: 'choose'; choices: SignInChoice[] }
  | { kind: 'refused' };

/**
 * One role held: that one. Several and none chosen: the choices. A choice the address does not
 * hold, or an address holding nothing: refused (the caller answers the generic 401).
 */
export const decideRole = (
  held: SignInChoice[],
  wanted: Pick<SessionRequest, 'role' | 'agencyId'>,
): RoleDecision => {
  if (held.length === 0) return { kind: 'refused' };
  if (!wanted.role)
    return held.length === 1 ? { kind: 'one', choice: held[0]! } : { kind: 'choose', choices: held };
  const match = held.find(
    (c) =>
      c.role === wanted.role && (c.role === 'agency' ? c.agencyId === wanted.agencyId : !wanted.agencyId),
  );
  return match ? { kind: 'one', choice: match } : { kind: 'refused' };
};

// ---------------------------------------------------------------- codes

/** A uniformly random 6-digit code (leading zeros kept). */
export const newSignInCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export const newCodeSalt = (): string => randomBytes(16).toString('hex');

/** The only form in which a code is stored: SHA-256 of a per-code salt and the code. */
export const hashSignInCode = (code: string, salt: string): string =>
  createHash('sha256').update(`${salt}:${code}`, 'utf8').digest('hex');

export const codeMatches = (code: string, stored: Pick<StoredSignInCode, 'codeHash' | 'salt'>): boolean => {
  const given = Buffer.from(hashSignInCode(code, stored.salt), 'hex');
  const expected = Buffer.from(stored.codeHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/** The one live code of an address in an assessment, with the send times the rate limit counts. */
export const StoredSignInCode = z.strictObject({
  assessmentId: Slug,
  email: Email,
  codeHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  salt: z.string().check(z.regex(/^[0-9a-f]{32}$/)),
  issuedAt: IsoDateTime,
  codeExpiresAt: IsoDateTime,
  tries: z.number().check(z.int(), z.gte(0)),
  usedAt: z.optional(IsoDateTime),
  /** The code request it answers: a redelivered request does not mail a second code. */
  requestId: z.string().check(z.minLength(1)),
  mailedAt: z.optional(IsoDateTime),
  /** Epoch ms of the codes mailed within the address window, this one included. */
  sends: z.array(z.number()),
});
export type StoredSignInCode = z.infer<typeof StoredSignInCode>;

export type CodeState = 'live' | 'expired' | 'used' | 'killed';

export const codeState = (code: StoredSignInCode, now: Date): CodeState => {
  if (code.usedAt) return 'used';
  if (code.tries >= SIGNIN_LIMITS.maxWrongTries) return 'killed';
  if (Date.parse(code.codeExpiresAt) <= now.getTime()) return 'expired';
  return 'live';
};

/** Sends still inside the address window at `now`. */
export const recentSends = (sends: readonly number[], now: Date): number[] =>
  sends.filter((at) => at > now.getTime() - SIGNIN_LIMITS.addressWindowMs);

export type IssueDecision =
  | { kind: 'issue'; sends: number[] }
  | { kind: 'suppress'; sends: number[] }
  | { kind: 'done' };

/**
 * Whether a code request gets a new code. The request already answered and mailed: done (a
 * redelivery). Answered but not mailed (the sender died between): a fresh code, not counted
 * again. Otherwise a new code while the window holds fewer than 3 sends, else suppressed.
 */
export const decideIssue = (
  current: StoredSignInCode | null,
  requestId: string,
  now: Date,
): IssueDecision => {
  const sends = recentSends(current?.sends ?? [], now);
  if (current && current.requestId === requestId)
    return current.mailedAt ? { kind: 'done' } : { kind: 'issue', sends };
  if (sends.length >= SIGNIN_LIMITS.codesPerAddress) return { kind: 'suppress', sends };
  return { kind: 'issue', sends: [...sends, now.getTime()] };
};

/** A new code record, replacing whatever code the address had. */
export const issuedCode = (
  input: {
    assessmentId: string;
    email: string;
    requestId: string;
    code: string;
    salt: string;
    sends: number[];
  },
  now: Date,
): StoredSignInCode => ({
  assessmentId: input.assessmentId,
  email: normaliseEmail(input.email),
  codeHash: hashSignInCode(input.code, input.salt),
  salt: input.salt,
  issuedAt: now.toISOString(),
  codeExpiresAt: new Date(now.getTime() + SIGNIN_LIMITS.codeTtlMs).toISOString(),
  tries: 0,
  requestId: input.requestId,
  sends: input.sends,
});

/** When the table may drop a code record: once neither the code nor its sends matter. */
export const codeRecordExpiry = (code: StoredSignInCode): number => {
  const lastSend = Math.max(Date.parse(code.issuedAt), ...code.sends);
  const until = Math.max(Date.parse(code.codeExpiresAt), lastSend + SIGNIN_LIMITS.addressWindowMs);
  return Math.ceil(until / 1000) + 60 * 60;
};

// ---------------------------------------------------------------- per-source limit

/** The fixed window a request falls in, and the seconds until it ends (Retry-After). */
export const sourceWindow = (now: Date): { start: number; retryAfterSeconds: number } => {
  const span = SIGNIN_LIMITS.sourceWindowMs;
  const start = Math.floor(now.getTime() / span) * span;
  return { start, retryAfterSeconds: Math.max(1, Math.ceil((start + span - now.getTime()) / 1000)) };
};

// ---------------------------------------------------------------- messages and tokens

/** The one answer to every well-formed code request, known address or not. */
export const CODE_ACCEPTED_MESSAGE =
  'หากอีเมลนี้ลงทะเบียนไว้กับการประเมิน ระบบได้ส่งรหัสเข้าสู่ระบบ 6 หลักไปแล้ว รหัสใช้ได้ 10 นาที / If this address is registered, a 6-digit code has been sent; it is valid for 10 minutes.';

/** The one answer to a wrong, expired, used or killed code, or an address the assessment does not know. */
export const INVALID_CODE_MESSAGE =
  'รหัสไม่ถูกต้องหรือหมดอายุแล้ว กรุณาขอรหัสใหม่แล้วลองอีกครั้ง / The code is not valid or has expired; ask for a new code and try again.';

export const TOO_MANY_REQUESTS_MESSAGE =
  'มีการขอเข้าสู่ระบบจากเครือข่ายนี้มากเกินไป กรุณารอสักครู่แล้วลองใหม่ / Too many sign-in requests from this network; wait and try again.';

/** Who issued a signed-in token (its `createdBy`, and the `tokenId` of its audit entries). */
export const signInIssuer = (email: string): string => `signin:${normaliseEmail(email)}`;

export const sessionExpiry = (now: Date): string =>
  new Date(now.getTime() + SIGNIN_LIMITS.sessionMs).toISOString();

/** `POST /auth/session` answers, and `GET /auth/session`. */
export const SessionAnswer = z.strictObject({
  token: z.string(),
  role: z.enum(['admin', 'agency', 'approver', 'viewer']),
  agencyId: z.optional(Slug),
  assessmentId: Slug,
  expiresAt: IsoDateTime,
  email: Email,
});
export const ChoicesAnswer = z.strictObject({ choices: z.array(SignInChoice) });
export const SessionView = z.strictObject({
  role: z.enum(['admin', 'agency', 'approver', 'viewer', 'feed']),
  agencyId: z.optional(Slug),
  assessmentId: z.union([Slug, z.literal('*')]),
  label: z.string(),
  expiresAt: z.nullable(IsoDateTime),
});
export type SessionView = z.infer<typeof SessionView>;
