/**
 * The users CLI's command line: its commands, its options and which go together, checked before
 * anything is opened. A problem is one line in our words naming the option or argument (never
 * its value: a stray value may be a password), for the CLI to print with its usage (exit 2).
 */
import { parseArgs } from 'node:util';

export const OPTIONS = {
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
  'no-revoke': { type: 'boolean' },
  json: { type: 'boolean' },
  issuer: { type: 'string' },
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  'client-id': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

export type Options = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

/** The options every command takes: where the table is, and help. */
const EVERYWHERE: readonly OptionName[] = ['table', 'region', 'endpoint', 'help'];

const PROFILE: readonly OptionName[] = [
  'name',
  'given-name',
  'family-name',
  'preferred-username',
  'picture',
  'locale',
  'phone',
  'email-verified',
  'roles',
  'groups',
];

/** Each command: how many positional arguments it takes, and its own options. */
export const COMMANDS = new Map<string, { arity: number; options: readonly OptionName[] }>([
  ['create', { arity: 1, options: [...PROFILE, 'disabled', 'password-stdin'] }],
  ['set-password', { arity: 1, options: ['password-stdin', 'no-revoke'] }],
  ['disable', { arity: 1, options: ['no-revoke'] }],
  ['enable', { arity: 1, options: [] }],
  ['verify-email', { arity: 1, options: [] }],
  ['delete', { arity: 1, options: ['yes', 'no-revoke'] }],
  ['revoke', { arity: 1, options: ['no-revoke'] }],
  ['repair', { arity: 1, options: [] }],
  ['show', { arity: 1, options: [] }],
  ['list', { arity: 0, options: ['json'] }],
  ['account-client', { arity: 1, options: ['client-id'] }],
  ['factors', { arity: 1, options: [] }],
  ['totp-enrol', { arity: 1, options: ['issuer'] }],
  ['factors-reset', { arity: 1, options: ['no-revoke'] }],
]);

/** The commands that ask for a new password (at a prompt unless --password-stdin). */
export const PASSWORD_COMMANDS: ReadonlySet<string> = new Set(['create', 'set-password']);

export type ParsedArgs =
  | { kind: 'help'; exitCode: 0 | 2 }
  /** `usage`: the problem is what the usage answers (an unknown option or command). */
  | { kind: 'problem'; problem: string; usage: boolean }
  | { kind: 'command'; command: string; args: string[]; values: Options };

const isOption = (name: string): name is OptionName => Object.hasOwn(OPTIONS, name);

/** Why the options cannot be used as given, or undefined. */
function optionProblem(tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>) {
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = token.rawName;
    if (!isOption(token.name)) {
      return token.name === 'password'
        ? `unknown option ${flag}: passwords are never read from the command line (use --password-stdin or the prompt)`
        : `unknown option ${flag}`;
    }
    if (OPTIONS[token.name].type === 'boolean') {
      if (token.value !== undefined) return `${flag} takes no value`;
    } else if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      return `${flag} needs a value (${flag}=VALUE when it starts with "-")`;
    }
  }
  return undefined;
}

export function parseUsersArgs(argv: readonly string[]): ParsedArgs {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const problem = optionProblem(tokens);
  if (problem) return { kind: 'problem', problem, usage: true };
  // Every option is known and well-formed: the strict parse gives the typed values.
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
  });
  const [command, ...args] = positionals;
  if (!command || values.help || command === 'help') {
    return { kind: 'help', exitCode: command || values.help ? 0 : 2 };
  }
  const spec = COMMANDS.get(command);
  if (!spec) return { kind: 'problem', problem: `unknown command "${command}"`, usage: true };
  // A stray argument is never echoed: it may be a password.
  if (args.length > spec.arity) {
    return {
      kind: 'problem',
      problem: `${command} takes ${spec.arity === 0 ? 'no arguments' : 'one argument'}; passwords are never read from the command line (use --password-stdin or the prompt)`,
      usage: false,
    };
  }
  for (const token of tokens) {
    if (token.kind !== 'option' || !isOption(token.name)) continue;
    if (!EVERYWHERE.includes(token.name) && !spec.options.includes(token.name)) {
      const takers = [...COMMANDS].filter(([, other]) =>
        other.options.includes(token.name as OptionName),
      );
      return {
        kind: 'problem',
        problem: `${token.rawName} does not go with ${command} (only with ${takers.map(([name]) => name).join(', ')})`,
        usage: true,
      };
    }
  }
  if (command === 'delete' && values.yes !== true) {
    return {
      kind: 'problem',
      problem: `delete ${args[0] ?? ''}: add --yes to confirm`,
      usage: false,
    };
  }
  return { kind: 'command', command, args, values };
}

/** Whether this command line, with a terminal on stdin, will ask for a password at a prompt. */
export function promptsForPassword(argv: readonly string[]): boolean {
  const parsed = parseUsersArgs(argv);
  return (
    parsed.kind === 'command' &&
    PASSWORD_COMMANDS.has(parsed.command) &&
    parsed.values['password-stdin'] !== true
  );
}
