/**
 * The user admin CLI (`npm run users -- …` = `node scripts/users.cjs`) as an operator runs it,
 * pointed at a dynalite of this test with `--endpoint`, passwords piped on stdin: its `main` in
 * this process, given the arguments, the environment of a developer shell and the streams, and
 * (the last tests) a few runs of the script as a child process on Node 22. What it did is checked
 * through the store, not only through what it printed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { loadArgon2Parameters } from '../../shared/config';
import { DynamoUserStore } from '../../shared/users/dynamo-store';
import { createPasswordHasher } from '../../shared/users/password';
import { sessionVerdict } from '../../shared/users/sessions';
import { emailKey, userKey } from '../../shared/users/table';
import type { User } from '../../shared/users/types';
import { LOCAL_STACK_FILE, writeLocalStack } from '../../scripts/lib/local-stack';
import { main } from '../../scripts/users';
import { closedPortUrl, startHydraServer, type LocalServer } from '../unit/support/local-servers';
import { startFailingProxy, startTestDynamo, type TestDynamo } from './support/dynamo';

jest.setTimeout(60_000);

const REPO_ROOT = join(__dirname, '..', '..');
const BIN = join(REPO_ROOT, 'node_modules', '.bin');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/;

const hasher = createPasswordHasher(loadArgon2Parameters({}));
const running = new Set<ChildProcess>();

let dynamo: TestDynamo;
let store: DynamoUserStore;
/** Hydra's admin API on loopback: one that revokes, one that answers every revocation with 500. */
let hydra: LocalServer;
let failingHydra: LocalServer;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = new DynamoUserStore({
    client: dynamo.client,
    tableName: dynamo.defaultTable,
    hasher,
  });
  hydra = await startHydraServer();
  failingHydra = await startHydraServer({ revocationStatus: 500 });
});

beforeEach(() => {
  hydra.calls.length = 0;
  failingHydra.calls.length = 0;
});

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await dynamo?.stop();
  await hydra?.close();
  await failingHydra?.close();
});

/** The CLI's environment for revoking at the stub Hydra. */
const withHydra = (server?: LocalServer) => ({ env: { HYDRA_ADMIN_URL: (server ?? hydra).url } });

/** The revocations the stub Hydra was sent, by subject. */
const revoked = (server: LocalServer) =>
  server.calls
    .filter((call) => call.method === 'DELETE')
    .map((call) => ({ path: call.path, query: call.query }));

const revocationOf = (subject: string) => ({
  path: '/admin/oauth2/auth/sessions/consent',
  query: { subject, all: 'true' },
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Both streams: what an operator sees in the terminal. */
  output: string;
}

/** The environment of a developer shell, minus anything that would pick another table. */
function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(USERS_TABLE|DYNAMODB_ENDPOINT|HYDRA_ADMIN_|PASSWORD_PEPPER|ARGON2_|AWS_)/.test(name)) {
      delete env[name];
    }
  }
  return { ...env, PATH: `${BIN}:${process.env.PATH ?? ''}`, AWS_REGION: 'us-east-1' };
}

/** Where the CLI works (default: the test dynalite) and what it adds to the shell's environment. */
interface CliOptions {
  target?: string[];
  env?: Record<string, string>;
}

const argvOf = (args: string[], target?: string[]) => [
  ...args,
  ...(target ?? ['--endpoint', dynamo.endpoint]),
];

/** A stream that keeps what is written to it. */
function collector() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/**
 * Runs the CLI's `main` in this process against the test dynalite; `stdin` is piped in and closed
 * (empty when absent). `env` adds to the developer shell's environment (HYDRA_ADMIN_URL, …).
 */
async function users(args: string[], stdin = '', { target, env = {} }: CliOptions = {}) {
  const stdout = collector();
  const stderr = collector();
  const code = await main({
    argv: argvOf(args, target),
    env: { ...cliEnv(), ...env },
    stdin: Readable.from(stdin ? [Buffer.from(stdin, 'utf8')] : []),
    stdout: stdout.stream,
    stderr: stderr.stream,
  });
  return {
    code,
    stdout: stdout.text(),
    stderr: stderr.text(),
    output: stdout.text() + stderr.text(),
  } satisfies CliResult;
}

/** The same as `users`, as an operator's shell runs it: `node scripts/users.cjs` in a child process. */
function usersProcess(args: string[], stdin = '', { target, env = {} }: CliOptions = {}) {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, [join('scripts', 'users.cjs'), ...argvOf(args, target)], {
      cwd: REPO_ROOT,
      env: { ...cliEnv(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.add(child);
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      running.delete(child);
      resolve({ code, stdout, stderr, output: stdout + stderr });
    });
    child.stdin.end(stdin);
  });
}

async function itemCount(): Promise<number> {
  return (await dynamo.items(dynamo.defaultTable)).length;
}

