import type { AddressInfo } from 'node:net';
import { routes } from '#http/routes';
import { createLocalAuthorizer } from '#local/auth';
import { createLocalApi, type LocalApiOptions, type LocalHandler } from '#local/http-server';

/** A Lambda's handler, loaded from its file in functions/ as the local server does under `npm start`. */
export const loadFunctionHandler = async (fn: string): Promise<LocalHandler> =>
  ((await import(`../../functions/${fn}.ts`)) as { handler: LocalHandler }).handler;

export type LocalApi = { baseUrl: string; close: () => Promise<void> };

/**
 * The local HTTP API on a port of 127.0.0.1 the system picks: by default every route of
 * `shared/http/routes.ts`, the real authorizer and the real handlers. `close` ends the
 * connections fetch keeps alive too, so a test file's teardown never waits on them.
 */
export const startLocalApi = async (options: Partial<LocalApiOptions> = {}): Promise<LocalApi> => {
  const server = createLocalApi({
    routes,
    loadHandler: loadFunctionHandler,
    authorize: createLocalAuthorizer(),
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
