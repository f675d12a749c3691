/**
 * shared/config.ts: the functions' configuration, read from the environment with a ConfigError
 * that names every bad variable at once (a deploy with three mistakes is fixed in one round).
 */
import {
  accountSection,
  ConfigError,
  DEFAULT_AWS_REGION,
  deviceSection,
  loadArgon2Parameters,
  loadConfig,
  loadHydraAdminTarget,
  loadLogLevel,
  loadSections,
  mailSection,
  processConfig,
  sessionsSection,
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
      'HYDRA_ADMIN_URL must be an http(s) URL, got "hydra-admin:4445"',
      'HYDRA_TIMEOUT_MS must be a whole number, got "soon"',
      'USERS_TABLE is required but not set',
      'COOKIE_SECRET must be at least 32 characters (use a random value)',
      'TOKEN_HOOK_API_KEY must be at least 32 characters (use a random value)',
      'COOKIE_SECURE must be true or false, got "yes"',
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

describe('loadSections: a function reads the core and its own sections', () => {
  const BAD_MAIL = { MAIL_MAX_PER_IP: 'many', SIGNUP: 'everyone' };

  test('a section it does not read is neither read nor validated', () => {
    const config = loadSections({ ...REQUIRED, ...BAD_MAIL }, [sessionsSection]);

    expect(config.consentRememberForSeconds).toBe(30 * 24 * 60 * 60);
    expect(config).not.toHaveProperty('mail');
    expect(config).not.toHaveProperty('signUp');
  });

  test('the sections it reads are validated with the core, every problem named at once', () => {
    expect(
      problemsOf(() =>
        loadSections({ ...REQUIRED, ...BAD_MAIL, HYDRA_TIMEOUT_MS: 'soon' }, [
          deviceSection,
          mailSection,
        ]),
      ),
    ).toEqual([
      'HYDRA_TIMEOUT_MS must be a whole number, got "soon"',
      'MAIL_MAX_PER_IP must be a whole number, got "many"',
      'SIGNUP must be off, open or domains:example.com,example.org, got "everyone"',
    ]);
  });

  test('the core alone: what the fixed pages read', () => {
    expect(
      Object.keys(loadSections({ ...REQUIRED, CONSENT_REMEMBER_FOR: 'x' }, [])).sort(),
    ).toEqual([
      'awsRegion',
      'brand',
      'cookieSecure',
      'csrfTtlSeconds',
      'dynamodbEndpoint',
      'hydraAdminUrl',
      'hydraTimeoutMs',
      'publicUrl',
      'secrets',
      'usersTable',
    ]);
  });

  test("a section sees the core's values: the account page's PUBLIC_URL is the one publicUrl", () => {
    const env = {
      ...REQUIRED,
      PUBLIC_URL: 'https://login.example.com/',
      HYDRA_PUBLIC_URL: 'https://auth.example.com',
    };
    const { account, publicUrl } = loadSections(env, [accountSection]);

    expect(account?.publicUrl).toBe('https://login.example.com');
    expect(account?.publicUrl).toBe(publicUrl);
    expect(problemsOf(() => loadConfig({ ...env, PUBLIC_URL: 'login.example.com' }))).toEqual([
      'PUBLIC_URL must be an http(s) URL, got "login.example.com"',
    ]);
  });

  test("processConfig reads this process's environment on first use, then keeps it", () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, REQUIRED, { DEVICE_CODE_MAX_PER_IP: '7' });
      const settings = processConfig(deviceSection);
      expect(settings().device.maxPerIp).toBe(7);
      process.env.DEVICE_CODE_MAX_PER_IP = '8';
      expect(settings().device.maxPerIp).toBe(7);
      expect(processConfig(deviceSection)().device.maxPerIp).toBe(8);
    } finally {
      process.env = saved;
    }
  });
});