/** A user as `show` and `list --json` print it: everything but the hash. */
function publicViewOf(user: User): Record<string, unknown> {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

/** A fresh address per test, so tests do not depend on each other's users. */
const newEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;

async function createUser(email: string, password = 'initial password 1') {
  const result = await users(['create', email, '--password-stdin'], `${password}\n`);
  expect(result.code).toBe(0);
  const user = await store.findByIdentifier(email);
  if (!user) throw new Error(`the CLI did not create ${email}: ${result.output}`);
  return user;
}

describe('users CLI: create', () => {
  it('refuses an email that already exists with a clear message, a non-zero exit and no change', async () => {
    const email = newEmail('taken');
    const first = await createUser(email);
    const before = await itemCount();

    const result = await users(
      ['create', `  ${email.toUpperCase()}`, '--password-stdin'],
      'another password\n',
    );

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/already exists/);
    expect(result.output).not.toContain('another password');
    expect(await itemCount()).toBe(before);
    expect(await store.findByIdentifier(email)).toEqual(first);
  });

  it.each([
    [
      'an invalid email',
      ['create', 'not-an-email', '--password-stdin'],
      'long enough password\n',
      /the email is not valid/,
    ],
    [
      'a too-short password',
      ['create', 'short-pw@example.com', '--password-stdin'],
      'short\n',
      /at least 8 characters/,
    ],
    [
      'a too-long password',
      ['create', 'long-pw@example.com', '--password-stdin'],
      `${'x'.repeat(257)}\n`,
      /at most 256 characters/,
    ],
    [
      // 260 characters as typed, 130 after NFKC: sign-in would refuse it.
      'a password too long as typed',
      ['create', 'combining@example.com', '--password-stdin'],
      `${'e\u0301'.repeat(130)}\n`,
      /at most 256 characters/,
    ],
    [
      // 1 character as typed, 18 after NFKC.
      'a password too short as typed',
      ['create', 'ligature@example.com', '--password-stdin'],
      '\uFDFA\n',
      /at least 8 characters/,
    ],
    [
      'an empty stdin',
      ['create', 'empty-pw@example.com', '--password-stdin'],
      '',
      /at least 8 characters/,
    ],
    ['an unknown command', ['frobnicate', 'x@example.com'], '', /unknown command "frobnicate"/],
    [
      'a missing email',
      ['create', '--password-stdin'],
      'long enough password\n',
      /create needs an email/,
    ],
  ])(
    'refuses %s with a clear message, a non-zero exit and nothing written',
    async (_label, args, stdin, message) => {
      const before = await itemCount();

      const result = await users(args, stdin);

      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).not.toMatch(/created/);
      expect(await itemCount()).toBe(before);
    },
  );

  it('refuses a password given as a command-line option or argument, without echoing it', async () => {
    const before = await itemCount();

    const asOption = await users(['create', 'opt@example.com', '--password=CmdLine-Secret-1']);
    const asArgument = await users(['create', 'arg@example.com', 'CmdLine-Secret-2']);
    const withStdinToo = await users(
      ['create', 'both@example.com', 'CmdLine-Secret-3', '--password-stdin'],
      'piped password\n',
    );

    for (const result of [asOption, asArgument, withStdinToo]) {
      expect(result.code).not.toBe(0);
      expect(result.output).not.toMatch(/CmdLine-Secret/);
      expect(result.output).not.toMatch(/created/);
    }
    expect(asOption.stderr).toMatch(/^users: unknown option --password: passwords are never read/);
    expect(asArgument.stderr).toMatch(/never read from the command line/);
    expect(await itemCount()).toBe(before);
  });

  it('refuses to read a password from a terminal that is not there without --password-stdin', async () => {
    const before = await itemCount();

    const result = await users(['create', newEmail('noprompt')], 'piped but not asked for\n');

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--password-stdin/);
    expect(await itemCount()).toBe(before);
  });
});

describe('users CLI: show and list', () => {
  it('shows a user by email or id without the password hash', async () => {
    const email = newEmail('shown');
    const user = await createUser(email);

    for (const reference of [email, user.id]) {
      const result = await users(['show', reference]);

      expect(result.code).toBe(0);
      const shown = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(shown).toMatchObject({ id: user.id, email, enabled: true });
      expect(shown).not.toHaveProperty('passwordHash');
      expect(result.output).not.toContain('$argon2');
      expect(result.output).not.toContain(user.passwordHash);
    }
  });

  /** Every user in the test table, by email. */
  async function everyEmail(): Promise<string[]> {
    const emails: string[] = [];
    for await (const user of store.list()) emails.push(user.email);
    return emails.sort();
  }

  it('lists every user under a header, by email, with id and status, and no password hash', async () => {
    // Created out of order: the list is by email, not by creation or by the table's order.
    const b = await createUser(`list-b-${randomUUID().slice(0, 8)}@example.com`);
    const a = await createUser(`list-a-${randomUUID().slice(0, 8)}@example.com`);
    await store.setEnabled(b.id, false);

    const result = await users(['list']);

    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID {36}EMAIL +STATUS$/);
    const columns = rows.map((row) => row.split(/ {2,}/));
    expect(columns).toContainEqual([a.id, a.email, 'enabled']);
    expect(columns).toContainEqual([b.id, b.email, 'disabled']);
    // One row per user (no id pointers or other items), by email, in aligned columns.
    expect(columns.map(([, email]) => email)).toEqual(await everyEmail());
    const statusColumn = new Set([header!, ...rows].map((row) => row.search(/\S+$/)));
    expect(statusColumn.size).toBe(1);
    expect(result.output).not.toContain('$argon2');
    expect(result.output).not.toContain('user#');
  });

  it('list --json prints one JSON array of the users by email, without password hashes', async () => {
    const user = await createUser(newEmail('list-json'));

    const result = await users(['list', '--json']);

    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(Array.isArray(listed)).toBe(true);
    expect(listed.map((entry) => entry.email)).toEqual(await everyEmail());
    expect(listed).toContainEqual(publicViewOf(user));
    for (const entry of listed) expect(entry).not.toHaveProperty('passwordHash');
    expect(result.output).not.toContain('$argon2');
  });

  it('answers an unknown user with a clear message and a non-zero exit', async () => {
    const byEmail = await users(['show', 'nobody@example.com']);
    const byId = await users(['disable', randomUUID()], '', withHydra());

    expect(byEmail.code).not.toBe(0);
    expect(byEmail.stderr).toMatch(/no user nobody@example.com/);
    expect(byId.code).not.toBe(0);
    expect(byId.stderr).toMatch(/no user /);
  });
});

