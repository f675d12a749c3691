/**
 * Which language a page is in: the first of Hydra's `ui_locales` (the application's choice, in
 * order) we have a catalog for, then the signed-in user's `locale` claim (where we know the
 * user), then the browser's `Accept-Language` by its q-values, then `en`.
 * Pure functions over header and parameter text, so anything a client sends is only ever matched,
 * never trusted: an unknown or malformed tag is skipped.
 */

/** A BCP 47 language tag, loosely: letters and digits in dash-separated subtags of ≤ 8. */
const TAG = /^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/i;
/** RFC 9110 §12.4.2 qvalue. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** More than any browser sends; the rest is ignored (a header is not a work queue). */
const MAX_HEADER_LENGTH = 4096;
const MAX_ENTRIES = 32;

export interface WeightedTag {
  tag: string;
  q: number;
}

/**
 * `Accept-Language` as tags by preference: q=0 and malformed entries dropped, highest q first,
 * equal q in header order. `*` is kept as the tag `*`.
 */
export function parseAcceptLanguage(header: string | undefined): WeightedTag[] {
  if (!header) return [];
  const entries = header.slice(0, MAX_HEADER_LENGTH).split(',').slice(0, MAX_ENTRIES);
  const parsed: WeightedTag[] = [];
  for (const entry of entries) {
    const [rawTag = '', ...params] = entry.split(';');
    const tag = rawTag.trim();
    if (tag !== '*' && !TAG.test(tag)) continue;
    let q = 1;
    let valid = true;
    for (const param of params) {
      const [name = '', value = ''] = param.split('=').map((part) => part.trim());
      if (name.toLowerCase() !== 'q') continue;
      if (!QVALUE.test(value)) valid = false;
      else q = Number(value);
    }
    if (valid && q > 0) parsed.push({ tag, q });
  }
  // Array.prototype.sort is stable: equal q keep the header's order.
  return parsed.sort((a, b) => b.q - a.q);
}

/** Hydra's `ui_locales`: space-separated tags, most preferred first (OIDC Core §3.1.2.1). */
export function parseUiLocales(value: readonly string[] | string | undefined): string[] {
  const tags = typeof value === 'string' ? value.split(/\s+/) : (value ?? []);
  return tags
    .slice(0, MAX_ENTRIES)
    .map((tag) => tag.trim())
    .filter((tag) => TAG.test(tag));
}

/**
 * The supported tag that serves `wanted`: the same tag (any case), else the same language
 * (`de-CH` → `de`, `pt` → `pt-BR`).
 */
function match<Tag extends string>(wanted: string, supported: readonly Tag[]): Tag | undefined {
  const lower = wanted.toLowerCase();
  const exact = supported.find((tag) => tag.toLowerCase() === lower);
  if (exact) return exact;
  const language = lower.split('-')[0];
  return supported.find((tag) => tag.toLowerCase().split('-')[0] === language);
}

export interface LocaleRequest {
  /** From Hydra's `oidc_context.ui_locales` (or carried along from it). */
  uiLocales?: readonly string[] | string | undefined;
  /** The signed-in user's `locale` claim (OIDC: one BCP 47 tag), where the flow knows the user. */
  userLocale?: string | undefined;
  acceptLanguage?: string | undefined;
}

/**
 * The page's language: `ui_locales` (what the application asked for), then the user's `locale`
 * claim (what they chose for their account), then `Accept-Language`, then the fallback.
 */
export function chooseLocale<Tag extends string>(
  request: LocaleRequest,
  supported: readonly Tag[],
  fallback: Tag,
): Tag {
  for (const tag of parseUiLocales(request.uiLocales)) {
    const found = match(tag, supported);
    if (found) return found;
  }
  for (const tag of parseUiLocales(request.userLocale).slice(0, 1)) {
    const found = match(tag, supported);
    if (found) return found;
  }
  for (const { tag } of parseAcceptLanguage(request.acceptLanguage)) {
    if (tag === '*') return fallback;
    const found = match(tag, supported);
    if (found) return found;
  }
  return fallback;
}
