import fc from 'fast-check';
import { checkIdentifier, MAX_IDENTIFIER_LENGTH } from '../../../shared/users/identifier';
import type { ClientView } from '../../../shared/flows/client';
import type { ConsentForm } from '../../../shared/flows/consent';
import type { LoginForm } from '../../../shared/flows/login';
import { MAX_PASSWORD_LENGTH, newPasswordProblem } from '../../../shared/users/password-policy';
import { hydraErrorPage } from '../../../shared/views/hydra-error';
import { consentPage, loginPage, logoutPage, messagePage } from '../../../shared/views/pages';
import { STYLESHEET } from '../../../shared/views/styles';
import { UNBRANDED, type Brand } from '../../../shared/brand/brand';
import { codePoint } from '../support/code-points';
import { translator } from '../../../shared/i18n/messages';

const EN = translator('en');

const XSS = `"><script>alert(1)</script><img src=x onerror=alert(2)>`;
const CHALLENGE = 'secret-challenge-7f3a';

function hostileClient(overrides: Partial<ClientView> = {}): ClientView {
  return {
    name: XSS,
    logoUri: 'javascript:alert(3)',
    policyUri: 'data:text/html,<script>alert(4)</script>',
    tosUri: 'http://app.example/tos',
    clientUri: 'javascript:alert(5)',
    ...overrides,
  };
}

