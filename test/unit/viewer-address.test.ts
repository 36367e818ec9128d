import { describe, expect, it } from 'vitest';
import type { HttpEvent } from '#http/types';
import { VIEWER_ADDRESS_HEADER, viewerAddress } from '#http/viewer-address';

const eventWith = (headers: Record<string, string>, sourceIp = '130.176.1.2') =>
  ({ headers, requestContext: { http: { sourceIp } } }) as unknown as HttpEvent;

describe('viewerAddress: whom a sign-in request counts against', () => {
  it('is the address the edge wrote, not the edge itself', () => {
    expect(viewerAddress(eventWith({ [VIEWER_ADDRESS_HEADER]: '203.0.113.9' }))).toBe('203.0.113.9');
    expect(viewerAddress(eventWith({ [VIEWER_ADDRESS_HEADER]: '2001:db8::1' }))).toBe('2001:db8::1');
  });

  it('folds an IPv4-mapped IPv6 address to its IPv4 form, so one viewer is one bucket', () => {
    expect(viewerAddress(eventWith({ [VIEWER_ADDRESS_HEADER]: '::ffff:203.0.113.9' }))).toBe('203.0.113.9');
  });

  it('falls back to the connection source without the header or when it is not an address', () => {
    expect(viewerAddress(eventWith({}))).toBe('130.176.1.2');
    expect(viewerAddress(eventWith({ [VIEWER_ADDRESS_HEADER]: 'anything-at-all' }))).toBe('130.176.1.2');
    expect(viewerAddress(eventWith({ [VIEWER_ADDRESS_HEADER]: '' }))).toBe('130.176.1.2');
    expect(viewerAddress(eventWith({}, ''))).toBe('unknown');
  });
});
