/**
 * `npm run i18n:check -- DIR`: an operator's catalog folder checked as the functions read it,
 * before it is deployed (scripts/i18n-check.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BIN_DIR, CACHE_DIR, REPO_ROOT } from '../../scripts/lib/paths';
import en from '../../shared/i18n/catalogs/en.json';

let dir: string;
beforeEach(() => {
  mkdirSync(CACHE_DIR, { recursive: true });
  dir = relative(REPO_ROOT, mkdtempSync(join(CACHE_DIR, 'i18n-check-')));
});
afterEach(() => rmSync(join(REPO_ROOT, dir), { recursive: true, force: true }));

const write = (name: string, content: unknown) =>
  writeFileSync(join(REPO_ROOT, dir, name), JSON.stringify(content));

function check(...args: string[]) {
  const result = spawnSync(join(BIN_DIR, 'tsx'), ['scripts/i18n-check.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, I18N_DIR: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const KEYS = Object.keys(en).length;

describe('npm run i18n:check', () => {
  it('says what each file does, and exits 0', () => {
    write('en.json', { 'page.signIn.heading': 'Sign in to Example Corp' });
    write(
      'nl.json',
      Object.fromEntries(
        Object.entries(en).map(([key, message]) => [
          key,
          typeof message === 'string' ? `nl: ${message}` : { one: 'één', other: '{count}' },
        ]),
      ),
    );

    const result = check(dir);

    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe(
      [
        `${dir}: ok`,
        `  en: replaces 1 of our ${KEYS} messages`,
        `  nl: a new language, all ${KEYS} messages`,
        'Pages are in: en, de, fr, es, pt-BR, ja, ar, nl',
        '',
      ].join('\n'),
    );
  });

  it('lists every problem, one a line, and exits 1', () => {
    write('de.json', { 'page.signIn.submitt': 'Anmelden' });
    write('nl.json', { 'page.signIn.submit': 'Inloggen' });

    const result = check(dir);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      `I18N_DIR ${dir}/de.json: unknown keys page.signIn.submitt`,
      expect.stringMatching(
        new RegExp(`^I18N_DIR ${dir}/nl\\.json adds a language and needs every key: missing `),
      ),
    ]);
  });

  it('reads I18N_DIR without an argument, and exits 2 with neither', () => {
    const fromEnv = spawnSync(join(BIN_DIR, 'tsx'), ['scripts/i18n-check.ts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, I18N_DIR: dir },
    });

    expect(fromEnv.status).toBe(0);
    expect(fromEnv.stdout).toContain(`${dir}: ok`);
    expect(check()).toMatchObject({ status: 2, stdout: '' });
    expect(check('--help').status).toBe(2);
  });
});
