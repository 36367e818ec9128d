import { httpHandler } from '#http/handler';
import { json } from '#http/response';

/** GET /health: the API answers; no token, no table read (for load balancers and uptime checks). */
export const health = async () => json(200, { status: 'ok' }, { 'cache-control': 'no-store' });

export const handler = httpHandler(health);
