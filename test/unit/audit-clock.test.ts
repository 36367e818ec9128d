import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '#domain/audit';
import { systemPrincipal } from '#domain/principal';
import { issueToken, revokeToken } from '#use-cases/tokens';

/** Issue 11 item 10: token lifetimes run on real time, their audit entries on the trail's one clock. */
describe('token audit entries', () => {
  it('take their time from the audit clock, the token its lifetime from real time', async () => {
    // Prepare: the local campaign clock stands in December 2566; real time is later.
    const real = new Date('2026-12-02T12:00:00.000Z');
    const campaign = new Date('2023-12-01T01:00:00.000Z');
    const audits: AuditEntry[] = [];
    const deps = {
      now: () => real,
      auditNow: () => campaign,
      assessments: { getWithPlan: async () => ({}) as never },
      agencies: { getDetail: async () => null },
      tokens: {
        create: async (_token: unknown, audit: AuditEntry) => void audits.push(audit),
        list: async () => [],
        revoke: async (_a: string, _t: string, _at: string, audit: AuditEntry) => {
          audits.push(audit);
          return { token: { id: 'tok-0000000000000000' } } as never;
        },
      },
    };

    // Act
    const issued = await issueToken(deps as never, systemPrincipal, {
      assessmentId: 'phatthalung-2567',
      request: { role: 'viewer', label: 'ผู้สังเกตการณ์', ttlDays: 30 },
      channel: 'api',
    });
    await revokeToken(deps as never, systemPrincipal, {
      assessmentId: 'phatthalung-2567',
      tokenId: 'tok-0000000000000000',
    }).catch(() => undefined);

    // Assess
    expect(issued.token.createdAt).toBe(real.toISOString());
    expect(audits.map((a) => a.at)).toEqual([campaign.toISOString(), campaign.toISOString()]);
  });
});