describe('users CLI: changes', () => {
  it('sets a new password from stdin: new hash, new passwordChangedAt, old password refused', async () => {
    const email = newEmail('setpw');
    const user = await createUser(email, 'the old password');

    const result = await users(
      ['set-password', email, '--password-stdin'],
      'the new password\n',
      withHydra(),
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`password of ${email} changed`);
    expect(result.output).not.toContain('the new password');
    const stored = await store.findById(user.id);
    expect(stored?.passwordHash).not.toBe(user.passwordHash);
    expect(stored?.passwordChangedAt).not.toBe(user.passwordChangedAt);
    expect(await hasher.verify(stored!.passwordHash, 'the new password')).toBe(true);
    expect(await hasher.verify(stored!.passwordHash, 'the old password')).toBe(false);
  });

  it('refuses a too-short new password and keeps the old one', async () => {
    const email = newEmail('setpw-short');
    const user = await createUser(email);

    const result = await users(
      ['set-password', user.id, '--password-stdin'],
      'short\n',
      withHydra(),
    );

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/at least 8 characters/);
    expect(await store.findById(user.id)).toEqual(user);
    expect(revoked(hydra)).toEqual([]);
  });

  it('disables and enables a user', async () => {
    const email = newEmail('toggle');
    const user = await createUser(email);

    const disabled = await users(['disable', email], '', withHydra());
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain(`${email} disabled`);
    expect((await store.findById(user.id))?.enabled).toBe(false);

    const enabled = await users(['enable', user.id]);
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toContain(`${email} enabled`);
    expect((await store.findById(user.id))?.enabled).toBe(true);
  });

  it('marks an email verified, as a verification link does', async () => {
    const email = newEmail('verify');
    const user = await createUser(email);
    expect((await store.findById(user.id))?.profile.email_verified).not.toBe(true);

    const result = await users(['verify-email', email]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${email}: email verified`);
    expect((await store.findById(user.id))?.profile.email_verified).toBe(true);
    expect((await store.findByIdentifier(email))?.profile.email_verified).toBe(true);
  });

  it('refuses to delete without --yes and leaves the user in place', async () => {
    const email = newEmail('keep');
    const user = await createUser(email);

    const result = await users(['delete', email]);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--yes/);
    expect(await store.findById(user.id)).toEqual(user);
  });

  it('deletes a user and its id pointer with --yes, and the email can be registered again', async () => {
    const email = newEmail('gone');
    const user = await createUser(email);

    const result = await users(['delete', user.id, '--yes'], '', withHydra());

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`deleted ${email}`);
    expect(await store.findById(user.id)).toBeUndefined();
    expect(await store.findByIdentifier(email)).toBeUndefined();
    const pointer = await dynamo.sdk.get({
      TableName: dynamo.defaultTable,
      Key: { pk: userKey(user.id) },
    });
    expect(pointer.Item).toBeUndefined();

    const again = await createUser(email);
    expect(again.id).not.toBe(user.id);
  });
});

/** The four commands that end a user's sessions, as the CLI is run for each. */
const ENDING = [
  [
    'set-password',
    (ref: string) => ['set-password', ref, '--password-stdin'],
    'the new password\n',
  ],
  ['disable', (ref: string) => ['disable', ref], ''],
  ['delete', (ref: string) => ['delete', ref, '--yes'], ''],
  ['revoke', (ref: string) => ['revoke', ref], ''],
  ['factors-reset', (ref: string) => ['factors-reset', ref], ''],
] as const;

/** What the table holds for a user right now (undefined once deleted). */
const stored = (user: User) => store.findByIdentifier(user.email);

/** A session authenticated a minute ago: still current unless the user's sessions were ended. */
const aMinuteAgo = () => Date.now() / 1000 - 60;

describe('users CLI: ending sessions (set-password, disable, delete, revoke)', () => {
  it.each(ENDING)(
    '%s ends the sessions in the table and revokes the consents and tokens at Hydra',
    async (command, args, stdin) => {
      const email = newEmail(`end-${command}`);
      const user = await createUser(email);
      expect(sessionVerdict(user, aMinuteAgo())).toBe('current');

      const result = await users(args(email), stdin, {
        env: { HYDRA_ADMIN_URL: hydra.url, HYDRA_ADMIN_TOKEN: 'admin-token-1' },
      });

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/revoked the consents of .* at Hydra/);
      expect(revoked(hydra)).toEqual([revocationOf(user.id)]);
      expect(hydra.calls.map((call) => call.authorization)).toEqual(['Bearer admin-token-1']);
      expect(result.output).not.toContain('admin-token-1');
      expect(sessionVerdict(await stored(user), aMinuteAgo())).not.toBe('current');
    },
  );

  it('revoke leaves the user enabled with its password, and ends its remembered logins', async () => {
    const email = newEmail('revoke');
    const user = await createUser(email);

    const result = await users(['revoke', user.id], '', withHydra());

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ended the sessions of ${email}`);
    const after = await stored(user);
    expect(after).toMatchObject({ enabled: true, passwordHash: user.passwordHash });
    expect(sessionVerdict(after, aMinuteAgo())).toBe('revoked');
    expect(revoked(hydra)).toEqual([revocationOf(user.id)]);
  });

  it.each(ENDING)(
    '%s is refused without any Hydra admin URL: exit 2, nothing changed, --no-revoke named',
    async (command, args, stdin) => {
      const user = await createUser(newEmail(`refused-${command}`));
      const before = await itemCount();

      const result = await users(args(user.email), stdin);

      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/HYDRA_ADMIN_URL/);
      expect(result.stderr).toMatch(/--no-revoke/);
      expect(result.stderr).toMatch(/Nothing was changed/);
      expect(result.stdout).toBe('');
      expect(await stored(user)).toEqual(user);
      expect(await itemCount()).toBe(before);
    },
  );

  it.each(ENDING)(
    '%s --no-revoke changes the table only, ends remembered logins, and says Hydra was not asked',
    async (command, args, stdin) => {
      const user = await createUser(newEmail(`norevoke-${command}`));

      // Even with a Hydra at hand: --no-revoke means Hydra is not asked.
      const result = await users([...args(user.email), '--no-revoke'], stdin, withHydra());

      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/warning \(--no-revoke\).* NOT revoked/);
      expect(result.stderr).toMatch(/tokens stay valid at Hydra/);
      expect(hydra.calls).toEqual([]);
      expect(sessionVerdict(await stored(user), aMinuteAgo())).not.toBe('current');
    },
  );

  it.each(ENDING.filter(([command]) => command !== 'delete'))(
    '%s when Hydra fails: the table change stands, exit 1, and the retry command is named',
    async (command, args, stdin) => {
      const email = newEmail(`hydra-down-${command}`);
      const user = await createUser(email);

      const result = await users(args(email), stdin, withHydra(failingHydra));

      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/revoking its consents and tokens at Hydra failed/);
      expect(result.stderr).toMatch(/HTTP 500/);
      expect(result.stderr).toContain(`npm run users -- revoke ${email}`);
      expect(revoked(failingHydra)).toContainEqual(revocationOf(user.id));
      expect(sessionVerdict(await stored(user), aMinuteAgo())).not.toBe('current');
    },
  );

  it('delete when Hydra fails: keeps the user disabled (not deleted), exit 1, retry = the same delete', async () => {
    const email = newEmail('hydra-down-delete');
    const user = await createUser(email);

    const result = await users(['delete', email, '--yes'], '', withHydra(failingHydra));

    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/deleted/);
    expect(result.stderr).toMatch(/NOT deleted/);
    expect(result.stderr).toContain(`npm run users -- delete ${email} --yes`);
    expect(await stored(user)).toMatchObject({ id: user.id, enabled: false });

    const retried = await users(['delete', email, '--yes'], '', withHydra());

    expect(retried.code).toBe(0);
    expect(await stored(user)).toBeUndefined();
    expect(revoked(hydra)).toEqual([revocationOf(user.id)]);
  });
});

