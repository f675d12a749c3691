/**
 * Child processes for the local stack and the end-to-end tests: each in its own process group
 * (so stopping it stops everything it started, e.g. serverless offline's workers), output kept
 * in a log file, readiness by polling a URL. (Ports and servers: ./servers.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Child {
  name: string;
  process: ChildProcess;
  logFile: string;
  stop: () => Promise<void>;
}

export function startChild(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): Child {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    process: child,
    logFile: options.logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      // Whatever the leader left behind in its group goes too.
      killGroup(child, 'SIGKILL');
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function waitForUrl(
  url: string,
  options: {
    timeoutMs: number;
    /** How long one request may take (default 2 s); a slower answer is aborted and asked again. */
    attemptTimeoutMs?: number;
    child?: Child;
    accept?: (status: number) => boolean;
  },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const accept = options.accept ?? ((status: number) => status === 200);
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (options.child && options.child.process.exitCode !== null) {
      throw new Error(
        `${options.child.name} exited with ${options.child.process.exitCode}; see ${options.child.logFile}`,
      );
    }
    try {
      const attemptMs = Math.max(
        1,
        Math.min(options.attemptTimeoutMs ?? 2000, deadline - Date.now()),
      );
      const response = await fetch(url, {
        signal: AbortSignal.timeout(attemptMs),
        redirect: 'manual',
      });
      await response.body?.cancel();
      if (accept(response.status)) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${url} was not ready after ${options.timeoutMs} ms (${last})${options.child ? `; see ${options.child.logFile}` : ''}`,
  );
}

/** What a run started, to stop in the reverse order: each once, a failing one not stopping the rest. */
export class Stops {
  private readonly stops: Array<() => unknown> = [];

  add(stop: () => unknown): void {
    this.stops.push(stop);
  }

  async stopAll(): Promise<void> {
    for (let stop = this.stops.pop(); stop; stop = this.stops.pop()) {
      await Promise.resolve()
        .then(stop)
        .catch(() => undefined);
    }
  }
}
