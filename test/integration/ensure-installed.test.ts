/**
 * scripts/ensure-installed.cjs, the first step of `npm start` and `npm test`, run as npm runs it
 * (a child `node` with npm_execpath set) in a scratch copy of the project, with a stand-in npm that
 * records its arguments and installs as npm does (it writes node_modules/.package-lock.json).
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'ensure-installed.cjs');

let root: string;
let fakeNpm: string;
let calls: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hlc-ensure-installed-'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(SCRIPT, join(root, 'scripts', 'ensure-installed.cjs'));
  writeFileSync(join(root, 'package-lock.json'), '{}');
  calls = join(root, 'npm-calls.txt');
  fakeNpm = join(root, 'fake-npm.cjs');
  writeFileSync(
    fakeNpm,
    `const fs = require('node:fs');
     fs.appendFileSync(${JSON.stringify(calls)}, process.argv.slice(2).join(' ') + '\\n');
     if (process.env.FAKE_NPM_FAILS) process.exit(7);
     fs.mkdirSync('node_modules', { recursive: true });
     fs.writeFileSync('node_modules/.package-lock.json', '{}');`,
  );
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function ensureInstalled(env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'scripts', 'ensure-installed.cjs')],
      { cwd: root, env: { PATH: process.env.PATH, npm_execpath: fakeNpm, ...env } },
      (error, _stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

const npmCalls = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []);

test('a fresh clone without node_modules: runs `npm ci` once, in the project folder', async () => {
  const result = await ensureInstalled();

  expect(result.code).toBe(0);
  expect(npmCalls()).toEqual(['ci --no-audit --no-fund']);
  expect(existsSync(join(root, 'node_modules', '.package-lock.json'))).toBe(true);
  expect(result.stderr).toContain('no node_modules yet');
});

test('installed and current: runs nothing and says nothing', async () => {
  await ensureInstalled();

  const again = await ensureInstalled();

  expect(again).toEqual({ code: 0, stderr: '' });
  expect(npmCalls()).toHaveLength(1);
});

test('a package-lock.json newer than the install (a pull that changed it): installs again', async () => {
  await ensureInstalled();
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(root, 'package-lock.json'), later, later);

  const result = await ensureInstalled();

  expect(result.code).toBe(0);
  expect(npmCalls()).toHaveLength(2);
  expect(result.stderr).toContain('package-lock.json changed');
});

test("a failed install: npm's exit status, and a line saying nothing was started", async () => {
  const result = await ensureInstalled({ FAKE_NPM_FAILS: '1' });

  expect(result.code).toBe(7);
  expect(result.stderr).toContain('`npm ci` failed');
});
