import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkChecker, type LinkCheckerOptions, linkCheckUserAgent } from '#adapters/link-checker';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local page server on one loopback address (port 0); counts requests per path. */
const startServer = async (host: string, handler: Handler) => {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://${host}:${port}`, port, hits };
};

/** Thai text in TIS-620 / windows-874 bytes, as older Thai government sites serve it. */
const tis620 = (text: string): Buffer =>
  Buffer.from(
    [...text].map((c) =>
      c >= '\u0e01' && c <= '\u0e5b' ? c.charCodeAt(0) - 0x0e01 + 0xa1 : c.charCodeAt(0),
    ),
  );

const page = (title: string, h1 = title) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${h1}</h1></body></html>`;

const FAST: Partial<LinkCheckerOptions> = { backoffMs: 20, hostSpacingMs: 0, timeoutMs: 2_000 };
const checkerFor = (options: Partial<LinkCheckerOptions> = {}) =>
  createLinkChecker({
    scope: 'loopback',
    userAgent: linkCheckUserAgent('phatthalung-2567'),
    ...FAST,
    ...options,
  });

let site: Awaited<ReturnType<typeof startServer>>;
let userAgents: string[] = [];
let flaky = 0;
let inFlight = 0;
let maxInFlight = 0;
const starts: number[] = [];

beforeAll(async () => {
  site = await startServer('127.0.0.2', (req, res) => {
    userAgents.push(String(req.headers['user-agent']));
    const url = new URL(req.url ?? '/', 'http://x');
    const hop = Number(url.searchParams.get('hop') ?? 0);
    switch (url.pathname) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('โครงสร้างหน่วยงาน'));
        return;
      case '/gone':
        res.writeHead(404, { 'content-type': 'text/html' }).end(page('Not Found'));
        return;
      case '/soft-th':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('ไม่พบหน้าที่คุณต้องการ'));
        return;
      case '/soft-tis620':
        res
          .writeHead(200, { 'content-type': 'text/html; charset=windows-874' })
          .end(
            Buffer.concat([
              Buffer.from('<html><head><title>'),
              tis620('ไม่พบหน้าเว็บ'),
              Buffer.from('</title>'),
            ]),
          );
        return;
      case '/soft-en':
        res.writeHead(200, { 'content-type': 'text/html' }).end(page('Welcome', 'Oops! Page Not Found'));
        return;
      case '/big': {
        // The not-found title lies beyond 512 KB: it must not be read, so the page stays alive.
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><body>${'ก'.repeat(300_000)}<title>Page not found</title></body></html>`);
        return;
      }
      case '/chain':
        if (hop < 3) res.writeHead(302, { location: `/chain?hop=${hop + 1}` }).end();
        else res.writeHead(200, { 'content-type': 'text/html' }).end(page('ITA o1'));
        return;
      case '/loop':
        res.writeHead(301, { location: `/loop?hop=${hop + 1}` }).end();
        return;
      case '/to-metadata':
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      case '/to-private':
        res.writeHead(307, { location: 'http://10.0.0.1:8080/' }).end();
        return;
      case '/to-public':
        res.writeHead(302, { location: 'http://93.184.216.34/' }).end();
        return;
      case '/to-mapped':
        res.writeHead(302, { location: 'http://[::ffff:a9fe:a9fe]/' }).end();
        return;
      case '/no-location':
        res.writeHead(302).end();
        return;
      case '/flaky':
        flaky += 1;
        if (flaky % 2 === 1) res.writeHead(503).end();
        else res.writeHead(200, { 'content-type': 'text/html' }).end(page('ok'));
        return;
      case '/busy':
        res.writeHead(429, { 'retry-after': '0' }).end();
        return;
      case '/slow':
        setTimeout(() => res.writeHead(200).end('late'), 1_500);
        return;
      case '/held':
        inFlight += 1;
        starts.push(Date.now());
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight -= 1;
          res.writeHead(200, { 'content-type': 'text/html' }).end(page('ok'));
        }, 250);
        return;
      default:
        res.writeHead(500).end();
    }
  });
});

