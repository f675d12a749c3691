/**
 * The mails, as text and HTML from one view each: a subject, paragraphs and at most one link,
 * all words from the catalogs. The HTML is made by `html`, which escapes every value (the
 * address, the link); the text is the same words, unescaped, in a text/plain part. A link's URL
 * is one the flow made from PUBLIC_URL.
 */
import type { Mail, MailMessage } from '../mail/mailer';
import { translator, type Locale, type MessageKey, type Translator } from '../i18n/messages';
import { html, type SafeHtml } from './html';
import { sayText } from './say';

type Paragraph = { key: MessageKey; params?: Record<string, string | number>; count?: number };

/** A mail as words: what both renderings show, in this order. */
interface MailView {
  subject: MessageKey;
  before: Paragraph[];
  action?: { label: MessageKey; url: string };
  after: Paragraph[];
}

function viewOf(mail: Mail): MailView {
  const email = { email: mail.email };
  switch (mail.kind) {
    case 'reset':
      return {
        subject: 'mail.reset.subject',
        before: [{ key: 'mail.reset.intro', params: email }],
        action: { label: 'mail.reset.action', url: mail.link },
        after: [{ key: 'mail.validFor', count: mail.validMinutes }, { key: 'mail.reset.ignore' }],
      };
    case 'password-changed':
      return {
        subject: 'mail.passwordChanged.subject',
        before: [
          { key: 'mail.passwordChanged.body', params: email },
          { key: 'mail.passwordChanged.notYou' },
        ],
        action: { label: 'mail.passwordChanged.action', url: mail.recoveryLink },
        after: [],
      };
    case 'verify':
      return {
        subject: 'mail.verify.subject',
        before: [{ key: 'mail.verify.intro', params: email }],
        action: { label: 'mail.verify.action', url: mail.link },
        after: [{ key: 'mail.validFor', count: mail.validMinutes }, { key: 'mail.verify.ignore' }],
      };
    case 'signup':
      return {
        subject: 'mail.signUp.subject',
        before: [{ key: 'mail.signUp.intro', params: email }],
        action: { label: 'mail.signUp.action', url: mail.link },
        after: [{ key: 'mail.validFor', count: mail.validMinutes }, { key: 'mail.signUp.ignore' }],
      };
    case 'signup-exists':
      return {
        subject: 'mail.signUpExists.subject',
        before: [
          { key: 'mail.signUpExists.body', params: email },
          { key: 'mail.signUpExists.hint' },
        ],
        action: { label: 'mail.signUpExists.action', url: mail.recoveryLink },
        after: [],
      };
    case 'email-change':
      return {
        subject: 'mail.emailChange.subject',
        before: [{ key: 'mail.emailChange.intro', params: email }],
        action: { label: 'mail.emailChange.action', url: mail.link },
        after: [
          { key: 'mail.validFor', count: mail.validMinutes },
          { key: 'mail.emailChange.ignore' },
        ],
      };
    case 'email-changed':
      return {
        subject: 'mail.emailChanged.subject',
        before: [
          { key: 'mail.emailChanged.body', params: { ...email, newEmail: mail.newEmail } },
          { key: 'mail.emailChanged.notYou' },
        ],
        after: [],
      };
  }
}

function say(t: Translator, paragraph: Paragraph): string {
  return t.text(
    paragraph.key,
    paragraph.count === undefined
      ? paragraph.params
      : { ...paragraph.params, count: paragraph.count },
  );
}

function textOf(t: Translator, view: MailView): string {
  const blocks = [
    ...view.before.map((paragraph) => say(t, paragraph)),
    ...(view.action ? [`${t.text(view.action.label)}:\n${view.action.url}`] : []),
    ...view.after.map((paragraph) => say(t, paragraph)),
    '--',
    t.text('mail.footer'),
  ];
  return `${blocks.join('\n\n')}\n`;
}

function htmlOf(t: Translator, view: MailView): SafeHtml {
  // Each address in a sentence isolated (<bdi>): an Arabic sentence keeps its order around it.
  const paragraphs = (list: Paragraph[]) =>
    list.map((paragraph) => html`<p>${sayText(t, paragraph)}</p>`);
  return html`<!doctype html>
    <html lang="${t.locale}" dir="${t.dir}">
      <head>
        <meta charset="utf-8" />
        <title>${t.text(view.subject)}</title>
      </head>
      <body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 36rem">
        ${paragraphs(view.before)}
        ${
          view.action
            ? html`<p><a href="${view.action.url}">${t.text(view.action.label)}</a></p>
                <p style="font-size: 0.875em; word-break: break-all">${view.action.url}</p>`
            : ''
        }
        ${paragraphs(view.after)}
        <p style="font-size: 0.875em; color: #555">${t.text('mail.footer')}</p>
      </body>
    </html>`;
}

/** The mail to `to`, in `locale`: subject, text and HTML. */
export function renderMail(to: string, mail: Mail, locale: Locale): MailMessage {
  const t = translator(locale);
  const view = viewOf(mail);
  return {
    to,
    subject: t.text(view.subject),
    text: textOf(t, view),
    html: htmlOf(t, view).value,
  };
}
