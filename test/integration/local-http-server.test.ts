import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '#http/response';
import type { Route } from '#http/routes';
import { freePort } from '#local/dynamo-local';
import { createLocalApi } from '#local/http-server';

const routes: Route[] = [
  { method: 'GET', path: '/assessments/{id}/agencies/{agencyId}', fn: 'echo', auth: 'public' },
  { method: 'GET', path: '/private', fn: 'echo', auth: 'token' },
  { method: 'GET', path: '/refusing', fn: 'refuse', auth: 'token' },
  { method: 'PUT', path: '/upload', fn: 'echo', auth: 'public' },
];

/** Sends raw HTTP/1.1 (fetch folds repeated headers into one line); resolves with the status line and headers. */
const rawRequest = (port: number, lines: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      if (text.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
  });

let server: Server;
let base = '';
let port = 0;

beforeAll(async () => {
  server = createLocalApi({
    routes,
    loadHandler: async (fn) =>
      fn === 'refuse'
        ? async () => json(401, { error: { code: 'unauthorized', message: 'no', details: [] } })
        : async (event) => json(200, { params: event.pathParameters ?? null }),
    // Any single bearer token passes; no token at all is refused, as the real authorizer does.
    authorize: async (event) =>
      event.headers.authorization?.startsWith('Bearer ') ? { tokenId: 't' } : null,
  });
  port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the local API server', () => {
  it('answers 400 for a malformed percent-escape in a path parameter, like API Gateway, not a 500', async () => {
    // Act
    const responses = await Promise.all(
      ['%ZZ', '%', '%E0%A4%A', '%C0%AF'].map((segment) => fetch(`${base}/assessments/x/agencies/${segment}`)),
    );
    const bodies = await Promise.all(responses.map((r) => r.json()));

    // Assess
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(bodies.map((b) => b.error.code)).toEqual(bodies.map(() => 'validation_failed'));
  });

  it('passes a well-formed escape to the handler decoded', async () => {
    // Act
    const response = await fetch(`${base}/assessments/x/agencies/pt-%E0%B8%81`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ params: { id: 'x', agencyId: 'pt-ก' } });
  });
});

describe('the local API server where a client can tell it from API Gateway (issue 11 item 10)', () => {
  it('refuses two Authorization headers with 401 and a Bearer challenge, and takes one', async () => {
    // Act
    const two = await rawRequest(port, [
      'GET /private HTTP/1.1',
      'Host: 127.0.0.1',
      'Authorization: Bearer first',
      'Authorization: Bearer second',
      'Connection: close',
    ]);
    const one = await fetch(`${base}/private`, { headers: { authorization: 'Bearer first' } });

    // Assess
    expect(two.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
    expect(two.toLowerCase()).toContain('www-authenticate: bearer');
    expect(one.status).toBe(200);
  });

  it("puts WWW-Authenticate: Bearer on every 401, the authorizer's and a handler's", async () => {
    // Act
    const byAuthorizer = await fetch(`${base}/private`);
    const byHandler = await fetch(`${base}/refusing`, { headers: { authorization: 'Bearer x' } });

    // Assess
    expect([byAuthorizer.status, byHandler.status]).toEqual([401, 401]);
    expect(byAuthorizer.headers.get('www-authenticate')).toBe('Bearer');
    expect(byHandler.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers an oversized body with a JSON 413 on an intact connection', async () => {
    // Prepare: past API Gateway's 10 MB.
    const body = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);

    // Act
    const response = await fetch(`${base}/upload`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body,
    });

    // Assess
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
  });
});
