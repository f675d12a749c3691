import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../shared/config';
import en from '../../../shared/i18n/catalogs/en.json';
import {
  BUILT_IN_LOCALES,
  CATALOG_DIR,
  catalogRoot,
  createLanguages,
} from '../../../shared/i18n/languages';
import { translatorOf } from '../../../shared/i18n/messages';
import { captureLogs } from '../support/logs';

const logs = captureLogs();

/** A project root of its own: our catalog files copied, and an operator folder `i18n`. */
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hlc-i18n-'));
  cpSync(CATALOG_DIR, join(root, CATALOG_DIR), {
    recursive: true,
    filter: (source) => !source.endsWith('.ts'),
  });
  mkdirSync(join(root, 'i18n'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const write = (path: string, content: unknown) =>
  writeFileSync(
    join(root, path),
    typeof content === 'string' ? content : JSON.stringify(content, null, 2),
  );

const problemsOf = (make: () => unknown): string[] => {
  try {
    make();
  } catch (error) {
    if (error instanceof ConfigError)
      return error.problems.map((p) => `${p.variable} ${p.problem}`);
    throw error;
  }
  return [];
};

describe('our catalogs, read on demand', () => {
  it('offers every language we have a catalog for, English first', () => {
    expect(createLanguages({ root }).locales).toEqual(BUILT_IN_LOCALES);
  });

  it('reads a language the first time it is needed, then keeps it', () => {
    const languages = createLanguages({ root });
    const french = languages.language('fr');
    expect(french.catalog['page.signIn.submit']).toBe('Se connecter');

    rmSync(join(root, CATALOG_DIR, 'fr.json'));
    expect(languages.language('fr')).toBe(french);
  });

  it('writes Arabic right to left', () => {
    expect(createLanguages({ root }).language('ar').dir).toBe('rtl');
  });

  it('serves English, with one warning, when a catalog file is missing', () => {
    rmSync(join(root, CATALOG_DIR, 'ja.json'));
    const languages = createLanguages({ root });

    const japanese = languages.language('ja');
    languages.language('ja');

    expect(japanese).toMatchObject({ locale: 'en', dir: 'ltr' });
    expect(japanese.catalog['page.signIn.submit']).toBe(en['page.signIn.submit']);
    expect(logs.entries()).toEqual([
      expect.objectContaining({
        level: 'warn',
        locale: 'ja',
        file: `${CATALOG_DIR}/ja.json`,
        problem: 'missing',
      }),
    ]);
  });

  it('reads English from the package as well (none is bundled), the page root it is under', () => {
    write(`${CATALOG_DIR}/en.json`, { ...en, 'page.signIn.submit': 'Sign in here' });
    expect(createLanguages({ root }).language('en').catalog['page.signIn.submit']).toBe(
      'Sign in here',
    );
  });

  it('says sign-in is unavailable, with one error line, in a package without English', () => {
    rmSync(join(root, CATALOG_DIR, 'en.json'));
    const english = createLanguages({ root }).language('en');

    expect(english.catalog['page.signIn.submit']).toBe(
      'Sign-in is unavailable. Please try again later.',
    );
    expect(logs.entries()).toEqual([
      expect.objectContaining({
        level: 'error',
        file: `${CATALOG_DIR}/en.json`,
        problem: 'missing',
      }),
    ]);
  });

  it('serves English, with one warning, when a catalog file is not valid JSON', () => {
    write(`${CATALOG_DIR}/es.json`, '{"page.signIn.title": "Iniciar');
    const spanish = createLanguages({ root }).language('es');

    expect(spanish.locale).toBe('en');
    expect(logs.entries()).toEqual([
      expect.objectContaining({ level: 'warn', locale: 'es', problem: 'not valid JSON' }),
    ]);
  });

  it('fills the messages a catalog file lacks from English, and says which', () => {
    write(`${CATALOG_DIR}/de.json`, { 'page.signIn.submit': 'Anmelden' });
    const german = createLanguages({ root }).language('de');

    expect(german.locale).toBe('de');
    expect(german.catalog['page.signIn.submit']).toBe('Anmelden');
    expect(german.catalog['page.consent.allow']).toBe(en['page.consent.allow']);
    expect(logs.entries()).toEqual([
      expect.objectContaining({ level: 'warn', locale: 'de', keys: expect.any(Array) }),
    ]);
  });
});

describe("an operator's folder (I18N_DIR)", () => {
  it('replaces our strings key by key, the others stay ours', () => {
    write('i18n/fr.json', { 'page.signIn.submit': 'Entrer' });
    write('i18n/en.json', { 'page.signIn.heading': 'Welcome back' });
    const languages = createLanguages({ root, operatorDir: 'i18n' });

    expect(languages.language('fr').catalog['page.signIn.submit']).toBe('Entrer');
    expect(languages.language('fr').catalog['page.signIn.title']).toBe('Connexion');
    expect(languages.language('en').catalog['page.signIn.heading']).toBe('Welcome back');
    expect(languages.language('en').catalog['page.signIn.title']).toBe('Sign in');
    expect(languages.locales).toEqual(BUILT_IN_LOCALES);
  });

  it('matches our tags in any case (pt-br.json replaces pt-BR)', () => {
    write('i18n/pt-br.json', { 'page.signIn.submit': 'Acessar' });
    const languages = createLanguages({ root, operatorDir: 'i18n' });

    expect(languages.language('pt-BR').catalog['page.signIn.submit']).toBe('Acessar');
  });

  it('adds a language that has every key', () => {
    const dutch = Object.fromEntries(
      Object.entries(en).map(([key, message]) => [
        key,
        typeof message === 'string' ? `nl ${message}` : { one: 'nl één', other: 'nl {count}' },
      ]),
    );
    write('i18n/nl.json', dutch);
    const languages = createLanguages({ root, operatorDir: 'i18n' });

    expect(languages.locales).toEqual([...BUILT_IN_LOCALES, 'nl']);
    const t = translatorOf(languages.language('nl'));
    expect(t.locale).toBe('nl');
    expect(t.text('page.signIn.submit')).toBe('nl Sign in');
    expect(t.text('page.signIn.throttled', { count: 3 })).toBe('nl 3');
  });

  it('refuses a new language without every key, listing what is missing', () => {
    write('i18n/nl.json', { 'page.signIn.submit': 'Inloggen' });
    const problems = problemsOf(() => createLanguages({ root, operatorDir: 'i18n' }));

    expect(problems).toEqual([
      expect.stringMatching(
        /^I18N_DIR i18n\/nl\.json adds a language and needs every key: missing page\.signIn\.title, page\.signIn\.heading, .* and \d+ more$/,
      ),
    ]);
  });

  it('refuses unknown keys, a plural without a form the language needs and bad JSON, all at once', () => {
    write('i18n/de.json', { 'page.signIn.submitt': 'Anmelden' });
    write('i18n/ar.json', { 'page.signIn.throttled': { one: 'دقيقة', other: '{count}' } });
    write('i18n/fr.json', '{');
    const problems = problemsOf(() => createLanguages({ root, operatorDir: 'i18n' }));

    expect(problems).toEqual([
      'I18N_DIR i18n/ar.json: not a text, or a plural message without a form, at page.signIn.throttled',
      'I18N_DIR i18n/de.json: unknown keys page.signIn.submitt',
      'I18N_DIR has i18n/fr.json, which is not valid JSON',
    ]);
  });

  it('refuses a folder outside the project, or one that does not exist', () => {
    expect(problemsOf(() => createLanguages({ root, operatorDir: '/etc' }))).toEqual([
      'I18N_DIR must be a folder inside the project (a relative path without ..), got "/etc"',
    ]);
    expect(problemsOf(() => createLanguages({ root, operatorDir: '../i18n' }))).toHaveLength(1);
    expect(problemsOf(() => createLanguages({ root, operatorDir: 'nowhere' }))).toEqual([
      'I18N_DIR names a folder that cannot be read: "nowhere"',
    ]);
  });
});

describe('where catalog files are read from', () => {
  it("is the function's package on Lambda, and the project root elsewhere", () => {
    expect(catalogRoot({ LAMBDA_TASK_ROOT: '/var/task' })).toBe('/var/task');
    expect(catalogRoot({ LAMBDA_TASK_ROOT: '/var/task', IS_OFFLINE: 'true' })).toBe(process.cwd());
    expect(catalogRoot({})).toBe(process.cwd());
  });
});