afterAll(async () => {
  await new Promise((resolve) => site.server.close(resolve));
});

describe('link checker against local pages (loopback allowance)', () => {
  it('finds a page alive and names the system and the province in its User-Agent', async () => {
    // Prepare
    const checker = checkerFor();
    userAgents = [];

    // Act
    const result = await checker.check(`${site.origin}/ok`);
    await checker.close();

    // Assess
    expect(result).toEqual({ outcome: 'alive', status: 200, finalUrl: `${site.origin}/ok`, redirects: 0 });
    expect(userAgents).toEqual(['ITA-LinkWatch/1.0 (ITA campaign tracker; province=phatthalung-2567)']);
  });

  it.each([
    ['/gone', 'http_status', 404, undefined],
    ['/soft-th', 'soft_404', 200, 'ไม่พบหน้า'],
    ['/soft-tis620', 'soft_404', 200, 'ไม่พบหน้า'],
    ['/soft-en', 'soft_404', 200, 'page not found'],
    ['/no-location', 'redirect_without_location', 302, undefined],
  ])('reports %s as failed (%s)', async (path, error, status, detail) => {
    // Prepare
    const checker = checkerFor();

    // Act
    const result = await checker.check(`${site.origin}${path}`);
    await checker.close();

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', error, status });
    if (detail) expect(result).toMatchObject({ detail });
  });

  it('reads a body only to 512 KB: a not-found title beyond it is not seen', async () => {
    // Prepare
    const checker = checkerFor();

    // Act
    const result = await checker.check(`${site.origin}/big`);
    await checker.close();

    // Assess
    expect(result).toMatchObject({ outcome: 'alive', status: 200 });
  });

  it('follows up to 5 redirects by hand and reports where they ended', async () => {
    // Prepare
    const checker = checkerFor();

    // Act
    const chain = await checker.check(`${site.origin}/chain`);
    const loop = await checker.check(`${site.origin}/loop`);
    await checker.close();

    // Assess
    expect(chain).toEqual({
      outcome: 'alive',
      status: 200,
      finalUrl: `${site.origin}/chain?hop=3`,
      redirects: 3,
    });
    expect(loop).toMatchObject({ outcome: 'failed', error: 'too_many_redirects', redirects: 5 });
    expect(site.hits.get('/loop?hop=5')).toBe(1);
    expect(site.hits.get('/loop?hop=6')).toBeUndefined();
  });

  it.each([
    ['/to-metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['/to-private', 'http://10.0.0.1:8080/'],
    ['/to-public', 'http://93.184.216.34/'],
    ['/to-mapped', 'http://[::ffff:a9fe:a9fe]/'],
  ])('blocks a redirect (%s) that leaves loopback, without connecting to it', async (path, target) => {
    // Prepare
    const checker = checkerFor();

    // Act
    const result = await checker.check(`${site.origin}${path}`);
    await checker.close();

    // Assess
    expect(result).toMatchObject({
      outcome: 'blocked',
      error: 'outside_loopback',
      finalUrl: target,
      redirects: 0,
    });
  });

  it('retries a 503 with backoff and finds the page alive on the next attempt', async () => {
    // Prepare
    const checker = checkerFor();
    flaky = 0;

    // Act
    const result = await checker.check(`${site.origin}/flaky`);
    await checker.close();

    // Assess
    expect(result).toMatchObject({ outcome: 'alive', status: 200 });
    expect(flaky).toBe(2);
  });

  it('gives up on a 429 after 3 attempts', async () => {
    // Prepare
    const checker = checkerFor();
    const before = site.hits.get('/busy') ?? 0;

    // Act
    const result = await checker.check(`${site.origin}/busy`);
    await checker.close();

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', error: 'http_status', status: 429 });
    expect((site.hits.get('/busy') ?? 0) - before).toBe(3);
  });

  it('times a slow page out and retries it', async () => {
    // Prepare
    const checker = checkerFor({ timeoutMs: 200, attempts: 2 });
    const before = site.hits.get('/slow') ?? 0;

    // Act
    const result = await checker.check(`${site.origin}/slow`);
    await checker.close();

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', error: 'timeout' });
    expect((site.hits.get('/slow') ?? 0) - before).toBe(2);
  });

  it('reports a closed port as connection refused', async () => {
    // Prepare
    const closed = await startServer('127.0.0.3', (_req, res) => res.end());
    await new Promise((resolve) => closed.server.close(resolve));
    const checker = checkerFor({ attempts: 1 });

    // Act
    const result = await checker.check(`${closed.origin}/ok`);
    await checker.close();

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', error: 'connection_refused' });
  });

  it('keeps at most 2 requests in flight to one host, their starts spaced', async () => {
    // Prepare
    const checker = checkerFor({ hostSpacingMs: 100 });
    maxInFlight = 0;
    starts.length = 0;
    const urls = Array.from({ length: 8 }, (_, i) => `${site.origin}/held?n=${i}`);

    // Act
    const results = await checker.checkAll(urls, 8);
    await checker.close();

    // Assess
    expect(results.every((r) => r.outcome === 'alive')).toBe(true);
    expect(maxInFlight).toBe(2);
    // Both slots are free at first: without the spacing the first two would start together.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(60);
  });
});

describe('link checker: host names through the injected resolver (no real lookup)', () => {
  it('connects to the address the resolver answers, when every answer is allowed', async () => {
    // Prepare
    const asked: string[] = [];
    const checker = checkerFor({
      resolve: async (host) => {
        asked.push(host);
        return ['127.0.0.2'];
      },
    });

    // Act
    const result = await checker.check(`http://pt-land.test:${site.port}/ok`);
    await checker.close();

    // Assess
    expect(result).toMatchObject({ outcome: 'alive', status: 200 });
    expect(asked).toEqual(['pt-land.test']);
  });

  it('blocks a host whose answers mix an allowed and a refused address, before connecting', async () => {
    // Prepare
    const before = site.hits.get('/ok') ?? 0;
    const checker = checkerFor({ resolve: async () => ['127.0.0.2', '10.0.0.1'] });

    // Act
    const result = await checker.check(`http://mixed.test:${site.port}/ok`);
    await checker.close();

    // Assess
    expect(result).toMatchObject({ outcome: 'blocked', error: 'outside_loopback' });
    expect(site.hits.get('/ok') ?? 0).toBe(before);
  });

  it('blocks the seed example.org hosts locally without any DNS query (default local resolver)', async () => {
    // Prepare
    const checker = checkerFor();

    // Act
    const result = await checker.check('https://pt-treasury.example.org/ita/o14');
    await checker.close();

    // Assess
    expect(result).toMatchObject({
      outcome: 'blocked',
      error: 'outside_loopback',
      detail: 'local: outside loopback (pt-treasury.example.org)',
    });
  });

  it('in the public scope, refuses a host that resolves to loopback or metadata at connect time', async () => {
    // Prepare
    const checker = createLinkChecker({
      scope: 'public',
      userAgent: 'test',
      ...FAST,
      resolve: async (host) => (host === 'rebind.test' ? ['127.0.0.2'] : ['169.254.169.254']),
    });

    // Act
    const rebind = await checker.check('http://rebind.test/ok');
    const metadata = await checker.check('http://metadata.test/latest/meta-data/');
    const literal = await checker.check('http://127.0.0.2/ok');
    await checker.close();

    // Assess
    expect(rebind).toMatchObject({ outcome: 'blocked', error: 'address_not_public' });
    expect(metadata).toMatchObject({ outcome: 'blocked', error: 'address_not_public' });
    expect(literal).toMatchObject({ outcome: 'blocked', error: 'address_not_public' });
  });
});
