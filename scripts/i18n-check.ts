/**
 * `npm run i18n:check [-- DIR]`: checks an operator's folder of catalog files (DIR, else
 * I18N_DIR) as the functions will read it, before it is deployed: each `<tag>.json` replaces some
 * of our strings for one of our languages, or adds a language with every key. Prints what each
 * file does, or every problem; exits 1 on a problem, 2 on bad usage.
 */
import { ConfigError } from '../shared/config';
import en from '../shared/i18n/catalogs/en.json';
import { BUILT_IN_LOCALES, loadOperatorCatalogs } from '../shared/i18n/languages';
import { REPO_ROOT } from './lib/paths';

function main(args: string[]): number {
  if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
    process.stderr.write('usage: npm run i18n:check -- [DIR]  (DIR: default I18N_DIR)\n');
    return 2;
  }
  const dir = args[0] ?? process.env.I18N_DIR?.trim();
  if (!dir) {
    process.stderr.write(
      'i18n:check: name the folder (npm run i18n:check -- i18n) or set I18N_DIR\n',
    );
    return 2;
  }
  try {
    const { overrides, added } = loadOperatorCatalogs(REPO_ROOT, dir);
    const total = Object.keys(en).length;
    process.stdout.write(`${dir}: ok\n`);
    for (const [locale, messages] of overrides) {
      const count = Object.keys(messages).length;
      process.stdout.write(`  ${locale}: replaces ${count} of our ${total} messages\n`);
    }
    for (const locale of added.keys()) {
      process.stdout.write(`  ${locale}: a new language, all ${total} messages\n`);
    }
    if (overrides.size + added.size === 0) process.stdout.write('  (no <tag>.json files)\n');
    process.stdout.write(`Pages are in: ${[...BUILT_IN_LOCALES, ...added.keys()].join(', ')}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const { variable, problem } of error.problems) {
      process.stderr.write(`${variable} ${problem}\n`);
    }
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
