import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BlockReason,
  checkAddress,
  checkAddresses,
  checkUrl,
  type LinkScope,
  redirectTarget,
} from '#domain/link-guard';
import { isTransient, type LinkCheckResult, softNotFound } from '#domain/link-watch';
import { retry } from './backoff.ts';

/**
 * undici's three modules, loaded at the first request rather than at import: esbuild keeps a
 * CommonJS module wrapped in the bundle and runs it only when it is first required, so the
 * function's init does not pay for undici (`npm run bench:bundle`); the first check does.
 */
const loadUndici = async () => {
  const [{ default: requestOn }, { default: buildConnector }, { default: Agent }] = await Promise.all([
    import('undici/lib/api/api-request.js'),
    import('undici/lib/core/connect.js'),
    import('undici/lib/dispatcher/agent.js'),
  ]);
  return { requestOn, buildConnector, Agent };
};

/** A host name to its A and AAAA answers; injected in tests so no real lookup ever happens there. */
export type Resolver = (hostname: string) => Promise<string[]>;

/** The deployed resolver: the system's, every answer (the guard judges all of them). */
export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((answer) => answer.address);

/**
 * The local resolver (`npm start`, tests): `localhost` only, no DNS query ever leaves the machine,
 * so every other host of the seed (`example.org`) is blocked as "local: outside loopback".
 */
export const loopbackResolver: Resolver = async (hostname) => (hostname === 'localhost' ? ['127.0.0.1'] : []);

/** A check cut short by its caller's stop signal: it has no result. */
class CheckStopped extends Error {
  constructor() {
    super('link check stopped');
    this.name = 'CheckStopped';
  }
}

/** Raised inside the connector when the guard refuses an address; the check reports `blocked`. */
export class LinkBlockedError extends Error {
  constructor(
    readonly reason: BlockReason,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'LinkBlockedError';
  }
}

export type LinkCheckerOptions = {
  scope: LinkScope;
  /** Defaults: the system resolver in the public scope, `loopbackResolver` in the loopback scope. */
  resolve?: Resolver;
  /** ASCII only (HTTP headers are Latin-1): names the system and the province. */
  userAgent: string;
  /** Per request, headers and body included. */
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxRedirects?: number;
  /** Attempts of one request on a transient failure (5xx, 408, 429, timeout, reset). */
  attempts?: number;
  /** The first retry waits up to this long (full jitter), each next one up to twice as long. */
  backoffMs?: number;
  /** Requests in flight to one host (host:port). */
  perHost?: number;
  /** Minimum time between two request starts on one host. */
  hostSpacingMs?: number;
};

export const LINK_CHECK_DEFAULTS = {
  timeoutMs: 10_000,
  maxBodyBytes: 512 * 1024,
  maxRedirects: 5,
  attempts: 3,
  backoffMs: 1_000,
  perHost: 2,
  hostSpacingMs: 50,
} as const;

/** The User-Agent of every check: the system, its contact page and the province (assessment id). */
export const linkCheckUserAgent = (assessmentId: string): string =>
  `ITA-LinkWatch/1.0 (ITA campaign tracker; province=${assessmentId.replace(/[^\x21-\x7e]/g, '')})`;

type Hop =
  | { kind: 'response'; status: number; location: string | null; softPhrase?: string }
  | {
      kind: 'failed';
      error: Exclude<LinkCheckResult, { outcome: 'alive' | 'blocked' }>['error'];
      detail: string;
    }
  | { kind: 'blocked'; reason: BlockReason; detail: string };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** At most `limit` requests in flight to one host, their starts at least `spacingMs` apart. */
class HostGate {
  readonly #hosts = new Map<string, { active: number; waiting: Array<() => void>; nextStart: number }>();

  constructor(
    private readonly limit: number,
    private readonly spacingMs: number,
  ) {}

  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    let entry = this.#hosts.get(host);
    if (!entry) {
      entry = { active: 0, waiting: [], nextStart: 0 };
      this.#hosts.set(host, entry);
    }
    const slot = entry;
    if (slot.active >= this.limit) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    else slot.active += 1;
    const now = Date.now();
    const startAt = Math.max(now, slot.nextStart);
    slot.nextStart = startAt + this.spacingMs;
    if (startAt > now) await sleep(startAt - now);
    try {
      return await task();
    } finally {
      const next = slot.waiting.shift();
      if (next) next();
      else {
        slot.active -= 1;
        if (slot.active === 0) this.#hosts.delete(host);
      }
    }
  }
}

const errorCode = (error: unknown): string | undefined => {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (e instanceof AggregateError && e.errors.length > 0) e = e.errors[0];
    else e = (e as { cause?: unknown }).cause;
  }
  return undefined;
};

const blockedCause = (error: unknown): LinkBlockedError | undefined => {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth += 1) {
    if (e instanceof LinkBlockedError) return e;
    e = e instanceof AggregateError && e.errors.length > 0 ? e.errors[0] : (e as { cause?: unknown }).cause;
  }
  return undefined;
};

