import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { FiscalYearParam } from '#domain/paths';
import { AuditQuery } from '#domain/requests/audit';
import { parseBody, parseQuery } from '#http/request';
import { httpEvent } from '#test/events';

const bodyEvent = (body: string, contentType = 'application/json') => ({
  ...httpEvent({ method: 'POST', headers: { 'content-type': contentType } }),
  body,
});

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; details: { path: string }[] };
  }
  throw new Error('expected a throw');
};

describe('bodies that cannot crash the parser', () => {
  it('refuses 30,000 nested arrays with a 400 naming the body, not a stack overflow', () => {
    // Prepare
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;

    // Act
    const error = thrown(() => parseBody(bodyEvent(deep), z.unknown()));

    // Assess
    expect(error).toMatchObject({ code: 'validation_failed', details: [{ path: '(body)' }] });
  });

  it.each(['application/json; charset=iso-8859-1', 'application/json; charset=utf-16'])(
    'answers 415 to %s',
    (contentType) => {
      // Act
      const error = thrown(() => parseBody(bodyEvent('{}', contentType), z.unknown()));

      // Assess
      expect(error.code).toBe('unsupported_media_type');
    },
  );

  it('takes an explicit UTF-8 charset', () => {
    // Act
    const value = parseBody(bodyEvent('{"a":1}', 'application/json; charset="UTF-8"'), z.unknown());

    // Assess
    expect(value).toEqual({ a: 1 });
  });
});

describe('query parameters parsed strictly', () => {
  it.each(['1e2', '0x10', '', ' 5', '5.0'])('refuses limit=%j naming query.limit', (limit) => {
    // Act
    const error = thrown(() =>
      parseQuery({ ...httpEvent({}), queryStringParameters: { limit } }, AuditQuery),
    );

    // Assess
    expect(error).toMatchObject({ code: 'validation_failed', details: [{ path: 'query.limit' }] });
  });

  it.each(['0x9F6', '2.567e3', '', '+2567'])('refuses fiscal year %j', (year) => {
    // Act
    const result = FiscalYearParam.safeParse(year);

    // Assess
    expect(result.success).toBe(false);
  });

  it('reads decimal digits', () => {
    // Act
    const query = parseQuery({ ...httpEvent({}), queryStringParameters: { limit: '20' } }, AuditQuery);

    // Assess
    expect(query.limit).toBe(20);
    expect(FiscalYearParam.parse('2567')).toBe(2567);
  });
});
