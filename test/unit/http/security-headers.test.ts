import { createHash } from 'node:crypto';
import { securityHeaders } from '../../../shared/http/security-headers';
import { messagePage } from '../../../shared/views/pages';
import { STYLESHEET } from '../../../shared/views/styles';
import { translator } from '../../../shared/i18n/messages';

const EN = translator('en');

function directives(csp: string | undefined): Map<string, string[]> {
  return new Map(
    (csp ?? '').split(';').map((directive) => {
      const [name = '', ...values] = directive.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('securityHeaders', () => {
  const headers = securityHeaders({ allowHttpFormTargets: false });
  const csp = directives(headers['content-security-policy']);

  it('sets a CSP that denies by default and never allows inline code', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(csp.has('script-src')).toBe(false);
  });

  it('allows exactly our stylesheet by its hash', () => {
    const hash = createHash('sha256').update(STYLESHEET).digest('base64');

    expect(csp.get('style-src')).toEqual([`'sha256-${hash}'`]);
  });

  it('allows the one <style> a page carries, and nothing else: no style attributes', () => {
    const page = messagePage(
      {
        title: { key: 'error.badRequest.title' },
        message: { key: 'error.notJson' },
        technical: [{ label: 'error', value: 'e', code: true }],
      },
      EN,
    ).value;
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]);

    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] ?? '')
      .digest('base64');
    expect(csp.get('style-src')).toEqual([`'sha256-${hash}'`]);
    expect(page).not.toMatch(/\sstyle=/i);
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
