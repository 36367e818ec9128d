import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { createLinkChecker, linkCheckUserAgent } from '#adapters/link-checker';

/**
 * `npm run bench:links` (not a test): one province's evidence, 3,300 URLs, across 200 local page
 * servers on 127.0.0.2 … 127.0.0.201 (one each, port 0, in a child process so the servers do not
 * share the checker's event loop). 5 % dead (404), 5 % slow (3 s), 2 % redirect chains (3 hops),
 * 1 % soft 404 (a Thai "not found" title on a 200), the rest plain pages.
 *
 * In the same run, after one uncounted pass of each, alternately, twice each: the link checker (guard, lookup/connector checks,
 * manual redirects, 2 per host spaced 50 ms, retries, 512 KB cap, soft-404 reading) and a bare
 * undici loop doing the same GETs (request() on an Agent with 2 connections per host, redirects
 * followed, body read) at the same overall concurrency. Prints times, the ratio (target ≤ 1.3),
 * dead found, false deads (must be 0) and the peak memory of each. Nothing leaves 127.0.0.0/8:
 * the checker runs in the loopback scope and every URL is a 127.0.0.x literal.
 */
const HOSTS = 200;
const URLS = 3_300;
const CONCURRENCY = 100;
const SLOW_MS = 3_000;
const TARGET = 1.3;

type Kind = 'ok' | 'dead' | 'slow' | 'chain' | 'soft';

