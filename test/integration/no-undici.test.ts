/**
 * The consent and logout functions, bundled as deployed, in a fresh `node`: their first event
 * (one Hydra admin call, to a real local server) must not load undici, Node's `fetch`, which
 * costs ~20 ms of a cold start. The Hydra adapter sends over node:http (shared/hydra/transport.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { event } from '../unit/support/events';
import { consentRequest, logoutRequest } from '../unit/support/payloads';

const REPO_ROOT = join(__dirname, '..', '..');
const CHALLENGE = 'challenge-0123456789abcdef';

jest.setTimeout(60_000);

let dir: string;
let server: Server;
let hydraUrl: string;
const received: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hlc-no-undici-'));
  await build({
    entryPoints: ['consent-get', 'logout-get'].map((name) =>
      join(REPO_ROOT, 'functions', `${name}.ts`),
    ),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@node-rs/argon2'],
    outdir: dir,
    logLevel: 'silent',
  });
  server = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = url.pathname.endsWith('/consent')
      ? consentRequest({ challenge: CHALLENGE })
      : logoutRequest({ challenge: CHALLENGE });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hydraUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** Requires the bundle, hands it one event, prints its status and the undici modules loaded. */
const RUNNER = `
const [bundle, eventJson] = process.argv.slice(1);
const { handler } = require(bundle);
handler(JSON.parse(eventJson), { awsRequestId: 'r', getRemainingTimeInMillis: () => 10000 }).then(
  (response) => {
    const undici = process.moduleLoadList.filter((entry) => entry.includes('undici'));
    process.stdout.write(JSON.stringify({ status: response.statusCode, undici }));
    process.exit(0);
  },
);
`;

it.each([
  ['consent-get', '/consent', 'consent_challenge'],
  ['logout-get', '/logout', 'logout_challenge'],
] as const)('%s answers its first event without loading undici', async (name, path, param) => {
  received.length = 0;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '-e',
      RUNNER,
      join(dir, `${name}.js`),
      JSON.stringify(event({ path, query: `${param}=${CHALLENGE}` })),
    ],
    {
      env: {
        PATH: process.env.PATH,
        HYDRA_ADMIN_URL: hydraUrl,
        HYDRA_TIMEOUT_MS: '5000',
        COOKIE_SECRET: 'no-undici-test-cookie-secret-0123456789abcdef',
        USERS_TABLE: 'users',
        AWS_REGION: 'us-east-1',
        LOG_LEVEL: 'error',
      },
    },
  );

  expect(JSON.parse(stdout)).toEqual({ status: 200, undici: [] });
  expect(received).toEqual([`GET /admin/oauth2/auth/requests${path}?${param}=${CHALLENGE}`]);
});

it('the same check sees undici when fetch is used (the check works)', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '-e',
    `fetch(${JSON.stringify(hydraUrl)}).then((r) => r.text()).then(() => process.stdout.write(JSON.stringify(process.moduleLoadList.filter((e) => e.includes('undici')))))`,
  ]);

  expect(JSON.parse(stdout)).not.toEqual([]);
});
