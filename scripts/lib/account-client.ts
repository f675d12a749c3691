/**
 * The account page's client in Hydra (README, "Account page"): public (PKCE, no secret),
 * first-party (`skip_consent`), `openid` only, its callback on the functions' public URL.
 * The local stack registers it in its own Hydra; `npm run users -- account-client <public-url>`
 * registers it (or brings it up to date) in a deployment's.
 */
import { ACCOUNT_CALLBACK_PATH } from '../../shared/hydra/public';
import type { ClientRegistration } from './hydra';

/** ACCOUNT_CLIENT_ID's default. */
export const ACCOUNT_CLIENT = 'account';

export function accountClient(publicUrl: string, clientId = ACCOUNT_CLIENT): ClientRegistration {
  return {
    client_id: clientId,
    client_name: 'Your account',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: 'openid',
    redirect_uris: [`${publicUrl.replace(/\/+$/, '')}${ACCOUNT_CALLBACK_PATH}`],
    skip_consent: true,
  };
}

/**
 * Creates the client, or updates it in place when Hydra has it already (PUT keeps the users'
 * consents to it; deleting and creating again would drop them). Says which it did.
 */
export async function registerAccountClient(
  admin: { url: string; token: string | undefined },
  client: ClientRegistration,
): Promise<'created' | 'updated'> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (admin.token) headers.authorization = `Bearer ${admin.token}`;
  const base = `${admin.url.replace(/\/+$/, '')}/admin/clients`;
  const existing = await fetch(`${base}/${encodeURIComponent(client.client_id)}`, {
    headers,
    signal: AbortSignal.timeout(5000),
  });
  await existing.body?.cancel();
  const update = existing.status === 200;
  if (!update && existing.status !== 404) {
    throw new Error(`Hydra's admin API answered HTTP ${existing.status} for the client`);
  }
  const response = await fetch(update ? `${base}/${encodeURIComponent(client.client_id)}` : base, {
    method: update ? 'PUT' : 'POST',
    headers,
    body: JSON.stringify(client),
    signal: AbortSignal.timeout(5000),
  });
  if (response.status !== (update ? 200 : 201)) {
    throw new Error(
      `registering the account client: Hydra's admin API answered HTTP ${response.status} ${await response.text()}`,
    );
  }
  await response.body?.cancel();
  return update ? 'updated' : 'created';
}
