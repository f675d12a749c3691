/**
 * The language of a page: Hydra's `ui_locales` for the request when the flow read it, then the
 * signed-in user's `locale` claim when the flow knows the user, then the browser's
 * `Accept-Language`, then the default (shared/i18n/locale.ts).
 */
import { log } from '../log';
import { ourEnglish, pickLocale, translator, type Translator } from '../i18n/messages';
import type { LocaleRequest } from '../i18n/locale';

export function pageTranslator(
  headers: Readonly<Record<string, string>>,
  known: Omit<LocaleRequest, 'acceptLanguage'> = {},
): Translator {
  return translator(pickLocale({ ...known, acceptLanguage: headers['accept-language'] }));
}

/**
 * For an error page: the request's language, or English when the languages themselves cannot
 * be read (an operator's I18N_DIR that is not valid, itself the error being answered).
 */
export function errorPageTranslator(headers: Readonly<Record<string, string>>): Translator {
  try {
    return pageTranslator(headers);
  } catch (error) {
    log.debug('error page in the default language', { reason: (error as Error).name });
    return ourEnglish();
  }
}
