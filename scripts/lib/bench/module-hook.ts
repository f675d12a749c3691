/**
 * What a bundle requires from outside itself (the bundles keep only @node-rs/argon2 and Node's
 * built-ins external), seen through Node's CommonJS loader: which external packages a function
 * loads, and the time spent in argon2 (timed, or stubbed out so that a warm run measures our own
 * code and not the deliberate cost of hashing, which the benchmark measures on its own).
 */
import Module from 'node:module';

export const ARGON2 = '@node-rs/argon2';

export interface ModuleWatch {
  /** Non-built-in modules required since the hook went in, in order. */
  externals: string[];
  /** Time inside argon2's hash/verify (real mode), and how many calls. */
  hashMs: number;
  hashCalls: number;
  /** Puts the loader back as it was. */
  restore(): void;
}

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
type Argon2 = Record<string, unknown> & {
  hash: (...args: unknown[]) => Promise<string>;
  verify: (...args: unknown[]) => Promise<boolean>;
};

/**
 * `real`: the real argon2, timed. `stub`: verify answers true and hash answers `stubHash` at once.
 */
export function watchModules(argon2: 'real' | 'stub', stubHash = ''): ModuleWatch {
  const loader = Module as unknown as { _load: Load };
  const original = loader._load;
  const watch: ModuleWatch = {
    externals: [],
    hashMs: 0,
    hashCalls: 0,
    restore: () => {
      loader._load = original;
    },
  };
  let replacement: Argon2 | undefined;
  const timed =
    <T>(call: (...args: unknown[]) => Promise<T>) =>
    async (...args: unknown[]): Promise<T> => {
      const started = performance.now();
      try {
        return await call(...args);
      } finally {
        watch.hashMs += performance.now() - started;
        watch.hashCalls += 1;
      }
    };
  loader._load = function (request, parent, isMain) {
    if (!request.startsWith('node:') && !Module.isBuiltin(request)) {
      if (!watch.externals.includes(request)) watch.externals.push(request);
    }
    if (request !== ARGON2) return original.call(this, request, parent, isMain);
    if (!replacement) {
      if (argon2 === 'stub') {
        replacement = {
          hash: () => Promise.resolve(stubHash),
          verify: () => Promise.resolve(true),
        };
      } else {
        const real = original.call(this, request, parent, isMain) as Argon2;
        replacement = { ...real, hash: timed(real.hash), verify: timed(real.verify) };
      }
    }
    return replacement;
  };
  return watch;
}
