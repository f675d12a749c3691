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

module.exports = {
  reporters: ['default', '<rootDir>/test/summary-reporter.cjs'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
