import { describe, expect, it } from 'vitest';
import { EvidenceUrl } from '#domain/evidence';
import { FreeText, ThaiName } from '#domain/primitives';

describe('names and single-line text', () => {
  it('removes zero-width and other invisible format characters, collapses spaces, keeps NFC', () => {
    // Prepare
    const pasted = '\uFEFFสำนักงาน\u200Bคลัง\u2060จังหวัด   พัทลุง\u200D ';

    // Act
    const result = ThaiName.safeParse(pasted);

    // Assess
    expect(result).toEqual({ success: true, data: 'สำนักงานคลังจังหวัด พัทลุง' });
  });

  it.each([
    ['a C1 control', 'สำนักงาน\u0085คลัง'],
    ['a line separator', 'สำนักงาน\u2028คลัง'],
    ['a paragraph separator', 'สำนักงาน\u2029คลัง'],
    ['a bidi override', 'สำนักงาน\u202Eคลัง'],
    ['a bidi isolate', '\u2066คลัง\u2069'],
    ['a newline', 'สำนักงาน\nคลัง'],
  ])('refuses %s', (_, name) => {
    // Act
    const result = ThaiName.safeParse(name);

    // Assess
    expect(result.success).toBe(false);
  });

  it('refuses a name that is only invisible characters', () => {
    // Act
    const result = ThaiName.safeParse('\u200B\u200C \uFEFF');

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('multi-line free text', () => {
  it('keeps newlines, turns line and paragraph separators into newlines, removes format characters', () => {
    // Act
    const result = FreeText().safeParse('บรรทัด\u200Bแรก\u2028บรรทัดสอง\u2029\tสาม\nสี่');

    // Assess
    expect(result).toEqual({ success: true, data: 'บรรทัดแรก\nบรรทัดสอง\n\tสาม\nสี่' });
  });

  it.each([
    ['a C1 control', 'note\u009b31m'],
    ['a bidi override', 'note \u202Egnp.exe'],
  ])('refuses %s', (_, text) => {
    // Act
    const result = FreeText().safeParse(text);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('evidence URLs', () => {
  it('stores the WHATWG canonical form', () => {
    // Act
    const result = EvidenceUrl.safeParse('HTTPS://Example.GO.th:443/a/../ita/ข้อมูล?q=1#top');

    // Assess
    expect(result).toEqual({
      success: true,
      data: 'https://example.go.th/ita/%E0%B8%82%E0%B9%89%E0%B8%AD%E0%B8%A1%E0%B8%B9%E0%B8%A5?q=1#top',
    });
  });

  it.each([
    ['another scheme', 'javascript:alert(1)'],
    ['a file URL', 'file:///etc/passwd'],
    ['credentials', 'https://www.phatthalung.go.th@evil.example/'],
    ['a user and password', 'https://user:pw@example.go.th/'],
    ['a bidi override', 'https://example.go.th/\u202Efdp.exe'],
    ['a zero-width space', 'https://exa\u200Bmple.go.th/'],
    ['a control character', 'https://example.go.th/\u0000'],
    ['a C1 control', 'https://example.go.th/\u0085'],
    ['a space', 'https://example.go.th/a b'],
    ['not a URL', 'example.go.th/ita'],
    ['over 2,048 characters', `https://example.go.th/${'a'.repeat(2048)}`],
  ])('refuses %s', (_, url) => {
    // Act
    const result = EvidenceUrl.safeParse(url);

    // Assess
    expect(result.success).toBe(false);
  });
});
