/**
 * The local stacks' shared bundles (scripts/lib/offline-bundles.ts) are found by a hash of what
 * they are made of: any edit must give a new key, or a stack would serve an older build. And the
 * plugin that tells serverless-esbuild not to build them again acts only when asked.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourcesKey } from '../../../scripts/lib/offline-bundles';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const PrebuiltFunctions = require('../../../scripts/serverless-prebuilt.cjs') as new (serverless: {
  service: { functions: Record<string, { handler: string; skipEsbuild?: boolean }> };
}) => { hooks: Record<string, () => void> };

let root: string;

function write(path: string, content: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'offline-bundles-'));
  write('functions/login-get.ts', 'export const handler = 1;');
  write('shared/views/page.ts', 'export const page = 1;');
  write('shared/i18n/catalogs/en.json', '{}');
  write('browser/passkey.ts', 'export {};');
  write('package-lock.json', '{"lockfileVersion":3}');
  write('tsconfig.json', '{}');
  write('scripts/esbuild-plugins.cjs', 'module.exports = [];');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the key of the shared bundles', () => {
  it('is the same for the same sources', () => {
    expect(sourcesKey(root)).toBe(sourcesKey(root));
  });

  it.each([
    ['a function', 'functions/login-get.ts'],
    ['shared code, however deep', 'shared/views/page.ts'],
    ['the browser script', 'browser/passkey.ts'],
    ['the lock file of the dependencies', 'package-lock.json'],
    ['the TypeScript settings', 'tsconfig.json'],
    ['the esbuild plugins', 'scripts/esbuild-plugins.cjs'],
  ])('changes with an edit of %s', (_what, path) => {
    const before = sourcesKey(root);
    write(path, 'changed');
    expect(sourcesKey(root)).not.toBe(before);
  });

  it('changes when a file is added, or a file moves with the same content', () => {
    const before = sourcesKey(root);
    write('shared/views/other.ts', 'export const page = 1;');
    const added = sourcesKey(root);
    expect(added).not.toBe(before);
    rmSync(join(root, 'shared/views/page.ts'));
    expect(sourcesKey(root)).not.toBe(added);
  });
});

describe('the serverless plugin for prebuilt functions', () => {
  const saved = process.env.OFFLINE_PREBUILT;
  afterEach(() => {
    if (saved === undefined) delete process.env.OFFLINE_PREBUILT;
    else process.env.OFFLINE_PREBUILT = saved;
  });

  type Functions = Record<string, { handler: string; skipEsbuild?: boolean }>;
  const service = (): { functions: Functions } => ({
    functions: {
      loginGet: { handler: 'functions/login-get.handler' },
      health: { handler: 'functions/health.handler' },
    },
  });

  it('marks every function as built already with OFFLINE_PREBUILT=true', () => {
    process.env.OFFLINE_PREBUILT = 'true';
    const serverless = { service: service() };
    new PrebuiltFunctions(serverless).hooks.initialize?.();
    expect(Object.values(serverless.service.functions).map((fn) => fn.skipEsbuild)).toEqual([
      true,
      true,
    ]);
  });

  it('does nothing without it (npm start, serverless package)', () => {
    delete process.env.OFFLINE_PREBUILT;
    const serverless = { service: service() };
    const plugin = new PrebuiltFunctions(serverless);
    expect(plugin.hooks).toEqual({});
    expect(serverless.service.functions).toEqual(service().functions);
  });
});