describe('users CLI: second factors (totp-enrol, factors, factors-reset)', () => {
  const FACTOR_KEY = Buffer.alloc(32, 9).toString('base64');

  it('enrols an authenticator app, printing its URI, key and 10 recovery codes once; lists; resets', async () => {
    const user = await createUser(newEmail('totp'));
    const env = { FACTOR_KEY };

    const enrolled = await users(['totp-enrol', user.email, '--issuer', 'Example'], '', { env });
    const listed = await users(['factors', user.email], '', { env });
    const reset = await users(['factors-reset', user.email], '', withHydra());
    const after = await users(['factors', user.email], '', { env });

    expect(enrolled.code).toBe(0);
    const secret = /^secret: ([A-Z2-7]{32})$/m.exec(enrolled.stdout)?.[1];
    expect(enrolled.stdout).toContain(`otpauth URI: otpauth://totp/Example:`);
    expect(enrolled.stdout).toContain(`secret=${secret}`);
    expect(enrolled.stdout.match(/^ {2}[0-9A-Z]{5}-[0-9A-Z]{5}$/gm)).toHaveLength(10);
    expect(JSON.parse(listed.stdout)).toMatchObject({ recoveryCodesLeft: 10 });
    expect(listed.stdout).not.toContain(secret);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain(`removed the second factors of ${user.email}`);
    expect(JSON.parse(after.stdout)).toMatchObject({
      authenticatorApp: null,
      recoveryCodesLeft: 0,
      passkeys: [],
    });
    expect(sessionVerdict(await stored(user), aMinuteAgo())).toBe('revoked');
  });
});

