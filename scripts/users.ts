/**
 * The user admin CLI: `npm run users -- <command> …` (see `help`).
 * Works on the local table (a running `npm start`, or the embedded data under .data/dynalite),
 * or on a real table with `--table NAME [--region R]` and the default AWS credential chain.
 * Passwords never come from the command line: a hidden prompt, or stdin with --password-stdin.
 * What a change does is decided in shared/flows/user-admin.ts; this file parses the arguments,
 * finds the table and Hydra, and says what was done. `main` takes the arguments, environment and
 * streams (`UsersCliIo`) and returns the exit code, so tests run it in-process; run as a script,
 * it is given the process's own and the process exits with its code. `npm run users` starts it
 * through scripts/users.cjs, which keeps the terminal from echoing what is typed while it loads.
 */
import { join } from 'node:path';
import { ACCOUNT_CLIENT, accountClient, registerAccountClient } from './lib/account-client';
import {
  ConfigError,
  DEFAULT_AWS_REGION,
  loadArgon2Parameters,
  loadFactorKeysFrom,
  loadHydraAdminTarget,
} from '../shared/config';
import {
  beginEnrolment,
  confirmEnrolment,
  DEFAULT_TOTP_ISSUER,
  listFactors,
  resetFactors,
} from '../shared/flows/factors';
import { DynamoFactorStore } from '../shared/users/dynamo-factors';
import { factorKeyRing, type FactorKeyRing } from '../shared/users/factor-keys';
import {
  deleteUser,
  disableUser,
  enableUser,
  findUser,
  revokeUserSessions,
  setUserPassword,
  type ChangeResult,
  type DeleteResult,
  type EnableResult,
  type Unchanged,
  type UserAdminPorts,
} from '../shared/flows/user-admin';
import { createHydraAdmin } from '../shared/hydra/admin';
import { HydraUnavailableError } from '../shared/hydra/errors';
import {
  DynamoUserStore,
  IncompleteWriteError,
  InvalidUserError,
} from '../shared/users/dynamo-store';
import { checkIdentifier, normalizeIdentifier } from '../shared/users/identifier';
import { createPasswordHasher } from '../shared/users/password';
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  newPasswordProblem,
} from '../shared/users/password-policy';
import { canonicalLocale, profileProblems, type ProfileProblem } from '../shared/users/profile';
import { TableUnavailableError } from '../shared/users/table';
import { UserExistsError, type NewUser, type User, type UserProfile } from '../shared/users/types';
import { PasswordInputError, readPassword, type PasswordStreams } from './lib/password-input';
import { parseUsersArgs, promptsForPassword, type Options } from './lib/users-args';
import { LOCAL_USERS_TABLE, startLocalDynamo } from './lib/dynamo';
import { localFactorKey } from './lib/factor-key';
import { readLocalStack, type LocalStack } from './lib/local-stack';
import { createSdkDocumentClient, type SdkDocumentClient } from './lib/sdk-document-client';

