/**
 * The packaged CloudFormation templates, read as a careful AWS reviewer would: a prod stage with
 * the defaults, and a dev stage with every optional part on (a VPC, an existing users table,
 * customer managed KMS keys, an alarm topic, a custom domain). Both pass cfn-lint (with the
 * cfn-lint-serverless rules) and checkov with no finding left: every suppression is in code with
 * its reason (test/templates/cfnlintrc.yaml, and checkov's `Metadata` in serverless.yml and
 * scripts/serverless-operations.cjs). So does the template of the README's WAF guide. Each function's role holds exactly the statements its
 * code needs, and no function's environment holds a secret or a reference to one.
 *
 * The tools come from the project-local virtualenv of scripts/template-checks-venv.sh (.ci/run
 * makes it); the packages are shared with package.test.ts (./support/packaged.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../scripts/lib/paths';
import {
  packagedStage,
  templateOf,
  type CloudFormationResource,
  type CloudFormationTemplate,
} from './support/packaged';

const run = promisify(execFile);

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
  'signedOut',
  'error',
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
  'verifySend',
  'verifyPost',
] as const;
type FunctionName = (typeof FUNCTIONS)[number];

/** The dev stage: every optional part of the stack on. */
const ACCOUNT = '123456789012';
const DEV_PARAMS = {
  vpc: 'true',
  vpcSubnetIds: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210',
  vpcSecurityGroupIds: 'sg-0123456789abcdef0',
  existingUsersTable: 'hydra-login-consent-dev-users',
  tableKmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`,
  logsKmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/22222222-2222-2222-2222-222222222222`,
  secretsKmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/33333333-3333-3333-3333-333333333333`,
  alarmTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:hydra-login-consent-alarms`,
  domainName: 'login.example.com',
  certificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/44444444-4444-4444-4444-444444444444`,
};

/** The stage's secret, as every role that reads it may (Secrets Manager adds a suffix). */
const STAGE_SECRET = {
  Effect: 'Allow',
  Action: ['secretsmanager:GetSecretValue'],
  Resource: {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':secretsmanager:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ':secret:hydra-login-consent/prod-*',
      ],
    ],
  },
};

/** The fixed pages: no secret (nothing signed), no table. */
const SECRETLESS: readonly string[] = ['signedOut', 'error', 'deviceDone'];

/** The functions that send mail (SES v2 SendEmail). */
const MAIL_FUNCTIONS: readonly string[] = [
  'recoveryPost',
  'resetPost',
  'signUpPost',
  'verifySend',
  'verifyPost',
  'accountPost',
];

/** What each function's code calls on the users table: action → key prefixes (LeadingKeys). */
const TABLE_ACCESS: Record<FunctionName, Record<string, string[]>> = {
  loginGet: { GetItem: ['user#*', 'email#*', 'login#*', 'factors#*'], UpdateItem: ['user#*'] },
  loginPost: {
    GetItem: ['email#*', 'user#*', 'login#*', 'factors#*'],
    UpdateItem: ['email#*', 'user#*', 'login#*', 'throttle#*'],
    DeleteItem: ['throttle#*'],
  },
  secondFactorGet: {},
  secondFactorPost: {
    GetItem: ['user#*', 'email#*', 'factors#*', 'login#*'],
    UpdateItem: ['user#*', 'factors#*', 'login#*', 'throttle#*'],
    DeleteItem: ['throttle#*'],
  },
  passkeyPost: {
    GetItem: ['user#*', 'email#*', 'factors#*', 'login#*'],
    UpdateItem: ['user#*', 'factors#*', 'login#*'],
  },
  consentGet: {},
  consentPost: {},
  logoutGet: { GetItem: ['user#*', 'email#*'], UpdateItem: ['user#*'] },
  logoutPost: {},
  signedOut: {},
  error: {},
  deviceGet: {},
  devicePost: { UpdateItem: ['throttle#*'] },
  deviceDone: {},
  tokenHook: { GetItem: ['user#*', 'email#*'], UpdateItem: ['user#*'] },
  health: { GetItem: ['health#probe'] },
  accountGet: { GetItem: ['user#*', 'email#*', 'factors#*'], UpdateItem: ['user#*'] },
  accountCallback: {},
  accountPost: {
    GetItem: ['user#*', 'email#*', 'factors#*'],
    UpdateItem: ['user#*', 'email#*', 'throttle#*', 'token#*'],
    DeleteItem: ['throttle#*'],
  },
  accountPasskeyPost: {
    GetItem: ['user#*', 'email#*', 'factors#*'],
    UpdateItem: ['user#*', 'factors#*'],
  },
  accountAuthenticatorGet: { GetItem: ['user#*', 'email#*', 'factors#*'], UpdateItem: ['user#*'] },
  accountAuthenticatorPost: {
    GetItem: ['user#*', 'email#*', 'factors#*'],
    UpdateItem: ['user#*', 'email#*', 'factors#*', 'throttle#*'],
    DeleteItem: ['factors#*', 'throttle#*'],
  },
  recoveryGet: {},
  recoveryPost: { GetItem: ['email#*'], UpdateItem: ['throttle#*', 'token#*'] },
  resetGet: { GetItem: ['token#*'] },
  resetPost: {
    GetItem: ['token#*', 'user#*', 'email#*'],
    UpdateItem: ['token#*', 'user#*', 'email#*'],
  },
  signUpGet: {},
  signUpPost: { GetItem: ['email#*'], UpdateItem: ['throttle#*', 'token#*'] },
  signUpCompleteGet: { GetItem: ['token#*'] },
  signUpCompletePost: {
    GetItem: ['token#*', 'email#*'],
    UpdateItem: ['token#*'],
    PutItem: ['email#*', 'user#*'],
  },
  verifyGet: { GetItem: ['token#*'] },
  verifySend: { GetItem: ['user#*', 'email#*'], UpdateItem: ['throttle#*', 'token#*'] },
  verifyPost: {
    GetItem: ['token#*', 'user#*', 'email#*'],
    UpdateItem: ['token#*', 'user#*', 'email#*'],
    DeleteItem: ['email#*'],
  },
};

/** The variables that would hold a secret's value: outside the local stage, none has one. */
const SECRET_VARIABLES = [
  'COOKIE_SECRET',
  'COOKIE_SECRET_PREVIOUS',
  'HYDRA_ADMIN_TOKEN',
  'PASSWORD_PEPPER',
  'TOKEN_HOOK_API_KEY',
];

interface Statement {
  Effect: string;
  Action: string[] | string;
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const VENV_BIN = join(REPO_ROOT, '.cache', 'venv', 'template-checks', 'bin');
const TEMPLATE = 'cloudformation-template-update-stack.json';

const packages: Record<'prod' | 'dev', string> = { prod: '', dev: '' };
const templates: Partial<Record<'prod' | 'dev', CloudFormationTemplate>> = {};

beforeAll(async () => {
  if (!existsSync(join(VENV_BIN, 'checkov'))) {
    throw new Error(
      `no template checks at ${VENV_BIN}: run scripts/template-checks-venv.sh (.ci/run does)`,
    );
  }
  // One after the other: each packaging uses both cores for a while.
  packages.prod = await packagedStage({ stage: 'prod' });
  packages.dev = await packagedStage({ stage: 'dev', params: DEV_PARAMS });
  templates.prod = templateOf(packages.prod);
  templates.dev = templateOf(packages.dev);
}, 480_000);

function template(stage: 'prod' | 'dev'): CloudFormationTemplate {
  const found = templates[stage];
  if (!found) throw new Error(`no ${stage} template`);
  return found;
}

function resourcesOfType(stage: 'prod' | 'dev', type: string): [string, CloudFormationResource][] {
  return Object.entries(template(stage).Resources).filter(([, resource]) => resource.Type === type);
}

function functionOf(stage: 'prod' | 'dev', name: FunctionName): CloudFormationResource {
  const found = resourcesOfType(stage, 'AWS::Lambda::Function').find(
    ([, resource]) => resource.Properties.FunctionName === `hydra-login-consent-${stage}-${name}`,
  );
  if (!found) throw new Error(`no function ${name} in the ${stage} template`);
  return found[1];
}

function roleOf(stage: 'prod' | 'dev', name: FunctionName): CloudFormationResource {
  const role = functionOf(stage, name).Properties.Role as { 'Fn::GetAtt': [string, string] };
  const resource = template(stage).Resources[role['Fn::GetAtt'][0]];
  if (!resource) throw new Error(`no role for ${name}`);
  return resource;
}

function statementsOf(role: CloudFormationResource): Statement[] {
  const policies = (role.Properties.Policies ?? []) as Array<{
    PolicyDocument: { Statement: Statement[] };
  }>;
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

const actionsOf = (statement: Statement) => [statement.Action].flat();

describe.each(['prod', 'dev'] as const)('the packaged %s template', (stage) => {
  it('passes cfn-lint with the cfn-lint-serverless rules', async () => {
    const findings = await cfnLint(join(packages[stage], TEMPLATE));

    expect(findings).toEqual([]);
  }, 120_000);

  it('passes checkov, every skipped check with its reason', async () => {
    const { failed, skipped } = await checkov(join(packages[stage], TEMPLATE));

    expect(failed).toEqual([]);
    expect(skipped.length).toBeGreaterThan(0);
    for (const check of skipped) expect(check.reason.length).toBeGreaterThan(20);
  }, 180_000);
});

describe('the template of the WAF guide (docs/edge/cloudfront-waf.yml: CloudFront and AWS WAF)', () => {
  const file = join(REPO_ROOT, 'docs', 'edge', 'cloudfront-waf.yml');

  it('passes cfn-lint with the cfn-lint-serverless rules', async () => {
    expect(await cfnLint(file)).toEqual([]);
  }, 120_000);

  it('passes checkov, every skipped check with its reason', async () => {
    const { failed, skipped } = await checkov(file);

    expect(failed).toEqual([]);
    for (const check of skipped) expect(check.reason.length).toBeGreaterThan(20);
  }, 180_000);
});

describe('least privilege: one role per function, with exactly the statements its code needs', () => {
  it.each(FUNCTIONS)('gives %s a role of its own', (name) => {
    const roles = FUNCTIONS.map((other) =>
      JSON.stringify(functionOf('prod', other).Properties.Role),
    );

    expect(
      roles.filter((role) => role === JSON.stringify(functionOf('prod', name).Properties.Role)),
    ).toHaveLength(1);
  });

  it.each(FUNCTIONS)(
    'lets %s write its own logs, read the stage secret, and call only its table actions (and SES where it mails)',
    (name) => {
      const statements = statementsOf(roleOf('prod', name));
      const [logs, ...others] = statements;
      const reads = (statement: (typeof statements)[number]) =>
        actionsOf(statement).includes('secretsmanager:GetSecretValue');
      const secrets = others.filter(reads);
      const rest = others.filter((statement) => !reads(statement));
      // The fixed pages read no secret; every other function reads the stage's, and only it.
      expect(secrets).toEqual(SECRETLESS.includes(name) ? [] : [STAGE_SECRET]);
      const mail = rest.filter((statement) => actionsOf(statement).includes('ses:SendEmail'));
      const table = rest.filter((statement) => !mail.includes(statement));
      // Mail: SendEmail from the sending identity with the configuration set, nothing else.
      expect(mail.map((statement) => actionsOf(statement))).toEqual(
        MAIL_FUNCTIONS.includes(name) ? [['ses:SendEmail']] : [],
      );
      for (const statement of mail) {
        const resources = JSON.stringify(statement.Resource);
        expect(resources).toContain(':ses:');
        expect(resources).toContain(':identity/');
        expect(resources).toContain(':configuration-set/');
      }

      expect(logs).toMatchObject({
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'],
      });
      expect(JSON.stringify(logs?.Resource)).toContain(
        `:log-group:/aws/lambda/hydra-login-consent-prod-${name}:*`,
      );
      const granted = Object.fromEntries(
        table.map((statement) => {
          expect(statement.Effect).toBe('Allow');
          expect(statement.Resource).toEqual({ 'Fn::GetAtt': ['UsersTable', 'Arn'] });
          const [action, ...more] = actionsOf(statement);
          expect(more).toEqual([]);
          return [
            String(action).replace(/^dynamodb:/, ''),
            statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
          ];
        }),
      );
      expect(granted).toStrictEqual(TABLE_ACCESS[name]);
    },
  );

  it('gives no statement a wildcard action or resource, beyond log streams and the secret suffix', () => {
    for (const [, role] of resourcesOfType('prod', 'AWS::IAM::Role')) {
      for (const statement of statementsOf(role)) {
        for (const action of actionsOf(statement)) expect(action).not.toContain('*');
        const resource = JSON.stringify(statement.Resource);
        expect(resource).not.toMatch(/"\*"/);
        expect(
          resource.replace(/:log-group:[^"]*:\*:\*|:secret:hydra-login-consent\/prod-\*/g, ''),
        ).not.toContain('*');
      }
    }
    expect(resourcesOfType('prod', 'AWS::IAM::Role')).toHaveLength(FUNCTIONS.length);
  });

  it('adds kms:Decrypt of the secret key, through Secrets Manager only, to every role that reads the secret', () => {
    for (const name of FUNCTIONS) {
      const decrypt = statementsOf(roleOf('dev', name)).filter((statement) =>
        actionsOf(statement).includes('kms:Decrypt'),
      );

      if (SECRETLESS.includes(name)) {
        expect(decrypt).toEqual([]);
        continue;
      }
      expect(decrypt).toEqual([
        {
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: DEV_PARAMS.secretsKmsKeyArn,
          Condition: {
            StringEquals: {
              'kms:ViaService': { 'Fn::Sub': 'secretsmanager.${AWS::Region}.amazonaws.com' },
            },
          },
        },
      ]);
    }
    expect(JSON.stringify(template('prod'))).not.toContain('kms:Decrypt');
  });
});

describe('no secret in any function environment', () => {
  it.each(['prod', 'dev'] as const)(
    'gives every function of %s the secret name only: no value, no dynamic reference to a secret',
    (stage) => {
      for (const name of FUNCTIONS) {
        const variables = (
          functionOf(stage, name).Properties.Environment as { Variables: Record<string, unknown> }
        ).Variables;

        expect(variables.APP_SECRET_ID).toBe(`hydra-login-consent/${stage}`);
        for (const secret of SECRET_VARIABLES) expect(variables[secret] ?? '').toBe('');
        for (const [variable, value] of Object.entries(variables)) {
          expect([variable, JSON.stringify(value)]).not.toEqual([
            variable,
            expect.stringMatching(/resolve:secretsmanager|resolve:ssm-secure|local-development/),
          ]);
        }
        // The admin URL: a plain SSM String parameter (not a secret), https unless allowed.
        expect(variables.HYDRA_ADMIN_URL).toBe(
          `{{resolve:ssm:/hydra-login-consent/${stage}/hydra-admin-url}}`,
        );
        expect(variables).toMatchObject({ STAGE: stage, HYDRA_ADMIN_ALLOW_HTTP: 'false' });
      }
      expect(JSON.stringify(template(stage))).not.toMatch(
        /resolve:secretsmanager|resolve:ssm-secure/,
      );
    },
  );
});

describe('limits and logs', () => {
  it('throttles the HTTP API stage and reserves concurrency for the two sign-in functions only', () => {
    const [[, stage] = []] = resourcesOfType('prod', 'AWS::ApiGatewayV2::Stage');

    expect(stage?.Properties.DefaultRouteSettings).toEqual({
      DetailedMetricsEnabled: false,
      ThrottlingRateLimit: 100,
      ThrottlingBurstLimit: 200,
    });
    for (const name of FUNCTIONS) {
      const reserved = functionOf('prod', name).Properties.ReservedConcurrentExecutions;
      expect([name, reserved]).toEqual([
        name,
        name === 'loginGet' || name === 'loginPost' ? 20 : undefined,
      ]);
    }
  });

  it('keeps every log group 30 days, encrypted with the logs key when one is given', () => {
    for (const stage of ['prod', 'dev'] as const) {
      const groups = resourcesOfType(stage, 'AWS::Logs::LogGroup');
      expect(groups).toHaveLength(FUNCTIONS.length + 1); // and the HTTP API's access log
      for (const [, group] of groups) {
        expect(group.Properties.RetentionInDays).toBe(30);
        expect(group.Properties.KmsKeyId).toBe(
          stage === 'dev' ? DEV_PARAMS.logsKmsKeyArn : undefined,
        );
      }
    }
  });

  it('declares the users table retained and protected, with its own key when one is given', () => {
    const table = template('prod').Resources.UsersTable;

    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.UpdateReplacePolicy).toBe('Retain');
    expect(table?.Properties).toMatchObject({
      TableName: 'hydra-login-consent-prod-users',
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
    });
  });
});

describe('private Hydra: the vpc param', () => {
  it('puts every function into the given subnets and security groups, with the VPC access policy', () => {
    for (const name of FUNCTIONS) {
      expect(functionOf('dev', name).Properties.VpcConfig).toEqual({
        SubnetIds: { 'Fn::Split': [',', DEV_PARAMS.vpcSubnetIds] },
        SecurityGroupIds: { 'Fn::Split': [',', DEV_PARAMS.vpcSecurityGroupIds] },
      });
      expect(JSON.stringify(roleOf('dev', name).Properties.ManagedPolicyArns)).toContain(
        'AWSLambdaVPCAccessExecutionRole',
      );
      expect(functionOf('prod', name).Properties.VpcConfig).toBeUndefined();
      expect(roleOf('prod', name).Properties.ManagedPolicyArns).toEqual([]);
    }
  });
});

describe('redeploys: an existing users table', () => {
  it('makes no table and points every function and statement at the named one', () => {
    const dev = template('dev');

    expect(resourcesOfType('dev', 'AWS::DynamoDB::Table')).toEqual([]);
    expect(JSON.stringify(dev)).not.toContain('"UsersTable"');
    for (const name of FUNCTIONS) {
      const variables = (
        functionOf('dev', name).Properties.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(variables.USERS_TABLE).toBe(DEV_PARAMS.existingUsersTable);
      for (const statement of statementsOf(roleOf('dev', name)).filter((candidate) =>
        actionsOf(candidate).some((action) => action.startsWith('dynamodb:')),
      )) {
        expect(statement.Resource).toEqual({
          'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${DEV_PARAMS.existingUsersTable}`,
        });
      }
    }
    expect(dev.Outputs?.UsersTableName?.Value).toBe(DEV_PARAMS.existingUsersTable);
  });
});

