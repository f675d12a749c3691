import { isDisplayText, isHttpsUrl, isRecord } from '../brand/brand';
import { accentContrastProblem, parseColour } from '../brand/colour';
import type { OAuth2Client } from '../hydra/admin';
import { log } from '../log';

/** A client as the pages name it: its name, and the links it registered. */
export interface ClientView {
  name: string;
  logoUri?: string | undefined;
  /** The client's accent on its sign-in and consent pages (`metadata.brand.colour`), checked. */
  colour?: string | undefined;
  policyUri?: string | undefined;
  tosUri?: string | undefined;
  clientUri?: string | undefined;
}

/** What a client may set in its Hydra `metadata.brand` to override its own look. */
export interface ClientBrand {
  /** `display_name`: the name the pages show instead of `client_name`. */
  displayName?: string;
  /** `logo_uri`: an https logo instead of `logo_uri`. */
  logoUri?: string;
  /** `colour`: `#rrggbb` passing WCAG AA against the button text and page (else ignored). */
  colour?: string;
}

const CLIENT_BRAND_KEYS = ['display_name', 'logo_uri', 'colour'] as const;

/**
 * A client's `metadata.brand`, validated: what is valid is used, what is not is ignored and
 * logged as a warning naming the client id and our own key name (never the value).
 */
export function clientBrand(client: OAuth2Client | undefined): ClientBrand {
  const metadata: unknown = client?.metadata;
  const brand = isRecord(metadata) ? metadata.brand : undefined;
  if (brand === undefined) return {};
  const ignored: string[] = [];
  const found: ClientBrand = {};
  if (!isRecord(brand)) {
    ignored.push('metadata.brand');
  } else {
    const { display_name: displayName, logo_uri: logoUri, colour } = brand;
    if (displayName !== undefined) {
      if (isDisplayText(displayName) && displayName.length <= 100) {
        found.displayName = displayName.trim();
      } else ignored.push('metadata.brand.display_name');
    }
    if (logoUri !== undefined) {
      if (isHttpsUrl(logoUri)) found.logoUri = logoUri;
      else ignored.push('metadata.brand.logo_uri');
    }
    if (colour !== undefined) {
      const parsed = parseColour(colour);
      if (parsed && accentContrastProblem(parsed) === undefined) found.colour = parsed;
      else ignored.push('metadata.brand.colour');
    }
    const unknown = Object.keys(brand).filter(
      (key) => !(CLIENT_BRAND_KEYS as readonly string[]).includes(key),
    );
    if (unknown.length > 0) ignored.push(`${unknown.length} unknown key(s)`);
  }
  if (ignored.length > 0) {
    log.warn('client brand metadata ignored', { clientId: client?.client_id, ignored });
  }
  return found;
}

/** How we name a client to the user; its fields are hostile, the views escape them. */
export function clientView(client: OAuth2Client | undefined): ClientView {
  const brand = clientBrand(client);
  const name =
    brand.displayName ?? (client?.client_name?.trim() || client?.client_id || 'the application');
  return {
    name: name.length > 100 ? `${name.slice(0, 99)}…` : name,
    logoUri: brand.logoUri ?? client?.logo_uri,
    ...(brand.colour ? { colour: brand.colour } : {}),
    policyUri: client?.policy_uri,
    tosUri: client?.tos_uri,
    clientUri: client?.client_uri,
  };
}

/**
 * The languages a login or consent request asked for (`ui_locales`), as Hydra passed them on;
 * nothing when it names none. Which of them we speak is the views' choice (shared/i18n).
 */
export function uiLocalesOf(request: {
  oidc_context?: { ui_locales?: string[] | undefined } | undefined;
}): { uiLocales?: readonly string[] } {
  const tags = request.oidc_context?.ui_locales;
  return Array.isArray(tags) && tags.length > 0 ? { uiLocales: tags } : {};
}
