import type { OAuth2Client } from '../hydra/admin';

/** A client as the pages name it: its name, and the links it registered. */
export interface ClientView {
  name: string;
  logoUri?: string | undefined;
  policyUri?: string | undefined;
  tosUri?: string | undefined;
  clientUri?: string | undefined;
}

/** How we name a client to the user; its fields are hostile, the views escape them. */
export function clientView(client: OAuth2Client | undefined): ClientView {
  const name = client?.client_name?.trim() || client?.client_id || 'the application';
  return {
    name: name.length > 100 ? `${name.slice(0, 99)}…` : name,
    logoUri: client?.logo_uri,
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
