import * as z from 'zod/mini';
import type { StoredToken } from './auth.ts';
import { Email, IsoDateTime, Slug } from './primitives.ts';
import { normaliseEmail, rolesOf, SignInChoice, type SignInDirectory, signInIssuer } from './signin.ts';

/**
 * Who can sign in to an assessment and as what (the secretariat's People page): derived, never
 * stored. The roles come from the same directory and rule as sign-in (`rolesOf`), so the page
 * cannot disagree with what a code would open; the last sign-in is the item sign-in records in
 * its transaction; the sessions are the assessment's live tokens that sign-in issued.
 */

/** The item sign-in writes with every token it issues (`SIGNIN#<aid>` / `LAST#<address>`). */
export const LastSignIn = z.object({
  assessmentId: Slug,
  email: Email,
  at: IsoDateTime,
  role: SignInChoice.shape.role,
  agencyId: z.optional(Slug),
  tokenId: z.string(),
});
export type LastSignIn = z.infer<typeof LastSignIn>;

/** A role as the page shows it; for an agency, whether the address is its coordinator, its head, or both. */
export const PersonRole = z.extend(SignInChoice, {
  contact: z.optional(z.array(z.enum(['coordinator', 'head']))),
});
export type PersonRole = z.infer<typeof PersonRole>;

/** A live sign-in token of the address: what `DELETE …/tokens/{tokenId}` revokes. */
export const PersonSession = z.strictObject({
  tokenId: z.string(),
  role: SignInChoice.shape.role,
  agencyId: z.optional(Slug),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
});
export type PersonSession = z.infer<typeof PersonSession>;

export const Person = z.strictObject({
  email: Email,
  /** Empty for an address that signed in once and holds nothing now (its live sessions still listed). */
  roles: z.array(PersonRole),
  lastSignIn: z.nullable(
    z.strictObject({ at: IsoDateTime, role: SignInChoice.shape.role, agencyId: z.optional(Slug) }),
  ),
  sessions: z.array(PersonSession),
});
export type Person = z.infer<typeof Person>;

export const PeopleAnswer = z.strictObject({ assessmentId: Slug, people: z.array(Person) });
export type PeopleAnswer = z.infer<typeof PeopleAnswer>;

const contactsOf = (directory: SignInDirectory, email: string, agencyId: string) => {
  const agency = directory.agencies.find((a) => a.id === agencyId);
  if (!agency) return [];
  return (['coordinator', 'head'] as const).filter(
    (kind) => normaliseEmail(kind === 'coordinator' ? agency.coordinatorEmail : agency.headEmail) === email,
  );
};

/** A sign-in token still working at `now`: issued by sign-in for the address, not revoked, not expired. */
const liveSessionsOf = (tokens: readonly StoredToken[], email: string, now: Date): PersonSession[] =>
  tokens
    .filter(
      (t) => t.createdBy === signInIssuer(email) && !t.revokedAt && Date.parse(t.expiresAt) > now.getTime(),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((t) => ({
      tokenId: t.id,
      role: t.role as PersonSession['role'],
      ...(t.agencyId ? { agencyId: t.agencyId } : {}),
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
    }));

/**
 * Everyone the directory names (lists with the deployment's fallbacks already applied), plus any
 * address that signed in before and holds nothing now, so a leftover live session can still be
 * revoked. Sorted: secretariat, approver and viewer addresses first, then agencies by id, then
 * the addresses holding nothing; ties by address.
 */
export const peopleOf = (
  directory: SignInDirectory,
  lastSignIns: readonly LastSignIn[],
  tokens: readonly StoredToken[],
  now: Date,
): Person[] => {
  const addresses = new Set<string>(
    [
      ...directory.secretariatEmails,
      ...directory.approverEmails,
      ...directory.viewerEmails,
      ...directory.agencies.flatMap((a) => [a.coordinatorEmail, a.headEmail]),
      ...lastSignIns.map((l) => l.email),
    ].map(normaliseEmail),
  );
  const lastByEmail = new Map(lastSignIns.map((l) => [normaliseEmail(l.email), l]));
  const people = [...addresses].map((email): Person => {
    const last = lastByEmail.get(email);
    return {
      email,
      roles: rolesOf(directory, email).map((choice) =>
        choice.role === 'agency' && choice.agencyId
          ? { ...choice, contact: contactsOf(directory, email, choice.agencyId) }
          : choice,
      ),
      lastSignIn: last
        ? { at: last.at, role: last.role, ...(last.agencyId ? { agencyId: last.agencyId } : {}) }
        : null,
      sessions: liveSessionsOf(tokens, email, now),
    };
  });
  const rank = (p: Person): string => {
    const held = new Set(p.roles.map((r) => r.role));
    if (held.has('admin')) return '1';
    if (held.has('approver')) return '2';
    if (held.has('viewer')) return '3';
    const agency = p.roles.find((r) => r.role === 'agency');
    return agency ? `5${agency.agencyId ?? ''}` : '9';
  };
  return people.sort((a, b) => rank(a).localeCompare(rank(b)) || a.email.localeCompare(b.email));
};
