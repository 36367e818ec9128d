/**
 * Types of the three undici modules the link checker imports by path (`shared/adapters/link-checker.ts`):
 * undici's package entry loads every part of the library at import (fetch, WebSocket, caches, mocks),
 * 700 KB the checker never runs. The types are undici's own, from its package entry; undici is pinned
 * at an exact version, so these paths move only when the lockfile does (the link checker's tests
 * run through them).
 */
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';

  const UndiciAgent: typeof Agent;
  export default UndiciAgent;
}

declare module 'undici/lib/core/connect.js' {
  import type { buildConnector } from 'undici';

  const build: typeof buildConnector;
  export default build;
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';

  /** `Dispatcher.prototype.request`: undici's package entry mixes it into every dispatcher; called here on the agent. */
  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  export default request;
}
