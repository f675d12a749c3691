/**
 * The languages a page can be in, and their catalogs. No catalog is bundled: each is a JSON file
 * packaged beside the handlers (`shared/i18n/catalogs/<tag>.json`, serverless.yml
 * `package.patterns`), read the first time a page in that language is rendered, then kept for the
 * life of the function. English (`en.json`) is the source of the keys (their type comes from it at
 * compile time) and is read first. A catalog file that is missing or cannot be read serves
 * English, with one warning in the log: a page is never refused for its language. English itself
 * missing is a packaging bug: one error line, and every message says sign-in is unavailable.
 *
 * An operator's folder (I18N_DIR, relative to the project root and packaged the same way) holds
 * `<tag>.json` files: for one of our languages, strings that replace ours key by key; for any
 * other tag, a new language, which must have every key. That folder is read and checked once, on
 * first use: a problem is a ConfigError listing every missing, extra or malformed key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigError, type ConfigProblem } from '../config';
import { log } from '../log';
import type { Catalog, Message, MessageKey, PluralMessage } from './messages';

/** Our languages; the first is the default. Each but English is `catalogs/<tag>.json`. */
export const BUILT_IN_LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR', 'ja', 'ar'] as const;
export const DEFAULT_LOCALE = 'en';

/** Where our catalog files are, relative to the project root (and to the package's root). */
export const CATALOG_DIR = 'shared/i18n/catalogs';

/** Languages written right to left (by their primary subtag). */
const RIGHT_TO_LEFT = new Set([
  'ar',
  'arc',
  'ckb',
  'dv',
  'fa',
  'he',
  'ks',
  'ps',
  'sd',
  'ug',
  'ur',
  'yi',
]);

/** A file name's tag: `pt-BR.json` → `pt-BR`. Letters and digits in dash-separated subtags. */
const TAG = /^[a-z]{2,8}(?:-[a-z0-9]{1,8})*$/i;

export interface Language {
  locale: string;
  dir: 'ltr' | 'rtl';
  catalog: Catalog;
}

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(locale.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr';
}

/** What every message says when not even English can be read (a package without en.json). */
const UNAVAILABLE = 'Sign-in is unavailable. Please try again later.';

/** The English catalog as read from `root` (the first read kept), or the UNAVAILABLE stand-in. */
const englishByRoot = new Map<string, Catalog>();

export function englishCatalog(root: string = catalogRoot(process.env)): Catalog {
  let found = englishByRoot.get(root);
  if (found) return found;
  const read = readJson(join(root, CATALOG_DIR, `${DEFAULT_LOCALE}.json`));
  if ('value' in read && typeof read.value === 'object' && read.value !== null) {
    found = read.value as Catalog;
  } else {
    log.error('the English catalog cannot be read: every page says sign-in is unavailable', {
      file: `${CATALOG_DIR}/${DEFAULT_LOCALE}.json`,
      problem: 'error' in read ? read.error : 'not a JSON object of messages',
    });
    found = new Proxy({} as Catalog, { get: () => UNAVAILABLE });
  }
  englishByRoot.set(root, found);
  return found;
}

/** What is wrong with a catalog file's content, key by key. */
export interface CatalogCheck {
  /** The messages that are usable, by key. */
  messages: Partial<Record<MessageKey, Message>>;
  missing: MessageKey[];
  extra: string[];
  /** Keys whose value is not a text (or, for a plural message, lacks a form the language needs). */
  malformed: MessageKey[];
}

function isPluralFor(value: unknown, categories: readonly string[]): value is PluralMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const forms = value as Record<string, unknown>;
  return (
    Object.values(forms).every((form) => typeof form === 'string' && form.trim() !== '') &&
    ['other', ...categories].every((category) => typeof forms[category] === 'string')
  );
}

/**
 * Checks a parsed catalog file against the English keys: each message a non-empty text, or a
 * plural message (where English has one) with every form of `locale`'s `Intl.PluralRules`.
 */
