/**
 * `npm start`: the whole stack on this machine, on embedded defaults.
 *   dynalite (users under .data/dynalite) → a demo user → Hydra (built or found, calling our
 *   token hook; or yours with HYDRA_ADMIN_URL) → our functions under serverless offline → a demo
 *   relying party.
 * Ctrl-C stops every process it started.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findOrBuildHydra, startHydra } from './lib/hydra';
import { DATA_DIR } from './lib/paths';
import { startOffline } from './lib/offline';
import { portInUse } from './lib/servers';
import { startDemoRelyingParty } from './lib/demo-rp';
import { registerRelyingParty } from './lib/relying-party';
import { LOCAL_USERS_TABLE, startLocalDynamo } from './lib/dynamo';
import { ensureDemoUser, LOCAL_STACK_FILE, writeLocalStack } from './lib/local-stack';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const ports = {
    app: port('PORT', 3000),
    lambda: port('LAMBDA_PORT', 3002),
    hydraPublic: port('HYDRA_PUBLIC_PORT', 4444),
    hydraAdmin: port('HYDRA_ADMIN_PORT', 4445),
    rp: port('DEMO_RP_PORT', 5555),
    dynamo: port('DYNAMODB_PORT', 8000),
  };
  const externalHydra = process.env.HYDRA_ADMIN_URL;
  const needed = Object.entries(ports).filter(
    ([name]) =>
      !(externalHydra && (name === 'hydraPublic' || name === 'hydraAdmin' || name === 'rp')),
  );
  for (const [name, value] of needed) {
    if (await portInUse(value)) {
      throw new Error(
        `port ${value} (${name}) is in use on 127.0.0.1: stop what uses it, or set another port (see README, "Local stack")`,
      );
    }
  }

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(LOCAL_STACK_FILE, { force: true });
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log('\nstopping…');
      void stopAll().then(() => process.exit(0));
    });
  }

  try {
    mkdirSync(DATA_DIR, { recursive: true });
    const dynamo = await startLocalDynamo({
      dataDir: join(DATA_DIR, 'dynalite'),
      port: ports.dynamo,
    });
    stops.push(dynamo.stop);
    const stack = { dynamodbEndpoint: dynamo.endpoint, usersTable: LOCAL_USERS_TABLE };
    writeLocalStack(stack);
    const demoUser = await ensureDemoUser(dynamo.endpoint);

    const appUrl = `http://127.0.0.1:${ports.app}`;
    // The key Hydra's token hook calls carry: yours (a Hydra of your own is configured with it),
    // else a fresh one for the Hydra started here.
    const tokenHookApiKey = process.env.TOKEN_HOOK_API_KEY || randomBytes(32).toString('base64url');
    let hydraAdminUrl = externalHydra;
    let hydraPublicUrl: string | undefined;
    if (!hydraAdminUrl) {
      console.log('finding or building Hydra v2.3.0 (the first build takes a few minutes)…');
      const hydra = await startHydra({
        binary: findOrBuildHydra(),
        publicPort: ports.hydraPublic,
        adminPort: ports.hydraAdmin,
        appUrl,
        logFile: join(DATA_DIR, 'logs', 'hydra.log'),
        tokenHookApiKey,
      });
      stops.push(hydra.stop);
      hydraAdminUrl = hydra.adminUrl;
      hydraPublicUrl = hydra.publicUrl;
    }
    // The users CLI revokes a user's Hydra consents and tokens here (README, "Users").
    writeLocalStack({ ...stack, hydraAdminUrl });

    console.log('starting the functions under serverless offline…');
    const offline = await startOffline({
      port: ports.app,
      lambdaPort: ports.lambda,
      hydraAdminUrl,
      dynamodbEndpoint: dynamo.endpoint,
      usersTable: LOCAL_USERS_TABLE,
      cookieSecret: randomBytes(32).toString('base64url'),
      tokenHookApiKey,
      logFile: join(DATA_DIR, 'logs', 'functions.log'),
      watch: true,
    });
    stops.push(offline.stop);

    let demoUrl: string | undefined;
    if (hydraPublicUrl) {
      const rpUrl = `http://127.0.0.1:${ports.rp}`;
      const rp = await registerRelyingParty(
        { adminUrl: hydraAdminUrl, publicUrl: hydraPublicUrl },
        {
          id: 'demo-app',
          name: 'Demo app',
          redirectUri: `${rpUrl}/callback`,
          postLogoutRedirectUri: `${rpUrl}/`,
        },
      );
      const demo = await startDemoRelyingParty(rp, ports.rp);
      stops.push(demo.close);
      demoUrl = demo.url;
    }

    console.log('');
    console.log(`  login/consent app   ${offline.url}   (logs: .data/logs/functions.log)`);
    if (hydraPublicUrl)
      console.log(`  Hydra               ${hydraPublicUrl} (admin ${hydraAdminUrl})`);
    else {
      console.log(`  Hydra admin (yours) ${hydraAdminUrl}`);
      console.log(
        `  token hook          ${offline.url}/token-hook, with TOKEN_HOOK_API_KEY in x-token-hook-key` +
          (process.env.TOKEN_HOOK_API_KEY
            ? ''
            : '\n                      (TOKEN_HOOK_API_KEY is not set: give it to npm start and your Hydra, see README)'),
      );
    }
    console.log(`  DynamoDB (dynalite) ${dynamo.endpoint}   (data: .data/dynalite)`);
    if (demoUrl) console.log(`\n  Open ${demoUrl} and click "Sign in".`);
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
    await stopAll();
    process.exit(1);
  }
}

void main();
