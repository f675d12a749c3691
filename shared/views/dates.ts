/** Dates on pages: one format per language, made once (making one costs far more than using it). */
import type { Translator } from '../i18n/messages';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The date of an ISO-8601 time in the page's language (UTC: the same page for every reader). */
export function longDate(t: Translator, iso: string | undefined): string | undefined {
  const when = iso === undefined ? NaN : Date.parse(iso);
  if (!Number.isFinite(when)) return undefined;
  let format = dateFormats.get(t.locale);
  if (!format) {
    format = new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(t.locale, format);
  }
  return format.format(when);
}
