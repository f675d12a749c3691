/**
 * The mails: text and HTML from one view, in the language asked for, every value escaped in
 * the HTML, the link the flow made (PUBLIC_URL) and nothing from the request.
 */
import type { Mail } from '../../../shared/mail/mailer';
import { renderMail } from '../../../shared/views/mail';

const LINK =
  'https://login.example/recovery/reset?token=abcDEF0123456789abcDEF0123456789abcDEF01234';

describe('mails', () => {
  it('say the same words as text and HTML, with the link in both', () => {
    const message = renderMail(
      'alice@example.com',
      { kind: 'reset', email: 'alice@example.com', link: LINK, validMinutes: 60 },
      'en',
    );
    expect(message.to).toBe('alice@example.com');
    expect(message.subject).toBe('Reset your password');
    expect(message.text).toContain(`Choose a new password:\n${LINK}\n`);
    expect(message.text).toContain('The link works once, for 60 minutes.');
    expect(message.html).toContain(`<a href="${LINK}">Choose a new password</a>`);
    expect(message.html).toContain('The link works once, for 60 minutes.');
  });

  it('escape every value in the HTML (an address is user input)', () => {
    const hostile = '"><script>alert(1)</script>@example.com';
    const message = renderMail(
      'x@example.com',
      { kind: 'signup-exists', email: hostile, recoveryLink: 'https://login.example/recovery' },
      'en',
    );
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&quot;&gt;&lt;script&gt;');
    expect(message.text).toContain(hostile);
  });

  it('isolate each address in the HTML (<bdi>), so that a right-to-left sentence keeps its order', () => {
    const message = renderMail(
      'old@example.com',
      { kind: 'email-changed', email: 'old@example.com', newEmail: 'new@example.com' },
      'ar',
    );
    expect(message.html).toContain('dir="rtl"');
    expect(message.html).toContain('<bdi>old@example.com</bdi>');
    expect(message.html).toContain('<bdi>new@example.com</bdi>');
    expect(message.text).not.toContain('<bdi>');
  });

  it('tell the old address which address the account moved to, escaped, with no link', () => {
    const message = renderMail(
      'old@example.com',
      { kind: 'email-changed', email: 'old@example.com', newEmail: '<b>new</b>@example.com' },
      'en',
    );
    expect(message.subject).toBe('Your email address was changed');
    expect(message.text).toContain('old@example.com was just changed to <b>new</b>@example.com');
    expect(message.html).toContain('&lt;b&gt;new&lt;/b&gt;@example.com');
    expect(message.html).not.toContain('<a ');
  });

  it.each<Mail>([
    { kind: 'reset', email: 'a@example.com', link: LINK, validMinutes: 1 },
    {
      kind: 'password-changed',
      email: 'a@example.com',
      recoveryLink: 'https://login.example/recovery',
    },
    { kind: 'verify', email: 'a@example.com', link: LINK, validMinutes: 30 },
    { kind: 'signup', email: 'a@example.com', link: LINK, validMinutes: 30 },
    {
      kind: 'signup-exists',
      email: 'a@example.com',
      recoveryLink: 'https://login.example/recovery',
    },
    { kind: 'email-change', email: 'new@example.com', link: LINK, validMinutes: 30 },
    { kind: 'email-changed', email: 'a@example.com', newEmail: 'new@example.com' },
  ])('%# is written in German when asked, with no raw key', (mail) => {
    const message = renderMail('a@example.com', mail, 'de');
    expect(message.html).toContain('<html lang="de" dir="ltr">');
    expect(`${message.subject}${message.text}${message.html}`).not.toMatch(/\bmail\.[a-zA-Z]+\./);
    expect(message.text).toContain('Diese E-Mail wurde automatisch gesendet');
  });
});
