import { describe, expect, it } from 'vitest';
import type { StoredToken } from '#domain/auth';
import { type LastSignIn, peopleOf } from '#domain/people';
import type { SignInDirectory } from '#domain/signin';

const NOW = new Date('2024-01-10T03:00:00.000Z');
const AID = 'people-2567';

const directory: SignInDirectory = {
  assessmentId: AID,
  assessmentName: 'จังหวัดตัวอย่าง ปีงบประมาณ พ.ศ. 2567',
  agencies: [
    { id: 'a2', nameTh: 'หน่วยงานสอง', coordinatorEmail: 'Both@Example.org', headEmail: 'both@example.org' },
    { id: 'a1', nameTh: 'หน่วยงานหนึ่ง', coordinatorEmail: 'c1@example.org', headEmail: 'h1@example.org' },
  ],
  secretariatEmails: ['sec@example.org'],
  viewerEmails: ['sec@example.org', 'viewer@example.org'],
  approverEmails: ['gov@example.org'],
};

const token = (id: string, email: string, changes: Partial<StoredToken> = {}): StoredToken => ({
  id,
  hash: 'a'.repeat(64),
  role: 'agency',
  assessmentId: AID,
  agencyId: 'a1',
  label: email,
  createdAt: '2024-01-10T01:00:00.000Z',
  createdBy: `signin:${email}`,
  expiresAt: '2024-01-10T13:00:00.000Z',
  ...changes,
});

const last = (email: string, at: string): LastSignIn => ({
  assessmentId: AID,
  email,
  at,
  role: 'agency',
  agencyId: 'a1',
  tokenId: 'tok-0000000000000001',
});

describe('peopleOf', () => {
  it('names every address once, with its roles, the agency contact it is, and the secretariat first', () => {
    // Act
    const people = peopleOf(directory, [], [], NOW);

    // Assess
    expect(people.map((p) => p.email)).toEqual([
      'sec@example.org',
      'gov@example.org',
      'viewer@example.org',
      'c1@example.org',
      'h1@example.org',
      'both@example.org',
    ]);
    expect(people[0]?.roles.map((r) => r.role)).toEqual(['admin', 'viewer']);
    expect(people.find((p) => p.email === 'both@example.org')?.roles).toEqual([
      { role: 'agency', agencyId: 'a2', label: 'หน่วยงานสอง', contact: ['coordinator', 'head'] },
    ]);
    expect(people.every((p) => p.lastSignIn === null && p.sessions.length === 0)).toBe(true);
  });

  it('lists only live sign-in tokens of the address as sessions, newest first', () => {
    // Prepare
    const tokens = [
      token('tok-0000000000000001', 'c1@example.org'),
      token('tok-0000000000000002', 'c1@example.org', { createdAt: '2024-01-10T02:00:00.000Z' }),
      token('tok-0000000000000003', 'c1@example.org', { revokedAt: '2024-01-10T02:30:00.000Z' }),
      token('tok-0000000000000004', 'c1@example.org', { expiresAt: '2024-01-10T03:00:00.000Z' }),
      token('tok-0000000000000005', 'c1@example.org', { createdBy: 'tok-00000000000000ff' }),
    ];

    // Act
    const c1 = peopleOf(directory, [], tokens, NOW).find((p) => p.email === 'c1@example.org');

    // Assess
    expect(c1?.sessions.map((s) => s.tokenId)).toEqual(['tok-0000000000000002', 'tok-0000000000000001']);
    expect(c1?.sessions[0]).toEqual({
      tokenId: 'tok-0000000000000002',
      role: 'agency',
      agencyId: 'a1',
      createdAt: '2024-01-10T02:00:00.000Z',
      expiresAt: '2024-01-10T13:00:00.000Z',
    });
  });

  it('keeps an address that signed in before and holds nothing now, last, so its live session can be ended', () => {
    // Prepare
    const gone = 'former@example.org';

    // Act
    const people = peopleOf(
      directory,
      [last(gone, '2024-01-09T02:00:00.000Z'), last('c1@example.org', '2024-01-10T01:00:00.000Z')],
      [token('tok-0000000000000009', gone)],
      NOW,
    );

    // Assess
    expect(people.at(-1)).toEqual({
      email: gone,
      roles: [],
      lastSignIn: { at: '2024-01-09T02:00:00.000Z', role: 'agency', agencyId: 'a1' },
      sessions: [expect.objectContaining({ tokenId: 'tok-0000000000000009' })],
    });
    expect(people.find((p) => p.email === 'c1@example.org')?.lastSignIn?.at).toBe('2024-01-10T01:00:00.000Z');
  });
});