describe("loadConfig: Hydra's admin API over https outside the local stage", () => {
  const deployed = { ...REQUIRED, STAGE: 'prod' };

  it('takes an https URL in a deployed stage', () => {
    const config = loadConfig({
      ...deployed,
      HYDRA_ADMIN_URL: 'https://hydra-admin.internal:4445',
    });

    expect(config.hydraAdminUrl).toBe('https://hydra-admin.internal:4445');
  });

  it.each(['http://hydra-admin.internal:4445', 'HTTP://hydra-admin.internal:4445'])(
    'refuses %s in a deployed stage: the admin token would travel in clear',
    (url) => {
      expect(problemsOf(() => loadConfig({ ...deployed, HYDRA_ADMIN_URL: url }))).toEqual([
        'HYDRA_ADMIN_URL must be https outside the local stage (stage "prod"); set HYDRA_ADMIN_ALLOW_HTTP=true only for an admin API reached inside your network',
      ]);
    },
  );

  it('takes http in a deployed stage when HYDRA_ADMIN_ALLOW_HTTP=true says so on purpose', () => {
    const config = loadConfig({
      ...deployed,
      HYDRA_ADMIN_URL: 'http://hydra-admin.internal:4445',
      HYDRA_ADMIN_ALLOW_HTTP: 'true',
    });

    expect(config.hydraAdminUrl).toBe('http://hydra-admin.internal:4445');
  });

  it('still refuses http with HYDRA_ADMIN_ALLOW_HTTP=false', () => {
    expect(
      problemsOf(() =>
        loadConfig({
          ...deployed,
          HYDRA_ADMIN_URL: 'http://hydra-admin.internal:4445',
          HYDRA_ADMIN_ALLOW_HTTP: 'false',
        }),
      ),
    ).toHaveLength(1);
  });

  it('takes http in the local stage, named or not (local runs and tests)', () => {
    expect(loadConfig({ ...REQUIRED, STAGE: 'local' }).hydraAdminUrl).toBe('http://127.0.0.1:4445');
    expect(loadConfig(REQUIRED).hydraAdminUrl).toBe('http://127.0.0.1:4445');
  });

  it('names a HYDRA_ADMIN_ALLOW_HTTP that is not a flag', () => {
    expect(problemsOf(() => loadConfig({ ...deployed, HYDRA_ADMIN_ALLOW_HTTP: 'yes' }))).toEqual(
      expect.arrayContaining(['HYDRA_ADMIN_ALLOW_HTTP must be true or false, got "yes"']),
    );
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

describe('loadConfig: the brand', () => {
  /** The files a test's configuration names, by path; any other path is not there. */
  const files =
    (contents: Record<string, string | Buffer>) =>
    (path: string): Buffer => {
      const content = contents[path];
      if (content === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return Buffer.isBuffer(content) ? content : Buffer.from(content);
    };

  it('is no brand when nothing is set: the pages as they were', () => {
    expect(loadConfig(REQUIRED).brand).toEqual({
      name: undefined,
      logo: undefined,
      colour: undefined,
      support: undefined,
      scopes: {},
      audiences: {},
    });
  });

  it('reads the name, an https logo, the colour and a support URL', () => {
    const brand = loadConfig({
      ...REQUIRED,
      BRAND_NAME: ' Acme Cloud ',
      BRAND_LOGO_URL: 'https://cdn.acme.example/logo.svg',
      BRAND_COLOUR: '#1D4ED8',
      SUPPORT_URL: 'https://help.acme.example/sign-in',
      BRAND_HOME_URL: 'https://acme.example',
    }).brand;

    expect(brand).toMatchObject({
      name: 'Acme Cloud',
      logo: 'https://cdn.acme.example/logo.svg',
      colour: '#1d4ed8',
      support: { href: 'https://help.acme.example/sign-in' },
      home: 'https://acme.example/',
    });
  });

  it('makes SUPPORT_EMAIL a mailto: link', () => {
    expect(loadConfig({ ...REQUIRED, SUPPORT_EMAIL: 'help@acme.example' }).brand.support).toEqual({
      href: 'mailto:help@acme.example',
    });
  });

  it('inlines BRAND_LOGO_FILE as a data: URI of its type', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const brand = loadConfig(
      { ...REQUIRED, BRAND_NAME: 'Acme', BRAND_LOGO_FILE: 'brand/logo.png' },
      files({ 'brand/logo.png': png }),
    ).brand;

    expect(brand.logo).toBe(`data:image/png;base64,${png.toString('base64')}`);
  });

  it('reads scope descriptions and audience names per language from BRAND_FILE', () => {
    const brand = loadConfig(
      { ...REQUIRED, BRAND_FILE: 'brand.json' },
      files({
        'brand.json': JSON.stringify({
          scopes: { 'orders:read': { en: 'See your orders', de: 'Ihre Bestellungen sehen' } },
          audiences: { 'https://api.acme.example': { en: 'Orders API' } },
        }),
      }),
    ).brand;

    expect(brand.scopes['orders:read']).toEqual({
      en: 'See your orders',
      de: 'Ihre Bestellungen sehen',
    });
    expect(brand.audiences['https://api.acme.example']).toEqual({ en: 'Orders API' });
  });

  it('names every bad brand value at once', () => {
    const problems = problemsOf(() =>
      loadConfig(
        {
          ...REQUIRED,
          BRAND_NAME: 'x'.repeat(61),
          BRAND_LOGO_URL: 'http://cdn.acme.example/logo.svg',
          BRAND_COLOUR: 'blue',
          SUPPORT_EMAIL: 'not an address',
          BRAND_HOME_URL: 'javascript:alert(1)',
          BRAND_FILE: 'brand.json',
        },
        files({ 'brand.json': '{"scopes": {"a": {"en": ""}}, "colours": {}}' }),
      ),
    );

    expect(problems).toEqual([
      'BRAND_NAME must be one line of at most 60 characters',
      'BRAND_LOGO_URL must be an https URL, got "http://cdn.acme.example/logo.svg"',
      'BRAND_COLOUR must be a colour as #rrggbb, got "blue"',
      'BRAND_FILE has "colours", which is not "scopes" or "audiences"',
      'BRAND_FILE "scopes" → "a" → "en" must be one line of text of at most 200 characters',
      'SUPPORT_EMAIL must be an email address, got "not an address"',
      'BRAND_HOME_URL must be an https URL, got "javascript:alert(1)"',
    ]);
  });

  it('refuses a colour below WCAG AA, with its ratio', () => {
    expect(problemsOf(() => loadConfig({ ...REQUIRED, BRAND_COLOUR: '#ff0000' }))).toEqual([
      'BRAND_COLOUR has a contrast of 3.66:1 against the page background (#f4f5f7); WCAG AA needs 4.5:1 (choose a darker colour)',
    ]);
  });

  it('refuses two logos, two support contacts, and a logo without a name', () => {
    const problems = problemsOf(() =>
      loadConfig(
        {
          ...REQUIRED,
          BRAND_LOGO_URL: 'https://cdn.acme.example/logo.svg',
          BRAND_LOGO_FILE: 'logo.png',
          SUPPORT_URL: 'https://help.acme.example',
          SUPPORT_EMAIL: 'help@acme.example',
        },
        files({ 'logo.png': 'png' }),
      ),
    );

    expect(problems).toEqual([
      'BRAND_LOGO_FILE cannot be set with BRAND_LOGO_URL (choose one)',
      'BRAND_NAME must be set with a logo (the logo stands beside it)',
      'SUPPORT_EMAIL cannot be set with SUPPORT_URL (choose one)',
    ]);
  });

  it('refuses a logo file that is missing, too large or not an image', () => {
    const load = (path: string) =>
      problemsOf(() =>
        loadConfig(
          { ...REQUIRED, BRAND_NAME: 'Acme', BRAND_LOGO_FILE: path },
          files({ 'big.png': Buffer.alloc(16 * 1024 + 1), 'logo.gif': 'gif' }),
        ),
      );

    expect(load('missing.png')).toEqual([
      'BRAND_LOGO_FILE names a file that cannot be read (ENOENT): "missing.png"',
    ]);
    expect(load('big.png')).toEqual([
      'BRAND_LOGO_FILE is 16385 bytes; at most 16384 (it is inlined in every page)',
    ]);
    expect(load('logo.gif')).toEqual([
      'BRAND_LOGO_FILE must be a png, svg, webp, jpg, jpeg file, got "logo.gif"',
    ]);
  });

  it('refuses a BRAND_FILE that is not JSON, or not texts by language', () => {
    const load = (json: string) =>
      problemsOf(() =>
        loadConfig({ ...REQUIRED, BRAND_FILE: 'brand.json' }, files({ 'brand.json': json })),
      );

    expect(load('{"scopes": ')).toEqual(['BRAND_FILE is not valid JSON']);
    expect(load('[]')).toEqual(['BRAND_FILE must be a JSON object']);
    expect(load('{"scopes": {"a": "Read"}, "audiences": {"b": {"english": "B"}}}')).toEqual([
      'BRAND_FILE "scopes" → "a" must be an object of texts by language, e.g. {"en": "…"}',
      'BRAND_FILE "audiences" → "b" has "english", which is not a language tag',
    ]);
  });

  it('keeps a scope named like an Object property as a scope', () => {
    const brand = loadConfig(
      { ...REQUIRED, BRAND_FILE: 'brand.json' },
      files({
        'brand.json': '{"scopes": {"__proto__": {"en": "Odd"}, "constructor": {"en": "C"}}}',
      }),
    ).brand;

    expect(Object.keys(brand.scopes)).toEqual(['__proto__', 'constructor']);
  });
});

describe('loadConfig: the account page', () => {
  const BOTH = {
    ...REQUIRED,
    PUBLIC_URL: 'https://login.example.com/',
    HYDRA_PUBLIC_URL: 'https://auth.example.com',
  };

  it('is off without HYDRA_PUBLIC_URL, PUBLIC_URL or not (PUBLIC_URL alone is for mail)', () => {
    expect(loadConfig(REQUIRED).account).toBeUndefined();
    expect(
      loadConfig({ ...REQUIRED, PUBLIC_URL: 'https://login.example.com' }).account,
    ).toBeUndefined();
  });

  it('is on with both, with the default client and a 15-minute session', () => {
    expect(loadConfig(BOTH).account).toEqual({
      publicUrl: 'https://login.example.com',
      hydraPublicUrl: 'https://auth.example.com',
      clientId: 'account',
      sessionSeconds: 900,
    });
  });

  it.each([
    ['HYDRA_PUBLIC_URL alone', { HYDRA_PUBLIC_URL: 'https://auth.example.com' }, 'PUBLIC_URL'],
    ['a PUBLIC_URL that is no URL', { ...BOTH, PUBLIC_URL: 'login.example.com' }, 'PUBLIC_URL'],
    [
      'a session under a minute',
      { ...BOTH, ACCOUNT_SESSION_SECONDS: '30' },
      'ACCOUNT_SESSION_SECONDS',
    ],
    ['a client id with a space', { ...BOTH, ACCOUNT_CLIENT_ID: 'my account' }, 'ACCOUNT_CLIENT_ID'],
  ])('refuses %s, naming %s', (_what, env, variable) => {
    expect(() => loadConfig({ ...REQUIRED, ...env })).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([expect.objectContaining({ variable })]) as unknown,
      }) as Error,
    );
  });
});

describe('loadConfig: mail, verification and sign-up', () => {
  const MAIL = {
    ...REQUIRED,
    MAIL_FROM: 'login@example.com',
    PUBLIC_URL: 'https://login.example/',
  };

  it('is off by default: no sender, sign-up off, verification not required', () => {
    const config = loadConfig(REQUIRED);
    expect(config.mail.from).toBeUndefined();
    expect(config.signUp).toEqual({ mode: 'off' });
    expect(config.requireVerifiedEmail).toBe(false);
    expect(config.mail.linkTtlSeconds).toBe(3600);
  });

  it('reads the sender, PUBLIC_URL (without its slash) and SES settings (region: AWS_REGION)', () => {
    const config = loadConfig({ ...MAIL, AWS_REGION: 'eu-west-1', SES_CONFIGURATION_SET: 'login' });
    expect(config.publicUrl).toBe('https://login.example');
    expect(config.mail).toMatchObject({
      from: 'login@example.com',
      sesRegion: 'eu-west-1',
      sesConfigurationSet: 'login',
    });
  });

  it.each([
    ['open', { mode: 'open' }],
    ['OFF', { mode: 'off' }],
    [
      'domains:Example.com, example.org',
      { mode: 'domains', domains: ['example.com', 'example.org'] },
    ],
  ])('reads SIGNUP=%s', (value, policy) => {
    expect(loadConfig({ ...MAIL, SIGNUP: value }).signUp).toEqual(policy);
  });

  it('names every problem at once: a bad SIGNUP, a link longer than an hour, mail without PUBLIC_URL', () => {
    const problems = (() => {
      try {
        loadConfig({
          ...REQUIRED,
          MAIL_FROM: 'login@example.com',
          SIGNUP: 'domains:',
          EMAIL_LINK_TTL_SECONDS: '3601',
        });
      } catch (error) {
        return (error as ConfigError).problems.map((problem) => problem.variable);
      }
      return [];
    })();
    expect(problems.sort()).toEqual(['EMAIL_LINK_TTL_SECONDS', 'PUBLIC_URL', 'SIGNUP']);
  });

  it.each([
    ['SIGNUP', { SIGNUP: 'open' }],
    ['REQUIRE_VERIFIED_EMAIL', { REQUIRE_VERIFIED_EMAIL: 'true' }],
  ])('refuses %s without MAIL_FROM', (_name, env) => {
    expect(() => loadConfig({ ...REQUIRED, ...env })).toThrow(/MAIL_FROM is required/);
  });
});

describe('loadConfig: passkeys', () => {
  const PUBLIC = { ...REQUIRED, PUBLIC_URL: 'https://login.example.com' };

  it('are off unless PASSKEYS is true', () => {
    expect(loadConfig(PUBLIC).passkeys).toBeUndefined();
  });

  it("take PUBLIC_URL's host as the RP ID and its origin, by default", () => {
    expect(loadConfig({ ...PUBLIC, PASSKEYS: 'true', BRAND_NAME: 'Example' }).passkeys).toEqual({
      rpId: 'login.example.com',
      origins: ['https://login.example.com'],
      rpName: 'Example',
    });
  });

  it('take a parent domain as the RP ID, and origins on it', () => {
    const passkeys = loadConfig({
      ...PUBLIC,
      PASSKEYS: 'true',
      PASSKEY_RP_ID: 'example.com',
      PASSKEY_ORIGINS: 'https://login.example.com, https://example.com',
    }).passkeys;
    expect(passkeys).toMatchObject({
      rpId: 'example.com',
      origins: ['https://login.example.com', 'https://example.com'],
      rpName: 'Sign-in',
    });
  });

  it('refuse an IP address as the RP ID, an origin off it, plain http off localhost, a path', () => {
    expect(
      problemsOf(() =>
        loadConfig({
          ...REQUIRED,
          PASSKEYS: 'true',
          PASSKEY_RP_ID: '127.0.0.1',
          PASSKEY_ORIGINS: 'https://127.0.0.1',
        }),
      ),
    ).toEqual(['PASSKEY_RP_ID must be a domain name, got "127.0.0.1"']);
    expect(
      problemsOf(() =>
        loadConfig({
          ...PUBLIC,
          PASSKEYS: 'true',
          PASSKEY_RP_ID: 'example.com',
          PASSKEY_ORIGINS: 'https://evil.test,http://login.example.com,https://example.com/login',
        }),
      ),
    ).toEqual([
      'PASSKEY_ORIGINS "https://evil.test" is not on PASSKEY_RP_ID "example.com"',
      'PASSKEY_ORIGINS must be https origins (scheme and host only), got "http://login.example.com"',
      'PASSKEY_ORIGINS must be https origins (scheme and host only), got "https://example.com/login"',
    ]);
  });

  it('need PUBLIC_URL, or the RP ID and origins', () => {
    expect(problemsOf(() => loadConfig({ ...REQUIRED, PASSKEYS: 'true' }))).toEqual([
      'PUBLIC_URL is required for passkeys (or PASSKEY_RP_ID and PASSKEY_ORIGINS)',
    ]);
    expect(
      loadConfig({ ...REQUIRED, PASSKEYS: 'true', PUBLIC_URL: 'http://localhost:3000' }).passkeys,
    ).toMatchObject({ rpId: 'localhost', origins: ['http://localhost:3000'] });
  });
});
