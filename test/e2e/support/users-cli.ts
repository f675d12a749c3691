/** The users CLI as an operator runs it (`npm run users -- …`), on a stack's table and Hydra. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BIN_DIR, REPO_ROOT } from '../../../scripts/lib/paths';
import type { Stack } from './stack';

export interface CliResult {
  code: number | null;
  output: string;
}

const children = new Set<ChildProcess>();

/** Ends every CLI process still running (for afterAll). */
export function killUsersCli(): void {
  for (const child of children) child.kill('SIGKILL');
}

/**
 * Sessions count when they began after the user's sessions were last ended, compared in whole
 * seconds (Hydra's `auth_time`): an admin action and a sign-in in the same second count as
 * "before". A person never does both within one second; a test waits for the next one.
 */
export async function nextSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 50));
}

/** Runs the CLI; it returns in the second after the CLI ended (see nextSecond). */
export async function usersCli(stack: Stack, args: string[], stdin = ''): Promise<CliResult> {
  const result = await runUsersCli(stack, args, stdin);
  await nextSecond();
  return result;
}

function runUsersCli(stack: Stack, args: string[], stdin: string): Promise<CliResult> {
  // Asynchronous on purpose: dynalite answers from this very process.
  return new Promise<CliResult>((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(env)) {
      if (/^(USERS_TABLE|DYNAMODB_ENDPOINT|HYDRA_ADMIN_|PASSWORD_PEPPER|ARGON2_)/.test(name)) {
        delete env[name];
      }
    }
    const child = spawn(
      join(BIN_DIR, 'tsx'),
      [join('scripts', 'users.ts'), ...args, '--endpoint', stack.dynamoEndpoint],
      {
        cwd: REPO_ROOT,
        env: {
          ...env,
          PATH: `${BIN_DIR}:${process.env.PATH ?? ''}`,
          AWS_REGION: 'us-east-1',
          HYDRA_ADMIN_URL: stack.hydraAdminUrl,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    children.add(child);
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      children.delete(child);
      resolve({ code, output });
    });
    child.stdin.end(stdin);
  });
}
