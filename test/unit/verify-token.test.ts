import { describe, expect, it } from 'vitest';
import { hashToken, newTokenSecret, type StoredToken } from '#domain/auth';
import { verifyToken } from '#use-cases/verify-token';

const NOW = new Date('2024-03-01T03:00:00.000Z');

const stored = (secret: string, extra: Partial<StoredToken> = {}): StoredToken => ({
  id: 'tok-0123456789abcdef',
  hash: hashToken(secret),
  role: 'agency',
  assessmentId: 'phatthalung-2567',
  agencyId: 'pt-land',
  label: 'สำนักงานที่ดินจังหวัดพัทลุง',
  createdAt: '2024-01-01T00:00:00.000Z',
  createdBy: 'system',
  expiresAt: '2024-06-01T00:00:00.000Z',
  ...extra,
});

/** An in-memory token store that counts lookups, with a fixed clock. */
const depsWith = (...tokens: StoredToken[]) => {
  const lookups: string[] = [];
  return {
    lookups,
    deps: {
      tokens: {
        findByHash: async (hash: string) => {
          lookups.push(hash);
          return tokens.find((t) => t.hash === hash) ?? null;
        },
      },
      now: () => NOW,
    },
  };
};

describe('token verification', () => {
  it('accepts a valid token and returns its principal', async () => {
    // Prepare
    const secret = newTokenSecret();
    const { deps } = depsWith(stored(secret));

    // Act
    const result = await verifyToken(deps, secret);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      principal: {
        tokenId: 'tok-0123456789abcdef',
        role: 'agency',
        assessmentId: 'phatthalung-2567',
        agencyId: 'pt-land',
      },
    });
  });

  it('refuses malformed secrets without a lookup', async () => {
    // Prepare
    const { deps, lookups } = depsWith();
    const samples = [
      undefined,
      '',
      'ita_short',
      `xyz_${'a'.repeat(43)}`,
      `ita_${'a'.repeat(42)}!`,
      `${newTokenSecret()} `,
    ];

    // Act
    const results = await Promise.all(samples.map((s) => verifyToken(deps, s)));

    // Assess
    expect(results.map((r) => (r.ok ? 'ok' : r.failure))).toEqual(Array(samples.length).fill('malformed'));
    expect(lookups).toEqual([]);
  });

  it('calls a well-formed secret that matches no hash unknown (forged)', async () => {
    // Prepare
    const { deps, lookups } = depsWith(stored(newTokenSecret()));
    const forged = newTokenSecret();

    // Act
    const result = await verifyToken(deps, forged);

    // Assess
    expect(result).toEqual({ ok: false, failure: 'unknown' });
    expect(lookups).toEqual([hashToken(forged)]);
  });

  it('refuses a token at and after its expiry instant, not before', async () => {
    // Prepare
    const [before, at, after] = [newTokenSecret(), newTokenSecret(), newTokenSecret()];
    const { deps } = depsWith(
      stored(before, { expiresAt: '2024-03-01T03:00:00.001Z' }),
      stored(at, { expiresAt: NOW.toISOString() }),
      stored(after, { expiresAt: '2024-02-29T03:00:00.000Z' }),
    );

    // Act
    const results = await Promise.all([before, at, after].map((s) => verifyToken(deps, s)));

    // Assess
    expect(results.map((r) => (r.ok ? 'ok' : r.failure))).toEqual(['ok', 'expired', 'expired']);
  });

  it('refuses a revoked token, and says revoked even when it has also expired', async () => {
    // Prepare
    const [revoked, both] = [newTokenSecret(), newTokenSecret()];
    const { deps } = depsWith(
      stored(revoked, { revokedAt: '2024-02-01T00:00:00.000Z' }),
      stored(both, { revokedAt: '2024-02-01T00:00:00.000Z', expiresAt: '2024-02-02T00:00:00.000Z' }),
    );

    // Act
    const results = await Promise.all([revoked, both].map((s) => verifyToken(deps, s)));

    // Assess
    expect(results.map((r) => (r.ok ? 'ok' : r.failure))).toEqual(['revoked', 'revoked']);
  });

  it('never stores or compares the secret itself: the hash is SHA-256 hex of it', () => {
    // Prepare
    const secret = newTokenSecret();

    // Act
    const hash = hashToken(secret);

    // Assess
    expect(secret).toMatch(/^ita_[A-Za-z0-9_-]{43}$/);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret.slice(4));
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
