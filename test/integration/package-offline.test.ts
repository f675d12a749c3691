/**
 * `serverless package` on a machine that cannot reach the npm registry (the externals' `npm ci`
 * and the argon2 binding need it): it fails within a minute with npm's reason, and exits by
 * itself. It used to print the error and then never exit (serverless-esbuild's esbuild contexts,
 * left open by the failed step: floydspace/serverless-esbuild#532), after minutes of npm's
 * retries; serverless.yml now builds without contexts (skipRebuild) and gives npm short retries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageError, packageStage } from '../../scripts/lib/package';

let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'hlc-package-offline-'));
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

it('fails fast with npm’s reason when the registry cannot be reached, and exits by itself', async () => {
  const started = Date.now();

  const failure = await packageStage(workDir, {
    stage: 'prod',
    // Nothing listens on port 9 (discard): every request is refused at once.
    env: { npm_config_registry: 'http://127.0.0.1:9' },
    timeoutMs: 150_000,
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  const seconds = (Date.now() - started) / 1000;

  expect(failure).toBeInstanceOf(PackageError);
  const { message, output } = failure as PackageError;
  // It exited (code 1), it was not killed at the timeout (code null).
  expect(message).toMatch(/^serverless package exited with 1:/);
  expect(output).toMatch(/npm (ci|pack)|package-argon2/);
  expect(output).toContain('ECONNREFUSED');
  expect(seconds).toBeLessThan(120);
}, 180_000);