const classify = (error: unknown): Hop => {
  const blocked = blockedCause(error);
  if (blocked) return { kind: 'blocked', reason: blocked.reason, detail: blocked.detail };
  const name = (error as { name?: string }).name;
  const code = errorCode(error) ?? '';
  const detail = code || (error instanceof Error ? error.message : String(error));
  if (name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code.includes('TIMEOUT')) {
    return { kind: 'failed', error: 'timeout', detail };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA')
    return { kind: 'failed', error: 'dns', detail };
  if (code === 'ECONNREFUSED') return { kind: 'failed', error: 'connection_refused', detail };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return { kind: 'failed', error: 'connection_reset', detail };
  }
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return { kind: 'failed', error: 'tls', detail };
  return { kind: 'failed', error: 'network', detail };
};

const charsetOf = (contentType: string, head: Uint8Array): string => {
  const fromHeader = /charset\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1];
  if (fromHeader) return fromHeader;
  const ascii = new TextDecoder('latin1').decode(head.subarray(0, 1024));
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(ascii)?.[1] ?? 'utf-8';
};

/** Thai government sites still serve TIS-620 / windows-874 pages: decode by their charset. */
const decode = (bytes: Uint8Array, contentType: string): string => {
  try {
    return new TextDecoder(charsetOf(contentType, bytes)).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
};

/**
 * Checks evidence URLs without becoming an open proxy into the network it runs in: every URL and
 * redirect target through the guard, every address a host resolves to through the guard in the
 * connector's lookup (the answer is judged and used in one step, so a second lookup cannot swap in a
 * private address), IP literals in the connector itself, and the connected socket's peer once more.
 */
export const createLinkChecker = (options: LinkCheckerOptions) => {
  const settings = { ...LINK_CHECK_DEFAULTS, ...options };
  const { scope } = settings;
  const resolve = options.resolve ?? (scope === 'loopback' ? loopbackResolver : systemResolver);
  const gate = new HostGate(settings.perHost, settings.hostSpacingMs);

  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const decision = checkAddresses(addresses, scope, hostname);
        if (!decision.allowed) {
          return callback(new LinkBlockedError(decision.reason, decision.detail), '', 0);
        }
        const answers: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) }));
        if (lookupOptions.all) return callback(null, answers);
        return callback(null, answers[0]!.address, answers[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

  /** The agent and undici's `request`, made at the first request (see `loadUndici`). */
  let undici: ReturnType<typeof connectedAgent> | undefined;
  const connectedAgent = async () => {
    const { requestOn, buildConnector, Agent } = await loadUndici();
    const connect = buildConnector({ lookup: guardedLookup, timeout: settings.timeoutMs });
    const agent = new Agent({
      connections: settings.perHost,
      connect: (connectOptions, callback) => {
        const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
        if (isIP(host)) {
          const decision = checkAddress(host, scope);
          if (!decision.allowed)
            return callback(new LinkBlockedError(decision.reason, decision.detail), null);
        }
        connect(connectOptions, (error, socket) => {
          if (error || !socket) return callback(error ?? new Error('no socket'), null);
          const peer = (socket as Socket).remoteAddress;
          const decision = peer ? checkAddress(peer, scope) : undefined;
          if (decision && !decision.allowed) {
            socket.destroy();
            return callback(new LinkBlockedError(decision.reason, decision.detail), null);
          }
          return callback(null, socket);
        });
      },
    });
    return { agent, requestOn };
  };

  /** The body up to the cap; the rest is never read (the connection is dropped instead). */
  const readHead = async (body: AsyncIterable<Buffer> & { destroy(): void }): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= settings.maxBodyBytes) {
        body.destroy();
        break;
      }
    }
    return Buffer.concat(chunks, Math.min(size, settings.maxBodyBytes));
  };

  /**
   * One GET. undici's `request` never follows a redirect (what `fetch` does with
   * `redirect: 'manual'`): the 3xx comes back here and `check` decides on its target.
   */
  const requestOnce = async (url: string, stop?: AbortSignal): Promise<Hop> => {
    if (stop?.aborted) throw new CheckStopped();
    // Outside the try: a failure to load undici is the checker's fault, not the link's.
    undici ??= connectedAgent();
    const { agent, requestOn } = await undici;
    try {
      const timeout = AbortSignal.timeout(settings.timeoutMs);
      const target = new URL(url);
      const response = await requestOn.call(agent, {
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'GET',
        signal: stop ? AbortSignal.any([timeout, stop]) : timeout,
        headers: {
          'user-agent': settings.userAgent,
          accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
          'accept-language': 'th,en;q=0.8',
        },
      });
      const header = (name: string) => {
        const value = response.headers[name];
        return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
      };
      const contentType = header('content-type') ?? '';
      const status = response.statusCode;
      const isPage = status >= 200 && status < 300 && /html|^$/i.test(contentType);
      const head = await readHead(response.body);
      const softPhrase = isPage ? softNotFound(decode(head, contentType)) : undefined;
      return {
        kind: 'response',
        status,
        location: header('location'),
        ...(softPhrase ? { softPhrase } : {}),
      };
    } catch (error) {
      if (stop?.aborted) throw new CheckStopped();
      return classify(error);
    }
  };

  const asResult = (hop: Hop): LinkCheckResult | undefined => {
    if (hop.kind === 'failed')
      return { outcome: 'failed', error: hop.error, detail: hop.detail, finalUrl: '', redirects: 0 };
    if (hop.kind === 'response' && hop.status >= 400) {
      return { outcome: 'failed', error: 'http_status', status: hop.status, finalUrl: '', redirects: 0 };
    }
    return undefined;
  };

  /** One hop, retried with backoff while it fails transiently; each attempt waits its turn on the host. */
  const requestWithRetries = async (url: string, stop?: AbortSignal): Promise<Hop> => {
    const host = new URL(url).host;
    return retry(() => gate.run(host, () => requestOnce(url, stop)), {
      attempts: settings.attempts,
      isRetryable: () => false,
      retryResult: (hop) => {
        const asFailure = asResult(hop);
        return asFailure !== undefined && isTransient(asFailure);
      },
      baseMs: settings.backoffMs,
      capMs: 8 * settings.backoffMs,
      ...(stop
        ? {
            sleep: (ms: number) =>
              sleep(ms, undefined, { signal: stop }).catch(() => {
                throw new CheckStopped();
              }),
          }
        : {}),
    });
  };

  /** One URL: 2xx within `maxRedirects` redirects, each target re-checked, is alive. */
  const check = async (url: string, stop?: AbortSignal): Promise<LinkCheckResult> => {
    const first = checkUrl(url, scope);
    if (!first.allowed) {
      return { outcome: 'blocked', error: first.reason, detail: first.detail, finalUrl: url, redirects: 0 };
    }
    let current = url;
    for (let redirects = 0; ; ) {
      const hop = await requestWithRetries(current, stop);
      const at = { finalUrl: current, redirects };
      if (hop.kind === 'blocked') return { outcome: 'blocked', error: hop.reason, detail: hop.detail, ...at };
      if (hop.kind === 'failed') return { outcome: 'failed', error: hop.error, detail: hop.detail, ...at };
      if (REDIRECTS.has(hop.status)) {
        if (!hop.location)
          return { outcome: 'failed', error: 'redirect_without_location', status: hop.status, ...at };
        if (redirects >= settings.maxRedirects) {
          return { outcome: 'failed', error: 'too_many_redirects', status: hop.status, ...at };
        }
        const next = redirectTarget(current, hop.location, scope);
        if (!next.decision.allowed) {
          return {
            outcome: 'blocked',
            error: next.decision.reason,
            detail: next.decision.detail,
            ...at,
            finalUrl: next.url,
          };
        }
        current = next.url;
        redirects += 1;
        continue;
      }
      if (hop.status >= 200 && hop.status < 300) {
        return hop.softPhrase
          ? { outcome: 'failed', error: 'soft_404', status: hop.status, detail: hop.softPhrase, ...at }
          : { outcome: 'alive', status: hop.status, ...at };
      }
      return { outcome: 'failed', error: 'http_status', status: hop.status, ...at };
    }
  };

  /** Many URLs, at most `concurrency` checks at once (and `perHost` per host); results in input order. */
  const checkAll = async (urls: readonly string[], concurrency: number): Promise<LinkCheckResult[]> => {
    const results: LinkCheckResult[] = new Array(urls.length);
    let next = 0;
    const worker = async () => {
      while (next < urls.length) {
        const index = next;
        next += 1;
        results[index] = await check(urls[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, worker));
    return results;
  };

  /**
   * Like `checkAll`, until `stop` aborts: no URL starts after it, the ones in flight are dropped
   * (their requests aborted), and their places in the result stay `undefined`: not checked, so
   * nothing is recorded for them. A queue consumer keeps its work inside its time this way.
   */
  const checkUntil = async (
    urls: readonly string[],
    concurrency: number,
    stop: AbortSignal,
  ): Promise<Array<LinkCheckResult | undefined>> => {
    const results: Array<LinkCheckResult | undefined> = new Array(urls.length).fill(undefined);
    let next = 0;
    const worker = async () => {
      while (next < urls.length && !stop.aborted) {
        const index = next;
        next += 1;
        try {
          results[index] = await check(urls[index]!, stop);
        } catch (error) {
          if (!(error instanceof CheckStopped)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, worker));
    return results;
  };

  const close = async () => {
    if (undici) await (await undici).agent.close();
  };

  return { check, checkAll, checkUntil, close };
};

export type LinkChecker = ReturnType<typeof createLinkChecker>;
