/** The logout decisions: ask first, unless an operator marked the client `skip_logout_consent`. */
import type { HydraAdmin } from '../hydra/admin';
import { audit, log } from '../log';
import type { UserStore } from '../users/types';
import { clientView, type ClientView } from './client';
import { redirect, show, type Outcome } from './outcome';

export interface LogoutDeps {
  hydra: HydraAdmin;
}

/** GET /logout also reads the user: Hydra's logout request names its subject only by id. */
export interface StartLogoutDeps extends LogoutDeps {
  users: Pick<UserStore, 'findById'>;
}

/** The account a sign-out ends, as the question names it. */
export interface LogoutAccount {
  email: string;
  name: string | undefined;
}

export type LogoutView =
  | {
      page: 'confirm';
      clientName: string | undefined;
      /** Undefined when the account could not be read: the question is asked without it. */
      account: LogoutAccount | undefined;
    }
  /** The client that asked, when one did: its https `client_uri` is the way back. */
  | { page: 'stayed'; client: ClientView | undefined };

export type LogoutOutcome = Outcome<LogoutView>;

/**
 * The account Hydra's session belongs to. A sign-out must still be possible when the users table
 * cannot be read (or the user was deleted since): the question is then asked without the name.
 */
async function accountOf(
  deps: StartLogoutDeps,
  subject: string | undefined,
): Promise<LogoutAccount | undefined> {
  if (!subject) return undefined;
  try {
    const user = await deps.users.findById(subject);
    if (!user) return undefined;
    return { email: user.email, name: user.profile.name?.trim() || undefined };
  } catch (error) {
    log.warn('logout: the account could not be read, asking without its name', {
      error: error instanceof Error ? error.name : 'unknown',
    });
    return undefined;
  }
}

export async function startLogout(
  deps: StartLogoutDeps,
  challenge: string,
): Promise<LogoutOutcome> {
  const request = await deps.hydra.getLogoutRequest(challenge);
  if (request.client?.skip_logout_consent === true) {
    audit('logout.accepted', {
      subject: request.subject,
      client: request.client.client_id,
      asked: false,
    });
    return redirect(await deps.hydra.acceptLogoutRequest(challenge));
  }
  const name = request.client?.client_name?.trim() || request.client?.client_id;
  return show({
    page: 'confirm',
    clientName: name,
    account: await accountOf(deps, request.subject),
  });
}

export async function submitLogout(
  deps: LogoutDeps,
  challenge: string,
  action: 'logout' | 'stay',
): Promise<LogoutOutcome> {
  // Read first: it proves the challenge and names the subject and client in the audit line.
  const request = await deps.hydra.getLogoutRequest(challenge);
  const who = { subject: request.subject, client: request.client?.client_id };
  if (action === 'stay') {
    await deps.hydra.rejectLogoutRequest(challenge);
    audit('logout.declined', who);
    // Hydra answers a rejected logout with 204 and nowhere to go: our own page says what happened,
    // with a link back to the client's own site (client_uri) when it registered one.
    return show({
      page: 'stayed',
      client: request.client ? clientView(request.client) : undefined,
    });
  }
  const to = await deps.hydra.acceptLogoutRequest(challenge);
  audit('logout.accepted', { ...who, asked: true });
  return redirect(to);
}
