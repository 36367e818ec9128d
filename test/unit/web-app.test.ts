import { describe, expect, it } from 'vitest';
import { ApiError, newIdempotencyKey } from '../../web/src/api.ts';
import { thaiError } from '../../web/src/messages.ts';
import { parseRoute, routeHash } from '../../web/src/route.ts';

describe('the web app’s hash routes', () => {
  it('reads each page’s route and writes it back the same', () => {
    // Prepare
    const hashes = [
      '#/phatthalung-2567/signin',
      '#/phatthalung-2567/agency/pt-treasury',
      '#/phatthalung-2567/review',
      '#/phatthalung-2567/dashboard',
    ];

    // Act
    const routes = hashes.map(parseRoute);

    // Assess
    expect(routes.map((r) => r.page)).toEqual(['signin', 'agency', 'review', 'dashboard']);
    expect(routes[1]).toEqual({ page: 'agency', assessmentId: 'phatthalung-2567', agencyId: 'pt-treasury' });
    expect(routes.map(routeHash)).toEqual(hashes);
  });

  it('sends anything else home, malformed escapes and foreign ids included', () => {
    // Act
    const routes = [
      '',
      '#/',
      '#/phatthalung-2567',
      '#/phatthalung-2567/agency',
      '#/phatthalung-2567/agency/pt-treasury/extra',
      '#/phatthalung-2567/admin',
      '#/Phatthalung/review',
      '#/%E0%A4/review',
      '#/phatthalung-2567/agency/..%2Fx',
    ].map(parseRoute);

    // Assess
    expect(routes.every((r) => r.page === 'home')).toBe(true);
  });
});

describe('the web app’s Thai failure messages', () => {
  it('says what to do for each kind of failure', () => {
    // Act
    const text = (error: unknown) => thaiError(error);

    // Assess
    expect(text(new ApiError(0, 'network', 'network error'))).toContain('ระบบจะไม่บันทึกซ้ำ');
    expect(text(new ApiError(401, 'unauthorized', 'x'))).toContain('กรุณาเข้าสู่ระบบใหม่');
    expect(text(new ApiError(409, 'version_conflict', 'x'))).toContain('เปลี่ยนไปแล้ว');
    expect(text(new ApiError(429, 'rate_limited', 'x', [], 600))).toContain('10 นาที');
    expect(text(new ApiError(503, 'internal', 'x'))).toContain('ยังไม่ถูกบันทึก');
    expect(text(new Error('boom'))).toContain('โหลดหน้านี้ใหม่');
  });

  it('names the field of a 400 or 422 in Thai, with the line of a list', () => {
    // Act
    const message = thaiError(
      new ApiError(400, 'validation_failed', 'invalid body', [{ path: 'urls.1', message: 'Invalid URL' }]),
    );

    // Assess
    expect(message).toContain('ข้อมูลที่กรอกไม่ถูกต้อง');
    expect(message).toContain('ลิงก์หลักฐาน บรรทัดที่ 2: Invalid URL');
  });
});

describe('the web app’s idempotency keys', () => {
  it('makes a v4 UUID from random bytes where randomUUID is missing', () => {
    // Prepare
    const randomUUID = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });

    const missing = typeof crypto.randomUUID === 'undefined';

    // Act
    const keys = Array.from({ length: 50 }, newIdempotencyKey);
    Object.defineProperty(crypto, 'randomUUID', { value: randomUUID, configurable: true });

    // Assess
    expect(missing).toBe(true);
    for (const key of keys)
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys).size).toBe(50);
  });
});
