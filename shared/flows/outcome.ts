import type { KnownDevice } from '../throttle/throttle';

/**
 * What a flow decided: send the browser on (to a URL Hydra gave us), show a page, or refuse and
 * show the page again. The flows name no HTTP status: shared/http answers each kind.
 */
export interface Redirect {
  kind: 'redirect';
  to: string;
  /** After a sign-in: the browser is to remember this device (its device cookie). */
  device?: KnownDevice;
  /**
   * After a sign-in that ends with the browser session: the Hydra session id the browser's
   * session cookie is to bind (shared/http/session-cookie.ts).
   */
  browserSession?: string;
  /** The first step of a sign-in is done: the browser is to carry it to the second step. */
  pendingSignIn?: PendingSignIn;
  /** The second step is done (or given up): the browser is to drop its pending sign-in. */
  endPendingSignIn?: boolean;
}

/**
 * A sign-in half done, for one login challenge: the password was right (or Hydra remembers the
 * user, and the client asks for more), a second factor is to follow. The browser carries it in a
 * signed, short-lived cookie (shared/http/pending-sign-in.ts) bound to the challenge.
 */
export interface PendingSignIn {
  challenge: string;
  subject: string;
  /** "Keep me signed in", as ticked on the password form. */
  remember: boolean;
  /** Hydra remembers the user (`skip`): the session is stepped up, not begun. */
  stepUp: boolean;
}

export interface Show<View> {
  kind: 'show';
  view: View;
}

/** Why a form was refused. */
export type Refusal =
  /** The identifier and password do not match an enabled account (which of these, unsaid). */
  | { reason: 'wrong-credentials' }
  /** Hydra refused the device user code (or it cannot be one): mistyped, expired or used. */
  | { reason: 'wrong-code' }
  /** Too many attempts: the next one is counted again after `retryAfterSeconds`. */
  | { reason: 'throttled'; retryAfterSeconds: number }
  /** A field the form cannot take (an email that is not one, a password outside the policy). */
  | { reason: 'bad-input' }
  /** What the form asks for is someone else's (an email address another account has). */
  | { reason: 'taken' }
  /** A mailed link that does not work: used, expired, or not one of ours. */
  | { reason: 'link'; problem: 'used' | 'expired' | 'invalid' };

/** The form again, saying why it was refused. */
export interface Refused<View> {
  kind: 'refused';
  refusal: Refusal;
  view: View;
}

export type Outcome<View> = Redirect | Show<View> | Refused<View>;

export const redirect = (to: string): Redirect => ({ kind: 'redirect', to });

export const show = <View>(view: View): Show<View> => ({ kind: 'show', view });

export const refused = <View>(refusal: Refusal, view: View): Refused<View> => ({
  kind: 'refused',
  refusal,
  view,
});
