import { passkeyLoginHandler } from '../shared/http/passkeys';
import { passkeyDeps } from '../shared/wiring';

/** POST /login/passkey and POST /login/second-factor/passkey: a passkey's assertion. */
export const handler = passkeyLoginHandler(passkeyDeps());
