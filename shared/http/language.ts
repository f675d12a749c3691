/**
 * The language of a page: Hydra's `ui_locales` for the request when the flow read it, then the
 * browser's `Accept-Language`, then the default (shared/i18n/locale.ts).
 */
import { pickLocale, translator, type Translator } from '../i18n/messages';

export function pageTranslator(
  headers: Readonly<Record<string, string>>,
  uiLocales?: readonly string[],
): Translator {
  return translator(pickLocale({ uiLocales, acceptLanguage: headers['accept-language'] }));
}
