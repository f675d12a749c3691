import { accountAuthenticatorGet } from '../shared/http/authenticator';
import { accountAuthenticatorPageDeps } from '../shared/wiring';

/** GET /account/authenticator: the QR code and the secret of a new authenticator app. */
export const handler = accountAuthenticatorGet(accountAuthenticatorPageDeps());