describe('seeing it run: alarms and a dashboard', () => {
  const alarms = (stage: 'prod' | 'dev') =>
    Object.fromEntries(resourcesOfType(stage, 'AWS::CloudWatch::Alarm'));

  it.each(FUNCTIONS)('alarms on the errors and throttles of %s', (name) => {
    for (const metric of ['Errors', 'Throttles']) {
      const alarm = Object.values(alarms('prod')).find(
        (candidate) =>
          candidate.Properties.MetricName === metric &&
          JSON.stringify(candidate.Properties.Dimensions) ===
            JSON.stringify([
              { Name: 'FunctionName', Value: { Ref: functionLogicalId('prod', name) } },
            ]),
      );
      expect(alarm?.Properties).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 0 });
    }
  });

  it('alarms on the 5xx rate, p99 latency, throttled and failed sign-ins and table throttles', () => {
    const all = alarms('prod');

    expect(JSON.stringify(all.Api5xxRateAlarm)).toContain('"MetricName":"5xx"');
    expect(all.ApiLatencyP99Alarm?.Properties).toMatchObject({
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
    });
    expect(all.SignInThrottledAlarm?.Properties).toMatchObject({
      Namespace: 'HydraLoginConsent',
      MetricName: 'SignInThrottled',
      Dimensions: [{ Name: 'Stage', Value: 'prod' }],
    });
    const failureRate = JSON.stringify(all.SignInFailureRateAlarm);
    for (const metric of ['SignInFailed', 'SignInSucceeded']) expect(failureRate).toContain(metric);
    expect(JSON.stringify(all.UsersTableThrottleAlarm)).toContain('WriteThrottleEvents');
  });

  it('sends every alarm to the alarm topic when one is given, and nowhere without one', () => {
    for (const alarm of Object.values(alarms('dev'))) {
      expect(alarm.Properties.AlarmActions).toEqual([DEV_PARAMS.alarmTopicArn]);
    }
    for (const alarm of Object.values(alarms('prod'))) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
    expect(Object.keys(alarms('dev'))).toHaveLength(2 * FUNCTIONS.length + 5);
  });

  it('draws a dashboard of the API, the sign-ins, every function and the table', () => {
    const [[, dashboard] = []] = resourcesOfType('prod', 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);

    for (const part of ['5xx', 'SignInThrottled', 'WriteThrottleEvents', 'Duration']) {
      expect(body).toContain(part);
    }
    for (const name of FUNCTIONS) expect(body).toContain(`hydra-login-consent-prod-${name}`);
  });
});

