import { httpHandler } from '#http/handler';
import { openApiDocument } from '#http/openapi';
import { json } from '#http/response';

let document: ReturnType<typeof openApiDocument> | undefined;

/** GET /openapi.json (public): generated once per process from the routes and the zod schemas. */
export const getOpenApi = async () => {
  document ??= openApiDocument();
  return json(200, document, { 'cache-control': 'public, max-age=300' });
};

export const handler = httpHandler(getOpenApi);
