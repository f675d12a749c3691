import { accountCallback } from '../shared/http/account';
import { accountPageDeps } from '../shared/wiring';

/** GET /account/callback: Hydra's answer to the account page's sign-in. */
export const handler = accountCallback(accountPageDeps());
