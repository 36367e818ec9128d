import { describe, expect, it } from 'vitest';
import { checkAddress, checkAddresses, checkUrl, redirectTarget } from '#domain/link-guard';

/** One address of every class ipaddr.js names, and what the deployed (public) scope must decide. */
const ADDRESS_CLASSES: ReadonlyArray<[string, string, boolean]> = [
  ['public IPv4', '93.184.216.34', true],
  ['public IPv6', '2606:2800:220:1:248:1893:25c8:1946', true],
  ['loopback', '127.0.0.1', false],
  ['loopback, elsewhere in 127/8', '127.45.6.7', false],
  ['IPv6 loopback', '::1', false],
  ['private 10/8', '10.0.0.1', false],
  ['private 172.16/12', '172.16.5.4', false],
  ['private 192.168/16', '192.168.1.1', false],
  ['link-local: instance metadata', '169.254.169.254', false],
  ['IPv6 link-local', 'fe80::1', false],
  ['carrier-grade NAT', '100.64.0.1', false],
  ['unique local (ULA)', 'fd00::1', false],
  ['IPv4 multicast', '224.0.0.1', false],
  ['IPv6 multicast', 'ff02::1', false],
  ['reserved', '240.0.0.1', false],
  ['broadcast', '255.255.255.255', false],
  ['unspecified IPv4', '0.0.0.0', false],
  ['unspecified IPv6', '::', false],
  ['IPv4-mapped loopback', '::ffff:127.0.0.1', false],
  ['IPv4-mapped metadata', '::ffff:169.254.169.254', false],
  ['IPv4-mapped private', '::ffff:10.1.2.3', false],
  ['6to4 relay / NAT64 prefix', '64:ff9b::a00:1', false],
  ['Teredo', '2001::1', false],
  ['documentation IPv6', '2001:db8::1', false],
];

describe('link guard: addresses (public scope)', () => {
  it.each(ADDRESS_CLASSES)('%s %s → allowed %s', (_label, address, allowed) => {
    // Act
    const decision = checkAddress(address, 'public');

    // Assess
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).toBe('address_not_public');
  });

  it('refuses a host whose answers mix public and private addresses, in either order', () => {
    // Act
    const first = checkAddresses(['93.184.216.34', '10.0.0.5'], 'public');
    const second = checkAddresses(['169.254.169.254', '93.184.216.34'], 'public');
    const v6 = checkAddresses(['2606:2800:220:1::1', 'fd12::1'], 'public');

    // Assess
    expect([first.allowed, second.allowed, v6.allowed]).toEqual([false, false, false]);
  });

  it('allows a host whose every answer is public, and refuses one with no answer', () => {
    // Act
    const allPublic = checkAddresses(['93.184.216.34', '2606:2800:220:1::1'], 'public');
    const none = checkAddresses([], 'public');

    // Assess
    expect(allPublic.allowed).toBe(true);
    expect(none).toMatchObject({ allowed: false, reason: 'no_address' });
  });

  it('refuses an answer that is not an address at all', () => {
    // Act
    const decision = checkAddress('localhost', 'public');

    // Assess
    expect(decision).toMatchObject({ allowed: false, reason: 'no_address' });
  });
});

describe('link guard: the loopback allowance (tests and npm start only)', () => {
  it('allows every address of 127.0.0.0/8 (the mapped form too) and nothing else, not even a public one', () => {
    // Act
    const decisions = ADDRESS_CLASSES.map(([, address]) => [
      address,
      checkAddress(address, 'loopback').allowed,
    ]);

    // Assess
    expect(decisions.filter(([, allowed]) => allowed).map(([address]) => address)).toEqual([
      '127.0.0.1',
      '127.45.6.7',
      '::ffff:127.0.0.1',
    ]);
    expect(checkAddress('93.184.216.34', 'loopback')).toMatchObject({
      allowed: false,
      reason: 'outside_loopback',
      detail: 'local: outside loopback (93.184.216.34)',
    });
  });

  it('allows any port on a loopback literal', () => {
    // Act
    const decision = checkUrl('http://127.0.0.7:49152/ita/o1', 'loopback');

    // Assess
    expect(decision.allowed).toBe(true);
  });

  it('refuses a non-loopback literal such as the seed example.org address', () => {
    // Act
    const decision = checkUrl('https://93.184.216.34/ita/o1', 'loopback');

    // Assess
    expect(decision).toMatchObject({ allowed: false, reason: 'outside_loopback' });
  });
});