describe('domain', () => {
  it('maps the custom domain with its certificate to the HTTP API when one is given', () => {
    const dev = template('dev');

    expect(dev.Resources.ApiDomain?.Properties).toEqual({
      DomainName: DEV_PARAMS.domainName,
      DomainNameConfigurations: [
        {
          CertificateArn: DEV_PARAMS.certificateArn,
          EndpointType: 'REGIONAL',
          SecurityPolicy: 'TLS_1_2',
        },
      ],
    });
    expect(dev.Resources.ApiDomainMapping?.Properties).toMatchObject({ Stage: '$default' });
    expect(dev.Outputs?.BaseUrl?.Value).toBe('https://login.example.com');
    expect(template('prod').Resources.ApiDomain).toBeUndefined();
    expect(template('prod').Outputs?.BaseUrl?.Value).toEqual({
      'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'],
    });
  });
});

function functionLogicalId(stage: 'prod' | 'dev', name: FunctionName): string {
  const found = resourcesOfType(stage, 'AWS::Lambda::Function').find(
    ([, resource]) => resource.Properties.FunctionName === `hydra-login-consent-${stage}-${name}`,
  );
  if (!found) throw new Error(`no function ${name}`);
  return found[0];
}

/** cfn-lint's findings, each as `RULE path: message`. */
async function cfnLint(file: string): Promise<string[]> {
  const args = [
    '--config-file',
    join(REPO_ROOT, 'test', 'templates', 'cfnlintrc.yaml'),
    '--format',
    'json',
    '--',
    file,
  ];
  const output = await run(join(VENV_BIN, 'cfn-lint'), args, { maxBuffer: 64 << 20 }).then(
    (result) => result.stdout,
    // cfn-lint exits non-zero when it finds something: its findings are still on stdout.
    (error: Error & { stdout?: string }) => {
      if (error.stdout) return error.stdout;
      throw error;
    },
  );
  const findings = JSON.parse(output || '[]') as Array<{
    Rule: { Id: string };
    Message: string;
    Location: { Path: unknown[] };
  }>;
  return findings.map(
    (finding) => `${finding.Rule.Id} ${finding.Location.Path.join('/')}: ${finding.Message}`,
  );
}

