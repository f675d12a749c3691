import { escapeHtml, html, httpsUrl } from '../../../shared/views/html';

describe('html', () => {
  it('escapes every interpolated string', () => {
    const hostile = `<script>alert("x")</script>' onload='x' \`tick\` & co`;

    expect(html`<p title="${hostile}">${hostile}</p>`.value).toBe(
      `<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}</p>`,
    );
    expect(escapeHtml(hostile)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;x&#39; &#96;tick&#96; &amp; co',
    );
  });

  it('does not escape markup made by html itself, but escapes inside it', () => {
    const inner = html`<b>${'<i>'}</b>`;

    expect(html`<p>${inner}</p>`.value).toBe('<p><b>&lt;i&gt;</b></p>');
  });

  it('escapes an object that only looks like safe markup', () => {
    const forged = { value: '<script>' } as unknown as string;

    expect(html`${forged}`.value).not.toContain('<script>');
  });

  it('renders arrays, numbers and booleans, and nothing for null, undefined and false', () => {
    expect(html`${['<a>', html`<b></b>`, 1]}|${null}|${undefined}|${false}|${true}`.value).toBe(
      '&lt;a&gt;<b></b>1||||true',
    );
  });
});

describe('httpsUrl', () => {
  it('keeps an https URL', () => {
    expect(httpsUrl('https://app.example/logo.png')).toBe('https://app.example/logo.png');
  });

  it.each([
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a JavaScript: URL in mixed case', 'JaVaScRiPt:alert(1)'],
    ['a javascript: URL with leading spaces', '  javascript:alert(1)'],
    ['a data: URL', 'data:image/svg+xml,<svg onload=alert(1)>'],
    ['an http: URL', 'http://app.example/logo.png'],
    ['a protocol-relative URL', '//evil.example/logo.png'],
    ['a relative URL', '/logo.png'],
    ['a malformed URL', 'https://'],
    ['an empty string', ''],
    ['a number', 42],
    ['an absurdly long URL', `https://app.example/${'a'.repeat(3000)}`],
  ])('drops %s', (_name, value) => {
    expect(httpsUrl(value)).toBeUndefined();
  });

  it('re-serializes what it keeps, so quotes cannot break out of an attribute', () => {
    expect(httpsUrl('https://app.example/a"onerror="alert(1)')).not.toContain('"');
  });
});
