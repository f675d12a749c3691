/**
 * scripts/build-hydra.sh as a developer or CI runs it, on fakes: which binary it picks, and every
 * source of Hydra v26.2.0 it must refuse before building (an archive whose checksum does not
 * match or is missing, a clone that is not the tag's commit). Each run has its own cache folder
 * (HYDRA_CACHE_DIR); none of them builds Hydra (.ci/run does that once, for real), and a check
 * that stopped refusing would reach a build that fails at once (a fake tree, nothing to fetch).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from '../../scripts/lib/paths';

jest.setTimeout(60_000);

const SCRIPT = join(REPO_ROOT, 'scripts', 'build-hydra.sh');

let scratch: string;
let cache: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'hlc-build-hydra-'));
  cache = join(scratch, 'cache');
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  /** The last line of stdout: the binary's path. */
  binary: string;
  stderr: string;
}

function buildHydra(env: NodeJS.ProcessEnv): Run {
  const result = spawnSync('bash', [SCRIPT], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 50_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HYDRA_CACHE_DIR: cache,
      // Should a check let a run through to a build, it fails at once instead of fetching: no
      // module proxy, an empty module cache, no repository to clone.
      GOPROXY: 'off',
      GOMODCACHE: join(scratch, 'go-modules'),
      HYDRA_GIT_URL: `file://${join(scratch, 'no-such-repository')}`,
      ...env,
    },
  });
  return {
    status: result.status,
    binary: result.stdout.trim().split('\n').pop() ?? '',
    stderr: result.stderr,
  };
}

/**
 * A stand-in for a hydra binary: `hydra version` prints `version` on its Version line, then
 * (like the real one, only more) further lines, enough that a reader stopping at the first line
 * would make the writer die of SIGPIPE.
 */
function fakeHydra(path: string, version: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(
    path,
    [
      '#!/usr/bin/env bash',
      `printf 'Version:    %s\\nGit Hash:   undefined\\nBuild Time: undefined\\n' '${version}'`,
      "head -c 2000000 /dev/zero | tr '\\0' 'x'",
      'echo',
    ].join('\n'),
  );
  chmodSync(path, 0o755);
  return path;
}

/** A tar.xz with one top folder holding a go.mod of Hydra's module, as `git archive` makes it. */
function fakeArchive(): string {
  const tree = join(scratch, 'tree', 'hydra-v26.2.0');
  mkdirSync(tree, { recursive: true });
  writeFileSync(join(tree, 'go.mod'), 'module github.com/ory/hydra/v2\n\ngo 1.26\n');
  const archive = join(scratch, 'hydra-v26.2.0-src.tar.xz');
  const tar = spawnSync('tar', ['-cJf', archive, '-C', join(scratch, 'tree'), 'hydra-v26.2.0']);
  expect(tar.status).toBe(0);
  return archive;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** PATH without the folders that hold a `go`: a build could not even start. */
function pathWithoutGo(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !existsSync(join(dir, 'go')))
    .join(delimiter);
}