describe('users CLI: a user record without its id pointer (what an interrupted create leaves)', () => {
  /** The user item alone, written straight into dynalite: no `user#` pointer. */
  async function incompleteUser(label: string): Promise<User> {
    const now = new Date().toISOString();
    const user: User = {
      id: randomUUID(),
      email: newEmail(label),
      enabled: true,
      passwordHash: await hasher.hash('initial password 1'),
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
      profile: {},
    };
    await dynamo.sdk.put({
      TableName: dynamo.defaultTable,
      Item: { pk: emailKey(user.email), ...user },
    });
    return user;
  }

  it.each([...ENDING, ['enable', (ref: string) => ['enable', ref], ''] as const])(
    '%s exits non-zero, says the record is incomplete and how to repair it, and changes nothing',
    async (command, args, stdin) => {
      const user = await incompleteUser(`incomplete-${command}`);
      const before = await dynamo.items(dynamo.defaultTable);

      const result = await users(args(user.email), stdin, withHydra());

      expect(result.code).not.toBe(0);
      expect(result.stdout).not.toMatch(/disabled|enabled|deleted|changed|ended/);
      expect(result.stderr).toMatch(/NOT (disabled|enabled|deleted|changed|revoked)/);
      expect(result.stderr).toMatch(/incomplete/);
      expect(result.stderr).toContain(`npm run users -- repair ${user.email}`);
      expect(await dynamo.items(dynamo.defaultTable)).toEqual(before);
      expect(await store.findByIdentifier(user.email)).toEqual(user);
      expect(hydra.calls).toEqual([]);
    },
  );

  it('create says when it fails half-way and cannot undo it, and names the repair, which works', async () => {
    const email = newEmail('half-written');
    // The pointer write fails, and so does taking the user item back out.
    const proxy = await startFailingProxy(
      dynamo.endpoint,
      (operation, pk) =>
        (operation === 'PutItem' && pk.startsWith('user#')) ||
        (operation === 'DeleteItem' && pk === emailKey(email)),
    );
    let result: CliResult;
    try {
      result = await users(['create', email, '--password-stdin'], 'initial password 1\n', {
        target: ['--endpoint', proxy.endpoint],
      });
    } finally {
      await proxy.close();
    }

    expect(proxy.refused.map((call) => call.split(' ')[0])).toEqual(
      expect.arrayContaining(['PutItem', 'DeleteItem']),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/created/);
    expect(result.stderr).toMatch(/failed half-way/);
    expect(result.stderr).toContain(emailKey(email));
    expect(result.stderr).toContain(`npm run users -- repair ${email}`);
    const left = await store.findByIdentifier(email);
    expect(left).toBeDefined();
    expect(result.stderr).toContain(userKey(left!.id));
    expect(await store.findById(left!.id)).toBeUndefined();

    const repaired = await users(['repair', email]);

    expect(repaired.code).toBe(0);
    expect(await store.findById(left!.id)).toEqual(left);
  });

  it('repair restores the id pointer, after which the user can be disabled and deleted', async () => {
    const user = await incompleteUser('repaired');

    const repaired = await users(['repair', user.email]);

    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain(`repaired ${user.email}`);
    expect(await store.findById(user.id)).toEqual(user);

    const again = await users(['repair', user.email]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to repair');

    const deleted = await users(['delete', user.id, '--yes'], '', withHydra());
    expect(deleted.code).toBe(0);
    expect(await store.findByIdentifier(user.email)).toBeUndefined();
    expect(revoked(hydra)).toEqual([revocationOf(user.id)]);
  });
});

/**
 * `npm start` says in LOCAL_STACK_FILE where its table and its Hydra are. These tests write that
 * file for the test dynalite and the stub Hydra, and remove it after; they are skipped while a
 * real `npm start` of this checkout has its file there.
 */
const withoutRealStack = existsSync(LOCAL_STACK_FILE) ? describe.skip : describe;

withoutRealStack('users CLI: the Hydra of the running npm start stack', () => {
  beforeEach(() => {
    mkdirSync(dirname(LOCAL_STACK_FILE), { recursive: true });
    writeLocalStack({
      dynamodbEndpoint: dynamo.endpoint,
      usersTable: dynamo.defaultTable,
      hydraAdminUrl: hydra.url,
    });
  });

  afterEach(() => {
    rmSync(LOCAL_STACK_FILE, { force: true });
  });

  it('revokes at the stack’s Hydra when the command works on the stack’s table', async () => {
    const user = await createUser(newEmail('stack'));

    const result = await users(['disable', user.email]);

    expect(result.code).toBe(0);
    expect(revoked(hydra)).toEqual([revocationOf(user.id)]);
  });

  it('does not use the stack’s Hydra for another table: refused', async () => {
    const table = await dynamo.newTable();
    const target = ['--endpoint', dynamo.endpoint, '--table', table];
    const created = await users(
      ['create', newEmail('other'), '--password-stdin'],
      'pw 12345678\n',
      {
        target,
      },
    );
    expect(created.code).toBe(0);
    const [item] = await dynamo.items(table);

    const result = await users(['disable', String(item?.email)], '', { target });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Nothing was changed/);
    expect(hydra.calls).toEqual([]);
  });

  it('is refused when the stack’s Hydra does not answer', async () => {
    writeLocalStack({
      dynamodbEndpoint: dynamo.endpoint,
      usersTable: dynamo.defaultTable,
      hydraAdminUrl: await closedPortUrl(),
    });
    const user = await createUser(newEmail('stack-down'));

    const result = await users(['disable', user.email]);

    expect(result.code).toBe(2);
    expect(await store.findById(user.id)).toEqual(user);
  });
});

