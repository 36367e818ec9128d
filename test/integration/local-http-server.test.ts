import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '#http/response';
import type { Route } from '#http/routes';
import { freePort } from '#local/dynamo-local';
import { createLocalApi } from '#local/http-server';

const routes: Route[] = [
  { method: 'GET', path: '/assessments/{id}/agencies/{agencyId}', fn: 'echo', auth: 'public' },
];

let server: Server;
let base = '';

beforeAll(async () => {
  server = createLocalApi({
    routes,
    loadHandler: async () => async (event) => json(200, { params: event.pathParameters }),
    authorize: async () => null,
  });
  const port = await freePort();
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
