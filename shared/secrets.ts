/**
 * The functions' secrets: the cookie secret (and the previous one during a rotation), Hydra's
 * admin token, the password pepper and the token hook's key. Outside the local stage they are one
 * Secrets Manager secret (APP_SECRET_ID, a JSON SecretString), read at run time and kept for
 * SECRETS_TTL_SECONDS, so a rotation takes effect without a redeploy; the local stage and the
 * tests give them as plain environment variables (COOKIE_SECRET, …). Never logged: a problem with
 * a secret names its key, never its value.
 */
import { MIN_SECRET_LENGTH } from './config';
import { log } from './log';

export interface Secrets {
  /** Signs the CSRF tokens and our cookies, and keys the identifier tags. */
  cookieSecret: string;
  /** The cookie secret before the last rotation: signatures made with it are still accepted. */
  cookieSecretPrevious: string | undefined;
  hydraAdminToken: string | undefined;
  passwordPepper: string | undefined;
  /** The key Hydra's token hook call must carry; the hook refuses all calls without one. */
  tokenHookApiKey: string | undefined;
  /** Seals second factors' secrets at rest (32 bytes, base64); none: no second factors. */
  factorKey?: string | undefined;
  /** The factor keys before a rotation, comma-separated: they still open older secrets. */
  factorPreviousKeys?: string | undefined;
}

/** The secrets could not be read (Secrets Manager down, denied, or the secret is malformed): 503. */
export class SecretsUnavailableError extends Error {
  override readonly name = 'SecretsUnavailableError';
  constructor(
    /** What went wrong, without any value: "timeout", "status 400", "cookieSecret is missing". */
    readonly reason: string,
  ) {
    super(`secrets unavailable: ${reason}`);
  }
}

const KEYS = [
  'cookieSecret',
  'cookieSecretPrevious',
  'hydraAdminToken',
  'passwordPepper',
  'tokenHookApiKey',
  'factorKey',
  'factorPreviousKeys',
] as const;

/**
 * The secret's SecretString: a JSON object with `cookieSecret` (required), and optionally
 * `cookieSecretPrevious`, `hydraAdminToken`, `passwordPepper`, `tokenHookApiKey`, `factorKey`,
 * `factorPreviousKeys`. Anything else
 * in it is refused, so a misspelt key is not silently ignored.
 */
export function parseSecretString(text: string): Secrets {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SecretsUnavailableError('the SecretString is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SecretsUnavailableError('the SecretString is not a JSON object');
  }
  const record = json as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(record).filter((key) => !(KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) problems.push(`unknown keys ${unknown.sort().join(', ')}`);
  const value = (key: (typeof KEYS)[number], minLength = 1): string | undefined => {
    const given = record[key];
    if (given === undefined || given === null || given === '') return undefined;
    if (typeof given !== 'string') {
      problems.push(`${key} is not a string`);
      return undefined;
    }
    if (given.length < minLength) {
      problems.push(`${key} must be at least ${minLength} characters`);
      return undefined;
    }
    return given;
  };
  const secrets = {
    cookieSecret: value('cookieSecret', MIN_SECRET_LENGTH) ?? '',
    cookieSecretPrevious: value('cookieSecretPrevious', MIN_SECRET_LENGTH),
    hydraAdminToken: value('hydraAdminToken'),
    passwordPepper: value('passwordPepper'),
    tokenHookApiKey: value('tokenHookApiKey', MIN_SECRET_LENGTH),
    factorKey: value('factorKey'),
    factorPreviousKeys: value('factorPreviousKeys'),
  };
  if (!secrets.cookieSecret && !problems.some((problem) => problem.startsWith('cookieSecret '))) {
    problems.push('cookieSecret is missing');
  }
  if (problems.length > 0) throw new SecretsUnavailableError(problems.join('; '));
  return secrets;
}

/** Where the secrets are read from, each time the cache asks. */
export type SecretsLoader = () => Promise<Secrets>;

/** The secrets now: at once while the cached copy is fresh. */
export type SecretsSource = () => Promise<Secrets>;

/**
 * `load`, cached for `ttlMs`. The first call reads; a call after the copy went stale answers with
 * the stale copy at once and reads again behind it (so a rotation is seen within about `ttlMs`
 * and no request waits for it); a failed read keeps the old copy and is tried again on the next
 * call. Only without any copy does a caller wait, or see the failure.
 */
export function cachedSecrets(
  load: SecretsLoader,
  ttlMs: number,
  now: () => number = Date.now,
): SecretsSource {
  let copy: { secrets: Secrets; readAt: number } | undefined;
  let reading: Promise<Secrets> | undefined;
  const read = () => {
    reading ??= load().then(
      (secrets) => {
        copy = { secrets, readAt: now() };
        reading = undefined;
        return secrets;
      },
      (error: unknown) => {
        reading = undefined;
        throw error;
      },
    );
    return reading;
  };
  return () => {
    if (copy && now() - copy.readAt < ttlMs) return Promise.resolve(copy.secrets);
    const fresh = read();
    if (!copy) return fresh;
    fresh.catch((error: unknown) => {
      log.warn('secrets: could not read them again; the copy read before is kept', {
        reason: error instanceof SecretsUnavailableError ? error.reason : 'unexpected',
      });
    });
    return Promise.resolve(copy.secrets);
  };
}
