import * as z from 'zod/mini';
import { Slug } from '#domain/model';
import { dashboardResponse } from '#http/dashboard/page';
import { httpHandler } from '#http/handler';
import { parsePath } from '#http/request';
import type { HttpEvent, HttpResult } from '#http/types';

const Path = z.object({ id: Slug });

/**
 * GET /assessments/{id}/dashboard: the page's static shell, public. It holds no data; the page
 * asks the API for it with the viewer's token, so this function reads nothing.
 */
export const dashboard = async (event: HttpEvent): Promise<HttpResult> => {
  parsePath(event, Path);
  return dashboardResponse();
};

export const handler = httpHandler(dashboard);
