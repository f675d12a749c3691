import { accountPasskeysPost } from '../shared/http/passkeys';
import { accountPasskeyDeps } from '../shared/wiring';

/** POST /account/passkeys: add or remove a passkey. */
export const handler = accountPasskeysPost(accountPasskeyDeps());
