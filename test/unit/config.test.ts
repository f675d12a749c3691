/**
 * shared/config.ts: the functions' configuration, read from the environment with a ConfigError
 * that names every bad variable at once (a deploy with three mistakes is fixed in one round).
 */
import {
  ConfigError,
  DEFAULT_AWS_REGION,
  loadArgon2Parameters,
  loadConfig,
  loadHydraAdminTarget,
  loadLogLevel,
  USER_CODE_PRESETS,
} from '../../shared/config';

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

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError)
      return error.problems.map((p) => `${p.variable} ${p.problem}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: problems', () => {
  test('a valid environment: its values, and the defaults for the rest', () => {
    const config = loadConfig({
      ...REQUIRED,
      HYDRA_ADMIN_URL: 'https://hydra-admin.internal:4445/',
    });

    expect(config.hydraAdminUrl).toBe('https://hydra-admin.internal:4445');
    expect(config.usersTable).toBe('users');
    expect(config.cookieSecure).toBe(true);
    expect(config.hydraTimeoutMs).toBe(3000);
  });

  test('lists every bad variable at once, each with what is wrong with it', () => {
    const problems = problemsOf(() =>
      loadConfig({
        HYDRA_ADMIN_URL: 'hydra-admin:4445',
        COOKIE_SECRET: 'short',
        HYDRA_TIMEOUT_MS: 'soon',
        COOKIE_SECURE: 'yes',
        TOKEN_HOOK_API_KEY: 'tiny',
      }),
    );

    expect(problems).toEqual([
      'COOKIE_SECRET must be at least 32 characters (use a random value)',
      'HYDRA_ADMIN_URL must be an http(s) URL, got "hydra-admin:4445"',
      'HYDRA_TIMEOUT_MS must be a whole number, got "soon"',
      'USERS_TABLE is required but not set',
      'COOKIE_SECURE must be true or false, got "yes"',
      'TOKEN_HOOK_API_KEY must be at least 32 characters (use a random value)',
    ]);
  });

  test('the message names each problem too, for the log line', () => {
    expect(() => loadConfig({ ...REQUIRED, USERS_TABLE: '', LOGIN_REMEMBER_FOR: '-1' })).toThrow(
      'configuration: USERS_TABLE is required but not set; LOGIN_REMEMBER_FOR must be a whole number, got "-1"',
    );
  });

  test('a missing COOKIE_SECRET is one problem, not also a short one', () => {
    expect(problemsOf(() => loadConfig({ ...REQUIRED, COOKIE_SECRET: ' ' }))).toEqual([
      'COOKIE_SECRET is required but not set',
    ]);
  });

  test('a number out of range names the range', () => {
    expect(problemsOf(() => loadConfig({ ...REQUIRED, HYDRA_TIMEOUT_MS: '50' }))).toEqual([
      'HYDRA_TIMEOUT_MS must be between 100 and 20000, got 50',
    ]);
  });
});

describe('the partial loaders of the users CLI', () => {
  test('argon2 parameters below the floor are refused together', () => {
    expect(
      problemsOf(() => loadArgon2Parameters({ ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' })),
    ).toEqual([
      'ARGON2_MEMORY_KIB must be between 19456 and 1048576, got 1024',
      'ARGON2_TIME_COST must be between 2 and 20, got 1',
    ]);
  });

  test('no HYDRA_ADMIN_URL is no target; a bad one is a problem', () => {
    expect(loadHydraAdminTarget({})).toBeUndefined();
    expect(problemsOf(() => loadHydraAdminTarget({ HYDRA_ADMIN_URL: 'ftp://hydra' }))).toEqual([
      'HYDRA_ADMIN_URL must be an http(s) URL, got "ftp://hydra"',
    ]);
  });
});

describe('loadConfig: device user codes', () => {
  const characters = (value?: string) =>
    loadConfig({ ...REQUIRED, DEVICE_USER_CODE_CHARACTERS: value }).device.userCodeCharacters;

  it("is Hydra's default alphabet (the high preset) when not set", () => {
    expect(characters()).toBe(USER_CODE_PRESETS.high);
  });

  it("takes Hydra's preset names, in any case", () => {
    expect(characters('medium')).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    expect(characters('LOW')).toBe('0123456789');
  });

  it("takes the characters of Hydra's user_code.character_set", () => {
    expect(characters('BCDFGHJKLMNPQRSTVWXZ')).toBe('BCDFGHJKLMNPQRSTVWXZ');
  });

  it.each([
    ['constructor', 'a name that is no preset, read as characters (o twice)'],
    ['AB CD', 'a space'],
    ['AA', 'a character twice'],
    ['A', 'one character'],
  ])('refuses %j (%s), naming the variable', (value) => {
    expect(() => characters(value)).toThrow('DEVICE_USER_CODE_CHARACTERS');
  });

  it('limits codes per source IP and per challenge, 20 and 5 by default', () => {
    expect(loadConfig(REQUIRED).device).toMatchObject({ maxPerIp: 20, maxPerChallenge: 5 });
    expect(
      loadConfig({ ...REQUIRED, DEVICE_CODE_MAX_PER_IP: '7', DEVICE_CODE_MAX_PER_CHALLENGE: '2' })
        .device,
    ).toMatchObject({ maxPerIp: 7, maxPerChallenge: 2 });
    expect(() => loadConfig({ ...REQUIRED, DEVICE_CODE_MAX_PER_CHALLENGE: '0' })).toThrow(
      'DEVICE_CODE_MAX_PER_CHALLENGE',
    );
  });
});

describe('loadConfig: the keys of second factors', () => {
  const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

  it('has none without FACTOR_KEY', () => {
    expect(loadConfig(REQUIRED).factorKeys).toBeUndefined();
  });

  it('reads FACTOR_KEY and FACTOR_PREVIOUS_KEYS as 32-byte keys', () => {
    const { factorKeys } = loadConfig({
      ...REQUIRED,
      FACTOR_KEY: key(1),
      FACTOR_PREVIOUS_KEYS: `${key(2)}, ${key(3)}`,
    });

    expect(factorKeys?.current).toEqual(Buffer.alloc(32, 1));
    expect(factorKeys?.previous).toEqual([Buffer.alloc(32, 2), Buffer.alloc(32, 3)]);
  });

  it.each([
    ['FACTOR_KEY', Buffer.alloc(16, 1).toString('base64')],
    ['FACTOR_KEY', 'not base64 at all, but long enough to look like a key'],
    ['FACTOR_PREVIOUS_KEYS', 'short'],
  ])('refuses %s=%p, naming it', (name, value) => {
    expect(() => loadConfig({ ...REQUIRED, FACTOR_KEY: key(1), [name]: value })).toThrow(
      new RegExp(`configuration: ${name} must be 32 bytes in base64`),
    );
  });

  it('refuses previous keys without a current one', () => {
    expect(() => loadConfig({ ...REQUIRED, FACTOR_PREVIOUS_KEYS: key(2) })).toThrow(
      /FACTOR_PREVIOUS_KEYS needs FACTOR_KEY/,
    );
  });
});

describe('loadConfig: how long sign-ins last, and their acr', () => {
  it('keeps a ticked sign-in 30 days and an unticked one at most a day by default; the levels are aal1 and aal2', () => {
    const config = loadConfig(REQUIRED);

    expect(config.loginRememberForSeconds).toBe(30 * 24 * 3600);
    expect(config.loginBrowserSessionMaxSeconds).toBe(24 * 3600);
    expect(config.acrLevels).toEqual({ password: 'aal1', secondFactor: 'aal2' });
  });

  it('reads ACR_SECOND_FACTOR, and refuses it equal to ACR_PASSWORD', () => {
    expect(loadConfig({ ...REQUIRED, ACR_SECOND_FACTOR: 'urn:example:loa:2' }).acrLevels).toEqual({
      password: 'aal1',
      secondFactor: 'urn:example:loa:2',
    });
    expect(() => loadConfig({ ...REQUIRED, ACR_SECOND_FACTOR: 'aal1' })).toThrow(
      /ACR_SECOND_FACTOR must differ from ACR_PASSWORD/,
    );
  });

  it('reads LOGIN_BROWSER_SESSION_MAX and ACR_PASSWORD', () => {
    const config = loadConfig({
      ...REQUIRED,
      LOGIN_BROWSER_SESSION_MAX: '7200',
      ACR_PASSWORD: 'urn:example:loa:1',
    });

    expect(config.loginBrowserSessionMaxSeconds).toBe(7200);
    expect(config.acrLevels.password).toBe('urn:example:loa:1');
  });

  it.each([
    // 0 is a browser-session cookie on Hydra v2 but 30 days on v25.4+: never sent.
    ['LOGIN_REMEMBER_FOR', '0', 'between 60 and'],
    ['LOGIN_BROWSER_SESSION_MAX', '0', 'between 60 and'],
    ['LOGIN_BROWSER_SESSION_MAX', '1h', 'whole number'],
    ['ACR_PASSWORD', 'level one', 'without spaces'],
    ['ACR_PASSWORD', 'niveau-été', 'printable ASCII'],
  ])('refuses %s=%p, naming it', (name, value, problem) => {
    expect(() => loadConfig({ ...REQUIRED, [name]: value })).toThrow(
      new RegExp(`configuration: ${name} .*${problem}`),
    );
  });
});
