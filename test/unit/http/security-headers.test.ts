import { createHash } from 'node:crypto';
import { securityHeaders } from '../../../shared/http/security-headers';
import { messagePage } from '../../../shared/views/pages';
import { STYLESHEET } from '../../../shared/views/styles';
import { translator } from '../../../shared/i18n/messages';
import { UNBRANDED } from '../../../shared/brand/brand';
import { SIGN_IN_EXPIRED } from '../../../shared/http/errors';

const EN = translator('en');

function directives(csp: string | undefined): Map<string, string[]> {
  return new Map(
    (csp ?? '').split(';').map((directive) => {
      const [name = '', ...values] = directive.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

const PAGE = messagePage(
  {
    title: { key: 'error.badRequest.title' },
    message: { key: 'error.notJson' },
    technical: [{ label: 'error', value: 'e', code: true }],
  },
  EN,
).value;

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('securityHeaders', () => {
  const headers = securityHeaders({ allowHttpFormTargets: false, body: PAGE });
  const csp = directives(headers['content-security-policy']);

  it('sets a CSP that denies by default and never allows inline code', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(csp.has('script-src')).toBe(false);
  });

  it('allows exactly our stylesheet by its hash', () => {
    expect(csp.get('style-src')).toEqual([hashOf(STYLESHEET)]);
  });

  it('allows the one <style> a page carries, and nothing else: no style attributes', () => {
    const styles = [...PAGE.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]);

    expect(styles).toHaveLength(1);
    expect(csp.get('style-src')).toEqual([hashOf(styles[0] ?? '')]);
    expect(PAGE).not.toMatch(/\sstyle=/i);
  });

  it("allows a branded page's own stylesheet, the brand colour in it, and not the plain one", () => {
    const branded = messagePage(SIGN_IN_EXPIRED, EN, {
      ...UNBRANDED,
      name: 'Acme',
      colour: '#1d4ed8',
    }).value;
    const style = /<style>([^<]*)<\/style>/.exec(branded)?.[1] ?? '';
    const brandedCsp = directives(
      securityHeaders({ allowHttpFormTargets: false, body: branded })['content-security-policy'],
    );

    expect(style).toContain('--accent:#1d4ed8');
    expect(brandedCsp.get('style-src')).toEqual([hashOf(style)]);
    expect(brandedCsp.get('style-src')).not.toEqual([hashOf(STYLESHEET)]);
  });

  it('allows no stylesheet in a response that carries none (a redirect, JSON)', () => {
    const redirect = directives(
      securityHeaders({ allowHttpFormTargets: false, body: '' })['content-security-policy'],
    );

    expect(redirect.get('style-src')).toEqual(["'none'"]);
  });

  it('allows data: images only when the operator logo is an inlined file', () => {
    const inlined = directives(
      securityHeaders({ allowHttpFormTargets: false, body: PAGE, allowDataImages: true })[
        'content-security-policy'
      ],
    );

    expect(inlined.get('img-src')).toEqual(['https:', 'data:']);
  });

  it('forbids framing and base URLs, and allows only https images', () => {
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('img-src')).toEqual(['https:']);
    expect(headers['x-frame-options']).toBe('DENY');
  });

  it('lets forms post to ourselves and follow https redirects, but not http when secure', () => {
    expect(csp.get('form-action')).toEqual(["'self'", 'https:']);
  });

  it('allows http form targets only for local http development', () => {
    const local = directives(
      securityHeaders({ allowHttpFormTargets: true })['content-security-policy'],
    );

    expect(local.get('form-action')).toEqual(["'self'", 'https:', 'http:']);
  });

  it('sets HSTS, no-referrer, no-store and nosniff', () => {
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});