export function checkCatalog(
  value: unknown,
  locale: string,
  en: Catalog = englishCatalog(),
): CatalogCheck {
  const KEYS = Object.keys(en) as MessageKey[];
  const KEY_SET = new Set<string>(KEYS);
  const check: CatalogCheck = { messages: {}, missing: [], extra: [], malformed: [] };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ...check, missing: [...KEYS] };
  }
  const entries = value as Record<string, unknown>;
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
  check.extra = Object.keys(entries).filter((key) => !KEY_SET.has(key));
  for (const key of KEYS) {
    if (!Object.hasOwn(entries, key)) {
      check.missing.push(key);
      continue;
    }
    const message = entries[key];
    const plural = typeof en[key] !== 'string';
    const ok = plural
      ? isPluralFor(message, categories)
      : typeof message === 'string' && message.trim() !== '';
    if (ok) check.messages[key] = message as Message;
    else check.malformed.push(key);
  }
  return check;
}

/** A catalog file as JSON, or why it could not be read. */
function readJson(file: string): { value: unknown } | { error: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'missing' : `unreadable (${code ?? 'error'})` };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { error: 'not valid JSON' };
  }
}

const list = (keys: readonly string[]) =>
  keys.length > 5 ? `${keys.slice(0, 5).join(', ')} and ${keys.length - 5} more` : keys.join(', ');

/** An operator's file: what it changes, or what is wrong with it. */
interface OperatorFile {
  locale: string;
  messages: Partial<Record<MessageKey, Message>>;
}

export interface OperatorCatalogs {
  /** Replacements for our languages' strings, by our locale. */
  overrides: Map<string, Partial<Record<MessageKey, Message>>>;
  /** Languages the operator adds, complete. */
  added: Map<string, Catalog>;
}

/**
 * Reads and checks the operator's folder `dir` (I18N_DIR) under `root`; throws a ConfigError
 * listing every problem of every file.
 */
