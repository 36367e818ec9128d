import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { errorResponse } from './response.ts';
import type { HttpEvent, HttpResult } from './types.ts';

export type HttpFunction = (event: HttpEvent, context: Context) => Promise<HttpResult>;

const logError = (message: string, error: unknown) => {
  console.error(
    JSON.stringify({ level: 'ERROR', message, error: error instanceof Error ? error.stack : String(error) }),
  );
};

/**
 * Wraps an HTTP function with the one error mapping. The raw function stays exported by each
 * entry point so tests can call it without middy.
 */
export const httpHandler = (fn: HttpFunction) =>
  middy<HttpEvent, HttpResult>()
    .onError((request) => {
      request.response = errorResponse(request.error, logError);
    })
    .handler(fn);
