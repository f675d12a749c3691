/** The logout decisions: ask first, unless an operator marked the client `skip_logout_consent`. */
import type { HydraAdmin } from '../hydra/admin';
import { audit } from '../log';
import { redirect, show, type Outcome } from './outcome';

export interface LogoutDeps {
  hydra: HydraAdmin;
}

export type LogoutView = { page: 'confirm'; clientName: string | undefined } | { page: 'stayed' };

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
    // Hydra answers a rejected logout with 204 and nowhere to go: our own page says what happened.
    return show({ page: 'stayed' });
  }
  const to = await deps.hydra.acceptLogoutRequest(challenge);
  audit('logout.accepted', { ...who, asked: true });
  return redirect(to);
}
