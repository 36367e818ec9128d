import ipaddr from 'ipaddr.js';
import { requestHeader } from './request.ts';
import type { HttpEvent } from './types.ts';

/**
 * The header the CloudFront distribution sets on every API request to the viewer's own address.
 * Behind CloudFront, API Gateway's `sourceIp` is the edge's address, shared by everyone the same
 * edge serves (a whole province on a Monday morning); a CloudFront Function on the API's
 * behaviours writes `event.viewer.ip` here, overwriting whatever a client sent under this name.
 */
export const VIEWER_ADDRESS_HEADER = 'x-ita-viewer-address';

/**
 * The CloudFront Function (runtime cloudfront-js-2.0) that sets {@link VIEWER_ADDRESS_HEADER}:
 * kept here beside the reader so the two cannot disagree on the name.
 */
export const VIEWER_ADDRESS_FUNCTION_CODE = `function handler(event) {
  event.request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: event.viewer.ip };
  return event.request;
}`;

/**
 * Whom to count a request against (the per-source sign-in limits): the viewer's address set at
 * the edge when it is an IP address, else the connection's source. A caller that skips
 * CloudFront and calls the execute-api URL directly can choose this header, and so its bucket;
 * the limits per address and per code do not depend on it.
 */
export const viewerAddress = (event: HttpEvent): string => {
  const set = requestHeader(event, VIEWER_ADDRESS_HEADER)?.trim();
  if (set && ipaddr.isValid(set)) return ipaddr.process(set).toString();
  return event.requestContext.http.sourceIp || 'unknown';
};
