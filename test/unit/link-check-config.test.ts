import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config';
import { LinkCheckConfig } from '#runtime/link-check';

describe('link check configuration (deployed)', () => {
  it('is public by default and refuses the loopback allowance or anything else', () => {
    // Act
    const defaults = parseConfig(LinkCheckConfig, {});
    const loopback = () => parseConfig(LinkCheckConfig, { LINK_CHECK_SCOPE: 'loopback' });
    const other = () => parseConfig(LinkCheckConfig, { LINK_CHECK_SCOPE: 'private' });

    // Assess
    expect(defaults.LINK_CHECK_SCOPE).toBe('public');
    expect(loopback).toThrow(/invalid configuration: LINK_CHECK_SCOPE/);
    expect(other).toThrow(/LINK_CHECK_SCOPE/);
  });
});
