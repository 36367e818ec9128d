import * as z from 'zod/mini';
import { parseConfig } from '#config';

/**
 * The deployment's public base URL (the web app's origin, which also fronts the API): the links a
 * function hands out (emails, calendar subscriptions) start with it, never with a Host header a
 * caller could set. Locally the system sets it to http://127.0.0.1:3000.
 */
export const PublicLinksConfig = z.object({
  PUBLIC_BASE_URL: z.string().check(z.url()),
});

let base: string | undefined;

/** The base without a trailing slash, read once per process. */
export const publicBaseUrl = (): string => {
  base ??= parseConfig(PublicLinksConfig).PUBLIC_BASE_URL.replace(/\/+$/, '');
  return base;
};