describe('users CLI: choosing the table', () => {
  it('works on the table named by --table at the given --endpoint', async () => {
    const table = await dynamo.newTable();
    const email = newEmail('other-table');
    const target = ['--endpoint', dynamo.endpoint, '--table', table];

    const result = await users(['create', email, '--password-stdin'], 'password 12345\n', {
      target,
    });

    expect(result.code).toBe(0);
    expect(await store.findByIdentifier(email)).toBeUndefined();
    const items = await dynamo.items(table);
    expect(items.map((item) => item.email)).toEqual([email, email]);
  });
});

/**
 * The CLI at a terminal: stdin is a TTY as readline sees one, and `typed` holds what the operator
 * types at each password prompt, in turn. Returns the prompts it was shown, too.
 */
async function usersAtTerminal(args: string[], typed: string[], options: CliOptions = {}) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
  const stdout = collector();
  const prompts: string[] = [];
  let shown = '';
  const stderr = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = chunk.toString();
      shown += text;
      const prompt = /(New password|Repeat it): $/.exec(text)?.[1];
      if (prompt) {
        prompts.push(prompt);
        const keys = typed.shift();
        setImmediate(() => (keys === undefined ? stdin.end() : stdin.write(keys)));
      }
      done();
    },
  });
  const code = await main({
    argv: argvOf(args, options.target),
    env: { ...cliEnv(), ...options.env },
    stdin,
    stdout: stdout.stream,
    stderr,
  });
  return { code, stdout: stdout.text(), stderr: shown, prompts };
}

describe('users CLI: the password prompt', () => {
  it('asks twice and creates the user with what was typed, never shown', async () => {
    const email = newEmail('prompted');

    const result = await usersAtTerminal(
      ['create', email],
      ['typed passphrase\r', 'typed passphrase\r'],
    );

    expect(result.code).toBe(0);
    expect(result.prompts).toEqual(['New password', 'Repeat it']);
    expect(result.stderr + result.stdout).not.toContain('typed passphrase');
    const user = await store.findByIdentifier(email);
    expect(await hasher.verify(user!.passwordHash, 'typed passphrase')).toBe(true);
  });

  it.each([
    ['create', (email: string) => ['create', email]],
    ['set-password', (email: string) => ['set-password', email, '--no-revoke']],
  ])(
    '%s refuses a too-short password right after its first entry, without asking to repeat it',
    async (_command, args) => {
      const email = newEmail('prompt-short');
      const existing = _command === 'set-password' ? await createUser(email) : undefined;
      const before = await itemCount();

      const result = await usersAtTerminal(args(email), ['short\r', 'short\r']);

      expect(result.code).toBe(2);
      expect(result.prompts).toEqual(['New password']);
      expect(result.stderr).toMatch(/users: the password must have at least 8 characters/);
      expect(await itemCount()).toBe(before);
      if (existing) expect(await store.findById(existing.id)).toEqual(existing);
      else expect(await store.findByIdentifier(email)).toBeUndefined();
    },
  );

  it('says the two entries differ, and changes nothing', async () => {
    const email = newEmail('prompt-differ');
    const before = await itemCount();

    const result = await usersAtTerminal(
      ['create', email],
      ['first passphrase\r', 'other passphrase\r'],
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/users: the two passwords differ/);
    expect(await itemCount()).toBe(before);
  });

  it('ends with "cancelled" and a non-zero exit when the input ends at the prompt (Ctrl-D)', async () => {
    const email = newEmail('prompt-eof');

    const result = await usersAtTerminal(['create', email], []);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/users: cancelled/);
    expect(await store.findByIdentifier(email)).toBeUndefined();
  });
});

