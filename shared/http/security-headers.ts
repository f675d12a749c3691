/**
 * The headers every response carries, errors and redirects included.
 *
 * `form-action`: Chromium checks it on every redirect hop after a form POST (ours → Hydra → the
 * client's redirect_uri), and we cannot list every client's redirect URI. So it allows our own
 * origin and any https URL — which still blocks javascript:, data: and plain-http targets — and,
 * only when cookies are not Secure (local http development), http: too.
 */
import { STYLESHEET_HASH } from '../views/styles';

export function securityHeaders(options: {
  allowHttpFormTargets: boolean;
}): Record<string, string> {
  const formAction = ["'self'", 'https:', ...(options.allowHttpFormTargets ? ['http:'] : [])];
  return {
    'content-security-policy': [
      "default-src 'none'",
      `style-src ${STYLESHEET_HASH}`,
      'img-src https:',
      `form-action ${formAction.join(' ')}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
