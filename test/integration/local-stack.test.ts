/**
 * What `npm start` refuses before it serves anything (scripts/lib/stack.ts): a functions'
 * configuration with bad variables (each named, all at once, instead of a generic 500 at the first
 * request), a port variable that is no port, and a port in use (named by its variable).
 */
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localPorts, startStack } from '../../scripts/lib/stack';

jest.setTimeout(60_000);

let logDir: string;
beforeAll(() => {
  logDir = mkdtempSync(join(tmpdir(), 'hlc-local-stack-'));
});
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

test('a bad functions configuration: refused before the functions start, every bad variable named', async () => {
  const started = startStack({
    logDir,
    // A Hydra of "your own" that is never called: the check comes first.
    hydra: { adminUrl: 'http://127.0.0.1:9' },
    functions: { via: 'in-process' },
    functionEnv: { COOKIE_SECURE: 'maybe', HYDRA_TIMEOUT_MS: 'soon' },
  });

  await expect(started).rejects.toThrow(
    'configuration: HYDRA_TIMEOUT_MS must be a whole number, got "soon"; COOKIE_SECURE must be true or false, got "maybe"',
  );
});

test('the port variables, with their defaults', () => {
  expect(localPorts({})).toEqual({
    app: 3000,
    lambda: 3002,
    hydraPublic: 4444,
    hydraAdmin: 4445,
    rp: 5555,
    dynamo: 8000,
    mail: 8005,
  });
  expect(localPorts({ PORT: ' 3100 ' }).app).toBe(3100);
});

test('port variables that are no port: all named in one message', () => {
  expect(() => localPorts({ PORT: 'http', DYNAMODB_PORT: '70000' })).toThrow(
    'PORT must be a port number (1 to 65535), got "http"; DYNAMODB_PORT must be a port number (1 to 65535), got "70000"',
  );
});

test('a port in use: one line naming the variable that moves it', async () => {
  const busy: Server = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  try {
    await expect(
      startStack({
        logDir,
        ports: { app: port },
        hydra: { adminUrl: 'http://127.0.0.1:9' },
        functions: { via: 'in-process' },
      }),
    ).rejects.toThrow(
      `port ${port} is in use on 127.0.0.1: stop what uses it, or set PORT to another port`,
    );
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
});
