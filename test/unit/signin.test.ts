import { describe, expect, it } from 'vitest';
import { signInCodeEmail, signInUrl } from '#domain/emails/signin-code';
import {
  CodeRequest,
  codeMatches,
  codeState,
  decideIssue,
  decideRole,
  hashSignInCode,
  issuedCode,
  newSignInCode,
  rolesOf,
  SessionRequest,
  SIGNIN_LIMITS,
  type SignInDirectory,
  sourceWindow,
} from '#domain/signin';

const directory: SignInDirectory = {
  assessmentId: 'phatthalung-2567',
  assessmentName: 'จังหวัดพัทลุง ปีงบประมาณ พ.ศ. 2567',
  agencies: [
    {
      id: 'pt-treasury',
      nameTh: 'สำนักงานคลังจังหวัดพัทลุง',
      coordinatorEmail: 'ita@x.org',
      headEmail: 'head@x.org',
    },
    { id: 'pt-land', nameTh: 'สำนักงานที่ดินจังหวัดพัทลุง', coordinatorEmail: 'land@x.org', headEmail: 'ITA@x.org' },
  ],
  secretariatEmails: ['sec@x.org'],
  viewerEmails: ['sec@x.org', 'watch@x.org'],
  approverEmails: ['gov@x.org'],
};

const NOW = new Date('2024-02-15T01:30:00.000Z');

const stored = (overrides: Partial<ReturnType<typeof issuedCode>> = {}) => ({
  ...issuedCode(
    {
      assessmentId: 'phatthalung-2567',
      email: 'ita@x.org',
      requestId: 'r1',
      code: '012345',
      salt: '0'.repeat(32),
      sends: [NOW.getTime()],
    },
    NOW,
  ),
  ...overrides,
});

describe('the roles an address holds', () => {
  it('finds every agency the address is coordinator or head of, case-insensitively, agencies first', () => {
    // Act
    const roles = rolesOf(directory, 'Ita@X.org');

    // Assess
    expect(roles).toEqual([
      { role: 'agency', agencyId: 'pt-land', label: 'สำนักงานที่ดินจังหวัดพัทลุง' },
      { role: 'agency', agencyId: 'pt-treasury', label: 'สำนักงานคลังจังหวัดพัทลุง' },
    ]);
  });

  it('gives the secretariat, viewer and approver roles from the settings, with Thai labels', () => {
    // Act
    const secretariat = rolesOf(directory, 'sec@x.org');
    const approver = rolesOf(directory, 'gov@x.org');
    const nobody = rolesOf(directory, 'stranger@x.org');

    // Assess
    expect(secretariat).toEqual([
      { role: 'admin', label: 'ฝ่ายเลขานุการ' },
      { role: 'viewer', label: 'ผู้ติดตามผล' },
    ]);
    expect(approver.map((r) => r.role)).toEqual(['approver']);
    expect(nobody).toEqual([]);
  });

  it('takes the one role held, offers the choices for several, and refuses a choice not held', () => {
    // Prepare
    const several = rolesOf(directory, 'ita@x.org');
    const one = rolesOf(directory, 'gov@x.org');

    // Act
    const decisions = [
      decideRole(one, {}),
      decideRole(several, {}),
      decideRole(several, { role: 'agency', agencyId: 'pt-land' }),
      decideRole(several, { role: 'agency', agencyId: 'pt-other' }),
      decideRole(several, { role: 'admin' }),
      decideRole(one, { role: 'approver', agencyId: 'pt-land' }),
      decideRole([], {}),
    ];

    // Assess
    expect(decisions.map((d) => d.kind)).toEqual([
      'one',
      'choose',
      'one',
      'refused',
      'refused',
      'refused',
      'refused',
    ]);
    expect(decisions[2]).toEqual({
      kind: 'one',
      choice: { role: 'agency', agencyId: 'pt-land', label: 'สำนักงานที่ดินจังหวัดพัทลุง' },
    });
  });
});