const USAGE = `usage: npm run users -- <command> [options]

commands:
  create <email> [--name N] [--given-name N] [--family-name N] [--preferred-username N]
                 [--picture URL] [--locale L] [--phone P] [--email-verified]
                 [--roles a,b] [--groups a,b] [--disabled] [--password-stdin]
  set-password <email|id> [--password-stdin] [--no-revoke]
  disable <email|id> [--no-revoke]
  enable <email|id>
  verify-email <email|id>
  delete <email|id> --yes [--no-revoke]
  revoke <email|id> [--no-revoke]
  repair <email>
  show <email|id>
  list [--json]
  account-client <public-url> [--client-id ID]
  factors <email|id>
  totp-enrol <email|id> [--issuer NAME]
  factors-reset <email|id> [--no-revoke]

create checks the email, --picture (an https URL), --phone (E.164, such as +14155550123) and
--locale (a BCP 47 tag, such as de-CH) before it asks for the password, and the password
(${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters) at its first entry. list prints a row per user, by email;
--json prints them as one JSON array (never a password hash).

set-password, disable, delete and revoke end the user's sessions: the table records when
(remembered logins from before are refused from then on), and Hydra revokes the user's
consents and with them its access and refresh tokens. Hydra's admin API is HYDRA_ADMIN_URL
(with HYDRA_ADMIN_TOKEN if it needs one), else the running \`npm start\` stack's own Hydra
when the command works on that stack's table. Without either the command is refused, unless
--no-revoke says to change the table only (Hydra's tokens then stay valid until they expire).
If Hydra fails after the table was changed, the command says what was done and exits 1:
retry with \`revoke\` (a failed delete keeps the user, disabled: run the delete again).

account-client registers the account page's client in Hydra (HYDRA_ADMIN_URL, with
HYDRA_ADMIN_TOKEN if it needs one), or brings it up to date: public (PKCE), first-party,
openid only, its redirect URI <public-url>/account/callback (PUBLIC_URL of the functions).

factors lists a user's second factors (never a secret; passkeys by id, name and dates). totp-enrol sets up an authenticator
app for the user, replacing any before, and prints its otpauth URI, its secret and 10 new
recovery codes, once (give them to the user; only the codes' tags are stored). It needs
FACTOR_KEY, the functions' key (32 bytes, base64), except on the local table, whose key is in
.data/factor-key. factors-reset removes every second factor of the user (its passkeys too)
and ends its sessions.

repair completes a user record that an interrupted create left without its id pointer (found
by email, but not by id, so no other command can change it).

target (default: the local table of \`npm start\`, or the embedded data in .data/dynalite):
  --table NAME [--region R]   a real DynamoDB table (or env USERS_TABLE, AWS_REGION)
  --endpoint URL              another DynamoDB-compatible endpoint

exit status: 0 done; 1 failed (no such user, no such table, the table or Hydra failed);
2 refused before anything was changed (bad arguments or input, no Hydra to revoke at)`;

/** The commands that end the user's sessions, and so need Hydra (or --no-revoke). */
const REVOKING = new Set(['set-password', 'disable', 'delete', 'revoke', 'factors-reset']);

/** What the CLI reads and writes: the process's own when run as a script. */
export interface UsersCliIo extends PasswordStreams {
  /** The arguments after the script's name. */
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
}

/** Lines to the operator: `log` on stdout, `error` on stderr (as console.log, console.error). */
interface Say {
  log(line: string): void;
  error(line: string): void;
}

class UsageError extends Error {}
class NotFoundError extends Error {}

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
    // Stored in its canonical form ("en-us" as "en-US"); what is no tag at all stays, refused.
    locale:
      options.locale === undefined
        ? undefined
        : (canonicalLocale(options.locale) ?? options.locale),
    phone_number: options.phone,
    email_verified: options['email-verified'] ?? false,
    roles: list(options.roles),
    groups: list(options.groups),
  };
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined));
}

/** The option that sets each claim with a form of its own. */
const FLAG_OF: Record<ProfileProblem['claim'], string> = {
  picture: '--picture',
  phone_number: '--phone',
  locale: '--locale',
};

/** The new user's email and profile, checked before the password is asked for. */
function newUserInput(email: string | undefined, options: Options) {
  if (!email) throw new UsageError('create needs an email');
  const check = checkIdentifier(email);
  if (!check.ok) throw new UsageError(check.problem);
  const profile = profileFrom(options);
  const problems = profileProblems(profile);
  if (problems.length > 0) {
    // One line each; the value is not repeated (it is on the operator's command line).
    throw new UsageError(
      problems.map(({ claim, problem }) => `${FLAG_OF[claim]} ${problem}`).join('\nusers: '),
    );
  }
  return { email: check.identifier, profile };
}

/** A new password, refused right after its first entry when the policy refuses it. */
async function newPassword(options: Options, streams: PasswordStreams): Promise<string> {
  try {
    return await readPassword({
      fromStdin: options['password-stdin'] === true,
      problemOf: newPasswordProblem,
      ...streams,
    });
  } catch (error) {
    if (error instanceof PasswordInputError) throw new UsageError(error.message);
    throw error;
  }
}

