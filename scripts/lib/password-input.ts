/** A new password from a hidden prompt (asked twice) or, with --password-stdin, from stdin. */
import { createInterface } from 'node:readline';

async function fromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  // The first line; only the line ending is removed, never other white space.
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

function hiddenPrompt(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    let prompting = true;
    output._writeToOutput = (text: string) => {
      if (prompting) process.stderr.write(text);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    prompting = false;
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled'));
    });
  });
}

export async function readPassword(options: { fromStdin: boolean }): Promise<string> {
  if (options.fromStdin) return fromStdin();
  if (!process.stdin.isTTY) {
    throw new Error('no terminal to ask for the password: pipe it in with --password-stdin');
  }
  const first = await hiddenPrompt('New password: ');
  const second = await hiddenPrompt('Repeat it: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}
