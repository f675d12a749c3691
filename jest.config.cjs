const common = {
  testEnvironment: 'node',
  // middy and openid-client publish ESM behind an "import" condition only: point jest's CommonJS
  // resolver at their entry files; the transform below turns them into CommonJS.
  moduleNameMapper: {
    '^@middy/core$': '<rootDir>/node_modules/@middy/core/index.js',
    '^@middy/util$': '<rootDir>/node_modules/@middy/util/index.js',
    '^openid-client$': '<rootDir>/node_modules/openid-client/build/index.js',
    '^oauth4webapi$': '<rootDir>/node_modules/oauth4webapi/build/index.js',
  },
  transform: { '^.+\\.(ts|mjs|js)$': '<rootDir>/test/esbuild-transform.cjs' },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|openid-client|oauth4webapi|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

/**
 * test/unit/ is every test that drives our code in this process (sharing test/unit/support/).
 * Most of it is the `unit` project: pure and in memory, fast. These folders of it are projects of
 * their own, because they take time or the network stack: `fuzz` (fast-check over every handler),
 * `timing` (the real argon2id, measured), `sockets` (real HTTP servers and connections on
 * 127.0.0.1: fault injection, the Hydra adapter and its transport).
 */
const OWN_PROJECTS = ['fuzz', 'timing', 'sockets'];

/** The Hydra versions the end-to-end suites run against (scripts/build-hydra.sh builds both). */
const HYDRA_VERSIONS = ['v26.2.0', 'v2.3.0'];

const inProcess = {
  ...common,
};

module.exports = {
  reporters: ['default', '<rootDir>/test/summary-reporter.cjs'],
  projects: [
    {
      ...inProcess,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        `<rootDir>/test/unit/(${OWN_PROJECTS.join('|')})/`,
      ],
      // In memory: a test that opens a socket fails (see the file).
      setupFilesAfterEnv: ['<rootDir>/test/in-memory.cjs'],
    },
    ...OWN_PROJECTS.map((name) => ({
      ...inProcess,
      displayName: name,
      testMatch: [`<rootDir>/test/unit/${name}/**/*.test.ts`],
    })),
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    // The whole end-to-end suite once per Hydra version we support (test/e2e/support/prerequisites.ts
    // reads the version from `globals`): `--selectProjects e2e-v26.2.0` runs one.
    ...HYDRA_VERSIONS.map((version) => ({
      ...common,
      displayName: `e2e-${version}`,
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globals: { HYDRA_VERSION: version },
    })),
  ],
};
