/**
 * The user admin CLI: `npm run users -- <command> …` (see `help`).
 * Works on the local table (a running `npm start`, or the embedded data under .data/dynalite),
 * or on a real table with `--table NAME [--region R]` and the default AWS credential chain.
 * Passwords never come from the command line: a hidden prompt, or stdin with --password-stdin.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadArgon2Parameters } from '../shared/config';
import { createHydraAdmin } from '../shared/hydra/admin';
import {
  createDocumentClient,
  DynamoUserStore,
  InvalidUserError,
} from '../shared/users/dynamo-store';
import { checkIdentifier } from '../shared/users/identifier';
import { createPasswordHasher } from '../shared/users/password';
import { newPasswordProblem } from '../shared/users/password-policy';
import {
  UserExistsError,
  type User,
  type UserProfile,
  type UserStore,
} from '../shared/users/types';
import { readPassword } from './lib/password-input';
import { LOCAL_USERS_TABLE, readLocalStack, startLocalDynamo } from './local-dynamo';

const USAGE = `usage: npm run users -- <command> [options]

commands:
  create <email> [--name N] [--given-name N] [--family-name N] [--preferred-username N]
                 [--picture URL] [--locale L] [--phone P] [--email-verified]
                 [--roles a,b] [--groups a,b] [--disabled] [--password-stdin]
  set-password <email|id> [--password-stdin]
  disable <email|id>
  enable <email|id>
  delete <email|id> --yes
  show <email|id>
  list

target (default: the local table of \`npm start\`, or the embedded data in .data/dynalite):
  --table NAME [--region R]   a real DynamoDB table (or env USERS_TABLE, AWS_REGION)
  --endpoint URL              another DynamoDB-compatible endpoint

Disabling, deleting or changing a password also revokes the user's Hydra sessions when
HYDRA_ADMIN_URL (and HYDRA_ADMIN_TOKEN, if needed) is set.`;

/** Each command and how many positional arguments it takes. */
const COMMANDS = new Map<string, number>([
  ['create', 1],
  ['set-password', 1],
  ['disable', 1],
  ['enable', 1],
  ['delete', 1],
  ['show', 1],
  ['list', 0],
]);

class UsageError extends Error {}
class NotFoundError extends Error {}

const OPTIONS = {
  name: { type: 'string' },
  'given-name': { type: 'string' },
  'family-name': { type: 'string' },
  'preferred-username': { type: 'string' },
  picture: { type: 'string' },
  locale: { type: 'string' },
  phone: { type: 'string' },
  'email-verified': { type: 'boolean' },
  roles: { type: 'string' },
  groups: { type: 'string' },
  disabled: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  yes: { type: 'boolean' },
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Options = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function profileFrom(options: Options): UserProfile {
  const profile: UserProfile = {
    name: options.name,
    given_name: options['given-name'],
    family_name: options['family-name'],
    preferred_username: options['preferred-username'],
    picture: options.picture,
    locale: options.locale,
    phone_number: options.phone,
    email_verified: options['email-verified'] ?? false,
    roles: list(options.roles),
    groups: list(options.groups),
  };
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined));
}

async function newPassword(options: Options): Promise<string> {
  const password = await readPassword({ fromStdin: options['password-stdin'] === true });
  const problem = newPasswordProblem(password);
  if (problem) throw new UsageError(problem);
  return password;
}

async function findUser(store: UserStore, reference: string | undefined): Promise<User> {
  if (!reference) throw new UsageError('name the user by email or id');
  const user = reference.includes('@')
    ? await store.findByIdentifier(reference)
    : await store.findById(reference);
  if (!user) throw new NotFoundError(`no user ${reference}`);
  return user;
}

