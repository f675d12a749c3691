/**
 * The device authorization flow (RFC 8628, Hydra v25.4+): a TV or a CLI shows a short user code,
 * the user opens our code page on a phone (Hydra sends the browser here with a
 * `device_challenge`, and the code too when the user opened `verification_uri_complete`), types
 * or confirms the code, and Hydra then runs our login and consent as usual before it sends the
 * browser to our "done" page. Hydra has no admin GET for a device request: nothing about the
 * device or its client is known here, so nothing about it is shown.
 *
 * The user code is short, so guessing it is the attack: every code is counted (per source IP,
 * per challenge) before Hydra is asked, and a code that cannot be one of Hydra's (characters it
 * never uses) is refused without asking or counting.
 */
import type { HydraAdmin } from '../hydra/admin';
import type { Text } from '../i18n/messages';
import { audit, log } from '../log';
import type { UserCodeThrottle } from '../throttle/user-codes';
import { redirect, refused, show, type Outcome } from './outcome';

export interface DeviceDeps {
  hydra: Pick<HydraAdmin, 'acceptDeviceRequest'>;
  throttle: UserCodeThrottle;
  /** The characters Hydra makes user codes of (DEVICE_USER_CODE_CHARACTERS). */
  userCodeCharacters: string;
}

/** What GET /device needs: no Hydra call (there is nothing to read), no counter. */
export type StartDeviceDeps = Pick<DeviceDeps, 'userCodeCharacters'>;

export interface DeviceForm {
  /** The code as the field shows it: Hydra's (prefilled), or as the user typed it. */
  userCode: string;
  error?: Text;
}

export type DeviceOutcome = Outcome<DeviceForm>;

/** Longer than any code Hydra makes (8 or 9 characters by default) with room for separators. */
export const MAX_USER_CODE_LENGTH = 64;

export const WRONG_USER_CODE: Text = { key: 'page.device.wrongCode' };

export function tooManyCodesMessage(retryAfterSeconds: number): Text {
  return { key: 'page.device.throttled', count: Math.ceil(retryAfterSeconds / 60) };
}

/** What people put between groups of a code: spaces and the dashes (hyphen to em dash). */
const SEPARATOR = /^[\s\-\u2010-\u2014]$/u;

/**
 * The code as Hydra made it, from what a person typed: NFKC (full-width letters and digits from
 * a phone keyboard), without spaces and dashes (unless Hydra's set has them), and each letter in
 * the case Hydra's set has it in when the set has it in one case only (all of them for the
 * `medium` preset, A–Z). Hydra compares an HMAC of the exact text, so a set with both cases of
 * a letter keeps that letter as typed. Undefined when the result cannot be a code of Hydra's.
 */
export function normalizeUserCode(typed: string, characters: string): string | undefined {
  const set = new Set(characters);
  const code = [...typed.normalize('NFKC')]
    .filter((character) => set.has(character) || !SEPARATOR.test(character))
    .map((character) => {
      if (set.has(character)) return character;
      const upper = character.toUpperCase();
      if (set.has(upper)) return upper;
      const lower = character.toLowerCase();
      return set.has(lower) ? lower : character;
    })
    .join('');
  if (code.length === 0 || code.length > MAX_USER_CODE_LENGTH) return undefined;
  return [...code].every((character) => set.has(character)) ? code : undefined;
}

/**
 * GET /device: the code form, prefilled with the code Hydra passed (`user_code`, from the
 * device's `verification_uri_complete`) when it is one Hydra could have made. The user still
 * confirms it: a prefilled code from a link someone sent is how device-flow phishing works
 * (RFC 8628 §5.4), so the page asks to compare it with the device.
 */
export function startDevice(deps: StartDeviceDeps, userCode: string | undefined): DeviceOutcome {
  const prefill =
    userCode !== undefined && userCode.length <= MAX_USER_CODE_LENGTH
      ? normalizeUserCode(userCode, deps.userCodeCharacters)
      : undefined;
  return show({ userCode: prefill ?? '' });
}

export interface DeviceSubmission {
  userCode: string;
  /** API Gateway's `requestContext.http.sourceIp`: never a header the client controls. */
  sourceIp: string | undefined;
}

/** POST /device: count the code, give it to Hydra, and follow Hydra on to the login. */
export async function submitDevice(
  deps: DeviceDeps,
  challenge: string,
  submission: DeviceSubmission,
): Promise<DeviceOutcome> {
  const typed = submission.userCode.slice(0, MAX_USER_CODE_LENGTH * 4);
  const again = (error: Text): DeviceForm => ({
    userCode: typed.slice(0, MAX_USER_CODE_LENGTH),
    error,
  });
  const code = normalizeUserCode(typed, deps.userCodeCharacters);
  if (code === undefined) {
    audit('device.code_malformed');
    return refused({ reason: 'wrong-code' }, again(WRONG_USER_CODE));
  }
  const attempt = { ip: submission.sourceIp, challenge };
  const decision = await deps.throttle.attempt(attempt);
  if (!decision.allowed) {
    audit('device.code_throttled', { limitedBy: decision.limitedBy });
    return refused(
      { reason: 'throttled', retryAfterSeconds: decision.retryAfterSeconds },
      again(tooManyCodesMessage(decision.retryAfterSeconds)),
    );
  }
  const answer = await deps.hydra.acceptDeviceRequest(challenge, { user_code: code });
  if (!answer.accepted) {
    audit('device.code_refused');
    return refused({ reason: 'wrong-code' }, again(WRONG_USER_CODE));
  }
  audit('device.code_accepted');
  await deps.throttle
    .succeeded(attempt)
    .catch((error: Error) =>
      log.warn('could not give back the user code attempt', { errorName: error.name }),
    );
  return redirect(answer.redirectTo);
}
