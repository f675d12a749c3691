import { translator } from '../../../shared/i18n/messages';
import { GENERIC_ERROR, oauthErrorView } from '../../../shared/views/hydra-error';

/** What the page says for a code, in English: its title, and its message with what to do next. */
function english(code: string | undefined): { title: string; message: string } {
  const t = translator('en');
  const view = oauthErrorView(code);
  return {
    title: t.text(view.title),
    message: [view.message, view.next].flatMap((key) => (key ? [t.text(key)] : [])).join(' '),
  };
}

/** The documented table (see shared/views/hydra-error.ts and README), written out again here. */
const STATUS: Record<string, number> = {
  access_denied: 403,
  request_forbidden: 403,
  login_required: 403,
  consent_required: 403,
  interaction_required: 403,
  account_selection_required: 403,
  invalid_client: 401,
  invalid_request: 400,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  invalid_request_uri: 400,
  invalid_request_object: 400,
  request_not_supported: 400,
  request_uri_not_supported: 400,
  registration_not_supported: 400,
  server_error: 500,
  temporarily_unavailable: 503,
};
const CODES = Object.keys(STATUS);

describe('oauthErrorView: fixed words per OAuth error code', () => {
  it.each(CODES)('answers %s with its status from the table', (code) => {
    expect(oauthErrorView(code).status).toBe(STATUS[code]);
  });

  it.each(CODES)('has its own title and message for %s, not the generic ones', (code) => {
    const view = oauthErrorView(code);

    expect(view.title).not.toBe(GENERIC_ERROR.title);
    expect(view.message).not.toBe(GENERIC_ERROR.message);
  });

  it.each(CODES)('tells the user the way forward for %s, in plain words', (code) => {
    const { title, message } = english(code);

    expect(message).toMatch(/go back to the application and try again\.$/i);
    // Written for end users: no protocol jargon, not the code itself.
    for (const words of [title, message]) {
      expect(words).not.toContain('_');
      expect(words).not.toMatch(/\b(oauth|openid|oidc|client|scope|grant|uri|hydra)\b/i);
    }
  });

  it('gives the refusals and the "needs you" codes distinct titles', () => {
    const titles = new Set(
      [
        'access_denied',
        'login_required',
        'consent_required',
        'interaction_required',
        'account_selection_required',
      ].map((code) => oauthErrorView(code).title),
    );

    expect(titles.size).toBe(5);
  });

  it.each([
    ['a missing code', undefined],
    ['an empty code', ''],
    ['an unknown code', 'no_such_error'],
    ['a code in another case', 'ACCESS_DENIED'],
    ['a code with spaces', ' access_denied'],
    ['an inherited property name', 'constructor'],
    ['__proto__', '__proto__'],
    ['toString', 'toString'],
    ['hostile text', 'Your account is suspended, call +1-555-0100'],
  ])('answers %s with the one generic message and 400', (_what, code) => {
    expect({ status: oauthErrorView(code).status, ...english(code) }).toEqual({
      status: 400,
      title: 'Sign-in could not be completed',
      message:
        'The sign-in request could not be completed. Go back to the application and try again.',
    });
  });
});
