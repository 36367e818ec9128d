import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '#http/response';
import type { Route } from '#http/routes';
import { clockNow } from '#runtime/clock';
import { type LocalApi, startLocalApi } from '#test/local-api';

/**
 * Two local systems in one process: each local API passes its own stand-ins with every request,
 * so two requests in flight at the same moment each see their own system's campaign clock.
 */

const routes: Route[] = [{ method: 'GET', path: '/now', fn: 'now', auth: 'public' }];

let arrived = 0;
let openGate: () => void = () => undefined;
const bothInFlight = new Promise<void>((resolve) => {
  openGate = resolve;
});

/** Reads the clock, waits until the other system's request is running too, and reads it again. */
const loadHandler = async () => async () => {
  const before = clockNow().toISOString();
  arrived += 1;
  if (arrived === 2) openGate();
  await bothInFlight;
  return json(200, { before, after: clockNow().toISOString() });
};

const apis: LocalApi[] = [];

beforeAll(async () => {
  for (const iso of ['2024-02-15T01:00:00.000Z', '2025-06-30T09:30:00.000Z'])
    apis.push(
      await startLocalApi({
        routes,
        loadHandler,
        authorize: async () => null,
        standIns: { clock: () => new Date(iso) },
      }),
    );
});

afterAll(async () => {
  for (const api of apis) await api.close();
});

describe('two local systems in one process', () => {
  it('each keep their own campaign clock while their requests run at the same time', async () => {
    // Act
    const [first, second] = await Promise.all(
      apis.map(async (api) => (await fetch(`${api.baseUrl}/now`)).json()),
    );

    // Assess
    expect(first).toEqual({ before: '2024-02-15T01:00:00.000Z', after: '2024-02-15T01:00:00.000Z' });
    expect(second).toEqual({ before: '2025-06-30T09:30:00.000Z', after: '2025-06-30T09:30:00.000Z' });
  });
});