if (process.argv.includes('--serve')) {
  const ports: number[] = [];
  for (let i = 0; i < HOSTS; i += 1) {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const kind = url.pathname.split('/')[1] as Kind;
      const hop = Number(url.searchParams.get('hop') ?? 0);
      const body = `<!doctype html><html><head><meta charset="utf-8"><title>ITA ${url.pathname}</title></head><body>${'ข้อมูล '.repeat(400)}</body></html>`;
      if (kind === 'dead') res.writeHead(404, { 'content-type': 'text/html' }).end('<title>404</title>');
      else if (kind === 'slow')
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end(body), SLOW_MS);
      else if (kind === 'chain' && hop < 3)
        res.writeHead(302, { location: `${url.pathname}?hop=${hop + 1}` }).end();
      else if (kind === 'soft')
        res.writeHead(200, { 'content-type': 'text/html' }).end('<title>ไม่พบหน้าที่คุณต้องการ</title>');
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, `127.0.0.${i + 2}`, resolve));
    ports.push((server.address() as AddressInfo).port);
  }
  process.send?.(ports);
} else {
  const child: ChildProcess = fork(import.meta.filename, ['--serve'], { execArgv: process.execArgv });
  try {
    const ports = await new Promise<number[]>((resolve) =>
      child.once('message', (m) => resolve(m as number[])),
    );

    // A fixed mix: 5 dead, 5 slow, 2 chains, 1 soft 404 in every 100, each host getting a mix of kinds.
    const kindOf = (i: number): Kind => {
      const r = (i * 37 + Math.floor(i / HOSTS) * 13) % 100;
      return r < 5 ? 'dead' : r < 10 ? 'slow' : r < 12 ? 'chain' : r < 13 ? 'soft' : 'ok';
    };
    const urls = Array.from({ length: URLS }, (_, i) => {
      const host = i % HOSTS;
      return { url: `http://127.0.0.${host + 2}:${ports[host]}/${kindOf(i)}/o${i}`, kind: kindOf(i) };
    });

    const peak = { rss: 0, heap: 0 };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heap = Math.max(peak.heap, m.heapUsed);
    }, 20);
    const measure = async (run: () => Promise<boolean[]>) => {
      globalThis.gc?.();
      peak.rss = 0;
      peak.heap = 0;
      const started = performance.now();
      const failed = await run();
      const ms = performance.now() - started;
      const expectedDead = (kind: Kind) => kind === 'dead' || kind === 'soft';
      return {
        ms,
        deadFound: urls.filter((u, i) => expectedDead(u.kind) && failed[i]).length,
        falseDead: urls.filter((u, i) => !expectedDead(u.kind) && failed[i]).length,
        rssMb: peak.rss / 2 ** 20,
        heapMb: peak.heap / 2 ** 20,
      };
    };

    const checkerRun = async () => {
      const checker = createLinkChecker({
        scope: 'loopback',
        userAgent: linkCheckUserAgent('phatthalung-2567'),
      });
      try {
        const results = await checker.checkAll(
          urls.map((u) => u.url),
          CONCURRENCY,
        );
        return results.map((r) => r.outcome !== 'alive');
      } finally {
        await checker.close();
      }
    };

    const bareRun = async () => {
      const agent = new Agent({ connections: 2 });
      const failed: boolean[] = new Array(urls.length);
      let next = 0;
      const worker = async () => {
        while (next < urls.length) {
          const index = next;
          next += 1;
          let current = urls[index]!.url;
          for (let hops = 0; ; hops += 1) {
            const response = await request(current, { dispatcher: agent });
            const body = await response.body.text();
            const location = response.headers.location;
            if (
              response.statusCode >= 300 &&
              response.statusCode < 400 &&
              typeof location === 'string' &&
              hops < 5
            ) {
              current = new URL(location, current).href;
              continue;
            }
            failed[index] = response.statusCode >= 400 || body.includes('ไม่พบหน้า');
            break;
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      } finally {
        await agent.close();
      }
      return failed;
    };

    const rounds: Array<{
      bare: Awaited<ReturnType<typeof measure>>;
      check: Awaited<ReturnType<typeof measure>>;
    }> = [];
    // A first pass of each, not counted, warms up the JIT, both processes and the sockets' ports.
    await bareRun();
    await checkerRun();
    for (let round = 0; round < 2; round += 1) {
      const bare = await measure(bareRun);
      const check = await measure(checkerRun);
      rounds.push({ bare, check });
    }
    clearInterval(sampler);

    const f = (n: number) => n.toFixed(0);
    console.log(
      `bench:links — ${URLS} URLs, ${HOSTS} local hosts (127.0.0.2 … 127.0.0.${HOSTS + 1}), concurrency ${CONCURRENCY}`,
    );
    console.log(
      `expected: ${urls.filter((u) => u.kind === 'dead').length} dead, ${urls.filter((u) => u.kind === 'soft').length} soft 404, ${urls.filter((u) => u.kind === 'slow').length} slow, ${urls.filter((u) => u.kind === 'chain').length} redirect chains`,
    );
    rounds.forEach(({ bare, check }, i) => {
      console.log(
        `round ${i + 1}: bare undici ${f(bare.ms)} ms (peak RSS ${f(bare.rssMb)} MB, heap ${f(bare.heapMb)} MB); ` +
          `link checker ${f(check.ms)} ms (peak RSS ${f(check.rssMb)} MB, heap ${f(check.heapMb)} MB); ` +
          `ratio ${(check.ms / bare.ms).toFixed(2)}; checker found ${check.deadFound} dead, ${check.falseDead} false dead`,
      );
    });
    const best = (xs: number[]) => Math.min(...xs);
    const ratio = best(rounds.map((r) => r.check.ms)) / best(rounds.map((r) => r.bare.ms));
    const expected = urls.filter((u) => u.kind === 'dead' || u.kind === 'soft').length;
    const last = rounds.at(-1)!.check;
    const pass = ratio <= TARGET && last.deadFound === expected && last.falseDead === 0;
    console.log(
      `ratio (best of each) ${ratio.toFixed(2)} (target ≤ ${TARGET}); dead found ${last.deadFound}/${expected}; false deads ${last.falseDead}: ${pass ? 'PASS' : 'MISS'}`,
    );
    process.exitCode = pass ? 0 : 1;
  } finally {
    child.kill();
  }
}
