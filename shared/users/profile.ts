/**
 * The rules for the profile claims whose form OIDC Core 5.1 fixes, one place for every writer
 * (the users CLI checks them before it asks for a password; the store refuses what breaks them):
 *   - `picture`: an https URL (a page embeds it; http would be mixed content);
 *   - `phone_number`: E.164, "+" and the country code and number, at most 15 digits;
 *   - `locale`: one BCP 47 language tag, kept in its canonical form ("en-us" becomes "en-US").
 */
import type { UserProfile } from './types';

/** A profile claim and why its value cannot be stored. */
export interface ProfileProblem {
  claim: 'picture' | 'phone_number' | 'locale';
  problem: string;
}

const E164 = /^\+[1-9][0-9]{1,14}$/;

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** The canonical form of one BCP 47 language tag, or undefined when it is not one. */
export function canonicalLocale(value: string): string | undefined {
  try {
    const [canonical, ...more] = Intl.getCanonicalLocales(value);
    return more.length === 0 ? canonical : undefined;
  } catch {
    return undefined;
  }
}

/** What is wrong with the profile's claims: empty when it can be stored. */
export function profileProblems(profile: UserProfile): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  if (profile.picture !== undefined && !isHttpsUrl(profile.picture)) {
    problems.push({
      claim: 'picture',
      problem:
        'must be an https URL without a user name or password, such as https://example.com/alice.png',
    });
  }
  if (profile.phone_number !== undefined && !E164.test(profile.phone_number)) {
    problems.push({
      claim: 'phone_number',
      problem:
        'must be in E.164 form: "+", the country code and the number, digits only, at most 15, such as +14155550123',
    });
  }
  if (profile.locale !== undefined && canonicalLocale(profile.locale) !== profile.locale) {
    const canonical = canonicalLocale(profile.locale);
    problems.push({
      claim: 'locale',
      problem: canonical
        ? `must be in its canonical form, ${canonical}`
        : 'must be one BCP 47 language tag, such as en, de-CH or pt-BR',
    });
  }
  return problems;
}
