/**
 * `npm run stack -- [--maps DIR] [LOG LINE]`: a stack from the functions' log, read through the
 * source maps of the deployed package. The log line (one of ours, with `stack`, or a raw stack)
 * is the argument or standard input; DIR holds the package's zips (`serverless package`'s
 * .serverless/, the default) or bundles with their maps. Frames without a map stay as they are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './lib/paths';
import { applySourceMaps, mapsFrom, stackOf } from './lib/source-maps';

const { values, positionals } = parseArgs({
  options: { maps: { type: 'string', default: join(REPO_ROOT, '.serverless') } },
  allowPositionals: true,
});
const input = positionals.length > 0 ? positionals.join(' ') : readFileSync(0, 'utf8');
console.log(applySourceMaps(stackOf(input.trim()), mapsFrom(values.maps)));