describe('users CLI: bad arguments', () => {
  it.each([
    ['an unknown option', ['list', '--frobnicate'], 'unknown option --frobnicate'],
    ['an unknown short option', ['list', '-x'], 'unknown option -x'],
    [
      'a string option without its value',
      ['create', 'a@example.com', '--name'],
      '--name needs a value (--name=VALUE when it starts with "-")',
    ],
    [
      'a string option followed by another option',
      ['create', 'a@example.com', '--name', '--email-verified'],
      '--name needs a value (--name=VALUE when it starts with "-")',
    ],
    ['a value for a flag', ['delete', 'a@example.com', '--yes=please'], '--yes takes no value'],
    [
      '--json with show',
      ['show', 'a@example.com', '--json'],
      '--json does not go with show (only with list)',
    ],
    [
      '--picture with disable',
      ['disable', 'a@example.com', '--picture', 'https://example.com/a.png'],
      '--picture does not go with disable (only with create)',
    ],
    [
      '--no-revoke with enable',
      ['enable', 'a@example.com', '--no-revoke'],
      '--no-revoke does not go with enable (only with set-password, disable, delete, revoke, factors-reset)',
    ],
  ])('refuses %s in one line of our own, then the usage: exit 2', async (_label, args, line) => {
    const before = await itemCount();

    const result = await users(args, 'long enough password\n');

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const [first, blank, usage] = result.stderr.split('\n');
    expect(first).toBe(`users: ${line}`);
    expect(blank).toBe('');
    expect(usage).toBe('usage: npm run users -- <command> [options]');
    // Not Node's parser text.
    expect(result.stderr).not.toMatch(/Unknown option '|place it after '--'|ERR_PARSE_ARGS/);
    expect(await itemCount()).toBe(before);
  });

  it('never repeats the value of an unknown option (it may be a password)', async () => {
    const result = await users(['create', 'a@example.com', '--secret=Hunter2-Secret']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^users: unknown option --secret\n/);
    expect(result.stderr).not.toContain('Hunter2');
  });
});

describe('users CLI: the profile claims of create', () => {
  it.each([
    [
      'an http picture',
      ['--picture', 'http://example.com/a.png'],
      /^users: --picture must be an https URL/m,
    ],
    ['a picture that is no URL', ['--picture', 'a.png'], /^users: --picture must be an https URL/m],
    [
      'a phone number with spaces',
      ['--phone', '+1 415 555 0123'],
      /^users: --phone must be in E.164 form/m,
    ],
    [
      'a phone number without +',
      ['--phone', '4155550123'],
      /^users: --phone must be in E.164 form/m,
    ],
    [
      'a locale with an underscore',
      ['--locale', 'en_US'],
      /^users: --locale must be one BCP 47 language tag/m,
    ],
    ['two locales', ['--locale', 'en,de'], /^users: --locale must be one BCP 47 language tag/m],
  ])(
    'refuses %s with a message naming the option, exit 2, nothing written',
    async (_label, extra, message) => {
      const email = newEmail('bad-profile');
      const before = await itemCount();

      const result = await users(
        ['create', email, '--password-stdin', ...extra],
        'long enough password\n',
      );

      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(await itemCount()).toBe(before);
    },
  );

  it('names every bad claim at once', async () => {
    const result = await users(
      [
        'create',
        newEmail('bad-all'),
        '--password-stdin',
        '--picture',
        'ftp://x',
        '--phone',
        '555',
        '--locale',
        '??',
      ],
      'long enough password\n',
    );

    expect(result.code).toBe(2);
    expect(
      result.stderr
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[1]),
    ).toEqual(['--picture', '--phone', '--locale']);
  });

  it('stores a valid https picture, E.164 phone and the locale in its canonical form', async () => {
    const email = newEmail('good-profile');

    const result = await users(
      [
        'create',
        email,
        '--password-stdin',
        '--picture',
        'https://example.com/alice.png',
        '--phone',
        '+14155550123',
        '--locale',
        'de-ch',
      ],
      'long enough password\n',
    );

    expect(result.code).toBe(0);
    expect((await store.findByIdentifier(email))?.profile).toMatchObject({
      picture: 'https://example.com/alice.png',
      phone_number: '+14155550123',
      locale: 'de-CH',
    });
  });
});

describe('users CLI: a table that does not exist', () => {
  it.each<[string, string[], Record<string, string>, string]>([
    ['--table', ['--table', 'no-such-table'], {}, 'the table no-such-table (from --table)'],
    [
      'USERS_TABLE',
      [],
      { USERS_TABLE: 'no-such-env-table' },
      'the table no-such-env-table (from USERS_TABLE)',
    ],
  ])(
    'is named (by %s), with where it was looked for and what to do: exit 1',
    async (_source, table, env, named) => {
      const result = await users(['list'], '', {
        target: ['--endpoint', dynamo.endpoint, ...table],
        env,
      });

      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `users: ${named} does not exist at endpoint ${dynamo.endpoint}: create it there, or pass --table NAME for a table that exists\n`,
      );
    },
  );
});

describe('users CLI: when Hydra fails, the message is a sentence', () => {
  it.each([
    [
      'answers 500',
      async () => failingHydra.url,
      "Hydra's admin API answered with a server error (HTTP 500).",
    ],
    ['cannot be reached', closedPortUrl, "Hydra's admin API could not be reached (network error)."],
  ])('Hydra %s', async (_label, url, reason) => {
    const email = newEmail('hydra-sentence');
    await createUser(email);

    const result = await users(['revoke', email], '', { env: { HYDRA_ADMIN_URL: await url() } });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `But revoking its consents and tokens at Hydra failed: ${reason}\n`,
    );
    expect(result.stderr).not.toMatch(/admin API (network|server|timeout|unexpected) on/);
  });
});

describe('users CLI as a process (node scripts/users.cjs, as `npm run users` runs it)', () => {
  it('prints its usage and exits 2 when no command is given', async () => {
    const result = await usersProcess([], '', { target: [] });

    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^usage: npm run users -- <command> \[options\]\n/);
    expect(result.stdout).toContain('set-password <email|id> [--password-stdin] [--no-revoke]');
    expect(result.stderr).toBe('');
  });

  it('creates a user with the piped password, prints the new id and never echoes the password', async () => {
    const email = newEmail('alice');
    // Inner and trailing spaces are part of the password: only the line ending goes.
    const password = '  pass phrase with spaces  ';

    const result = await usersProcess(
      ['create', email.toUpperCase(), '--password-stdin', '--name', 'Alice Liddell'],
      `${password}\r\n`,
    );

    expect(result.code).toBe(0);
    const user = await store.findByIdentifier(email);
    expect(user).toBeDefined();
    expect(result.stdout).toContain(`created ${email} (id ${user!.id})`);
    expect(user!.id).toMatch(UUID);
    expect(user!.profile).toMatchObject({ name: 'Alice Liddell', email_verified: false });
    expect(user!.enabled).toBe(true);
    expect(await hasher.verify(user!.passwordHash, password)).toBe(true);
    expect(await hasher.verify(user!.passwordHash, password.trim())).toBe(false);
    expect(result.output).not.toContain('pass phrase');
    expect(result.output).not.toContain('$argon2');
  });
});

