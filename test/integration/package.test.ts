/**
 * `serverless package --stage prod`, then what would be uploaded: one zip per function with its
 * minified bundle (without @ory/hydra-client, whose models type the Hydra adapter, or its axios),
 * @node-rs/argon2 with exactly the linux-arm64-gnu binding where it is used (the host's x64
 * binding would fail on Lambda only at the first sign-in), and the CloudFormation template's
 * table and IAM settings.
 *
 * The service is packaged from a copy of the repository (scripts/lib/package.ts), once for the
 * package and template tests while nothing it reads changes (./support/packaged.ts).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { lambdaContext } from '../../scripts/lib/lambda-events';
import { REPO_ROOT } from '../../scripts/lib/paths';
import { BUILT_IN_LOCALES, CATALOG_DIR } from '../../shared/i18n/languages';
import type { WebResponse } from '../../shared/http/response';
import { event } from '../unit/support/events';
import { packagedStage } from './support/packaged';
import { openZip, type ZipArchive } from '../../scripts/lib/zip';

const FUNCTIONS = [
  'loginGet',
  'loginPost',
  'secondFactorGet',
  'secondFactorPost',
  'passkeyPost',
  'consentGet',
  'consentPost',
  'logoutGet',
  'logoutPost',
  'error',
  'signedOut',
  'deviceGet',
  'devicePost',
  'deviceDone',
  'tokenHook',
  'health',
  'accountGet',
  'accountCallback',
  'accountPost',
  'accountPasskeyPost',
  'accountAuthenticatorGet',
  'accountAuthenticatorPost',
  'recoveryGet',
  'recoveryPost',
  'resetGet',
  'resetPost',
  'signUpGet',
  'signUpPost',
  'signUpCompleteGet',
  'signUpCompletePost',
  'verifyGet',
  'verifyPost',
  'verifySend',
];
// GET /login's, GET /account's and the mailed links' GET pages only read: no argon2 in their packages.
const ARGON2_FUNCTIONS = [
  'loginPost',
  'accountPost',
  'accountAuthenticatorPost',
  'resetPost',
  'signUpCompletePost',
];
const ARGON2_DIR = 'node_modules/@node-rs/argon2/';
const BINDING_DIR = 'node_modules/@node-rs/argon2-linux-arm64-gnu/';
const BINDING = `${BINDING_DIR}argon2.linux-arm64-gnu.node`;
/** serverless.yml's secrets for the local stage: they must not reach a deployable package. */
const LOCAL_COOKIE_SECRET = 'local-development-only-cookie-secret-not-for-deploys';
const LOCAL_TOKEN_HOOK_KEY = 'local-development-only-token-hook-key-not-for-deploys';

type Template = {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> } & object>;
};

let packageDir: string;
let template: Template;
const zips = new Map<string, ZipArchive>();

