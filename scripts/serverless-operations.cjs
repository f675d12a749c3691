'use strict';
/**
 * A local serverless plugin, applied to the compiled CloudFormation template after the
 * per-function roles are made (it is listed after serverless-iam-roles-per-function).
 *
 * The stack's optional parts, decided at package time from the params (`custom.operations` in
 * serverless.yml), so that the template holds only what applies (no conditions on values that
 * were known all along, no empty ARNs in branches never taken):
 *   - existingUsersTable: the stack makes no users table; the functions' USERS_TABLE and every
 *     Ref/GetAtt of UsersTable become that table's name/ARN;
 *   - tableKmsKeyArn: the users table encrypted with that customer managed key;
 *   - logsKmsKeyArn: every log group (functions', the HTTP API's access log) encrypted with it
 *     (osls has no setting for it);
 *   - secretsKmsKeyArn: kms:Decrypt on that key, through Secrets Manager only, for every role
 *     that may read the stage's secret;
 *   - alarmTopicArn: every alarm notifies that SNS topic (alarm and OK);
 *   - domainName + certificateArn: an API Gateway custom domain mapped to the HTTP API.
 * And what every function gets, so that a function added to serverless.yml gets it too:
 *   - two alarms, its Lambda Errors and Throttles;
 *   - its rows on the stage's dashboard, with the HTTP API, the sign-in metrics and the table;
 *   - the checkov findings that hold for every function by design, suppressed with the reason
 *     (test/integration/templates.test.ts runs checkov on the packaged templates).
 */

/** checkov's checks that every function fails by design, and why. */
const FUNCTION_SUPPRESSIONS = [
  {
    id: 'CKV_AWS_116',
    comment:
      'No dead-letter queue: every invocation is synchronous (HTTP API, Hydra waits for the answer); a DLQ only takes asynchronous events.',
  },
  {
    id: 'CKV_AWS_117',
    comment:
      'A VPC is optional (the vpc param): it is needed only to reach a private Hydra admin API; Ory Network and public admin URLs need none.',
  },
  {
    id: 'CKV_AWS_173',
    comment:
      'The environment holds no secret (a test asserts it): the secrets are read from Secrets Manager at run time, APP_SECRET_ID is only a name.',
  },
  {
    id: 'CKV_AWS_115',
    comment:
      'Reserved concurrency only for the sign-in functions (argon2, the cost ceiling); the HTTP API stage throttle bounds the rest.',
  },
];

/** A CloudFormation value made of `parts`: strings and intrinsic functions. */
function join(parts) {
  const merged = [];
  for (const part of parts) {
    if (typeof part === 'string' && typeof merged[merged.length - 1] === 'string') {
      merged[merged.length - 1] += part;
    } else if (part !== '') {
      merged.push(part);
    }
  }
  return merged.length === 1 && typeof merged[0] === 'string'
    ? merged[0]
    : { 'Fn::Join': ['', merged] };
}

/**
 * JSON with CloudFormation values in it: `token(value)` stands for one in the object given to
 * `stringify`, which returns a Fn::Join of the JSON's text and the values.
 */
function cloudFormationJson() {
  const values = [];
  return {
    token(value) {
      values.push(value);
      return `@@cfn${values.length - 1}@@`;
    },
    stringify(object) {
      const text = JSON.stringify(object);
      return join(
        text.split(/(@@cfn\d+@@)/).map((piece) => {
          const match = /^@@cfn(\d+)@@$/.exec(piece);
          return match ? values[Number(match[1])] : piece;
        }),
      );
    },
  };
}

/** The logical ids a value refers to (Ref, Fn::GetAtt). */
function referencesIn(value, found = new Set()) {
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, found);
  } else if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') found.add(value.Ref);
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') found.add(getAtt[0]);
    for (const inner of Object.values(value)) referencesIn(inner, found);
  }
  return found;
}

/**
 * A DependsOn that a Ref or GetAtt in the same resource already implies is said twice (cfn-lint
 * W3005; serverless and the roles plugin add them): kept once, by the reference.
 */
function dropImpliedDependencies(resources) {
  for (const resource of Object.values(resources)) {
    if (resource.DependsOn === undefined) continue;
    const referenced = referencesIn(resource.Properties ?? {});
    const dependsOn = [resource.DependsOn].flat().filter((name) => !referenced.has(name));
    if (dependsOn.length > 0) resource.DependsOn = dependsOn;
    else delete resource.DependsOn;
  }
}

class OperationsPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    // After serverless.yml's resources are merged in, before the template is written.
    this.hooks = { 'before:aws:package:finalize:saveServiceState': () => this.apply() };
  }

  apply() {
    const service = this.serverless.service;
    const template = service.provider.compiledCloudFormationTemplate;
    const settings = service.custom?.operations ?? {};
    const naming = this.serverless.getProvider('aws').naming;
    const resources = template.Resources;

    const functions = service.getAllFunctions().map((name) => ({
      name,
      lambdaName: service.getFunction(name).name,
      logicalId: naming.getLambdaLogicalId(name),
    }));
    // Every function has a role of its own: the provider's shared role is a template only.
    const globalRole = naming.getRoleLogicalId();
    const usesGlobalRole = Object.entries(resources).some(
      ([logicalId, resource]) =>
        logicalId !== globalRole &&
        (referencesIn(resource.Properties ?? {}).has(globalRole) ||
          [resource.DependsOn ?? []].flat().includes(globalRole)),
    );
    if (resources[globalRole] && !usesGlobalRole) delete resources[globalRole];

    for (const fn of functions) {
      const resource = resources[fn.logicalId];
      if (!resource) continue;
      resource.Metadata = { ...resource.Metadata, checkov: { skip: FUNCTION_SUPPRESSIONS } };
      for (const [metric, description] of [
        ['Errors', 'failed (an uncaught error or a timeout)'],
        ['Throttles', 'was throttled (its reserved or the account concurrency is used up)'],
      ]) {
        resources[`${naming.getNormalizedFunctionName(fn.name)}${metric}Alarm`] = {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            AlarmDescription: `${fn.lambdaName} ${description} in the last 5 minutes.`,
            Namespace: 'AWS/Lambda',
            MetricName: metric,
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn.logicalId } }],
            Statistic: 'Sum',
            Period: 300,
            EvaluationPeriods: 1,
            Threshold: 0,
            ComparisonOperator: 'GreaterThanThreshold',
            TreatMissingData: 'notBreaching',
          },
        };
      }
    }
    resources.Dashboard = this.dashboard(functions);

    if (settings.domainName) this.customDomain(template, settings);
    if (settings.alarmTopicArn) {
      for (const resource of Object.values(resources)) {
        if (resource.Type !== 'AWS::CloudWatch::Alarm') continue;
        resource.Properties.AlarmActions = [settings.alarmTopicArn];
        resource.Properties.OKActions = [settings.alarmTopicArn];
      }
    }
    if (settings.logsKmsKeyArn) {
      for (const resource of Object.values(resources)) {
        if (resource.Type === 'AWS::Logs::LogGroup') {
          resource.Properties.KmsKeyId = settings.logsKmsKeyArn;
        }
      }
    }
    if (settings.secretsKmsKeyArn) this.secretsKey(resources, settings.secretsKmsKeyArn);
    if (resources.UsersTable && settings.tableKmsKeyArn) {
      resources.UsersTable.Properties.SSESpecification = {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: settings.tableKmsKeyArn,
      };
    }
    this.suppressWithoutKeys(resources, settings);
    // Last: the resources above may refer to the table too.
    if (settings.existingUsersTable) this.existingTable(template, settings.existingUsersTable);
    dropImpliedDependencies(template.Resources);
  }

  /** Without the optional customer managed keys, AWS's own keys encrypt: said so to checkov. */
  suppressWithoutKeys(resources, settings) {
    const skip = (resource, id, comment) => {
      const checkov = resource.Metadata?.checkov ?? { skip: [] };
      resource.Metadata = {
        ...resource.Metadata,
        checkov: { skip: [...checkov.skip, { id, comment }] },
      };
    };
    if (!settings.logsKmsKeyArn) {
      for (const resource of Object.values(resources)) {
        if (resource.Type !== 'AWS::Logs::LogGroup') continue;
        skip(
          resource,
          'CKV_AWS_158',
          "Encrypted with CloudWatch Logs' own key; the logsKmsKeyArn param sets a customer managed key. The lines hold no secret (shared/log.ts).",
        );
      }
    }
    if (resources.UsersTable && !settings.tableKmsKeyArn) {
      skip(
        resources.UsersTable,
        'CKV_AWS_119',
        "Encrypted with DynamoDB's AWS managed key; the tableKmsKeyArn param sets a customer managed key.",
      );
    }
  }

  /** The stack makes no users table: its references become the named table's. */
  existingTable(template, name) {
    delete template.Resources.UsersTable;
    const arn = {
      'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${name}`,
    };
    const replace = (value) => {
      if (Array.isArray(value)) return value.map(replace);
      if (!value || typeof value !== 'object') return value;
      if (value.Ref === 'UsersTable') return name;
      const getAtt = value['Fn::GetAtt'];
      if (Array.isArray(getAtt) && getAtt[0] === 'UsersTable' && getAtt[1] === 'Arn') return arn;
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replace(inner)]));
    };
    for (const section of ['Resources', 'Outputs']) {
      template[section] = replace(template[section] ?? {});
    }
    for (const resource of Object.values(template.Resources)) {
      const variables = resource.Properties?.Environment?.Variables;
      if (resource.Type === 'AWS::Lambda::Function' && variables?.USERS_TABLE) {
        variables.USERS_TABLE = name;
      }
    }
  }

  /** kms:Decrypt of the secret's customer managed key for every role that reads the secret. */
  secretsKey(resources, keyArn) {
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::IAM::Role') continue;
      for (const policy of resource.Properties.Policies ?? []) {
        const statements = policy.PolicyDocument.Statement;
        const readsSecret = statements.some((statement) =>
          [statement.Action].flat().includes('secretsmanager:GetSecretValue'),
        );
        if (!readsSecret) continue;
        statements.push({
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: keyArn,
          Condition: {
            StringEquals: {
              'kms:ViaService': { 'Fn::Sub': 'secretsmanager.${AWS::Region}.amazonaws.com' },
            },
          },
        });
      }
    }
  }

  /** An API Gateway domain with the ACM certificate (same region), mapped to $default. */
  customDomain(template, settings) {
    if (!settings.certificateArn) {
      throw new this.serverless.classes.Error(
        'The domainName param needs a certificateArn param too (an ACM certificate of this region)',
      );
    }
    template.Resources.ApiDomain = {
      Type: 'AWS::ApiGatewayV2::DomainName',
      Properties: {
        DomainName: settings.domainName,
        DomainNameConfigurations: [
          {
            CertificateArn: settings.certificateArn,
            EndpointType: 'REGIONAL',
            SecurityPolicy: 'TLS_1_2',
          },
        ],
      },
    };
    template.Resources.ApiDomainMapping = {
      Type: 'AWS::ApiGatewayV2::ApiMapping',
      DependsOn: ['ApiDomain', 'HttpApiStage'],
      Properties: { DomainName: settings.domainName, ApiId: { Ref: 'HttpApi' }, Stage: '$default' },
    };
    template.Outputs = {
      ...template.Outputs,
      BaseUrl: {
        Description: "Where Hydra's URLS_* point: the custom domain",
        Value: `https://${settings.domainName}`,
      },
      DomainTarget: {
        Description: 'The name your DNS record for the custom domain points at (CNAME or alias)',
        Value: { 'Fn::GetAtt': ['ApiDomain', 'RegionalDomainName'] },
      },
    };
  }

  /** The stage's dashboard: the HTTP API, sign-ins, each function, the users table. */
  dashboard(functions) {
    const json = cloudFormationJson();
    const region = json.token({ Ref: 'AWS::Region' });
    const api = ['ApiId', json.token({ Ref: 'HttpApi' }), 'Stage', '$default'];
    const stage = ['Stage', this.serverless.service.provider.stage];
    const table = ['TableName', json.token({ Ref: 'UsersTable' })];
    const lambda = (metric, stat) =>
      functions.map((fn) => [
        'AWS/Lambda',
        metric,
        'FunctionName',
        fn.lambdaName,
        { stat, label: fn.name },
      ]);
    const widget = (title, metrics, extra = {}) => ({
      type: 'metric',
      width: 12,
      height: 6,
      properties: { title, region, metrics, period: 300, view: 'timeSeries', ...extra },
    });
    const widgets = [
      widget('HTTP API: requests and errors', [
        ['AWS/ApiGateway', 'Count', ...api, { stat: 'Sum' }],
        ['AWS/ApiGateway', '4xx', ...api, { stat: 'Sum' }],
        ['AWS/ApiGateway', '5xx', ...api, { stat: 'Sum' }],
      ]),
      widget('HTTP API: latency (ms)', [
        ['AWS/ApiGateway', 'Latency', ...api, { stat: 'p50' }],
        ['AWS/ApiGateway', 'Latency', ...api, { stat: 'p99' }],
      ]),
      widget('Sign-ins', [
        ['HydraLoginConsent', 'SignInSucceeded', ...stage, { stat: 'Sum' }],
        ['HydraLoginConsent', 'SignInFailed', ...stage, { stat: 'Sum' }],
        ['HydraLoginConsent', 'SignInThrottled', ...stage, { stat: 'Sum' }],
      ]),
      widget('Users table: throttled requests', [
        ['AWS/DynamoDB', 'ReadThrottleEvents', ...table, { stat: 'Sum' }],
        ['AWS/DynamoDB', 'WriteThrottleEvents', ...table, { stat: 'Sum' }],
      ]),
      widget('Functions: errors', lambda('Errors', 'Sum')),
      widget('Functions: throttles', lambda('Throttles', 'Sum')),
      widget('Functions: duration p99 (ms)', lambda('Duration', 'p99')),
      widget('Functions: concurrent executions', lambda('ConcurrentExecutions', 'Maximum')),
    ];
    widgets.forEach((entry, index) => {
      entry.x = (index % 2) * 12;
      entry.y = Math.floor(index / 2) * 6;
    });
    return {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: {
        DashboardName: `${this.serverless.service.service}-${this.serverless.service.provider.stage}`,
        DashboardBody: json.stringify({ widgets }),
      },
    };
  }
}

module.exports = OperationsPlugin;
