import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { IsoDateTime, Slug, ThaiName } from './primitives.ts';
import { Role } from './principal.ts';

// ---------------------------------------------------------------- bearer tokens

/** Every secret starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'ita_';

/** `ita_` and 32 random bytes in base64url (43 characters, no padding). */
const TOKEN_SHAPE = /^ita_[A-Za-z0-9_-]{43}$/;

export const isWellFormedToken = (secret: string): boolean => TOKEN_SHAPE.test(secret);

export const newTokenSecret = (): string => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

/** Token ids are public (listings, audit entries): they say which token, never open anything. */
export const newTokenId = (): string => `tok-${randomBytes(8).toString('hex')}`;

/** The only form in which a secret is stored: lower-case hex SHA-256. */
export const hashToken = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

export const TokenHash = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash in lower-case hex'));

/** A role may be bound to one agency only when it acts for that agency (agency) or reads its calendar (feed). */
const agencyBinding = (
  token: { role: Role; agencyId?: string | undefined; assessmentId?: string },
  ctx: z.core.$RefinementCtx,
) => {
  if (token.role === 'agency' && !token.agencyId)
    ctx.addIssue({
      code: 'custom',
      path: ['agencyId'],
      message: 'an agency token needs the agency it acts for',
    });
  if (token.role !== 'agency' && token.role !== 'feed' && token.agencyId)
    ctx.addIssue({
      code: 'custom',
      path: ['agencyId'],
      message: `a ${token.role} token is not bound to an agency`,
    });
  if (token.assessmentId === '*' && token.role !== 'admin')
    ctx.addIssue({
      code: 'custom',
      path: ['assessmentId'],
      message: 'only an admin token may span assessments',
    });
};

/**
 * A stored bearer token. The secret itself is never stored: only its hash, which is also the
 * lookup key. Expired and revoked tokens are kept (not deleted) so a caller gets a precise 401.
 */
export const StoredToken = z
  .strictObject({
    id: z.string().check(z.regex(/^tok-[0-9a-f]{16}$/)),
    hash: TokenHash,
    role: Role,
    assessmentId: z.union([Slug, z.literal('*')]),
    agencyId: z.optional(Slug),
    label: z.pipe(ThaiName, z.string().check(z.maxLength(120))),
    createdAt: IsoDateTime,
    createdBy: z.string().check(z.minLength(1)),
    expiresAt: IsoDateTime,
    revokedAt: z.optional(IsoDateTime),
  })
  .check(z.superRefine(agencyBinding));
export type StoredToken = z.infer<typeof StoredToken>;

/** What a listing shows: never the secret, never the hash. */
export type TokenView = Omit<StoredToken, 'hash'> & { status: 'active' | 'expired' | 'revoked' };

export const tokenView = ({ hash: _hash, ...token }: StoredToken, now: Date): TokenView => ({
  ...token,
  status: token.revokedAt ? 'revoked' : Date.parse(token.expiresAt) <= now.getTime() ? 'expired' : 'active',
});

/**
 * Roles only an operator issues (the token CLI, which writes to the table with AWS credentials):
 * the approver reviews evidence, so the secretariat must not be able to mint itself one.
 */
export const OPERATOR_ONLY_ROLES: readonly Role[] = ['approver'];

/**
 * How a token is being issued: through the admin API, by an operator outside it, by a sign-in
 * with an emailed code (which may yield an approver token: the operator designated the address),
 * or by an agency's own calendar link (a `feed` token only, no expiry: see `calendarFeedLabel`).
 */
export type TokenChannel = 'api' | 'operator' | 'signin' | 'calendar';

/**
 * A calendar link's token never expires: calendar apps poll for months and nobody renews a
 * subscription. It is cut off by revocation, which the next link for the same agency does.
 */
export const NEVER_EXPIRES = '9999-12-31T23:59:59.999Z';

/** The label that marks an agency's own calendar link (one live per agency), not a secretariat-made feed token. */
export const calendarFeedLabel = (agencyId: string): string => `calendar:${agencyId}`;

/** The answer of POST …/agencies/{agencyId}/calendar-feed: the link (shown once) and how many earlier links it stopped. */
export const CalendarFeedLink = z.strictObject({
  url: z.string().check(z.url()),
  createdAt: IsoDateTime,
  revoked: z.number().check(z.int(), z.gte(0)),
});
export type CalendarFeedLink = z.infer<typeof CalendarFeedLink>;

/** The longest a token may live; a forgotten token should not open the API for years. */
export const MAX_TOKEN_DAYS = 400;
export const DEFAULT_TOKEN_DAYS = 90;

/** POST /assessments/{id}/tokens. The token is bound to the assessment in the path. */
export const CreateTokenRequest = z
  .strictObject({
    role: Role,
    agencyId: z.optional(Slug),
    label: z.pipe(ThaiName, z.string().check(z.maxLength(120))),
    expiresAt: z.optional(IsoDateTime),
    ttlDays: z.optional(z.number().check(z.int(), z.gte(1), z.lte(MAX_TOKEN_DAYS))),
  })
  .check(
    z.superRefine((request, ctx) => {
      agencyBinding(request, ctx);
      if (request.expiresAt && request.ttlDays !== undefined)
        ctx.addIssue({ code: 'custom', path: ['ttlDays'], message: 'give expiresAt or ttlDays, not both' });
    }),
  );
export type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;