beforeAll(async () => {
  packageDir = await packagedStage({ stage: 'prod' });

  template = JSON.parse(
    readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  for (const name of FUNCTIONS) zips.set(name, openZip(join(packageDir, `${name}.zip`)));
}, 240_000);

function zipOf(name: string): ZipArchive {
  const zip = zips.get(name);
  if (!zip) throw new Error(`no zip for ${name}`);
  return zip;
}

function resourcesOfType(type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

function functionResource(name: string) {
  const found = resourcesOfType('AWS::Lambda::Function').find(
    ([, resource]) => resource.Properties.FunctionName === `hydra-login-consent-prod-${name}`,
  );
  if (!found) throw new Error(`no function ${name} in the template`);
  return found[1].Properties;
}

/** functions/login-post.handler → functions/login-post.js */
function handlerFile(name: string): string {
  const handler = String(functionResource(name).Handler);
  return `${handler.slice(0, handler.lastIndexOf('.'))}.js`;
}

function nativeBindings(zip: ZipArchive): string[] {
  return zip.entries.map((entry) => entry.name).filter((name) => name.endsWith('.node'));
}

describe('serverless package --stage prod: the zips', () => {
  it('makes exactly one zip per function', () => {
    const made = readdirSync(packageDir).filter((file) => file.endsWith('.zip'));

    expect(made.sort()).toEqual(FUNCTIONS.map((name) => `${name}.zip`).sort());
    for (const name of FUNCTIONS) {
      const code = functionResource(name).Code as { S3Key: string };
      expect(code.S3Key.endsWith(`/${name}.zip`)).toBe(true);
    }
  });

  it.each(FUNCTIONS)('puts the minified handler bundle of %s in its zip', (name) => {
    const zip = zipOf(name);
    const file = handlerFile(name);

    const bundle = zip.read(file).toString('utf8');

    // Minified: long lines, and none of the `// shared/…` module comments of a plain bundle.
    const lines = bundle.split('\n');
    expect(lines[0]?.startsWith('"use strict";')).toBe(true);
    expect(Math.max(...lines.map((line) => line.length))).toBeGreaterThan(5000);
    expect(bundle.length / lines.length).toBeGreaterThan(150);
    expect(bundle).not.toMatch(/^\/\/ (shared|functions)\//m);
    expect(bundle).toMatch(/handler:\(\)=>/);
    expect(bundle).toContain('module.exports');
    expect(bundle).toContain(`//# sourceMappingURL=${basename(file)}.map`);
  });

  it.each(FUNCTIONS)(
    'bundles neither @ory/hydra-client nor its axios into %s: the models are types only',
    (name) => {
      const map = JSON.parse(
        zipOf(name)
          .read(`${handlerFile(name)}.map`)
          .toString('utf8'),
      ) as {
        sources: string[];
      };

      expect(map.sources).toEqual(expect.arrayContaining([expect.stringMatching(/shared\//)]));
      expect(
        map.sources.filter((source) => /node_modules\/(@ory\/hydra-client|axios)\//.test(source)),
      ).toEqual([]);
    },
  );

  it.each(FUNCTIONS)(
    'ships only its bundle and source map in %s, plus the catalogs, the passkey script, and argon2 where it is used',
    (name) => {
      const file = handlerFile(name);
      const allowed = (entry: string) =>
        entry === file ||
        entry === `${file}.map` ||
        /^shared\/i18n\/catalogs\/[a-zA-Z-]+\.json$/.test(entry) ||
        entry === 'browser/passkey.js' ||
        entry.startsWith(ARGON2_DIR) ||
        entry.startsWith(BINDING_DIR);

      const names = zipOf(name).entries.map((entry) => entry.name);

      expect(names.filter((entry) => !allowed(entry))).toEqual([]);
      const ours = names.filter((entry) => !entry.startsWith('node_modules/'));
      expect(ours.filter((entry) => /\.ts$|serverless\.yml|\.env|\.data\//.test(entry))).toEqual(
        [],
      );
    },
  );

  it.each(ARGON2_FUNCTIONS)(
    'ships @node-rs/argon2 in %s with the linux-arm64-gnu binding and no other platform',
    (name) => {
      const zip = zipOf(name);
      const names = zip.entries.map((entry) => entry.name);

      expect(names).toEqual(
        expect.arrayContaining([`${ARGON2_DIR}package.json`, `${ARGON2_DIR}index.js`]),
      );
      expect(nativeBindings(zip)).toEqual([BINDING]);
      expect(names.filter((entry) => /@node-rs\/argon2-(?!linux-arm64-gnu\/)/.test(entry))).toEqual(
        [],
      );
      // The bundle loads argon2 from the zip's node_modules instead of inlining it.
      expect(zip.read(handlerFile(name)).toString('utf8')).toContain('require("@node-rs/argon2")');
    },
  );

  it.each(ARGON2_FUNCTIONS)(
    'ships in %s an ELF AArch64 binding of the same version as @node-rs/argon2',
    (name) => {
      const zip = zipOf(name);

      const binary = zip.read(BINDING);
      const binding = JSON.parse(zip.read(`${BINDING_DIR}package.json`).toString('utf8')) as {
        version: string;
        os: string[];
        cpu: string[];
        libc: string[];
      };
      const loader = JSON.parse(zip.read(`${ARGON2_DIR}package.json`).toString('utf8')) as {
        version: string;
      };

      expect(binary.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(binary[4]).toBe(2); // 64-bit
      expect(binary.readUInt16LE(18)).toBe(183); // e_machine EM_AARCH64 (x86-64 would be 62)
      expect(binding).toMatchObject({ os: ['linux'], cpu: ['arm64'], libc: ['glibc'] });
      expect(binding.version).toBe(loader.version);
    },
  );

  it.each(FUNCTIONS.filter((name) => !ARGON2_FUNCTIONS.includes(name)))(
    'does not carry argon2 in %s, which never hashes a password',
    (name) => {
      const zip = zipOf(name);

      expect(zip.entries.filter((entry) => entry.name.startsWith('node_modules/'))).toEqual([]);
      expect(nativeBindings(zip)).toEqual([]);
      expect(zip.read(handlerFile(name)).toString('utf8')).not.toContain('@node-rs/argon2');
    },
  );
});

describe('serverless package --stage prod: the catalogs', () => {
  const CATALOG_FILES = BUILT_IN_LOCALES.map((locale) => `${CATALOG_DIR}/${locale}.json`);

  it.each(FUNCTIONS)(
    'puts every catalog but English beside the handler of %s, as the repository has it',
    (name) => {
      const zip = zipOf(name);

      const packaged = zip.entries
        .map((entry) => entry.name)
        .filter((entry) => entry.endsWith('.json') && entry.startsWith('shared/'));
      expect(packaged.sort()).toEqual([...CATALOG_FILES].sort());
      for (const file of CATALOG_FILES) {
        expect(zip.read(file).equals(readFileSync(join(REPO_ROOT, file)))).toBe(true);
      }
      // Read on demand, not bundled: no German in the bundle.
      expect(zip.read(handlerFile(name)).toString('utf8')).not.toContain('Datenschutzerklärung');
    },
  );

  it('serves an Arabic page from the unpacked zip, reading its catalog from the package (LAMBDA_TASK_ROOT)', async () => {
    const zip = zipOf('signedOut');
    const workDir = mkdtempSync(join(tmpdir(), 'hlc-package-'));
    const taskRoot = join(workDir, 'task-signed-out');
    for (const entry of zip.entries) {
      if (entry.name.endsWith('/')) continue;
      mkdirSync(dirname(join(taskRoot, entry.name)), { recursive: true });
      writeFileSync(join(taskRoot, entry.name), zip.read(entry.name));
    }
    const saved = { ...process.env };
    Object.assign(process.env, {
      LAMBDA_TASK_ROOT: taskRoot,
      HYDRA_ADMIN_URL: 'https://hydra-admin.example',
      USERS_TABLE: 'users',
      COOKIE_SECRET: 'a-cookie-secret-of-at-least-32-characters',
      LOG_LEVEL: 'error',
    });
    delete process.env.IS_OFFLINE;
    // A working directory without catalogs: only LAMBDA_TASK_ROOT leads to them.
    const cwd = process.cwd();
    process.chdir(workDir);
    try {
      const { handler } = (await import(join(taskRoot, handlerFile('signedOut')))) as {
        handler: (event: unknown, context: unknown) => Promise<WebResponse>;
      };
      const response = await handler(
        event({ path: '/signed-out', headers: { 'accept-language': 'ar' } }),
        lambdaContext('signedOut'),
      );

      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<html lang="ar" dir="rtl">');
      expect(response.body).toContain('سجّلت الخروج');
    } finally {
      process.chdir(cwd);
      process.env = saved;
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});

describe('serverless package --stage prod: the CloudFormation template', () => {
  it('declares the users table on demand, with point-in-time recovery, SSE and deletion protection', () => {
    const table = template.Resources.UsersTable as unknown as {
      Type: string;
      DeletionPolicy: string;
      Properties: Record<string, unknown>;
    };

    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      TableName: 'hydra-login-consent-prod-users',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('limits every DynamoDB permission to the users table ARN, without wildcards', () => {
    type Statement = { Effect: string; Action: string[] | string; Resource: unknown };
    const statements = resourcesOfType('AWS::IAM::Role').flatMap(([, role]) =>
      (
        (role.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>
      ).flatMap((policy) => policy.PolicyDocument.Statement),
    );
    const actionsOf = (statement: Statement) =>
      Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    const dynamo = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    );

    expect(dynamo.length).toBeGreaterThan(0);
    for (const statement of dynamo) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': ['UsersTable', 'Arn'] });
      for (const action of actionsOf(statement)) {
        expect([
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ]).toContain(action);
      }
    }
    for (const statement of statements) {
      expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"/);
      for (const action of actionsOf(statement)) expect(action).not.toMatch(/\*/);
    }
  });

  it('writes a JSON access log for the HTTP API that never holds a query string or raw path', () => {
    const [stage] = resourcesOfType('AWS::ApiGatewayV2::Stage');
    const settings = stage?.[1].Properties.AccessLogSettings as
      { DestinationArn: unknown; Format: string } | undefined;

    expect(settings?.DestinationArn).toBeDefined();
    const format = JSON.parse(settings?.Format ?? '') as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      route: '$context.routeKey',
      status: '$context.status',
      sourceIp: '$context.identity.sourceIp',
    });
    expect(settings?.Format).not.toMatch(/querystring|\$context\.path|requestUri|\$request/i);
  });

  it('runs every function on nodejs22.x arm64 with only the name of its secret, no secret value or reference', () => {
    for (const name of FUNCTIONS) {
      const properties = functionResource(name);
      const variables = (properties.Environment as { Variables: Record<string, string> }).Variables;

      expect(properties.Runtime).toBe('nodejs22.x');
      expect(properties.Architectures).toEqual(['arm64']);
      expect(variables.APP_SECRET_ID).toBe('hydra-login-consent/prod');
      for (const secret of ['COOKIE_SECRET', 'HYDRA_ADMIN_TOKEN', 'PASSWORD_PEPPER']) {
        expect(variables[secret]).toBe('');
      }
      expect(JSON.stringify(variables)).not.toMatch(/resolve:secretsmanager|resolve:ssm-secure/);
      expect(variables.DYNAMODB_ENDPOINT).toBe('');
      expect(variables.USERS_TABLE).toBe('hydra-login-consent-prod-users');
      // The maps are in the zip, for `npm run stack`; Node does not read them on a cold start.
      expect(variables.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
    }
    const template = readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'));
    for (const secret of [LOCAL_COOKIE_SECRET, LOCAL_TOKEN_HOOK_KEY]) {
      expect(template.includes(secret)).toBe(false);
      for (const name of FUNCTIONS) {
        const zip = zipOf(name);
        for (const entry of zip.entries) expect(zip.read(entry.name).includes(secret)).toBe(false);
      }
    }
  });

  it('gives no function the token hook key: the token hook reads it from the secret, at 512 MB', () => {
    const variablesOf = (name: string) =>
      (functionResource(name).Environment as { Variables: Record<string, string> }).Variables;

    expect(variablesOf('tokenHook').TOKEN_HOOK_API_KEY).toBe('');
    expect(functionResource('tokenHook').MemorySize).toBe(512);
    for (const name of FUNCTIONS.filter((other) => other !== 'tokenHook')) {
      expect(variablesOf(name)).not.toHaveProperty('TOKEN_HOOK_API_KEY');
    }
  });
});