describe('link guard: URL rules (public scope)', () => {
  it.each([
    ['https://pt-treasury.example.org/ita/o14', true, undefined],
    ['http://pt-treasury.example.org/ita/o14', true, undefined],
    ['https://pt-treasury.example.org:443/x', true, undefined],
    ['http://pt-treasury.example.org:80/x', true, undefined],
    ['https://pt-treasury.example.org:8443/x', false, 'port'],
    ['http://pt-treasury.example.org:22/x', false, 'port'],
    ['http://pt-treasury.example.org:443/x', true, undefined],
    ['ftp://pt-treasury.example.org/x', false, 'scheme'],
    ['file:///etc/passwd', false, 'scheme'],
    ['gopher://pt-treasury.example.org/x', false, 'scheme'],
    ['javascript:alert(1)', false, 'scheme'],
    ['https://user:secret@pt-treasury.example.org/x', false, 'credentials'],
    ['https://user@pt-treasury.example.org/x', false, 'credentials'],
    ['not a url', false, 'invalid_url'],
  ])('%s → allowed %s (%s)', (href, allowed, reason) => {
    // Act
    const decision = checkUrl(href, 'public');

    // Assess
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).toBe(reason);
  });

  it.each([
    ['dotted loopback', 'http://127.0.0.1/'],
    ['decimal integer', 'http://2130706433/'],
    ['hexadecimal', 'http://0x7f000001/'],
    ['hex and short form', 'http://0x7f.1/'],
    ['octal', 'http://017700000001/'],
    ['octal dotted', 'http://0177.0.0.01/'],
    ['short form', 'http://127.1/'],
    ['full-width digits', 'http://１２７.０.０.１/'],
    ['zero', 'http://0/'],
    ['metadata, decimal', 'http://2852039166/latest/meta-data/'],
    ['metadata, hex', 'http://0xa9fea9fe/'],
    ['IPv6 loopback', 'http://[::1]/'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped metadata, hex', 'http://[::ffff:a9fe:a9fe]/'],
    ['IPv6 unspecified', 'http://[::]/'],
    ['ULA', 'http://[fd00::1]/'],
    ['private literal', 'https://192.168.0.1/'],
    ['CGNAT literal', 'https://100.64.1.1/'],
  ])('refuses an IP literal spelt as %s (%s), which never reaches the lookup hook', (_label, href) => {
    // Act
    const decision = checkUrl(href, 'public');

    // Assess
    expect(decision).toMatchObject({ allowed: false, reason: 'address_not_public' });
  });

  it('allows a public IP literal on port 80', () => {
    // Act
    const decision = checkUrl('http://93.184.216.34/ita', 'public');

    // Assess
    expect(decision.allowed).toBe(true);
  });

  it('lets a host name through to the lookup, where its answers are judged', () => {
    // Act
    const decision = checkUrl('https://localtest.me/', 'public');

    // Assess
    expect(decision.allowed).toBe(true);
    expect(checkAddresses(['127.0.0.1'], 'public').allowed).toBe(false);
  });
});

describe('link guard: redirects', () => {
  it.each([
    ['to loopback', 'http://127.0.0.1/admin', 'address_not_public'],
    ['to metadata', 'http://169.254.169.254/latest/meta-data/', 'address_not_public'],
    ['to metadata, decimal', 'http://2852039166/', 'address_not_public'],
    ['to a private network', 'https://10.0.0.8/', 'address_not_public'],
    ['to IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:80/', 'address_not_public'],
    ['to another port', 'https://other.example.org:8080/', 'port'],
    ['to another scheme', 'file:///etc/passwd', 'scheme'],
    ['to credentials', 'https://a:b@other.example.org/', 'credentials'],
    ['protocol-relative to loopback', '//127.0.0.1/x', 'address_not_public'],
  ])('refuses a redirect %s', (_label, location, reason) => {
    // Act
    const { decision } = redirectTarget('https://pt-land.example.org/ita/o1', location, 'public');

    // Assess
    expect(decision).toMatchObject({ allowed: false, reason });
  });

  it('resolves a relative redirect against the URL that answered it', () => {
    // Act
    const next = redirectTarget('https://pt-land.example.org/ita/o1', '../new/o1?x=1', 'public');

    // Assess
    expect(next.url).toBe('https://pt-land.example.org/new/o1?x=1');
    expect(next.decision.allowed).toBe(true);
  });

  it('refuses a loopback redirect that keeps the same relative path but a literal host', () => {
    // Act
    const next = redirectTarget('http://pt-land.example.org/a', 'http://0x7f.0.0.1/a', 'public');

    // Assess
    expect(next.url).toBe('http://127.0.0.1/a');
    expect(next.decision.allowed).toBe(false);
  });
});
