import { DEFAULT_AWS_REGION, loadConfig, loadLogLevel } from '../../shared/config';

/** The least a function needs to start. */
const REQUIRED = {
  HYDRA_ADMIN_URL: 'http://127.0.0.1:4445',
  USERS_TABLE: 'users',
  COOKIE_SECRET: 'c'.repeat(32),
};

describe('loadConfig: the AWS region', () => {
  it('is AWS_REGION, which Lambda sets', () => {
    expect(loadConfig({ ...REQUIRED, AWS_REGION: 'eu-central-1' }).awsRegion).toBe('eu-central-1');
  });

  it('is the default region when AWS_REGION is not set (local runs)', () => {
    expect(loadConfig(REQUIRED).awsRegion).toBe(DEFAULT_AWS_REGION);
    expect(loadConfig({ ...REQUIRED, AWS_REGION: ' ' }).awsRegion).toBe(DEFAULT_AWS_REGION);
  });
});

describe('loadLogLevel', () => {
  it.each(['debug', 'info', 'warn', 'error'] as const)('reads %s in any case', (level) => {
    expect(loadLogLevel({ LOG_LEVEL: ` ${level.toUpperCase()} ` })).toBe(level);
  });

  it.each([undefined, '', 'verbose', 'trace'])(
    'is info for LOG_LEVEL=%p, so that the log still works with a wrong value',
    (value) => {
      expect(loadLogLevel({ LOG_LEVEL: value })).toBe('info');
    },
  );

  it('needs none of the other variables', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'warn' })).toThrow('configuration');
    expect(loadLogLevel({ LOG_LEVEL: 'warn' })).toBe('warn');
  });
});
