import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { HttpResult } from '#http/types';
import { WEB_SECURITY_HEADERS } from '#http/web-headers';

/** What `/config.json` tells the app: the assessment `#/` opens and the province's name. */
export type WebConfig = { assessmentId: string; province: string };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/**
 * Serves the built app (`web/dist`, see scripts/build-web.ts) the way CloudFront does: index.html
 * at `/` revalidated on every load, hashed assets cached for a year, `/config.json`, and the
 * security headers of `shared/http/web-headers.ts` on every answer. Returns null for any other
 * path, which the local API then answers as API Gateway would (404).
 */
export const createWebAssets =
  (dir: string, config: WebConfig) =>
  (path: string): HttpResult | null => {
    const file =
      path === '/' || path === '/index.html'
        ? 'index.html'
        : path.startsWith('/assets/')
          ? path.slice(1)
          : null;
    if (path === '/config.json')
      return {
        statusCode: 200,
        headers: { ...WEB_SECURITY_HEADERS, 'content-type': TYPES['.json']!, 'cache-control': 'no-cache' },
        body: JSON.stringify(config),
      };
    if (!file) return null;
    const full = normalize(join(dir, file));
    if (!full.startsWith(normalize(dir) + sep) || !existsSync(full) || !TYPES[extname(full)]) return null;
    const bytes = readFileSync(full);
    const binary = extname(full) === '.woff2';
    return {
      statusCode: 200,
      headers: {
        ...WEB_SECURITY_HEADERS,
        'content-type': TYPES[extname(full)]!,
        'cache-control': file === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
      },
      body: binary ? bytes.toString('base64') : bytes.toString('utf8'),
      ...(binary ? { isBase64Encoded: true } : {}),
    };
  };
