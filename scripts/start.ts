/**
 * `npm start`: the whole stack on this machine (scripts/lib/stack.ts), on embedded defaults.
 *   dynalite (users under .data/dynalite) → a demo user → Hydra (v26.2.0, or the HYDRA_VERSION
 *   given: v2.3.0; built or found, calling our token hook; or yours with HYDRA_ADMIN_URL) → our
 *   functions under serverless offline → a demo relying party.
 * Ctrl-C stops every process it started.
 */
import { join } from 'node:path';
import { ensureDemoUser } from './lib/local-stack';
import { DATA_DIR } from './lib/paths';
import { Stops } from './lib/processes';
import { hasDeviceFlow, HYDRA_VERSIONS, hydraUrls, registerDemoDevice } from './lib/hydra';
import { localPorts, startStack } from './lib/stack';

async function main(): Promise<void> {
  const stops = new Stops();
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log('\nstopping…');
      void stops.stopAll().then(() => process.exit(0));
    });
  }

  try {
    const yourHydra = process.env.HYDRA_ADMIN_URL;
    const stack = await startStack(
      {
        logDir: join(DATA_DIR, 'logs'),
        // Pages at localhost, with passkeys on (PASSKEYS=false turns them off): WebAuthn takes
        // no IP address as its RP ID. Everything still listens on 127.0.0.1 only.
        appHost: 'localhost',
        functionEnv: { PASSKEYS: process.env.PASSKEYS || 'true' },
        ports: localPorts(process.env),
        dynamoDataDir: join(DATA_DIR, 'dynalite'),
        announce: true,
        hydra: { adminUrl: yourHydra },
        // The key Hydra's token hook calls carry: yours (a Hydra of your own is configured with
        // it), else a fresh one for the Hydra started here.
        tokenHook: process.env.TOKEN_HOOK_API_KEY || true,
        functions: { via: 'offline', watch: true },
        relyingParty: { id: 'demo-app', name: 'Demo app', demo: true },
        progress: (message) => console.log(message),
      },
      stops,
    );
    const demoUser = await ensureDemoUser(stack.dynamoEndpoint);

    console.log('');
    console.log(`  login/consent app   ${stack.appUrl}   (logs: .data/logs/functions.log)`);
    if (stack.hydraPublicUrl) {
      const version = stack.hydraVersion ?? '';
      console.log(
        `  Hydra ${version.padEnd(13)} ${stack.hydraPublicUrl} (admin ${stack.hydraAdminUrl})`,
      );
      const other = HYDRA_VERSIONS.filter((candidate) => candidate !== version).join(', ');
      console.log(`                      (HYDRA_VERSION=${other} npm start runs the other one)`);
    } else {
      console.log(`  Hydra admin (yours) ${stack.hydraAdminUrl}`);
      console.log('  configure your Hydra with (environment variables, or urls.* in its config):');
      for (const [variable, url] of Object.entries(hydraUrls(stack.appUrl))) {
        console.log(`                      ${variable}=${url}`);
      }
      console.log(
        `  token hook          ${stack.appUrl}/token-hook, with TOKEN_HOOK_API_KEY in x-token-hook-key` +
          (process.env.TOKEN_HOOK_API_KEY
            ? ''
            : '\n                      (TOKEN_HOOK_API_KEY is not set: give it to npm start and your Hydra, see README)'),
      );
    }
    console.log(`  DynamoDB (dynalite) ${stack.dynamoEndpoint}   (data: .data/dynalite)`);
    console.log(`  Mail inbox (SES)    ${stack.mailUrl}   (every mail the functions send)`);
    const demoUrl = stack.relyingParty?.demoUrl;
    if (demoUrl) console.log(`\n  Open ${demoUrl} and click "Sign in".`);
    if (stack.hydraPublicUrl) console.log(`  Your account page: ${stack.appUrl}/account`);
    if (stack.hydraPublicUrl) {
      await registerDemoDevice(stack.hydraAdminUrl);
      console.log(
        (await hasDeviceFlow(stack.hydraPublicUrl))
          ? `  Device sign-in (a TV, a CLI): run \`npm run device\` in another terminal.`
          : '  Device sign-in: needs Hydra v25.4 or later (this one has no device flow).',
      );
    }
    if (demoUser.password) {
      console.log(`\n  Demo user (shown once): ${demoUser.email} / ${demoUser.password}`);
    } else {
      console.log(
        `\n  Demo user: ${demoUser.email} (password shown when it was created; reset it with\n  npm run users -- set-password ${demoUser.email})`,
      );
    }
    console.log('\n  Ctrl-C stops everything.');
  } catch (error) {
    console.error(`npm start: ${(error as Error).message}`);
    await stops.stopAll();
    process.exit(1);
  }
}

void main();