/** checkov's failed checks (`ID resource`) and its skipped ones with their reasons. */
async function checkov(
  file: string,
): Promise<{ failed: string[]; skipped: Array<{ check: string; reason: string }> }> {
  const args = [
    '--file',
    file,
    '--framework',
    'cloudformation',
    '--output',
    'json',
    '--compact',
    '--skip-download',
  ];
  const output = await run(join(VENV_BIN, 'checkov'), args, {
    maxBuffer: 64 << 20,
    // No bridgecrew platform, no telemetry: a run that needs nothing but the template.
    env: { ...process.env, BC_SKIP_MAPPING: 'TRUE', CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: 'false' },
  }).then(
    (result) => result.stdout,
    (error: Error & { stdout?: string }) => {
      if (error.stdout) return error.stdout;
      throw error;
    },
  );
  const report = JSON.parse(output) as {
    results: {
      failed_checks: Array<{ check_id: string; resource: string }>;
      skipped_checks?: Array<{
        check_id: string;
        resource: string;
        check_result: { suppress_comment?: string };
      }>;
    };
  };
  return {
    failed: report.results.failed_checks.map((check) => `${check.check_id} ${check.resource}`),
    skipped: (report.results.skipped_checks ?? []).map((check) => ({
      check: `${check.check_id} ${check.resource}`,
      reason: check.check_result.suppress_comment ?? '',
    })),
  };
}
