import * as z from 'zod/mini';
import { IsoDateTime, Slug } from './primitives.ts';
import { Role } from './principal.ts';

/** One recorded write: who, when, what, and the fields it changed. */
export const AuditEntry = z.strictObject({
  id: z.string().check(z.minLength(1)),
  at: IsoDateTime,
  assessmentId: Slug,
  agencyId: z.optional(Slug),
  tokenId: z.string(),
  /** Who issued that token (its `createdBy`), so "who stood behind this token" is one read. */
  issuedBy: z.optional(z.string()),
  role: Role,
  action: z.string().check(z.minLength(1)),
  target: z.string().check(z.minLength(1)),
  changes: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Builds the audit entry of a write by `principal`; the id is random so two writes at one instant never collide. */
export const auditEntry = (
  principal: { tokenId: string; role: AuditEntry['role']; issuedBy?: string | undefined },
  write: Pick<AuditEntry, 'assessmentId' | 'agencyId' | 'action' | 'target' | 'changes'>,
  at: string,
): AuditEntry => ({
  id: crypto.randomUUID(),
  at,
  tokenId: principal.tokenId,
  ...(principal.issuedBy ? { issuedBy: principal.issuedBy } : {}),
  role: principal.role,
  ...write,
  ...(write.agencyId ? { agencyId: write.agencyId } : {}),
});
