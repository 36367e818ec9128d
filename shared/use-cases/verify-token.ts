import type { StoredToken } from '#domain/auth';
import { hashToken, isWellFormedToken } from '#domain/auth';
import type { AuthFailure, Principal } from '#domain/principal';

export type VerifyTokenDeps = {
  tokens: { findByHash(hash: string): Promise<StoredToken | null> };
  now: () => Date;
};

export type Verification =
  | { ok: true; principal: Principal; token: StoredToken }
  | { ok: false; failure: Exclude<AuthFailure, 'not-feed'> };

/**
 * Checks a presented secret: its shape first (a malformed one costs no read), then the one
 * GetItem by hash. A well-formed secret that matches nothing is forged or mistyped: `unknown`.
 * Revocation is reported before expiry, since it is the more deliberate of the two.
 */
export const verifyToken = async (
  deps: VerifyTokenDeps,
  secret: string | undefined,
): Promise<Verification> => {
  if (!secret || !isWellFormedToken(secret)) return { ok: false, failure: 'malformed' };
  const token = await deps.tokens.findByHash(hashToken(secret));
  if (!token) return { ok: false, failure: 'unknown' };
  if (token.revokedAt) return { ok: false, failure: 'revoked' };
  if (Date.parse(token.expiresAt) <= deps.now().getTime()) return { ok: false, failure: 'expired' };
  return {
    ok: true,
    token,
    principal: {
      tokenId: token.id,
      role: token.role,
      assessmentId: token.assessmentId,
      ...(token.agencyId ? { agencyId: token.agencyId } : {}),
      issuedBy: token.createdBy,
    },
  };
};