/** python3 with its pty module: Node has no pseudo-terminal of its own. */
const hasPython =
  spawnSync('python3', ['-c', 'import pty, termios'], { stdio: 'ignore' }).status === 0;

(hasPython ? describe : describe.skip)(
  'users CLI at a real terminal (a pseudo-terminal, python3)',
  () => {
    it('stops echoing as soon as it starts, so what is typed before the prompt is never shown', async () => {
      const email = newEmail('typed-ahead');

      // Types "Zq9 early " once the terminal stops echoing, then "Xk7 late" at the first prompt.
      const stdout = await new Promise<string>((resolve, reject) => {
        const child = spawn(
          'python3',
          [
            join(__dirname, 'support', 'typed-ahead.py'),
            'Zq9 early ',
            'Xk7 late',
            '--',
            process.execPath,
            join('scripts', 'users.cjs'),
            ...argvOf(['create', email]),
          ],
          { cwd: REPO_ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'inherit'] },
        );
        running.add(child);
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
        child.on('error', reject);
        child.on('close', () => {
          running.delete(child);
          resolve(out);
        });
      });
      const terminal = JSON.parse(stdout) as {
        shown: string;
        promptBeforeEchoOff: boolean;
        exitCode: number;
      };

      // The terminal stopped echoing while the CLI was still loading, before any prompt.
      expect(terminal.promptBeforeEchoOff).toBe(false);
      expect(terminal.exitCode).toBe(0);
      expect(terminal.shown).toContain('New password: ');
      expect(terminal.shown).not.toContain('Zq9');
      expect(terminal.shown).not.toContain('Xk7');
      // What was typed ahead is the start of the password.
      const user = await store.findByIdentifier(email);
      expect(await hasher.verify(user!.passwordHash, 'Zq9 early Xk7 late')).toBe(true);
    });
  },
);

describe('users account-client: the account page’s client in Hydra', () => {
  /** Hydra's /admin/clients in memory: what it was sent, with the bearer token. */
  async function clientsApi() {
    const clients = new Map<string, unknown>();
    const received: { method: string; path: string; authorization?: string; body?: unknown }[] = [];
    const server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        const path = request.url ?? '';
        const body = text ? (JSON.parse(text) as { client_id: string }) : undefined;
        received.push({
          method: request.method ?? '',
          path,
          authorization: request.headers.authorization,
          ...(body ? { body } : {}),
        });
        const id = decodeURIComponent(path.split('/')[3] ?? '');
        const answer = (status: number, json?: unknown) => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(json === undefined ? '' : JSON.stringify(json));
        };
        if (request.method === 'GET') return answer(clients.has(id) ? 200 : 404, clients.get(id));
        if (request.method === 'POST' && body) {
          clients.set(body.client_id, body);
          return answer(201, body);
        }
        if (request.method === 'PUT' && body && clients.has(id)) {
          clients.set(id, body);
          return answer(200, body);
        }
        answer(400, { error: 'invalid_request' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, clients, received, close: () => new Promise((done) => server.close(done)) };
  }

  it('creates the client once, then updates it in place (keeping its consents), with the admin token', async () => {
    const api = await clientsApi();
    try {
      const env = { HYDRA_ADMIN_URL: api.url, HYDRA_ADMIN_TOKEN: 'admin-token-1' };
      const first = await users(['account-client', 'https://login.example.com/'], '', { env });
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(
        'created the account page\'s client "account" in Hydra (redirect URI https://login.example.com/account/callback)',
      );
      expect(api.clients.get('account')).toEqual({
        client_id: 'account',
        client_name: 'Your account',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        scope: 'openid',
        redirect_uris: ['https://login.example.com/account/callback'],
        skip_consent: true,
      });

      const again = await users(['account-client', 'https://login.example.com'], '', { env });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('updated');
      expect(api.received.map((call) => `${call.method} ${call.path}`)).toEqual([
        'GET /admin/clients/account',
        'POST /admin/clients',
        'GET /admin/clients/account',
        'PUT /admin/clients/account',
      ]);
      expect(api.received.every((call) => call.authorization === 'Bearer admin-token-1')).toBe(
        true,
      );
    } finally {
      await api.close();
    }
  });

  it.each([
    [
      'without a URL',
      ['account-client', 'login.example.com'],
      { HYDRA_ADMIN_URL: 'http://127.0.0.1:9' },
    ],
    ['without HYDRA_ADMIN_URL', ['account-client', 'https://login.example.com'], {}],
  ])('refuses %s (exit 2), asking nothing', async (_what, args, env) => {
    const result = await users(args, '', { env: { HYDRA_ADMIN_URL: '', ...env } });
    expect(result.code).toBe(2);
  });
});
