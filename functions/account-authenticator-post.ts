import { accountAuthenticatorPost } from '../shared/http/authenticator';
import { accountAuthenticatorDeps } from '../shared/wiring';

/** POST /account/authenticator: enrol an app (its first code), new recovery codes, remove it. */
export const handler = accountAuthenticatorPost(accountAuthenticatorDeps());
