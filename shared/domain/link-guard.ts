import ipaddr from 'ipaddr.js';

/**
 * Which addresses the link checker may connect to.
 * - `public`: the deployed rule. Only `http`/`https` on ports 80 and 443, and every address a host
 *   resolves to must be public unicast (`ipaddr.js` range `unicast`): no loopback, private,
 *   link-local (169.254.169.254, the instance metadata service), CGNAT, ULA, multicast, reserved or
 *   unspecified address, however the URL spells it.
 * - `loopback`: the test and local allowance, and the ONLY other scope. Every address must be in
 *   127.0.0.0/8, on any port, so a test or `npm start` can reach its own pages and nothing else: not
 *   even a public address. The deployed configuration cannot choose it (`LinkCheckScope` in
 *   `shared/runtime/link-check.ts` accepts `public` only).
 */
export type LinkScope = 'public' | 'loopback';

/** Why a URL or address was refused; stored on the link as its error, and shown in plain Thai. */
export type BlockReason =
  | 'scheme'
  | 'port'
  | 'credentials'
  | 'invalid_url'
  | 'no_address'
  | 'address_not_public'
  | 'outside_loopback';

export type GuardDecision = { allowed: true } | { allowed: false; reason: BlockReason; detail: string };

const ALLOWED = { allowed: true } as const;

const refuse = (reason: BlockReason, detail: string): GuardDecision => ({ allowed: false, reason, detail });

/** The host of a parsed URL as an address when it is an IP literal (WHATWG has already normalised it). */
export const literalAddress = (url: URL): string | undefined => {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return ipaddr.isValid(host) && (url.hostname.startsWith('[') || ipaddr.IPv4.isValidFourPartDecimal(host))
    ? host
    : undefined;
};

/**
 * One resolved (or literal) address against the scope. `ipaddr.process` turns an IPv4-mapped IPv6
 * address (`::ffff:127.0.0.1`) into the IPv4 it carries, so the mapped form is judged as what it
 * reaches.
 */
export const checkAddress = (address: string, scope: LinkScope): GuardDecision => {
  if (!ipaddr.isValid(address)) return refuse('no_address', `not an IP address: ${address}`);
  const ip = ipaddr.process(address);
  const range = ip.range();
  if (scope === 'loopback') {
    return ip.kind() === 'ipv4' && range === 'loopback'
      ? ALLOWED
      : refuse('outside_loopback', `local: outside loopback (${address})`);
  }
  return range === 'unicast' ? ALLOWED : refuse('address_not_public', `${address} is ${range}`);
};

/**
 * Every answer of one lookup must pass: one private address among public ones refuses the host,
 * since the connection may take any of them. The local resolver answers nothing for a host outside
 * loopback (no DNS query leaves the machine), which the loopback scope reports as outside loopback.
 */
export const checkAddresses = (addresses: readonly string[], scope: LinkScope, host = ''): GuardDecision => {
  if (addresses.length === 0) {
    return scope === 'loopback'
      ? refuse('outside_loopback', `local: outside loopback (${host})`)
      : refuse('no_address', `${host} has no address`);
  }
  for (const address of addresses) {
    const decision = checkAddress(address, scope);
    if (!decision.allowed) return decision;
  }
  return ALLOWED;
};

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * The URL rules, before any lookup: scheme, port, credentials, and the address itself when the host
 * is an IP literal (a literal never reaches the lookup hook, so it is judged here). WHATWG URL
 * parsing has already turned `http://2130706433/`, `http://0x7f.1/` and `http://017700000001/` into
 * `127.0.0.1`, and `[::ffff:127.0.0.1]` into `[::ffff:7f00:1]`; both are judged as addresses.
 * A host name passes here and is judged by its lookup answers (`checkAddresses`) at connect time.
 */
export const checkUrl = (href: string, scope: LinkScope): GuardDecision => {
  if (!URL.canParse(href)) return refuse('invalid_url', 'not a URL');
  const url = new URL(href);
  if (!(url.protocol in DEFAULT_PORT)) return refuse('scheme', `scheme ${url.protocol} is not http or https`);
  if (url.username !== '' || url.password !== '') return refuse('credentials', 'the URL carries credentials');
  if (url.hostname === '') return refuse('invalid_url', 'the URL has no host');
  const literal = literalAddress(url);
  if (scope === 'public') {
    const port = url.port === '' ? DEFAULT_PORT[url.protocol] : url.port;
    if (port !== '80' && port !== '443') return refuse('port', `port ${port} is not 80 or 443`);
  }
  return literal === undefined ? ALLOWED : checkAddress(literal, scope);
};

/**
 * The next hop of a redirect, resolved against the URL that answered it, with the URL rules applied
 * again (its addresses are checked at connect time like the first hop's).
 */
export const redirectTarget = (
  from: string,
  location: string,
  scope: LinkScope,
): { url: string; decision: GuardDecision } => {
  if (!URL.canParse(location, from)) {
    return { url: location, decision: refuse('invalid_url', 'the redirect target is not a URL') };
  }
  const url = new URL(location, from).href;
  return { url, decision: checkUrl(url, scope) };
};
