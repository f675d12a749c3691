/**
 * Enrolling an authenticator app on a page (the account page's, behind its session, at merge):
 * a new secret shown as a QR code and as text, confirmed by the app's first code, then the
 * recovery codes, shown this once. Stateless between the two steps: the new secret travels in
 * the form sealed under FACTOR_KEY for this user (./users/factor-keys), so a page cannot be
 * confirmed for another user, nor read by anyone who sees the form.
 */
import type { Text } from '../i18n/messages';
import { audit } from '../log';
import { open, seal, type FactorKeyRing } from '../users/factor-keys';
import type { FactorStore } from '../users/factors';
import { normalizeTotpCode, totpUri } from '../users/totp';
import type { User } from '../users/types';
import { beginEnrolment, confirmEnrolment } from './factors';
import { refused, show, type Refused, type Show } from './outcome';
import { ConfigError } from '../config';

export interface EnrolmentDeps {
  factors: Pick<FactorStore, 'enrol'>;
  factorKeys: FactorKeyRing | undefined;
  /** The name apps show beside the account. */
  issuer: string;
  now?: () => number;
}

export type EnrolmentView =
  | {
      page: 'scan';
      /** The otpauth URI the QR code carries. */
      uri: string;
      /** The secret, for typing into an app. */
      secret: string;
      /** The secret sealed for this user: the form carries it to the confirmation. */
      sealed: string;
      error?: Text;
    }
  | {
      page: 'done';
      recoveryCodes: readonly string[];
      /** A new set for an app enrolled before: the old codes no longer work. */
      renewed?: boolean;
    };

export const WRONG_ENROLMENT_CODE: Text = { key: 'page.enrol.wrongCode' };

function keys(deps: EnrolmentDeps): FactorKeyRing {
  if (!deps.factorKeys) throw new ConfigError('FACTOR_KEY', 'is required to enrol second factors');
  return deps.factorKeys;
}

/** The QR code and the secret of a new authenticator for the user (nothing stored yet). */
export function startEnrolment(
  deps: EnrolmentDeps,
  user: Pick<User, 'id' | 'email'>,
): Show<EnrolmentView> {
  const { secret, uri } = beginEnrolment(user, deps.issuer);
  return show({ page: 'scan', uri, secret, sealed: seal(keys(deps), user.id, secret) });
}

/**
 * The same QR code and secret again, saying `error` (the form's code was not checked): the
 * secret the form carries, or a new one when that does not open for this user.
 */
export function enrolmentAgain(
  deps: EnrolmentDeps,
  user: Pick<User, 'id' | 'email'>,
  sealed: string,
  error: Text,
): EnrolmentView {
  const secret = open(keys(deps), user.id, sealed)?.plaintext;
  if (!secret) return startEnrolment(deps, user).view;
  return { page: 'scan', uri: totpUri(secret, deps.issuer, user.email), secret, sealed, error };
}

/**
 * The app's first code: right, and the authenticator is stored (replacing any before) with new
 * recovery codes, shown once; wrong, and the same secret is shown again, saying so.
 */
export async function submitEnrolment(
  deps: EnrolmentDeps,
  user: Pick<User, 'id' | 'email'>,
  form: { sealed: string; code: string },
): Promise<Show<EnrolmentView> | Refused<EnrolmentView>> {
  const ring = keys(deps);
  const secret = open(ring, user.id, form.sealed)?.plaintext;
  // A form of another user's, or made up: start again with a new secret.
  if (!secret) return startEnrolment(deps, user);
  const enrolment = { secret, uri: totpUri(secret, deps.issuer, user.email) };
  const code = normalizeTotpCode(form.code);
  const enrolled =
    code === undefined
      ? undefined
      : await confirmEnrolment(
          { factors: deps.factors, keys: ring, now: deps.now },
          user,
          enrolment,
          code,
        );
  if (!enrolled) {
    return refused(
      { reason: 'wrong-code' },
      { page: 'scan', ...enrolment, sealed: form.sealed, error: WRONG_ENROLMENT_CODE },
    );
  }
  audit('second_factor.enrolled', { subject: user.id, method: 'totp' });
  return show({ page: 'done', recoveryCodes: enrolled.recoveryCodes });
}
