/**
 * The authentication context class (`acr`, OpenID Connect Core 1.0 §2) of a sign-in: the level
 * it reached, as a function of how the user authenticated (`amr`), each level named in the
 * configuration (ACR_PASSWORD). A password alone is the lowest level; the second factors will
 * add higher ones here.
 *
 * A client's `acr_values` are voluntary (OIDC Core §3.1.2.1): we answer with the level the
 * sign-in reached, whatever was asked, and the client judges the `acr` in its ID token. An
 * essential `acr` can only be asked for with the `claims` request parameter, which Hydra does not
 * support (its discovery says `claims_parameter_supported: false`): there is no essential request
 * to refuse with `unmet_authentication_requirements`.
 */
export interface AcrLevels {
  /** A password alone (ACR_PASSWORD). */
  password: string;
}

export function acrOf(amr: readonly string[], levels: AcrLevels): string {
  // Every method there is today (`pwd`) is the lowest level.
  void amr;
  return levels.password;
}