describe('which binary', () => {
  test('v26.2.0 by default: the cached build of that version, read past its long version output', () => {
    const cached = fakeHydra(join(cache, 'v26.2.0', 'hydra'), 'v26.2.0');
    fakeHydra(join(cache, 'v2.3.0', 'hydra'), 'v2.3.0');

    for (let run = 0; run < 5; run += 1) {
      expect(buildHydra({})).toMatchObject({ status: 0, binary: cached });
    }
  });

  test('HYDRA_VERSION=v2.3.0 picks that version, cached apart', () => {
    fakeHydra(join(cache, 'v26.2.0', 'hydra'), 'v26.2.0');
    const cached = fakeHydra(join(cache, 'v2.3.0', 'hydra'), 'v2.3.0');

    expect(buildHydra({ HYDRA_VERSION: 'v2.3.0' })).toMatchObject({ status: 0, binary: cached });
  });

  test('a cached binary that reports another version is passed over', () => {
    fakeHydra(join(cache, 'v26.2.0', 'hydra'), 'v26.1.0');

    // Without Go on PATH the build it turns to stops at once, and says why.
    const run = buildHydra({ PATH: pathWithoutGo() });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Go >= 1.26 is needed to build Hydra v26.2.0');
  });

  test('HYDRA_BIN wins when it reports the version wanted', () => {
    fakeHydra(join(cache, 'v26.2.0', 'hydra'), 'v26.2.0');
    const own = fakeHydra(join(scratch, 'own', 'hydra'), 'v26.2.0');

    expect(buildHydra({ HYDRA_BIN: own })).toMatchObject({ status: 0, binary: own });
  });

  test('HYDRA_BIN of another version is refused, with what to set instead', () => {
    const own = fakeHydra(join(scratch, 'own', 'hydra'), 'v2.3.0');

    const run = buildHydra({ HYDRA_BIN: own });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`HYDRA_BIN=${own} reports version 'v2.3.0', not v26.2.0`);
    expect(run.stderr).toContain('set HYDRA_VERSION to the version it is');
  });

  test('a version this project does not support is refused', () => {
    const run = buildHydra({ HYDRA_VERSION: 'v25.4.0' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('HYDRA_VERSION=v25.4.0 is not one this project supports');
  });
});

describe('the Go it builds with', () => {
  /** A `go` that says it is `version` and hands every other command to the real one. */
  function fakeGo(version: string): string {
    const real = spawnSync('bash', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();
    const dir = join(scratch, 'fake-go');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'go'),
      [
        '#!/usr/bin/env bash',
        `if [ "$1 $2" = "env GOVERSION" ]; then echo go${version}; exit 0; fi`,
        `exec ${real} "$@"`,
      ].join('\n'),
    );
    chmodSync(join(dir, 'go'), 0o755);
    return `${dir}${delimiter}${process.env.PATH ?? ''}`;
  }

  test('a Go older than v26.2.0 needs (>= 1.21) is told to fetch go1.26.0 through the module proxy', () => {
    const tree = join(scratch, 'tree');
    mkdirSync(tree);
    writeFileSync(join(tree, 'go.mod'), 'module github.com/ory/hydra/v2\n\ngo 1.26\n');

    const run = buildHydra({ PATH: fakeGo('1.22.5'), HYDRA_SOURCE: tree });
    expect(run.stderr).toContain(
      'Go 1.22.5 is older than the 1.26 Hydra v26.2.0 needs: fetching go1.26.0 through the module proxy (GOTOOLCHAIN)',
    );
    // Here the fetch is off (GOPROXY=off): the build fails at once, naming the toolchain.
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('go1.26.0');
  });

  test('a Go older than 1.21, which cannot fetch a toolchain, is refused', () => {
    const run = buildHydra({ PATH: fakeGo('1.20.14') });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Go 1.20.14 is too old to build Hydra v26.2.0: install Go >= 1.26',
    );
  });
});

describe('the source of v26.2.0', () => {
  test('an archive whose checksum does not match is refused, and nothing is unpacked', () => {
    const archive = fakeArchive();
    const other = '0'.repeat(64);
    writeFileSync(`${archive}.sha256`, `${other}  hydra-v26.2.0-src.tar.xz\n`);

    const run = buildHydra({ HYDRA_SOURCE: archive });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `checksum mismatch for ${archive}: its SHA-256 is ${sha256(archive)}, ${archive}.sha256 says ${other}`,
    );
    expect(existsSync(join(cache, 'src-v26.2.0'))).toBe(false);
    expect(existsSync(join(cache, 'v26.2.0', 'hydra'))).toBe(false);
  });

  test('an archive without its checksum beside it is refused', () => {
    const archive = fakeArchive();

    const run = buildHydra({ HYDRA_SOURCE: archive });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`no checksum beside ${archive}`);
  });

  test('an archive whose checksum matches is unpacked and must hold Hydra: a tree of another module is refused', () => {
    const archive = fakeArchive();
    const tree = join(scratch, 'tree', 'hydra-v26.2.0');
    writeFileSync(join(tree, 'go.mod'), 'module example.com/not-hydra\n');
    spawnSync('tar', ['-cJf', archive, '-C', join(scratch, 'tree'), 'hydra-v26.2.0']);
    writeFileSync(`${archive}.sha256`, `${sha256(archive)}  hydra-v26.2.0-src.tar.xz\n`);

    const run = buildHydra({ HYDRA_SOURCE: archive });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`checksum of ${archive} matches`);
    expect(run.stderr).toContain('does not hold Hydra');
  });

  test('HYDRA_SOURCE that is neither a folder nor a file is refused', () => {
    const run = buildHydra({ HYDRA_SOURCE: join(scratch, 'nowhere') });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is neither a folder nor a file');
  });

  test("without HYDRA_SOURCE, a clone whose v26.2.0 is not the tag's commit is refused", () => {
    const mirror = join(scratch, 'mirror');
    const git = (...args: string[]) =>
      expect(spawnSync('git', ['-C', mirror, ...args]).status).toBe(0);
    mkdirSync(mirror);
    git('init', '-q');
    git(
      '-c',
      'user.email=t@example.com',
      '-c',
      'user.name=t',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'x',
    );
    git('tag', 'v26.2.0');

    const run = buildHydra({ HYDRA_GIT_URL: `file://${mirror}` });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /the clone's v26\.2\.0 is commit [0-9a-f]{40}, not 0b84568fffccf151dc5e6c7955fdfb738555bf4b: refusing to build it/,
    );
  });

  test('a clone that fails says how to build without internet access', () => {
    const run = buildHydra({});
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('set HYDRA_SOURCE to a folder with Hydra');
  });
});
