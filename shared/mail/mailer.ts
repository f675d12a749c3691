/**
 * Mail, as the flows see it: a typed mail (which one, and its values) to one address, in the
 * language of the page that asked for it. The flows never build text: shared/views/mail.ts
 * renders each mail as text and HTML from the same view, escaping what it interpolates, and a
 * transport (shared/mail/ses.ts: Amazon SES v2; aws-ses-v2-local on this machine) sends it.
 */
import type { Locale } from '../i18n/messages';

/** The mails we send. Every `link` is made from PUBLIC_URL, never from a request's Host. */
export type Mail =
  /** A password reset link. */
  | { kind: 'reset'; email: string; link: string; validMinutes: number }
  /** The password was changed (after a reset): what happened, and what to do if it was not you. */
  | { kind: 'password-changed'; email: string; recoveryLink: string }
  /** Confirm the email address of an account. */
  | { kind: 'verify'; email: string; link: string; validMinutes: number }
  /** Finish creating an account. */
  | { kind: 'signup'; email: string; link: string; validMinutes: number }
  /** Someone tried to create an account with an address that has one. */
  | { kind: 'signup-exists'; email: string; recoveryLink: string }
  /** Confirm a new email address for an account (to the new address). */
  | { kind: 'email-change'; email: string; link: string; validMinutes: number }
  /** The account's address was changed (to the old address): what happened, and to what. */
  | { kind: 'email-changed'; email: string; newEmail: string };

export interface Mailer {
  send(to: string, mail: Mail, locale: Locale): Promise<void>;
}

/** A rendered mail: what a transport sends. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  deliver(message: MailMessage): Promise<void>;
}
