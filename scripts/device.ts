/**
 * `npm run device`: a device (a TV, a CLI) signing in with the device authorization grant (RFC
 * 8628) against npm start's Hydra, as a public client: it asks Hydra for a code, prints where to
 * enter it, polls until you have signed in on our pages, and prints who it is signed in as.
 *   npm run device -- [--issuer http://127.0.0.1:$HYDRA_PUBLIC_PORT (4444)] [--client demo-device]
 */
import { parseArgs } from 'node:util';
import * as oidc from 'openid-client';
import { DEMO_DEVICE_CLIENT } from './lib/hydra';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      issuer: {
        type: 'string',
        default: `http://127.0.0.1:${process.env.HYDRA_PUBLIC_PORT ?? '4444'}`,
      },
      client: { type: 'string', default: DEMO_DEVICE_CLIENT },
    },
  });
  const device = await oidc.discovery(
    new URL(values.issuer),
    values.client,
    undefined,
    oidc.None(),
    // npm start's Hydra is on http loopback (--dev).
    { execute: [oidc.allowInsecureRequests] },
  );
  if (!device.serverMetadata().device_authorization_endpoint) {
    throw new Error(`${values.issuer} has no device flow (Hydra v25.4 or later has it)`);
  }
  const authorization = await oidc.initiateDeviceAuthorization(device, {
    scope: 'openid profile email offline_access',
  });
  console.log(`\n  On your phone or computer, open ${authorization.verification_uri}`);
  console.log(`  and enter the code  ${authorization.user_code}`);
  if (authorization.verification_uri_complete) {
    console.log(`  (or open ${authorization.verification_uri_complete})`);
  }
  console.log(
    `\n  waiting (the code is good for ${Math.round(authorization.expires_in / 60)} minutes)…`,
  );
  const tokens = await oidc.pollDeviceAuthorizationGrant(device, authorization);
  const claims = tokens.claims();
  const name = [claims?.name, claims?.email].find((claim) => typeof claim === 'string');
  console.log(
    `\n  Signed in as ${name ?? 'someone'} (subject ${claims?.sub ?? '?'}), scopes: ${tokens.scope ?? ''}`,
  );
}

main().catch((error: unknown) => {
  console.error(`npm run device: ${(error as Error).message}`);
  process.exit(1);
});
