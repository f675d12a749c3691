/**
 * The second relying party: Python Authlib (test/e2e/rp/authlib_rp.py), one step per run, in the
 * project's virtualenv (scripts/python-rp-venv.sh makes it when it is missing). What each step
 * found comes back as JSON, so the assertions are the test's.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../scripts/lib/paths';

const SCRIPT = join(REPO_ROOT, 'test', 'e2e', 'rp', 'authlib_rp.py');

/** The virtualenv's python, made if missing; or why it cannot be (thrown in CI). */
export function authlibPython(): string | { reason: string } {
  try {
    const output = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'python-rp-venv.sh')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
    const python = output.trim().split('\n').pop();
    if (python) return python;
    return { reason: 'scripts/python-rp-venv.sh printed no python' };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    const reason = `the Authlib relying party's virtualenv (scripts/python-rp-venv.sh): ${stderr || String(error)}`;
    if (process.env.CI === 'true') throw new Error(reason);
    return { reason };
  }
}

export interface AuthlibClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface AuthlibRp {
  step<T = Record<string, unknown>>(name: string, args?: string[]): Promise<T>;
  /** Forget the stored tokens (the relying party's storage is a file of this test's). */
  close(): void;
}

/** Runs the steps; a step that fails rejects with its stderr (never tokens: the script prints none there). */
export function authlibRp(python: string, client: AuthlibClient): AuthlibRp {
  const dir = mkdtempSync(join(tmpdir(), 'authlib-rp-'));
  const store = join(dir, 'store.json');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PYTHONDONTWRITEBYTECODE: '1',
    RP_ISSUER: client.issuer,
    RP_CLIENT_ID: client.clientId,
    RP_CLIENT_SECRET: client.clientSecret,
    RP_REDIRECT_URI: client.redirectUri,
  };
  return {
    step<T>(name: string, args: string[] = []) {
      // Asynchronous on purpose: the token hook reads the users from dynalite in this process.
      return new Promise<T>((resolve, reject) => {
        execFile(
          python,
          [SCRIPT, name, '--store', store, ...args],
          { env, timeout: 30_000, encoding: 'utf8' },
          (error, stdout, stderr) => {
            const last = stdout.trim().split('\n').pop() ?? '';
            let parsed: unknown;
            try {
              parsed = JSON.parse(last);
            } catch {
              parsed = undefined;
            }
            if (error && !(parsed && typeof parsed === 'object' && 'error' in parsed)) {
              reject(new Error(`authlib_rp.py ${name} failed: ${stderr.trim() || error.message}`));
            } else if (parsed === undefined) {
              reject(new Error(`authlib_rp.py ${name} printed no JSON: ${stdout}`));
            } else {
              resolve(parsed as T);
            }
          },
        );
      });
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
