/**
 * The bench holds every function to a budget and measures a path of each (scripts/lib/bench):
 * a function without a budget, or with a budget and no path, would go unmeasured.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchUser, scenarios } from '../../../scripts/lib/bench/fixtures';
import { FUNCTION_BUDGETS, MINIMUM_CALLS } from '../../../scripts/lib/bench/targets';
import { REPO_ROOT } from '../../../scripts/lib/paths';

const FUNCTIONS = readdirSync(join(REPO_ROOT, 'functions'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

const paths = scenarios(benchUser('$argon2id$bench-hash'), 'bench-cookie-secret-0123456789abcdef');

it('has a budget for every function, and none for a function that does not exist', () => {
  expect(Object.keys(FUNCTION_BUDGETS).sort()).toEqual(FUNCTIONS);
});

it('measures a main path of every function, each with its fewest calls', () => {
  const measured = new Set(paths.filter((path) => path.main).map((path) => path.functionName));
  expect(FUNCTIONS.filter((name) => !measured.has(name))).toEqual([]);
  expect(paths.filter((path) => !MINIMUM_CALLS[path.key]).map((path) => path.key)).toEqual([]);
});