/** What `show` and `list --json` print: never the hash. */
function publicView(user: User) {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

async function revokeSessions(user: User): Promise<void> {
  const adminUrl = process.env.HYDRA_ADMIN_URL;
  if (!adminUrl) {
    console.error(
      `warning: HYDRA_ADMIN_URL is not set: the Hydra sessions of ${user.email} were NOT revoked`,
    );
    return;
  }
  await createHydraAdmin({
    baseUrl: adminUrl,
    token: process.env.HYDRA_ADMIN_TOKEN,
    timeoutMs: 5000,
  }).revokeConsentSessions(user.id);
  console.log(`revoked the Hydra login and consent sessions of ${user.email}`);
}

async function run(command: string, args: string[], options: Options, store: UserStore) {
  switch (command) {
    case 'create': {
      const [email] = args;
      if (!email) throw new UsageError('create needs an email');
      const check = checkIdentifier(email);
      if (!check.ok) throw new UsageError(check.problem);
      const user = await store.create({
        email: check.identifier,
        password: await newPassword(options),
        enabled: options.disabled !== true,
        profile: profileFrom(options),
      });
      console.log(`created ${user.email} (id ${user.id})`);
      return;
    }
    case 'set-password': {
      const user = await findUser(store, args[0]);
      await store.setPassword(user.id, await newPassword(options));
      console.log(`password of ${user.email} changed`);
      await revokeSessions(user);
      return;
    }
    case 'disable':
    case 'enable': {
      const user = await findUser(store, args[0]);
      await store.setEnabled(user.id, command === 'enable');
      console.log(`${user.email} ${command}d`);
      if (command === 'disable') await revokeSessions(user);
      return;
    }
    case 'delete': {
      const user = await findUser(store, args[0]);
      if (options.yes !== true) throw new UsageError(`delete ${user.email}: add --yes to confirm`);
      await store.delete(user.id);
      console.log(`deleted ${user.email}`);
      await revokeSessions(user);
      return;
    }
    case 'show':
      console.log(JSON.stringify(publicView(await findUser(store, args[0])), null, 2));
      return;
    case 'list':
      for await (const user of store.list()) {
        console.log(`${user.id}  ${user.email}  ${user.enabled ? 'enabled' : 'disabled'}`);
      }
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

interface Target {
  endpoint: string | undefined;
  region: string | undefined;
  table: string;
  stop?: () => Promise<void>;
}

async function target(options: Options): Promise<Target> {
  const table = options.table ?? process.env.USERS_TABLE;
  const region = options.region ?? process.env.AWS_REGION;
  if (table || (options.endpoint && !options.endpoint.includes('127.0.0.1'))) {
    return { table: table ?? LOCAL_USERS_TABLE, region, endpoint: options.endpoint };
  }
  if (options.endpoint) return { table: LOCAL_USERS_TABLE, region, endpoint: options.endpoint };
  const stack = readLocalStack();
  if (stack) {
    const reachable = await fetch(stack.dynamodbEndpoint, { signal: AbortSignal.timeout(1000) })
      .then(() => true)
      .catch(() => false);
    if (reachable) return { table: stack.usersTable, region, endpoint: stack.dynamodbEndpoint };
  }
  const local = await startLocalDynamo({ dataDir: join(__dirname, '..', '.data', 'dynalite') });
  return { table: LOCAL_USERS_TABLE, region, endpoint: local.endpoint, stop: local.stop };
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`users: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...args] = parsed.positionals;
  if (!command || parsed.values.help || command === 'help') {
    console.log(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  // Refused before any table is opened. A stray argument is never echoed: it may be a password.
  const arity = COMMANDS.get(command);
  if (arity === undefined) {
    console.error(`users: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (args.length > arity) {
    console.error(
      `users: ${command} takes ${arity === 0 ? 'no arguments' : 'one argument'}; passwords are never read from the command line (use --password-stdin or the prompt)`,
    );
    return 2;
  }
  let where: Target | undefined;
  try {
    const hasher = createPasswordHasher(
      loadArgon2Parameters(process.env),
      process.env.PASSWORD_PEPPER,
    );
    where = await target(parsed.values);
    const store = new DynamoUserStore({
      client: createDocumentClient({ endpoint: where.endpoint, region: where.region }),
      tableName: where.table,
      hasher,
    });
    await run(command, args, parsed.values, store);
    return 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof InvalidUserError ||
      error instanceof ConfigError
    ) {
      console.error(`users: ${error.message}`);
      return 2;
    }
    if (error instanceof NotFoundError || error instanceof UserExistsError) {
      console.error(`users: ${error.message}`);
      return 1;
    }
    const cause = (error as { cause?: { name?: string; message?: string } }).cause;
    console.error(
      `users: ${(error as Error).message}${cause ? ` (${cause.name ?? ''}: ${cause.message ?? ''})` : ''}`,
    );
    return 1;
  } finally {
    await where?.stop?.();
  }
}

void main().then((code) => process.exit(code));
