import { describe, expect, it } from 'vitest';
import { checkAddresses } from '#domain/link-guard';
import {
  evidenceLinks,
  type LinkCheckResult,
  type LinkHealth,
  nextLinkHealth,
  softNotFound,
  uncheckedLink,
} from '#domain/link-watch';

const URL_O1 = 'https://pt-land.example.org/ita/o1';
const gone: LinkCheckResult = {
  outcome: 'failed',
  error: 'http_status',
  status: 404,
  finalUrl: URL_O1,
  redirects: 0,
};
const ok: LinkCheckResult = { outcome: 'alive', status: 200, finalUrl: URL_O1, redirects: 0 };
const blocked: LinkCheckResult = {
  outcome: 'blocked',
  error: 'address_not_public',
  detail: '10.0.0.1 is private',
  finalUrl: URL_O1,
  redirects: 0,
};

/** Runs checks in order from an unchecked link; returns every step's state and dead delta. */
const run = (steps: ReadonlyArray<[LinkCheckResult, string]>) => {
  let health: LinkHealth = uncheckedLink(URL_O1);
  return steps.map(([result, at]) => {
    const next = nextLinkHealth(health, result, at);
    health = next.health;
    return [next.health.state, next.deadDelta] as const;
  });
};

describe('link state: dead only after failing two checks at least 24 hours apart', () => {
  it('fails, then dies on a failure 24 hours after the first, counted once', () => {
    // Act
    const states = run([
      [gone, '2024-04-01T01:30:00Z'],
      [gone, '2024-04-01T13:30:00Z'],
      [gone, '2024-04-02T01:30:00Z'],
      [gone, '2024-04-03T01:30:00Z'],
    ]);

    // Assess
    expect(states).toEqual([
      ['failing', 0],
      ['failing', 0],
      ['dead', 1],
      ['dead', 0],
    ]);
  });

  it('does not die on two failures 23 hours 59 minutes apart', () => {
    // Act
    const states = run([
      [gone, '2024-04-01T01:30:00Z'],
      [gone, '2024-04-02T01:29:00Z'],
    ]);

    // Assess
    expect(states.at(-1)).toEqual(['failing', 0]);
  });

  it('is alive again at the first success, and a success between failures restarts the count', () => {
    // Act
    const states = run([
      [gone, '2024-04-01T01:30:00Z'],
      [ok, '2024-04-01T20:00:00Z'],
      [gone, '2024-04-02T01:30:00Z'],
      [gone, '2024-04-03T01:00:00Z'],
      [gone, '2024-04-03T01:30:00Z'],
      [ok, '2024-04-04T01:30:00Z'],
    ]);

    // Assess
    expect(states).toEqual([
      ['failing', 0],
      ['alive', 0],
      ['failing', 0],
      ['failing', 0],
      ['dead', 1],
      ['alive', -1],
    ]);
  });

  it('keeps the moment it died while it stays dead, and records the last error', () => {
    // Prepare
    const first = nextLinkHealth(uncheckedLink(URL_O1), gone, '2024-04-01T01:30:00Z').health;
    const dead = nextLinkHealth(first, gone, '2024-04-02T01:30:00Z').health;

    // Act
    const later = nextLinkHealth(
      dead,
      { outcome: 'failed', error: 'timeout', finalUrl: URL_O1, redirects: 0 },
      '2024-04-05T01:30:00Z',
    ).health;

    // Assess
    expect(later).toMatchObject({
      state: 'dead',
      deadSince: '2024-04-02T01:30:00Z',
      failingSince: '2024-04-01T01:30:00Z',
      consecutiveFailures: 3,
      error: 'timeout',
    });
  });

  it('a blocked link is never dead; a dead link that becomes blocked leaves the dead count', () => {
    // Act
    const states = run([
      [blocked, '2024-04-01T01:30:00Z'],
      [gone, '2024-04-02T01:30:00Z'],
      [gone, '2024-04-03T01:30:00Z'],
      [blocked, '2024-04-04T01:30:00Z'],
    ]);

    // Assess
    expect(states).toEqual([
      ['blocked', 0],
      ['failing', 0],
      ['dead', 1],
      ['blocked', -1],
    ]);
  });
});

describe('soft 404', () => {
  it.each([
    ['<title>ไม่พบหน้าที่คุณต้องการ</title>', 'ไม่พบหน้า'],
    ['<title>หน่วยงาน</title><h1 class="x">ขออภัย ไม่พบเพจนี้</h1>', 'ไม่พบเพจ'],
    ['<TITLE>404 - Page Not Found</TITLE>', 'page not found'],
    ['<h1>The page you requested <b>could not be found</b></h1>', 'could not be found'],
    ['<title>Error 404</title>', 'error 404'],
  ])('recognises %s', (html, phrase) => {
    // Act
    const found = softNotFound(html);

    // Assess
    expect(found).toBe(phrase);
  });

  it.each([
    '<title>แผนการจัดซื้อจัดจ้าง ปี 2567</title><h1>ประกาศ</h1>',
    '<title>ITA</title><p>not found in the body text only</p>',
    '<title>รายงานผล 404 รายการ</title>',
  ])('leaves an ordinary page alone: %s', (html) => {
    // Act
    const found = softNotFound(html);

    // Assess
    expect(found).toBeUndefined();
  });
});

describe('link guard: no answer', () => {
  it('reports a host without answers as outside loopback locally and as no address in public', () => {
    // Act
    const local = checkAddresses([], 'loopback', 'pt-land.example.org');
    const deployed = checkAddresses([], 'public', 'pt-land.example.org');

    // Assess
    expect(local).toMatchObject({
      reason: 'outside_loopback',
      detail: 'local: outside loopback (pt-land.example.org)',
    });
    expect(deployed).toMatchObject({ reason: 'no_address' });
  });
});

describe('link views', () => {
  it('shows each evidence URL in order with its health, unchecked until a check is stored, errors in Thai', () => {
    // Prepare
    const dead = nextLinkHealth(
      nextLinkHealth(uncheckedLink(URL_O1), gone, '2024-04-01T01:30:00Z').health,
      gone,
      '2024-04-02T01:30:00Z',
    ).health;
    const other = 'https://pt-land.example.org/ita/o1-annex';

    // Act
    const views = evidenceLinks([other, URL_O1], new Map([[URL_O1, dead]]));

    // Assess
    expect(views).toEqual([
      { url: other, state: 'unchecked', stateTh: 'ยังไม่ได้ตรวจ', consecutiveFailures: 0 },
      {
        url: URL_O1,
        state: 'dead',
        stateTh: 'ลิงก์เสีย',
        status: 404,
        error: 'http_status',
        errorTh: 'เว็บไซต์ตอบกลับว่าไม่พบหน้าหรือเกิดข้อผิดพลาด',
        finalUrl: URL_O1,
        checkedAt: '2024-04-02T01:30:00Z',
        consecutiveFailures: 2,
        deadSince: '2024-04-02T01:30:00Z',
      },
    ]);
  });
});
