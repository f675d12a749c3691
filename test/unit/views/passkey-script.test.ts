/**
 * The passkey forms' browser script: the committed build is the build of its source (so the
 * hash the pages are allowed by is of the code we review), and it can be inlined.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../../scripts/lib/paths';
import { PASSKEY_SCRIPT_FILE, passkeyScript } from '../../../shared/views/passkey-script';
import { securityHeaders } from '../../../shared/http/security-headers';
import { styleHash } from '../../../shared/views/styles';

const committed = readFileSync(join(REPO_ROOT, PASSKEY_SCRIPT_FILE), 'utf8');

it('is the build of browser/passkey.ts (npm run build:passkey-script)', async () => {
  const script = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const args = script.scripts['build:passkey-script'] ?? '';
  const target = /--target=(\S+)/.exec(args)?.[1]?.split(',') ?? [];
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'browser/passkey.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target,
    legalComments: 'none',
    write: false,
  });
  expect(result.outputFiles[0]?.text).toBe(committed);
});

it('holds no end of a script element, so it can be inlined as it is', () => {
  expect(committed.toLowerCase()).not.toContain('</script');
  expect(passkeyScript().value).toBe(`<script>${committed.trim()}</script>`);
});

it('is allowed by its hash in the page’s CSP, and nothing else is', () => {
  const body = `<!doctype html><p>page</p>${passkeyScript().value}`;
  const policy = securityHeaders({ allowHttpFormTargets: false, body })['content-security-policy'];
  expect(policy).toContain(`script-src ${styleHash(committed.trim())}`);
  expect(policy).not.toContain('unsafe-inline');
  const without = securityHeaders({ allowHttpFormTargets: false, body: '<p>page</p>' });
  expect(without['content-security-policy']).not.toContain('script-src');
});
