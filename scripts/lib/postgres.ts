/**
 * A throwaway PostgreSQL server for Hydra under load (scripts/load.ts): Hydra's SQLite (memory
 * or file) fails concurrent writes ("database is locked", "Unable to serialize access"), which
 * would measure SQLite, not us. Uses the machine's PostgreSQL binaries (Debian: apt-get install
 * postgresql), a cluster in a temporary folder on 127.0.0.1 and a free port, removed on stop.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { startChild, type Child } from './processes';
import { freePort } from './servers';

export interface Postgres {
  dsn: string;
  stop: () => Promise<void>;
}

/** The folder with initdb and postgres, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const bin = join(root, version, 'bin');
      if (existsSync(join(bin, 'initdb'))) return bin;
    }
  }
  return undefined;
}

/** PostgreSQL refuses to run as root: run its programs as the `postgres` user then. */
function asDatabaseUser(command: string, args: string[]): [string, string[]] {
  return userInfo().uid === 0
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, args];
}

function databaseUserIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgres(logFile: string): Promise<Postgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'hlc-postgres-'));
  const ids = databaseUserIds();
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const data = join(dir, 'data');
  const [initCommand, initArgs] = asDatabaseUser(join(bin, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'hydra',
    '--no-sync',
  ]);
  execFileSync(initCommand, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const [command, args] = asDatabaseUser(join(bin, 'postgres'), [
    '-D',
    data,
    '-k',
    dir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'max_connections=200',
  ]);
  const child: Child = startChild('postgres', command, args, { env: process.env, logFile });
  const stop = async () => {
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const [readyCommand, readyArgs] = asDatabaseUser(join(bin, 'createdb'), [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'hydra',
          'hydra',
        ]);
        execFileSync(readyCommand, readyArgs, { stdio: 'ignore' });
        break;
      } catch (error) {
        if (Date.now() > deadline || child.process.exitCode !== null) {
          throw new Error(`PostgreSQL did not start (see ${logFile}): ${(error as Error).message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dsn: `postgres://hydra@127.0.0.1:${port}/hydra?sslmode=disable&max_conns=40`,
    stop,
  };
}
