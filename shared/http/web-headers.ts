/**
 * The security headers of every page of the web app, one list for both places that serve it:
 * CloudFront's response-headers policy (infra) and the local server (`npm start`, the browser
 * tests), so a page that breaks the policy breaks in the tests before it deploys.
 *
 * The policy allows nothing but this origin: scripts, styles and fonts are files of the app
 * (no inline script or style, no CDN, fonts bundled), and the API is on the same origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Two years, the usual preload-grade lifetime; subdomains included. */
export const STRICT_TRANSPORT_SECURITY_SECONDS = 63_072_000;

export const WEB_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'strict-transport-security': `max-age=${STRICT_TRANSPORT_SECURITY_SECONDS}; includeSubDomains`,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};
