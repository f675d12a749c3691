import { accountPost } from '../shared/http/account';
import { accountDeps } from '../shared/wiring';

/** POST /account: the profile, the password, "Remove access", signing out. */
export const handler = accountPost(accountDeps());