export function loadOperatorCatalogs(root: string, dir: string): OperatorCatalogs {
  const problems: ConfigProblem[] = [];
  const problem = (text: string) => problems.push({ variable: 'I18N_DIR', problem: text });
  const found: OperatorCatalogs = { overrides: new Map(), added: new Map() };
  if (isAbsolute(dir) || dir.split(/[\\/]/).includes('..')) {
    problem(`must be a folder inside the project (a relative path without ..), got "${dir}"`);
    throw new ConfigError(problems);
  }
  let names: string[];
  try {
    names = readdirSync(join(root, dir)).filter((name) => name.endsWith('.json'));
  } catch {
    problem(`names a folder that cannot be read: "${dir}"`);
    throw new ConfigError(problems);
  }
  const files: OperatorFile[] = [];
  for (const name of names.sort()) {
    const tag = name.slice(0, -'.json'.length);
    const shown = `${dir}/${name}`;
    if (!TAG.test(tag)) {
      problem(`has ${shown}, whose name is not a language tag (like fr or pt-BR)`);
      continue;
    }
    const ours = BUILT_IN_LOCALES.find((locale) => locale.toLowerCase() === tag.toLowerCase());
    const read = readJson(join(root, dir, name));
    if ('error' in read) {
      problem(`has ${shown}, which is ${read.error}`);
      continue;
    }
    if (typeof read.value !== 'object' || read.value === null || Array.isArray(read.value)) {
      problem(`has ${shown}, which is not a JSON object of messages`);
      continue;
    }
    const check = checkCatalog(read.value, ours ?? tag, englishCatalog(root));
    if (check.extra.length > 0) problem(`${shown}: unknown keys ${list(check.extra)}`);
    if (check.malformed.length > 0) {
      problem(
        `${shown}: not a text, or a plural message without a form, at ${list(check.malformed)}`,
      );
    }
    if (!ours && check.missing.length > 0) {
      problem(`${shown} adds a language and needs every key: missing ${list(check.missing)}`);
    }
    files.push({ locale: ours ?? tag, messages: check.messages });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  for (const file of files) {
    if (BUILT_IN_LOCALES.some((locale) => locale === file.locale)) {
      found.overrides.set(file.locale, file.messages);
    } else {
      found.added.set(file.locale, file.messages as Catalog);
    }
  }
  return found;
}

export interface LanguagesOptions {
  /** The project's root (the package's, on Lambda): catalog paths are relative to it. */
  root: string;
  /** I18N_DIR: the operator's folder of `<tag>.json`, relative to `root`. */
  operatorDir?: string | undefined;
}

export interface Languages {
  /** Every language a page can be in, ours first; the first is the default. */
  locales: readonly string[];
  /** The language, its catalog read on first use (English, if its file cannot be used). */
  language(locale: string): Language;
}

export function createLanguages(options: LanguagesOptions): Languages {
  const operator: OperatorCatalogs = options.operatorDir
    ? loadOperatorCatalogs(options.root, options.operatorDir)
    : { overrides: new Map(), added: new Map() };
  const locales = [...BUILT_IN_LOCALES, ...operator.added.keys()];
  const cache = new Map<string, Language>();

  const withOverrides = (locale: string, catalog: Catalog): Catalog => {
    const overrides = operator.overrides.get(locale);
    return overrides ? ({ ...catalog, ...overrides } as Catalog) : catalog;
  };

  const en = englishCatalog(options.root);
  const english: Language = {
    locale: DEFAULT_LOCALE,
    dir: 'ltr',
    catalog: withOverrides(DEFAULT_LOCALE, en),
  };

  /** One of our catalog files, over English key by key; English alone if it cannot be used. */
  function builtIn(locale: string): Language {
    const file = join(options.root, CATALOG_DIR, `${locale}.json`);
    const read = readJson(file);
    if ('error' in read) {
      log.warn('catalog file not usable, pages in this language are in English', {
        locale,
        file: `${CATALOG_DIR}/${locale}.json`,
        problem: read.error,
      });
      return english;
    }
    const check = checkCatalog(read.value, locale, en);
    const broken = [...check.missing, ...check.malformed];
    if (broken.length > 0 || check.extra.length > 0) {
      log.warn('catalog file incomplete, these messages are in English', {
        locale,
        file: `${CATALOG_DIR}/${locale}.json`,
        keys: broken,
        unknown: check.extra,
      });
    }
    const catalog = { ...en, ...check.messages } as Catalog;
    return { locale, dir: directionOf(locale), catalog: withOverrides(locale, catalog) };
  }

  function make(locale: string): Language {
    if (locale === DEFAULT_LOCALE) return english;
    const added = operator.added.get(locale);
    if (added) return { locale, dir: directionOf(locale), catalog: added };
    if (BUILT_IN_LOCALES.some((ours) => ours === locale)) return builtIn(locale);
    return english;
  }

  return {
    locales,
    language(locale) {
      let found = cache.get(locale);
      if (!found) {
        found = make(locale);
        cache.set(locale, found);
      }
      return found;
    },
  };
}

/**
 * The folder catalog paths are relative to: the function's package on Lambda
 * (LAMBDA_TASK_ROOT), else the working directory (the project root: serverless offline, the
 * scripts and the tests run there; serverless offline sets a LAMBDA_TASK_ROOT that is not real).
 */
export function catalogRoot(env: Record<string, string | undefined>): string {
  return (!env.IS_OFFLINE && env.LAMBDA_TASK_ROOT) || process.cwd();
}

let processLanguages: Languages | undefined;

/** This process's languages, from its environment (I18N_DIR), made on first use. */
export function languages(): Languages {
  processLanguages ??= createLanguages({
    root: catalogRoot(process.env),
    operatorDir: process.env.I18N_DIR?.trim() || undefined,
  });
  return processLanguages;
}

/** Forgets this process's languages: the next use reads I18N_DIR again (for tests). */
export function resetLanguages(): void {
  processLanguages = undefined;
}
