import { accountGet } from '../shared/http/account';
import { accountPageDeps } from '../shared/wiring';

/** GET /account: the account page, after a sign-in through Hydra when there is no session. */
export const handler = accountGet(accountPageDeps());
