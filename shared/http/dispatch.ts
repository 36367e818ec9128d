import { NotFoundError } from '#domain/errors';
import type { HttpFunction } from './handler.ts';

/**
 * One Lambda serving several routes picks the route's function by `routeKey`
 * (`METHOD /path/{param}`), which API Gateway and the local server both set.
 */
export const dispatch =
  (byRoute: Record<string, HttpFunction>): HttpFunction =>
  async (event, context) => {
    const fn = byRoute[event.routeKey];
    if (!fn) throw new NotFoundError(`no route ${event.routeKey}`);
    return fn(event, context);
  };
