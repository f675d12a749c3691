/**
 * The operator's brand, as the pages show it: a name (tab title and page header), a logo, an
 * accent colour, a support contact, and words for the operator's own scopes and audiences per
 * language. Read and validated once with the configuration (shared/config.ts); every field is
 * optional, and a page without a brand is exactly the page as it was before brands.
 */

/** Words per language: `{ "en": "Read your orders", "de": "Ihre Bestellungen lesen" }`. */
export type LocalizedText = Readonly<Record<string, string>>;

export interface SupportContact {
  /** An https URL or a `mailto:` URL. */
  href: string;
}

export interface Brand {
  /** BRAND_NAME: in the tab title ("Sign in · Name") and the page header. */
  name?: string | undefined;
  /** BRAND_LOGO_URL (https) or BRAND_LOGO_FILE (a `data:` URI made at cold start). */
  logo?: string | undefined;
  /** BRAND_COLOUR, `#rrggbb`, its contrast checked: the buttons and links. */
  colour?: string | undefined;
  /** SUPPORT_URL or SUPPORT_EMAIL: offered on error pages and dead ends. */
  support?: SupportContact | undefined;
  /**
   * BRAND_HOME_URL (https): the operator's own site, the way back from a page that has none of
   * its own (Hydra's error page, an expired or missing challenge, "You are signed out").
   */
  home?: string | undefined;
  /** BRAND_FILE's `scopes`: a description per scope, per language. */
  scopes: Readonly<Record<string, LocalizedText>>;
  /** BRAND_FILE's `audiences`: a display name per audience, per language. */
  audiences: Readonly<Record<string, LocalizedText>>;
}

/** The words `brand` has for one scope or audience in `locale`, if any. */
export function brandText(
  texts: Readonly<Record<string, LocalizedText>>,
  id: string,
  locale: string,
): string | undefined {
  return Object.hasOwn(texts, id) ? localized(texts[id], locale) : undefined;
}

/** No brand: the pages as they were. */
export const UNBRANDED: Brand = { scopes: {}, audiences: {} };

/**
 * The text for `locale`: the same tag, else the same language (`de` for `de-CH`, and `pt-BR`
 * for `pt`), else English, else nothing (the page falls back to what it shows without a brand).
 */
export function localized(text: LocalizedText | undefined, locale: string): string | undefined {
  if (!text) return undefined;
  const lower = locale.toLowerCase();
  const language = lower.split('-')[0];
  const tags = Object.keys(text);
  const found =
    tags.find((tag) => tag.toLowerCase() === lower) ??
    tags.find((tag) => tag.toLowerCase().split('-')[0] === language) ??
    tags.find((tag) => tag.toLowerCase() === 'en');
  return found === undefined ? undefined : text[found];
}

/** The most a description or display name may be (a sentence, not a page). */
export const MAX_BRAND_TEXT_LENGTH = 200;
/** The most scopes or audiences BRAND_FILE may describe. */
const MAX_ENTRIES = 500;
const TAG = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A display text: a non-empty line of at most MAX_BRAND_TEXT_LENGTH characters. */
export function isDisplayText(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.trim().length > 0 &&
    value.length <= MAX_BRAND_TEXT_LENGTH &&
    !CONTROL.test(value)
  );
}

/** An https URL a page may link or load (the views check it again where they use it). */
export function isHttpsUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048 || !URL.canParse(value)) return false;
  return new URL(value).protocol === 'https:';
}

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A record without a prototype: any key, even "__proto__", is only ever a key. */
function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export interface BrandFile {
  scopes: Record<string, LocalizedText>;
  audiences: Record<string, LocalizedText>;
}

/**
 * BRAND_FILE's JSON, validated: `{ "scopes": { id: { tag: text } }, "audiences": { uri: { tag:
 * text } } }`, both optional, nothing else. Each problem is named with where it is.
 */
export function parseBrandFile(json: string): { file: BrandFile; problems: string[] } {
  const problems: string[] = [];
  // No prototype: a scope named "__proto__" or "constructor" is only ever a scope.
  const file: BrandFile = { scopes: emptyRecord(), audiences: emptyRecord() };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return { file, problems: ['is not valid JSON'] };
  }
  if (!isRecord(data)) return { file, problems: ['must be a JSON object'] };
  for (const key of Object.keys(data)) {
    if (key !== 'scopes' && key !== 'audiences') {
      problems.push(`has "${key}", which is not "scopes" or "audiences"`);
    }
  }
  for (const section of ['scopes', 'audiences'] as const) {
    const entries = data[section];
    if (entries === undefined) continue;
    if (!isRecord(entries)) {
      problems.push(`"${section}" must be an object`);
      continue;
    }
    if (Object.keys(entries).length > MAX_ENTRIES) {
      problems.push(`"${section}" has more than ${MAX_ENTRIES} entries`);
      continue;
    }
    for (const [id, texts] of Object.entries(entries)) {
      const where = `"${section}" → "${id}"`;
      if (!isRecord(texts) || Object.keys(texts).length === 0) {
        problems.push(`${where} must be an object of texts by language, e.g. {"en": "…"}`);
        continue;
      }
      const valid = emptyRecord<string>();
      for (const [tag, text] of Object.entries(texts)) {
        if (!TAG.test(tag)) problems.push(`${where} has "${tag}", which is not a language tag`);
        else if (!isDisplayText(text)) {
          problems.push(
            `${where} → "${tag}" must be one line of text of at most ${MAX_BRAND_TEXT_LENGTH} characters`,
          );
        } else valid[tag] = text.trim();
      }
      file[section][id] = valid;
    }
  }
  return { file, problems };
}

/** The MIME type of a logo file by its extension; the formats every browser draws. */
export const LOGO_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};

/** The largest BRAND_LOGO_FILE: inlined in every page that shows it, base64 (a third more). */
export const MAX_LOGO_FILE_BYTES = 16 * 1024;
