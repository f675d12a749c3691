/**
 * What serverless.yml says about each function, read from the file rather than copied: its name
 * there, its file under functions/, its memory size and its HTTP API routes. For the local
 * adapter, the benchmark and the end-to-end warm-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { REPO_ROOT } from './paths';

export interface FunctionDefinition {
  /** serverless.yml's key, e.g. `loginGet` (its package is `loginGet.zip`). */
  name: string;
  /** The handler's file under functions/, without extension, e.g. `login-get`. */
  file: string;
  memoryMb: number;
  /** Each httpApi event as `METHOD /path`. */
  routes: string[];
}

interface ServerlessYml {
  provider: { memorySize?: number };
  functions: Record<
    string,
    {
      handler: string;
      memorySize?: number;
      events?: Array<{ httpApi?: { method: string; path: string } }>;
    }
  >;
}

/** Lambda's own default, when neither the function nor the provider names a size. */
const LAMBDA_DEFAULT_MB = 1024;

let parsed: ServerlessYml | undefined;

function serverlessYml(): ServerlessYml {
  const file = join(REPO_ROOT, 'serverless.yml');
  parsed ??= load(readFileSync(file, 'utf8'), { filename: file }) as ServerlessYml;
  return parsed;
}

/** The provider's memory size: what a function without its own gets. */
export function defaultMemoryMb(): number {
  return serverlessYml().provider.memorySize ?? LAMBDA_DEFAULT_MB;
}

export function serverlessFunctions(): FunctionDefinition[] {
  return Object.entries(serverlessYml().functions).map(([name, definition]) => ({
    name,
    // functions/login-get.handler → login-get
    file: definition.handler.replace(/^functions\//, '').replace(/\.[^.]+$/, ''),
    memoryMb: definition.memorySize ?? defaultMemoryMb(),
    routes: (definition.events ?? []).flatMap((event) =>
      event.httpApi ? [`${event.httpApi.method.toUpperCase()} ${event.httpApi.path}`] : [],
    ),
  }));
}

/** Each route (`GET /login`) to the file of the function that answers it (`login-get`). */
export function functionRoutes(): Record<string, string> {
  return Object.fromEntries(
    serverlessFunctions().flatMap((definition) =>
      definition.routes.map((route) => [route, definition.file]),
    ),
  );
}

/** A function's memory size by its file name; the provider's for anything else (a floor). */
export function memoryMb(file: string): number {
  return (
    serverlessFunctions().find((definition) => definition.file === file)?.memoryMb ??
    defaultMemoryMb()
  );
}

/** serverless.yml's name of the function in functions/<file>.ts (`login-get` → `loginGet`). */
export function serverlessName(file: string): string {
  const definition = serverlessFunctions().find((candidate) => candidate.file === file);
  if (!definition) throw new Error(`serverless.yml has no function for functions/${file}.ts`);
  return definition.name;
}