describe('codes', () => {
  it('are six digits, stored only as a salted hash that matches the code alone', () => {
    // Prepare
    const codes = Array.from({ length: 200 }, newSignInCode);
    const code = stored();

    // Act
    const right = codeMatches('012345', code);
    const wrong = codeMatches('012346', code);

    // Assess
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(150);
    expect(JSON.stringify(code)).not.toContain('012345');
    expect(code.codeHash).not.toBe(hashSignInCode('012345', '1'.repeat(32)));
    expect([right, wrong]).toEqual([true, false]);
  });

  it('live for 10 minutes, then expired; used, and killed after 5 wrong tries, whatever the time', () => {
    // Prepare
    const at = (ms: number) => new Date(NOW.getTime() + ms);

    // Act
    const states = [
      codeState(stored(), at(SIGNIN_LIMITS.codeTtlMs - 1)),
      codeState(stored(), at(SIGNIN_LIMITS.codeTtlMs)),
      codeState(stored({ usedAt: NOW.toISOString() }), NOW),
      codeState(stored({ tries: 4 }), NOW),
      codeState(stored({ tries: 5 }), NOW),
    ];

    // Assess
    expect(states).toEqual(['live', 'expired', 'used', 'live', 'killed']);
  });

  it('at most 3 per address in 15 minutes; the 4th is suppressed until the first leaves the window', () => {
    // Prepare
    const minute = 60_000;
    const three = stored({ requestId: 'r3', sends: [0, 5, 10].map((m) => NOW.getTime() + m * minute) });
    const later = (m: number) => new Date(NOW.getTime() + m * minute);

    // Act
    const fourth = decideIssue(three, 'r4', later(14));
    const afterWindow = decideIssue(three, 'r4', later(15));

    // Assess
    expect(fourth.kind).toBe('suppress');
    expect(afterWindow).toEqual({ kind: 'issue', sends: [5, 10, 15].map((m) => NOW.getTime() + m * minute) });
  });

  it('a redelivered request sends nothing once mailed, and a fresh code (not counted again) if it was not', () => {
    // Act
    const mailed = decideIssue(stored({ mailedAt: NOW.toISOString() }), 'r1', NOW);
    const notMailed = decideIssue(stored(), 'r1', NOW);

    // Assess
    expect(mailed).toEqual({ kind: 'done' });
    expect(notMailed).toEqual({ kind: 'issue', sends: [NOW.getTime()] });
  });

  it('counts each source in fixed 15-minute windows and says how long until the next', () => {
    // Act
    const window = sourceWindow(new Date('2024-02-15T01:31:00.000Z'));

    // Assess
    expect(new Date(window.start).toISOString()).toBe('2024-02-15T01:30:00.000Z');
    expect(window.retryAfterSeconds).toBe(14 * 60);
  });
});

describe('requests', () => {
  it('refuse what is not an email, unknown fields and codes that are not six digits', () => {
    // Act
    const results = [
      CodeRequest.safeParse({ email: 'ita@x.org', assessmentId: 'phatthalung-2567' }).success,
      CodeRequest.safeParse({ email: 'not-an-email', assessmentId: 'phatthalung-2567' }).success,
      CodeRequest.safeParse({ email: 'ita@x.org', assessmentId: 'phatthalung-2567', role: 'admin' }).success,
      SessionRequest.safeParse({ email: 'ita@x.org', assessmentId: 'p', code: '12345' }).success,
      SessionRequest.safeParse({ email: 'ita@x.org', assessmentId: 'p', code: '123456', role: 'feed' })
        .success,
      SessionRequest.safeParse({
        email: 'ita@x.org',
        assessmentId: 'p',
        code: '123456',
        role: 'agency',
        agencyId: 'a',
      }).success,
    ];

    // Assess
    expect(results).toEqual([true, false, false, false, false, true]);
  });
});

describe('the code email', () => {
  it('is Thai, with the code, the assessment, the time in BE (Bangkok), the validity and "ignore if not you"', () => {
    // Act
    const mail = signInCodeEmail({
      code: '048213',
      assessmentName: 'จังหวัดพัทลุง ปีงบประมาณ พ.ศ. 2567',
      issuedAt: '2024-02-15T01:30:00.000Z',
      expiresAt: '2024-02-15T01:40:00.000Z',
      signInUrl: signInUrl('http://127.0.0.1:3000/', 'phatthalung-2567'),
    });

    // Assess
    expect(mail.subject).toBe('รหัสเข้าสู่ระบบ ITA: 048213');
    expect(mail.text).toContain('048213');
    expect(mail.text).toContain('จังหวัดพัทลุง ปีงบประมาณ พ.ศ. 2567');
    expect(mail.text).toContain('15 ก.พ. 2567 08:30 น.');
    expect(mail.text).toContain('ใช้ได้ 10 นาที ถึง 15 ก.พ. 2567 08:40 น.');
    expect(mail.text).toContain('หากท่านไม่ได้ขอรหัสนี้ โปรดเพิกเฉย');
    expect(mail.html).toContain('href="http://127.0.0.1:3000/#/phatthalung-2567/signin"');
  });
});
