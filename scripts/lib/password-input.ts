/**
 * A new password from a hidden prompt (asked twice) or, with --password-stdin, from stdin. The
 * policy (`problemOf`) is asked right after the first entry: a password it refuses is never asked
 * for a second time.
 */
import { createInterface } from 'node:readline';

/** Where the password comes from and the prompt goes: the process's own streams by default. */
export interface PasswordStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * No password to take, and nothing to retry: the policy refuses it (the message is the
 * policy's), the two entries differ, or there is no terminal to ask at.
 */
export class PasswordInputError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'PasswordInputError';
  }
}

async function fromStdin(stdin: PasswordStreams['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  // The first line; only the line ending is removed, never other white space.
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

/** Erases the terminal's current line: anything it echoed while the CLI was starting. */
const CLEAR_LINE = '\r\x1b[2K';

function hiddenPrompt(question: string, { stdin, stderr }: PasswordStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: stdin, output: stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    let prompting = true;
    output._writeToOutput = (text: string) => {
      if (prompting) stderr.write(text);
    };
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      stderr.write('\n');
      resolve(answer);
    });
    prompting = false;
    // Ctrl-C, or the input ends (Ctrl-D) before Enter: no password.
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      if (!answered) reject(new Error('cancelled'));
    });
  });
}

export async function readPassword(
  options: {
    fromStdin: boolean;
    /** Why the policy refuses the password, or undefined when it takes it. */
    problemOf: (password: string) => string | undefined;
  } & Partial<PasswordStreams>,
): Promise<string> {
  const streams = {
    stdin: options.stdin ?? process.stdin,
    stderr: options.stderr ?? process.stderr,
  };
  const checked = (password: string) => {
    const problem = options.problemOf(password);
    if (problem) throw new PasswordInputError(problem);
    return password;
  };
  if (options.fromStdin) return checked(await fromStdin(streams.stdin));
  if (!streams.stdin.isTTY) {
    throw new PasswordInputError(
      'no terminal to ask for the password: pipe it in with --password-stdin',
    );
  }
  if (streams.stderr.isTTY) streams.stderr.write(CLEAR_LINE);
  const first = checked(await hiddenPrompt('New password: ', streams));
  const second = await hiddenPrompt('Repeat it: ', streams);
  if (first !== second) throw new PasswordInputError('the two passwords differ');
  return first;
}
