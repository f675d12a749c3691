#!/usr/bin/env node
/**
 * The first step of `npm start` and `npm test`: installs the project's dependencies when they are
 * missing or older than package-lock.json, so a fresh clone needs no separate install step. Plain
 * Node with no dependencies of its own (it runs before there are any), on whatever Node runs npm.
 *
 * Installed and current means node_modules/.package-lock.json (npm writes it on every install) is
 * at least as new as package-lock.json; a checkout or pull that changes the lock file makes it
 * older, and the next start installs again. Exits with npm's status when the install fails.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function modifiedAt(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

const lock = modifiedAt(join(root, 'package-lock.json'));
const installed = modifiedAt(join(root, 'node_modules', '.package-lock.json'));
if (installed !== undefined && (lock === undefined || installed >= lock)) process.exit(0);

console.error(
  installed === undefined
    ? 'ensure-installed: no node_modules yet: running `npm ci` (once; a minute or two)'
    : 'ensure-installed: package-lock.json changed since the last install: running `npm ci`',
);
// npm sets npm_execpath to its own CLI when it runs a script: use the same npm.
const npm = process.env.npm_execpath;
const result = npm
  ? spawnSync(process.execPath, [npm, 'ci', '--no-audit', '--no-fund'], {
      cwd: root,
      stdio: 'inherit',
    })
  : spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(`ensure-installed: could not run npm: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) {
  console.error('ensure-installed: `npm ci` failed (see above); nothing was started');
  process.exit(result.status ?? 1);
}