async function foundUser(ports: UserAdminPorts, reference: string | undefined): Promise<User> {
  if (!reference) throw new UsageError('name the user by email or id');
  const user = await findUser(ports.users, reference);
  if (!user) throw new NotFoundError(`no user ${reference}`);
  return user;
}

/** What `show` and `list --json` print: never the hash. */
function publicView(user: User) {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

const REMEMBERED_LOGINS_END = 'remembered logins from before are refused from now on';

/** What the action would have done, for "was NOT …". */
const NOT_DONE: Record<string, string> = {
  'set-password': 'its password was NOT changed',
  disable: 'it was NOT disabled',
  enable: 'it was NOT enabled',
  delete: 'it was NOT deleted',
  revoke: 'its sessions were NOT revoked',
  'factors-reset': 'its sessions were NOT revoked',
};

function unchangedMessage(command: string, { user, because }: Unchanged): string {
  const what = `users: ${user.email} (id ${user.id}): ${NOT_DONE[command]}, nothing was changed:`;
  if (because === 'gone') return `${what} it is no longer in the table (deleted meanwhile?)`;
  return [
    `${what} its record is incomplete (found by email, not by its id: the id pointer is`,
    `missing, as an interrupted create leaves it). Repair it with`,
    `  npm run users -- repair ${user.email}`,
    'then run this command again.',
  ].join('\n');
}

/**
 * Why Hydra did not revoke, as the end of a sentence. The adapter's errors are the adapter's
 * words (never a URL); a 401/403 names HYDRA_ADMIN_TOKEN, a 404 (no such route) HYDRA_ADMIN_URL.
 */
function hydraFailure(error: Error): string {
  if (error instanceof HydraUnavailableError) {
    return error.status === 404
      ? "Hydra's admin API answered HTTP 404: check HYDRA_ADMIN_URL"
      : error.reason;
  }
  return error.message;
}

/** After the table was changed: what became of Hydra's consents and tokens. Returns the exit code. */
function reportRevocation(
  say: Say,
  done: string,
  result: ChangeResult & { status: 'changed' },
): number {
  const { email } = result.user;
  switch (result.hydra) {
    case 'revoked':
      say.log(`${done}; ${REMEMBERED_LOGINS_END}`);
      say.log(
        `revoked the consents of ${email} at Hydra, and with them its access and refresh tokens`,
      );
      return 0;
    case 'not-asked':
      say.log(`${done}; ${REMEMBERED_LOGINS_END}`);
      say.error(
        `warning (--no-revoke): Hydra's consents and tokens of ${email} were NOT revoked: its access and refresh tokens stay valid at Hydra. Revoke them with\n  npm run users -- revoke ${email}`,
      );
      return 0;
    case 'failed':
      say.error(
        [
          `users: ${done}; ${REMEMBERED_LOGINS_END}.`,
          `But revoking its consents and tokens at Hydra failed: ${hydraFailure(result.error)}.`,
          'Its access and refresh tokens stay valid at Hydra. Retry with',
          `  npm run users -- revoke ${email}`,
        ].join('\n'),
      );
      return 1;
  }
}

function reportChange(say: Say, command: string, done: string, result: ChangeResult): number {
  if (result.status === 'unchanged') {
    say.error(unchangedMessage(command, result));
    return 1;
  }
  return reportRevocation(say, done, result);
}

function reportEnable(say: Say, result: EnableResult): number {
  if (result.status === 'unchanged') {
    say.error(unchangedMessage('enable', result));
    return 1;
  }
  say.log(`${result.user.email} enabled`);
  return 0;
}

function reportDelete(say: Say, result: DeleteResult): number {
  if (result.status === 'unchanged') {
    say.error(unchangedMessage('delete', result));
    return 1;
  }
  const { email, id } = result.user;
  if (result.status === 'deleted') {
    say.log(`deleted ${email} (id ${id})`);
    if (result.hydra === 'revoked') {
      say.log(
        `revoked the consents of ${email} at Hydra, and with them its access and refresh tokens`,
      );
    } else {
      say.error(
        `warning (--no-revoke): Hydra's consents and tokens of subject ${id} were NOT revoked: its access and refresh tokens stay valid at Hydra until they expire, or until revoked there (DELETE /admin/oauth2/auth/sessions/consent?subject=${id}&all=true)`,
      );
    }
    return 0;
  }
  const disabled = `${email} (id ${id}) is disabled; ${REMEMBERED_LOGINS_END}.`;
  const retry = `  npm run users -- delete ${email} --yes`;
  if (result.hydra === 'failed') {
    say.error(
      [
        `users: ${disabled}`,
        `But revoking its consents and tokens at Hydra failed: ${hydraFailure(result.error)}.`,
        'So it was NOT deleted (a deleted user leaves nothing to retry the revocation for). Retry with',
        retry,
      ].join('\n'),
    );
    return 1;
  }
  const hydra =
    result.hydra === 'revoked'
      ? 'Its consents and tokens at Hydra were revoked.'
      : "Hydra's consents and tokens were NOT revoked (--no-revoke).";
  const why = result.deleteError
    ? `the delete failed (${result.deleteError.message}); retry with\n${retry}`
    : 'the delete found no record any more (deleted meanwhile?)';
  say.error(`users: ${disabled} ${hydra}\nBut ${why}`);
  return 1;
}

async function repair(
  say: Say,
  store: DynamoUserStore,
  reference: string | undefined,
): Promise<number> {
  if (!reference?.includes('@')) {
    throw new UsageError('repair takes the email of the user (an incomplete record has no id)');
  }
  const identifier = normalizeIdentifier(reference);
  const user = await store.findByIdentifier(identifier);
  if (!user) throw new NotFoundError(`no user ${reference}`);
  switch (await store.repair(identifier)) {
    case 'restored':
      say.log(
        `repaired ${user.email} (id ${user.id}): its id pointer is back, every command reaches it again (keep it, or delete it and create it again)`,
      );
      return 0;
    case 'complete':
      say.log(`${user.email} (id ${user.id}) is complete: nothing to repair`);
      return 0;
    case 'conflict':
      say.error(
        `users: ${user.email} (id ${user.id}): an id pointer for this id exists but leads elsewhere; left alone (look at the table by hand)`,
      );
      return 1;
    case undefined:
      throw new NotFoundError(`no user ${reference}`);
  }
}

/** The second factors' store and keys of the table a command works on. */
interface FactorAccess {
  factors: DynamoFactorStore;
  keys: FactorKeyRing | undefined;
}

async function run(
  io: UsersCliIo,
  say: Say,
  command: string,
  args: string[],
  options: Options,
  store: DynamoUserStore,
  ports: UserAdminPorts,
  newUser: NewUser | undefined,
  { factors, keys }: FactorAccess,
): Promise<number> {
  switch (command) {
    case 'create': {
      if (!newUser) throw new UsageError('create needs an email');
      try {
        const user = await store.create(newUser);
        say.log(`created ${user.email} (id ${user.id})`);
        return 0;
      } catch (error) {
        if (!(error instanceof IncompleteWriteError)) throw error;
        say.error(
          [
            `users: creating ${error.user.email} failed half-way: ${error.message} (${causeOf(error)}).`,
            'The user may be able to sign in, but no command that works by id reaches it. Repair it with',
            `  npm run users -- repair ${error.user.email}`,
            'then keep it, or delete it and create it again.',
          ].join('\n'),
        );
        return 1;
      }
    }
    case 'set-password': {
      const user = await foundUser(ports, args[0]);
      const result = await setUserPassword(ports, user, await newPassword(options, io));
      return reportChange(say, command, `password of ${user.email} changed`, result);
    }
    case 'disable': {
      const user = await foundUser(ports, args[0]);
      return reportChange(say, command, `${user.email} disabled`, await disableUser(ports, user));
    }
    case 'enable':
      return reportEnable(say, await enableUser(ports, await foundUser(ports, args[0])));
    case 'verify-email': {
      // What a verification link does (README, "Forgot password, verification and sign-up").
      const user = await foundUser(ports, args[0]);
      const verified = await store.setEmailVerified(user.id, user.email);
      if (!verified) {
        say.error(
          `${user.email}: its email was NOT marked verified (changed or deleted meanwhile)`,
        );
        return 1;
      }
      say.log(`${verified.email}: email verified`);
      return 0;
    }
    case 'delete':
      return reportDelete(say, await deleteUser(ports, await foundUser(ports, args[0])));
    case 'revoke': {
      const user = await foundUser(ports, args[0]);
      return reportChange(
        say,
        command,
        `ended the sessions of ${user.email}`,
        await revokeUserSessions(ports, user),
      );
    }
    case 'repair':
      return repair(say, store, args[0]);
    case 'show':
      say.log(JSON.stringify(publicView(await foundUser(ports, args[0])), null, 2));
      return 0;
    case 'list':
      return listUsers(say, store, options.json === true);
    case 'factors': {
      const user = await foundUser(ports, args[0]);
      const summary = await listFactors(factors, user);
      say.log(
        JSON.stringify(
          {
            email: user.email,
            id: user.id,
            authenticatorApp: summary.totp ?? null,
            recoveryCodesLeft: summary.recoveryCodesLeft,
            passkeys: summary.passkeys,
          },
          null,
          2,
        ),
      );
      return 0;
    }
    case 'totp-enrol': {
      const user = await foundUser(ports, args[0]);
      if (!keys)
        throw new UsageError(
          "totp-enrol needs FACTOR_KEY (the functions' key, 32 bytes in base64)",
        );
      const enrolment = beginEnrolment(user, options.issuer ?? DEFAULT_TOTP_ISSUER);
      const enrolled = await confirmEnrolment({ factors, keys }, user, enrolment);
      if (!enrolled) return 1;
      say.log(
        [
          `enrolled an authenticator app for ${user.email} (id ${user.id}); any before is replaced`,
          `otpauth URI: ${enrolled.uri}`,
          `secret: ${enrolled.secret}`,
          'recovery codes (shown this once; each works once):',
          ...enrolled.recoveryCodes.map((code) => `  ${code}`),
        ].join('\n'),
      );
      return 0;
    }
    case 'factors-reset': {
      const user = await foundUser(ports, args[0]);
      const { removed, sessions } = await resetFactors({ ...ports, factors }, user);
      return reportChange(
        say,
        command,
        `${removed ? 'removed the second factors of' : 'no second factors to remove for'} ${user.email}, and ended its sessions`,
        sessions,
      );
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** Every user by email (code unit order: emails are stored lower-cased), as a table or JSON. */
async function listUsers(say: Say, store: DynamoUserStore, json: boolean): Promise<number> {
  const users: User[] = [];
  for await (const user of store.list()) users.push(user);
  users.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  if (json) {
    say.log(JSON.stringify(users.map(publicView), null, 2));
    return 0;
  }
  const rows = [
    ['ID', 'EMAIL', 'STATUS'],
    ...users.map((user) => [user.id, user.email, user.enabled ? 'enabled' : 'disabled']),
  ];
  const width = (column: number) => Math.max(...rows.map((row) => row[column]!.length));
  const [idWidth, emailWidth] = [width(0), width(1)];
  for (const [id, email, status] of rows) {
    say.log(`${id!.padEnd(idWidth)}  ${email!.padEnd(emailWidth)}  ${status}`);
  }
  return 0;
}

function causeOf(error: Error): string {
  const cause = error.cause as { name?: string; message?: string } | undefined;
  return cause ? `${cause.name ?? ''}: ${cause.message ?? ''}` : 'no cause';
}

interface Target {
  endpoint: string | undefined;
  region: string | undefined;
  table: string;
  /** The running `npm start` stack, when the table is its table. */
  stack?: LocalStack;
  stop?: () => Promise<void>;
}

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1000) })
    .then(() => true)
    .catch(() => false);

async function target(options: Options, env: NodeJS.ProcessEnv): Promise<Target> {
  const table = options.table ?? env.USERS_TABLE;
  const region = options.region ?? env.AWS_REGION;
  const stack = readLocalStack();
  const ofStack = (endpoint: string | undefined, tableName: string) =>
    stack && stack.dynamodbEndpoint === endpoint && stack.usersTable === tableName ? { stack } : {};
  if (table || (options.endpoint && !options.endpoint.includes('127.0.0.1'))) {
    const tableName = table ?? LOCAL_USERS_TABLE;
    return {
      table: tableName,
      region,
      endpoint: options.endpoint,
      ...ofStack(options.endpoint, tableName),
    };
  }
  if (options.endpoint) {
    return {
      table: LOCAL_USERS_TABLE,
      region,
      endpoint: options.endpoint,
      ...ofStack(options.endpoint, LOCAL_USERS_TABLE),
    };
  }
  if (stack && (await answers(stack.dynamodbEndpoint))) {
    return { table: stack.usersTable, region, endpoint: stack.dynamodbEndpoint, stack };
  }
  const local = await startLocalDynamo({ dataDir: join(__dirname, '..', '.data', 'dynalite') });
  return { table: LOCAL_USERS_TABLE, region, endpoint: local.endpoint, stop: local.stop };
}

/** FACTOR_KEY (and FACTOR_PREVIOUS_KEYS); on a local table, the local stacks' own key. */
function factorKeysFor(where: Target, env: NodeJS.ProcessEnv): FactorKeyRing | undefined {
  const local = /127\.0\.0\.1|localhost/.test(where.endpoint ?? '');
  const given = loadFactorKeysFrom(local ? { ...env, FACTOR_KEY: localFactorKey(env) } : env);
  return given && factorKeyRing(given);
}

const isMissingTable = (error: unknown) =>
  error instanceof TableUnavailableError &&
  (error.cause as { name?: string } | undefined)?.name === 'ResourceNotFoundException';

/** The table the command worked on is not there: which one, where, and what to do. */
function missingTable(where: Target, options: Options, env: NodeJS.ProcessEnv): string {
  const named = options.table ? ' (from --table)' : env.USERS_TABLE ? ' (from USERS_TABLE)' : '';
  const place = where.endpoint
    ? `at endpoint ${where.endpoint}`
    : `in region ${where.region ?? DEFAULT_AWS_REGION}`;
  const fix = where.endpoint
    ? 'create it there, or pass --table NAME for a table that exists'
    : `deploy the stack (npx serverless deploy --stage STAGE --region ${where.region ?? DEFAULT_AWS_REGION}), or pass --table NAME (a stage's table is hydra-login-consent-STAGE-users)${where.region ? '' : ' and --region R'}`;
  return `the table ${where.table}${named} does not exist ${place}: ${fix}`;
}

/**
 * Where the user's consents and tokens are revoked: HYDRA_ADMIN_URL, else the Hydra of the
 * `npm start` stack whose table this is (when it answers). Undefined: no Hydra to be found.
 */
async function hydraAdminUrl(
  where: Target,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; token: string | undefined } | undefined> {
  const configured = loadHydraAdminTarget(env);
  if (configured) return configured;
  const local = where.stack?.hydraAdminUrl;
  const token = env.HYDRA_ADMIN_TOKEN?.trim() || undefined;
  if (local && (await answers(local))) return { url: local, token };
  return undefined;
}

/** `account-client <public-url>`: Hydra only, no table. */
async function registerAccountClientCommand(
  say: Say,
  publicUrl: string | undefined,
  values: Options,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  let url: URL | undefined;
  try {
    url = new URL(publicUrl ?? '');
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    say.error(
      "users: account-client needs the functions' public URL, such as https://login.example.com",
    );
    return 2;
  }
  let admin: ReturnType<typeof loadHydraAdminTarget>;
  try {
    admin = loadHydraAdminTarget(env);
  } catch (error) {
    say.error(`users: ${(error as Error).message}`);
    return 2;
  }
  if (!admin) {
    say.error(
      'users: account-client registers the client in Hydra: set HYDRA_ADMIN_URL (and HYDRA_ADMIN_TOKEN if it needs one)',
    );
    return 2;
  }
  const client = accountClient(url.href, values['client-id'] ?? ACCOUNT_CLIENT);
  try {
    const done = await registerAccountClient(admin, client);
    say.log(
      `${done} the account page's client "${client.client_id}" in Hydra (redirect URI ${client.redirect_uris?.[0] ?? ''})`,
    );
    return 0;
  } catch (error) {
    say.error(`users: ${(error as Error).message}`);
    return 1;
  }
}

export async function main(io: UsersCliIo): Promise<number> {
  const say: Say = {
    log: (line) => io.stdout.write(`${line}\n`),
    error: (line) => io.stderr.write(`${line}\n`),
  };
  // Refused before any table is opened.
  const parsed = parseUsersArgs(io.argv);
  if (parsed.kind === 'help') {
    say.log(USAGE);
    return parsed.exitCode;
  }
  if (parsed.kind === 'problem') {
    say.error(`users: ${parsed.problem}${parsed.usage ? `\n\n${USAGE}` : ''}`);
    return 2;
  }
  const { command, args, values } = parsed;
  if (command === 'account-client')
    return registerAccountClientCommand(say, args[0], values, io.env);
  const noRevoke = values['no-revoke'] === true;
  let where: Target | undefined;
  let client: SdkDocumentClient | undefined;
  try {
    const hasher = createPasswordHasher(loadArgon2Parameters(io.env), io.env.PASSWORD_PEPPER);
    // The new user is checked, and its password asked for, before the table is opened.
    const newUser =
      command === 'create'
        ? {
            ...newUserInput(args[0], values),
            password: await newPassword(values, io),
            enabled: values.disabled !== true,
          }
        : undefined;
    where = await target(values, io.env);
    let hydra: UserAdminPorts['hydra'];
    if (REVOKING.has(command) && !noRevoke) {
      const admin = await hydraAdminUrl(where, io.env);
      if (!admin) {
        say.error(
          [
            `users: ${command} ends the user's sessions, and that includes revoking its consents and`,
            'tokens at Hydra, but there is no Hydra admin API to ask: set HYDRA_ADMIN_URL (and',
            'HYDRA_ADMIN_TOKEN if it needs one), or run `npm start` for the local table.',
            'Nothing was changed.',
            "To change the table only, add --no-revoke (Hydra's access and refresh tokens of the",
            'user then stay valid until they expire).',
          ].join('\n'),
        );
        return 2;
      }
      hydra = createHydraAdmin({ baseUrl: admin.url, token: admin.token, timeoutMs: 5000 });
    }
    client = createSdkDocumentClient({ endpoint: where.endpoint, region: where.region });
    const store = new DynamoUserStore({ client, tableName: where.table, hasher });
    const factors = new DynamoFactorStore(client, where.table);
    const keys = factorKeysFor(where, io.env);
    return await run(io, say, command, args, values, store, { users: store, hydra }, newUser, {
      factors,
      keys,
    });
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof InvalidUserError ||
      error instanceof ConfigError
    ) {
      say.error(`users: ${error.message}`);
      return 2;
    }
    if (error instanceof NotFoundError || error instanceof UserExistsError) {
      say.error(`users: ${error.message}`);
      return 1;
    }
    if (where && isMissingTable(error)) {
      say.error(`users: ${missingTable(where, values, io.env)}`);
      return 1;
    }
    const cause = (error as { cause?: { name?: string; message?: string } }).cause;
    say.error(
      `users: ${(error as Error).message}${cause ? ` (${cause.name ?? ''}: ${cause.message ?? ''})` : ''}`,
    );
    return 1;
  } finally {
    client?.destroy();
    await where?.stop?.();
  }
}

/**
 * The CLI on the process's own arguments, environment and streams; the process exits with its
 * code. With a terminal on stdin, the terminal stops echoing at once when a password prompt will
 * follow (scripts/users.cjs did so already, before this file and its imports loaded), and echoes
 * again when none will.
 */
export function runAsScript(): void {
  const argv = process.argv.slice(2);
  if (process.stdin.isTTY) process.stdin.setRawMode(promptsForPassword(argv));
  void main({
    argv,
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  }).then((code) => process.exit(code));
}

if (require.main === module) runAsScript();
