/** The logout decisions: ask first, unless an operator marked the client `skip_logout_consent`. */
import type { HydraAdmin } from '../hydra/admin';
import { audit } from '../log';
import { clientView, type ClientView } from './client';
import { redirect, show, type Outcome } from './outcome';

export interface LogoutDeps {
  hydra: HydraAdmin;
}

export type LogoutView =
  | { page: 'confirm'; clientName: string | undefined }
  /** The client that asked, when one did: its https `client_uri` is the way back. */
  | { page: 'stayed'; client: ClientView | undefined };

export type LogoutOutcome = Outcome<LogoutView>;

export async function startLogout(deps: LogoutDeps, challenge: string): Promise<LogoutOutcome> {
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
  return show({ page: 'confirm', clientName: name });
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