/** No live markup from the hostile string: every < and " in it arrived escaped. */
function expectNoInjection(page: string) {
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toContain('<img src=x');
  expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
  expect(page).not.toMatch(/(href|src)="(javascript|data|http):/i);
}

const form = { challenge: CHALLENGE, csrfToken: '1714557600.token' };

/** The sign-in page of a view: an empty form for Demo, with `view` on top. */
const signIn = (view: Partial<LoginForm>) =>
  loginPage({ client: { name: 'Demo' }, identifier: '', remember: false, ...view }, form, EN).value;

describe('loginPage', () => {
  it('escapes a hostile client name and login hint', () => {
    const page = signIn({
      client: hostileClient(),
      identifier: `${XSS}@example.com`,
    });

    expectNoInjection(page);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;');
  });

  it('escapes the error message', () => {
    const page = signIn({
      client: hostileClient(),
      error: { key: 'error.duplicateField', params: { field: XSS } },
    });

    expectNoInjection(page);
    expect(page).toContain('role="alert"');
  });

  it('ties wrong credentials to both fields: described by the error, marked invalid', () => {
    const page = signIn({
      error: { key: 'page.signIn.invalidCredentials' },
      invalidCredentials: true,
    });

    expect(page).toContain('<div class="alert" role="alert" id="login-error">');
    for (const field of ['identifier', 'password']) {
      const input = new RegExp(`<input\\s+id="${field}"[^>]*>`).exec(page)?.[0] ?? '';
      expect(input).toMatch(/aria-describedby="login-error"\s+aria-invalid="true"/);
    }
  });

  it('describes the fields by an error that is not about them, without marking them invalid', () => {
    const page = signIn({
      error: { key: 'page.signIn.throttled', count: 5 },
      invalidCredentials: false,
    });

    expect(page.match(/aria-describedby="login-error"/g)).toHaveLength(2);
    expect(page).not.toContain('aria-invalid');
  });

  it('ties nothing to the fields without an error', () => {
    const page = signIn({});

    expect(page).not.toMatch(/aria-describedby|aria-invalid|id="login-error"/);
  });

  it('shows the logo and the links only for https URLs, opening safely', () => {
    const page = signIn({
      client: {
        name: 'Demo',
        logoUri: 'https://app.example/logo.png',
        policyUri: 'https://app.example/privacy',
        tosUri: 'https://app.example/tos',
        clientUri: 'https://app.example/',
      },
    });

    expect(page).toMatch(/<img\s+src="https:\/\/app\.example\/logo\.png"/);
    expect(page).toContain('href="https://app.example/privacy"');
    expect(page).toContain('href="https://app.example/tos"');
    expect(page.match(/rel="noopener noreferrer"/g)).toHaveLength(3);
  });

  it('drops the logo and links for javascript:, data: and http: URLs', () => {
    const page = signIn({
      client: hostileClient(),
    });

    expect(page).not.toContain('<img');
    expect(page).not.toContain('<a ');
    expect(page).not.toContain('Privacy policy');
    expect(page).not.toContain('Terms of service');
  });

  /** The maxlength of a field of an empty sign-in form. */
  function maxlengthOf(field: string): number {
    const page = loginPage({ client: { name: 'Demo' }, identifier: '', remember: false }, form, EN);
    const pattern = new RegExp(`<input[^>]*name="${field}"[^>]*maxlength="(\\d+)"`, 's');
    return Number(pattern.exec(page.value)?.[1]);
  }

  it('caps the password field at the policy’s maximum, which counts what maxlength counts (UTF-16 code units)', () => {
    const maxlength = maxlengthOf('password');
    expect(maxlength).toBe(MAX_PASSWORD_LENGTH);
    // The longest password the policy accepts fits, counted as a browser counts it.
    const longest = '\u{1F600}'.repeat(MAX_PASSWORD_LENGTH / 2);
    expect(newPasswordProblem(longest)).toBeUndefined();
    expect(longest.length).toBeLessThanOrEqual(maxlength);
    expect(newPasswordProblem(`${longest}a`)).toBeDefined();
  });

  it('caps the email field at the longest identifier a user can have', () => {
    expect(maxlengthOf('identifier')).toBe(MAX_IDENTIFIER_LENGTH);
    const longest = `${'a'.repeat(MAX_IDENTIFIER_LENGTH - '@example.com'.length)}@example.com`;
    expect(checkIdentifier(longest).ok).toBe(true);
    expect(checkIdentifier(`a${longest}`).ok).toBe(false);
  });

  it('carries the challenge and the CSRF token in hidden fields of a POST form, and no script', () => {
    const page = signIn({
      identifier: 'a@example.com',
      remember: true,
    });

    expect(page).toContain('<form method="post" action="/login">');
    expect(page).toContain(`name="challenge" value="${CHALLENGE}"`);
    expect(page).toContain('name="csrf" value="1714557600.token"');
    expect(page).not.toMatch(/<script/i);
    expect(page).toMatch(/name="remember" value="1"\s+checked/);
  });
});

describe('consentPage', () => {
  it('escapes hostile scope names, audiences, user name and client name', () => {
    const page = consentPage(
      {
        client: hostileClient(),
        userName: XSS,
        scopes: [
          { name: XSS, description: undefined, required: false },
          { name: 'openid', description: 'scope.openid', required: true },
        ],
        audiences: [XSS],
      },
      form,
      EN,
    ).value;

    expectNoInjection(page);
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;');
  });

  it('shows required scopes ticked and disabled, the others ticked and editable', () => {
    const page = consentPage(
      {
        client: { name: 'Demo' },
        userName: 'alice@example.com',
        scopes: [
          { name: 'openid', description: 'scope.openid', required: true },
          { name: 'email', description: 'scope.email', required: false },
        ],
        audiences: [],
      },
      form,
      EN,
    ).value;

    expect(page).toMatch(/value="openid"\s+checked\s+disabled/);
    expect(page).toMatch(/value="email"\s+checked\s+\/>/);
    expect(page).toContain('See your email address');
  });
});

describe('client logo', () => {
  const login = (client: ClientView) =>
    loginPage({ client, identifier: '', remember: false }, form, EN).value;

  it("carries the client's initial, for the stylesheet to show in place of a logo that fails", () => {
    const page = login({ name: ' émile app', logoUri: 'https://app.example/logo.png' });

    expect(page).toMatch(
      /<img\s+src="https:\/\/app\.example\/logo\.png"\s+alt=""[^>]*data-initial="É"/,
    );
    expect(page).not.toMatch(/onerror|<script/i);
    expect(STYLESHEET).toContain('.client img::after{content:attr(data-initial);position:absolute');
  });

  it('escapes the initial of a hostile client name', () => {
    const page = login({ name: XSS, logoUri: 'https://app.example/logo.png' });

    expect(page).toContain('data-initial="&quot;"');
  });
});

describe('consentPage: leading on', () => {
  const view: ConsentForm = {
    client: { name: 'Demo' },
    userName: 'alice@example.com',
    scopes: [{ name: 'openid', description: 'scope.openid', required: true }],
    audiences: ['https://api.example/v1', 'urn:reports'],
  };

  it('puts "Remember this decision" in its own fieldset, apart from the audiences', () => {
    const page = consentPage(view, form, EN).value;

    const fieldsets = [...page.matchAll(/<fieldset[\s\S]*?<\/fieldset>/g)].map((m) => m[0]);
    expect(fieldsets).toHaveLength(3);
    expect(fieldsets[1]).toContain('<legend>For use with:</legend>');
    expect(fieldsets[1]).not.toContain('name="remember"');
    expect(fieldsets[2]).toContain('name="remember"');
    expect(fieldsets[2]).not.toContain('name="audience"');
  });

  it('names a URL audience by its host, with the whole value below it', () => {
    const page = consentPage(view, form, EN).value;

    expect(page).toContain(
      '<span>api.example<small><code>https://api.example/v1</code></small></span>',
    );
    expect(page).toContain('<span><code>urn:reports</code></span>');
  });

  it('offers "Not you? Use another account" as a link to the URL the flow gave, escaped', () => {
    const page = consentPage(
      { ...view, switchAccountUrl: 'https://hydra.example/oauth2/auth?a="1"&prompt=login' },
      form,
      EN,
    ).value;

    expect(page).toContain(
      'Not you? <a href="https://hydra.example/oauth2/auth?a=&quot;1&quot;&amp;prompt=login">Use another account</a>',
    );
  });

  it('offers no other account when there is no URL to restart the sign-in at', () => {
    expect(consentPage(view, form, EN).value).not.toContain('Not you?');
  });
});

describe('logout pages', () => {
  it('escapes a hostile client name on the confirm page', () => {
    const page = logoutPage(
      { page: 'confirm', clientName: XSS, account: undefined },
      form,
      EN,
    ).value;

    expectNoInjection(page);
    expect(page).toContain('&lt;script&gt;');
  });

  it('names the account being signed out, its name and email escaped and isolated', () => {
    const page = logoutPage(
      { page: 'confirm', clientName: 'Demo', account: { email: 'a@example.com', name: XSS } },
      form,
      EN,
    ).value;

    expectNoInjection(page);
    expect(page).toContain(
      'You are signed in as <strong><bdi>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</bdi></strong> (<bdi>a@example.com</bdi>).',
    );
  });

  it('asks without an account sentence when the account is not known', () => {
    const page = logoutPage(
      { page: 'confirm', clientName: 'Demo', account: undefined },
      form,
      EN,
    ).value;

    expect(page).not.toContain('You are signed in as');
  });

  it('says the user is still signed in after staying, without the challenge', () => {
    const page = logoutPage({ page: 'stayed', client: undefined }, form, EN).value;

    expect(page).toContain('You are still signed in');
    expect(page).toContain('You can close this page and go back to the application.');
    expect(page).not.toContain(CHALLENGE);
    expect(page).not.toContain('<form');
    expect(page).not.toContain('<a ');
  });

  it("leads back to the client's https client_uri after staying, its name escaped", () => {
    const client = hostileClient({ clientUri: 'https://app.example/home?a=1&b="2"' });

    const page = logoutPage({ page: 'stayed', client }, form, EN).value;

    expect(page).toContain(
      '<a class="back" href="https://app.example/home?a=1&amp;b=%222%22" rel="noreferrer">Back to &quot;&gt;&lt;script&gt;',
    );
    expectNoInjection(page);
  });

  it.each(['javascript:alert(5)', 'http://app.example/', '//evil.example/', undefined])(
    'offers no way back after staying when the client_uri is %s',
    (clientUri) => {
      const page = logoutPage(
        { page: 'stayed', client: { name: 'Demo App', clientUri } },
        form,
        EN,
      ).value;

      expect(page).not.toContain('<a ');
      expect(page).toContain('You can close this page and go back to the application.');
    },
  );

  it('asks with a form carrying the challenge when confirming', () => {
    const page = logoutPage(
      { page: 'confirm', clientName: 'Demo', account: undefined },
      form,
      EN,
    ).value;

    expect(page).toContain('<form method="post" action="/logout">');
    expect(page).toContain(`value="${CHALLENGE}"`);
  });
});

describe('messagePage and Hydra error pages', () => {
  const hydraPage = (input: Parameters<typeof hydraErrorPage>[0]) =>
    messagePage(hydraErrorPage(input).view, EN).value;
  /** The page without its details element: what the page says in its own voice. */
  const ownWords = (page: string) => page.replace(/<details>[\s\S]*<\/details>/, '');
  const detailsOf = (page: string) => /<details>[\s\S]*<\/details>/.exec(page)?.[0] ?? '';

  it('escapes a hostile error_description, error_hint and error', () => {
    const page = hydraPage({
      error: XSS,
      description: XSS,
      hint: `<a href="javascript:x">hint</a>`,
    });

    expectNoInjection(page);
    expect(page).not.toContain('<a href');
    expect(detailsOf(page)).toContain('&lt;a href=&quot;javascript:x&quot;&gt;hint&lt;/a&gt;');
  });

  it("never says Hydra's description or hint as its own words, only under Technical details", () => {
    const description = 'Your account is suspended, call +1-555-0100';
    const hint = 'Email your password to help@evil.example';
    for (const error of ['invalid_request', 'access_denied', 'server_error', 'nope', undefined]) {
      const page = hydraPage({ error, description, hint });

      expect(ownWords(page)).not.toContain('suspended');
      expect(ownWords(page)).not.toContain('evil.example');
      expect(detailsOf(page)).toContain(description);
      expect(detailsOf(page)).toContain(hint);
      expect(detailsOf(page)).toMatch(/^<details>\s*<summary>Technical details<\/summary>/);
    }
  });

  it('takes the title, the <title> and the message from the code, never from the URL', () => {
    const page = hydraPage({
      error: 'access_denied',
      description: 'Sign-in blocked',
      hint: 'Call us',
    });

    expect(page).toContain('<title>Access was not granted</title>');
    expect(page).toContain('<h1>Access was not granted</h1>');
    expect(ownWords(page)).toMatch(/<p>[^<]*go back to the application and try again\.<\/p>/i);
  });

  it('shows an unknown code only under Technical details, with the generic words', () => {
    const page = hydraPage({ error: 'account_suspended', description: undefined, hint: undefined });

    expect(page).toContain('<h1>Sign-in could not be completed</h1>');
    expect(ownWords(page)).not.toContain('account_suspended');
    expect(detailsOf(page)).toContain('<code>account_suspended</code>');
  });

  it('explains in plain words when Hydra gave no details at all, with no details section', () => {
    const { status, view } = hydraErrorPage({
      error: undefined,
      description: undefined,
      hint: undefined,
    });

    expect(status).toBe(400);
    expect([view.message, view.next]).toEqual([
      { key: 'oauth.generic.message' },
      { key: 'oauth.tryAgain' },
    ]);
    const page = messagePage(view, EN).value;
    expect(page).toContain(
      '<p>The sign-in request could not be completed. Go back to the application and try again.</p>',
    );
    expect(page).not.toContain('<details');
  });

  describe("the operator's home page (BRAND_HOME_URL) as the way back", () => {
    const brand = (fields: Partial<Brand>): Brand => ({ ...UNBRANDED, ...fields });
    const expired = hydraErrorPage({
      error: 'invalid_request',
      description: undefined,
      hint: undefined,
    }).view;

    it('leads back to it, by the brand name, from a page without a way back of its own', () => {
      const page = messagePage(
        expired,
        EN,
        brand({ name: 'Acme', home: 'https://acme.example/' }),
      ).value;

      expect(page).toContain(
        '<a class="back" href="https://acme.example/" rel="noreferrer">Back to Acme</a>',
      );
    });

    it('calls it the home page when the brand has no name', () => {
      const page = messagePage(expired, EN, brand({ home: 'https://acme.example/' })).value;

      expect(page).toContain('>Back to the home page</a>');
    });

    it("keeps the page's own way back (the client's site) instead", () => {
      const page = messagePage(
        { ...expired, back: { href: 'https://app.example/', text: 'Back to Demo App' } },
        EN,
        brand({ name: 'Acme', home: 'https://acme.example/' }),
      ).value;

      expect(page).toContain('href="https://app.example/"');
      expect(page).not.toContain('acme.example');
    });

    it('offers no link when none is configured', () => {
      expect(messagePage(expired, EN, brand({ name: 'Acme' })).value).not.toContain('class="back"');
    });
  });

  it('shortens very long error, description and hint to 500 characters', () => {
    const { view } = hydraErrorPage({
      error: 'e'.repeat(5000),
      description: 'x'.repeat(5000),
      hint: 'y'.repeat(5000),
    });

    expect(view.technical?.map((detail) => detail.value.length)).toEqual([500, 500, 500]);
    expect(view.technical?.every((detail) => detail.value.endsWith('…'))).toBe(true);
  });

  it('shows technical details only in a collapsed, labelled details element, escaped', () => {
    const page = messagePage(
      {
        title: { key: 'error.expired.title' },
        message: { key: 'error.expired.message' },
        technical: [
          { label: 'error', value: XSS, code: true },
          { label: 'error_description', value: `Call +1-555-0100 ${XSS}` },
        ],
      },
      EN,
    ).value;

    expectNoInjection(page);
    const details = /<details>([\s\S]*)<\/details>/.exec(page)?.[1] ?? '';
    expect(details).toMatch(/^\s*<summary>Technical details<\/summary>/);
    expect(details).not.toMatch(/<details\b[^>]*\bopen\b/);
    expect(details).toContain('<dt>error</dt>');
    expect(details).toContain('<code>&quot;&gt;&lt;script&gt;');
    expect(details).toContain('<dt>error_description</dt>');
    expect(details).toContain('Call +1-555-0100');
    expect(page.replace(/<details>[\s\S]*<\/details>/, '')).not.toContain('+1-555-0100');
  });

  it('has no details element when there are no technical details', () => {
    expect(
      messagePage(
        { title: { key: 'error.expired.title' }, message: { key: 'error.expired.message' } },
        EN,
      ).value,
    ).not.toContain('<details');
    expect(
      messagePage(
        {
          title: { key: 'error.expired.title' },
          message: { key: 'error.expired.message' },
          technical: [],
        },
        EN,
      ).value,
    ).not.toContain('<details');
  });

  it('has no form and no hidden fields, so nothing like a challenge can be carried', () => {
    const page = messagePage(
      { title: { key: 'error.expired.title' }, message: { key: 'error.expired.message' } },
      EN,
    ).value;

    expect(page).not.toContain('<form');
    expect(page).not.toContain('type="hidden"');
  });
});

describe('escaping, over any input', () => {
  const tags = (page: string) => page.split('<').length;
  const page = (text: string) =>
    signIn({
      client: { name: text, logoUri: text, policyUri: text },
      identifier: text,
      error: { key: 'error.duplicateField', params: { field: text } },
    });

  it('adds no tag and no attribute to the login page, whatever the client and user send', () => {
    const benign = page('x');
    fc.assert(
      fc.property(fc.string({ unit: codePoint, minLength: 1 }), (text) => {
        const rendered = page(text);
        expect(tags(rendered)).toBe(tags(benign));
        expect(rendered.split('"').length).toBe(benign.split('"').length);
      }),
    );
  });
});
