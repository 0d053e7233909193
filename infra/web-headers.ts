// The security headers of the web app, one definition for both places that serve it: the CloudFront
// response-headers policy (infra/stacks/web-stack.ts) and the local server (infra/local/web-app.ts), so a
// page that breaks the policy breaks in the browser tests too, not first in AWS.

/**
 * Scripts, styles and images only from the app's own origin; requests only to it and to `connectTo`. A
 * material staff open is fetched with the token and shown from a blob: URL (an image, or a PDF in a frame).
 */
export function contentSecurityPolicy(connectTo: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "frame-src blob:",
    `connect-src ${["'self'", ...connectTo].join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const REFERRER_POLICY = 'strict-origin-when-cross-origin';
/** Two years, with subdomains: the CloudFront domain serves nothing over plain HTTP. */
export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 3600;
