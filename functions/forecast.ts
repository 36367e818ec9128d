import * as z from 'zod/mini';
import { Slug } from '#domain/model';
import { httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent, HttpResult } from '#http/types';
import { tableRuntime } from '#runtime/table';
import { getForecast } from '#use-cases/forecast';

const Path = z.object({ id: Slug });

/** GET /assessments/{id}/forecast: the projected score, both ends, and what reaching 85 and 95 takes. */
export const forecast = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  return json(200, await getForecast(tableRuntime(), principal, id), { 'cache-control': 'no-store' });
};

export const handler = httpHandler(forecast);
