import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { OUTBOX_STREAM_FILTER } from '#adapters/dynamo/outbox';
import { EVENT_RULES } from '#domain/events';
import { routes } from '#http/routes';
import {
  AREA_SCHEMAS,
  areasOfNeeds,
  requiredKeys,
  SCHEMAS_WITHOUT_REQUIRED_KEYS,
} from '../../infra/areas.ts';
import { allFunctions } from '../../infra/catalogue.ts';
import { permissionsOf } from '../../infra/permissions.ts';
import { IDENTITY_SOURCE } from '../../infra/stacks/stateless-stack.ts';
import { resourceById, resourcesOf, synthApp } from './app.ts';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const BASE_ENV = ['LOG_LEVEL', 'NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME'];
/** The functions that publish domain events: into the table's outbox (in their transactions or alone), never to the bus. */
const PUBLISHERS = [
  'auth',
  'create-assessment',
  'milestone',
  'notification-settings',
  'notifications',
  'put-plan',
  'rollover-assessment',
  'schedules',
];

/** The functions no HTTP route calls: the bus's, the scheduler's, the queues' and the stream's. */
const EVENT_FUNCTIONS = [
  'sync-schedules',
  'milestone',
  'notifier',
  'auth-code-mailer',
  'outbox-relay',
  'link-check-plan',
  'link-check',
];

describe('stateless stack', () => {
  // Prepare: the prod app with every route of shared/http/routes.ts (bundling skipped).
  const { statelessTemplate: template } = synthApp({ stage: 'prod', alarmEmail: 'ops@example.org' });
  // The system's functions (NodeFunction names its service); the web app's upload and auto-delete
  // handlers are aws-cdk-lib's own (test/infra/web.test.ts).
  const functions = resourcesOf(template, 'AWS::Lambda::Function').filter(
    ([, r]) =>
      (r.Properties!.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
        ?.POWERTOOLS_SERVICE_NAME !== undefined,
  );
  const policies = resourcesOf(template, 'AWS::IAM::Policy');
  const specs = allFunctions();

  const fnNamed = (fn: string) => {
    const found = functions.filter(
      ([, r]) =>
        (r.Properties!.Environment as { Variables: Record<string, unknown> }).Variables
          .POWERTOOLS_SERVICE_NAME === fn,
    );
    expect(found, fn).toHaveLength(1);
    const [logicalId, resource] = found[0]!;
    const env = (resource.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
    const roleId = (resource.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = policies
      .filter(([, p]) => JSON.stringify(p.Properties!.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
    return { logicalId, resource, env, statements, roleId };
  };

  it('deploys one function per distinct fn of the route table, plus the eight non-HTTP ones', () => {
    // Assess
    const expected = new Set([...routes.map((r) => r.fn), 'authorizer', ...EVENT_FUNCTIONS]);
    expect(functions).toHaveLength(expected.size);
    for (const fn of expected) fnNamed(fn);
  });

  it('runs every function on Node.js 24, ARM64, with tracing, source maps and a sized timeout', () => {
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(fn.Properties!.Timeout).toBeGreaterThanOrEqual(10);
    }
    // The agency import may apply 2,000 rows: as long as API Gateway waits (30 s), less a second.
    expect(fnNamed('agency-import').resource.Properties!.Timeout).toBe(29);
    expect(fnNamed('agencies').resource.Properties!.Timeout).toBe(10);
  });

  it("writes each function's logs to its own log group kept 365 days in prod", () => {
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
    for (const [, fn] of functions) {
      const ref = (fn.Properties!.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const group = groups.find(([id]) => id === ref);
      expect(group?.[1].Properties?.RetentionInDays).toBe(365);
      expect(group?.[1].DeletionPolicy).toBe('Retain');
    }
  });

  it('keeps logs 14 days in dev', () => {
    const { statelessTemplate } = synthApp({ stage: 'dev' });
    const retentions = resourcesOf(statelessTemplate, 'AWS::Logs::LogGroup').map(
      ([, g]) => g.Properties!.RetentionInDays,
    );
    expect(new Set(retentions)).toEqual(new Set([14]));
  });

  it("sets exactly the variables of the config schemas a function's declared permissions need (never AWS_REGION)", () => {
    for (const spec of specs) {
      // Act
      const { env } = fnNamed(spec.fn);
      const schemas = areasOfNeeds(permissionsOf(spec.fn)).map((area) => AREA_SCHEMAS[area]);
      const required = schemas.flatMap((schema) => requiredKeys(schema));
      const declared = schemas.flatMap((schema) => Object.keys(schema.shape));
      const keys = Object.keys(env).filter((key) => !BASE_ENV.includes(key));
      // Assess
      expect(keys, spec.fn).not.toContain('AWS_REGION');
      for (const key of required) expect(keys, `${spec.fn} needs ${key}`).toContain(key);
      for (const key of keys) expect(declared, `${spec.fn} sets ${key}`).toContain(key);
      for (const key of BASE_ENV) expect(Object.keys(env)).toContain(key);
    }
  });

  it('wires the known functions to exactly these variables', () => {
    const keysOf = (fn: string) =>
      Object.keys(fnNamed(fn).env)
        .filter((key) => !BASE_ENV.includes(key))
        .sort();
    expect(keysOf('authorizer')).toEqual(['TABLE_NAME']);
    expect(keysOf('get-assessment')).toEqual(['TABLE_NAME']);
    expect(keysOf('milestone')).toEqual(['TABLE_NAME']);
    expect(keysOf('outbox-relay')).toEqual(['EVENT_BUS_NAME']);
    expect(fnNamed('outbox-relay').env.EVENT_BUS_NAME).toEqual({
      'Fn::ImportValue': expect.stringContaining('Bus'),
    });
    expect(keysOf('sync-schedules')).toEqual([
      'MILESTONE_FUNCTION_ARN',
      'SCHEDULER_ROLE_ARN',
      'SCHEDULE_DLQ_ARN',
      'SCHEDULE_GROUP_NAME',
      'TABLE_NAME',
    ]);
    // LINE_SECRET_ARN: the LINE pushes (issue 13); the secret's value is read at run time.
    expect(keysOf('notifier')).toEqual([
      'LINE_SECRET_ARN',
      'MAIL_FROM',
      'PUBLIC_BASE_URL',
      'SES_CONFIGURATION_SET',
      'TABLE_NAME',
    ]);
    expect(fnNamed('notifier').env.MAIL_FROM).toBe('ita-noreply@example.org');
  });

  it('gives the default recipients from context to exactly the functions that read them', () => {
    // Prepare
    const { statelessTemplate } = synthApp({
      stage: 'prod',
      secretariatEmail: 'ita@phatthalung.go.th,sec2@phatthalung.go.th',
      approverEmail: 'governor@phatthalung.go.th',
    });
    const envOf = (fn: string) =>
      resourcesOf(statelessTemplate, 'AWS::Lambda::Function')
        .map(
          ([, r]) =>
            (r.Properties!.Environment as { Variables?: Record<string, string> } | undefined)?.Variables,
        )
        .find((v) => v?.POWERTOOLS_SERVICE_NAME === fn)!;

    // Assess
    // The notifier too: it tells the secretariat when a LINE group stops receiving (issue 13).
    for (const fn of ['milestone', 'notifications', 'notification-settings', 'notifier']) {
      expect(envOf(fn), fn).toMatchObject({
        SECRETARIAT_EMAIL: 'ita@phatthalung.go.th,sec2@phatthalung.go.th',
        APPROVER_EMAIL: 'governor@phatthalung.go.th',
      });
    }
    for (const fn of ['sync-schedules', 'get-assessment'])
      expect(Object.keys(envOf(fn)), fn).not.toContain('SECRETARIAT_EMAIL');
    expect(permissionsOf('milestone').settings).toContain('recipients');
  });

  it('maps runtime exports to no resource only when their schemas need no variable', () => {
    for (const schema of Object.values(SCHEMAS_WITHOUT_REQUIRED_KEYS))
      expect(requiredKeys(schema)).toEqual([]);
  });

  it('grants "*" only for X-Ray, scheduler:ListSchedules and the relay\'s dynamodb:ListStreams, and never Scan', () => {
    // Prepare
    const relayRoles = JSON.stringify([{ Ref: fnNamed('outbox-relay').roleId }]);
    for (const [, policy] of policies) {
      // Act
      const statements = (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
      const isRelay = JSON.stringify(policy.Properties!.Roles) === relayRoles;
      for (const statement of statements) {
        // Assess
        if (statement.Resource === '*') {
          for (const action of actionsOf(statement)) {
            expect([
              'xray:PutTraceSegments',
              'xray:PutTelemetryRecords',
              'scheduler:ListSchedules',
              ...(isRelay ? ['dynamodb:ListStreams'] : []),
            ]).toContain(action);
          }
        }
        expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
        expect(actionsOf(statement).some((a) => a.endsWith(':*'))).toBe(false);
      }
    }
  });

  it('gives functions declared table: read read-only access on the table and GSI1 by name', () => {
    const readers = specs.filter((s) => permissionsOf(s.fn).table === 'read');
    expect(readers.map((s) => s.fn)).toContain('get-assessment');
    for (const spec of readers) {
      const { statements } = fnNamed(spec.fn);
      const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo, spec.fn).toHaveLength(1);
      expect(actionsOf(dynamo[0]!).sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
      ]);
      expect(JSON.stringify(dynamo[0]!.Resource)).toContain('/index/GSI1');
    }
    expect(permissionsOf('authorizer').table).toBe('read');
    expect(fnNamed('put-oit-evidence').statements.flatMap(actionsOf)).toContain('dynamodb:UpdateItem');
  });

  it('puts events on the bus from the outbox relay only; the publishers write their events to the table', () => {
    // Prepare
    const busPutters = specs.filter((spec) =>
      fnNamed(spec.fn).statements.some((s) => actionsOf(s).includes('events:PutEvents')),
    );
    // Assess: what the stack gives them.
    expect(busPutters.map((spec) => spec.fn)).toEqual(['outbox-relay']);
    const [putEvents] = fnNamed('outbox-relay').statements.filter((s) =>
      actionsOf(s).includes('events:PutEvents'),
    );
    expect(putEvents).toMatchObject({
      Action: 'events:PutEvents',
      Resource: { 'Fn::ImportValue': expect.stringMatching(/Bus.*Arn/) },
    });
    for (const spec of specs) {
      expect(Object.keys(fnNamed(spec.fn).env), spec.fn).not.toContain(
        spec.fn === 'outbox-relay' ? 'TABLE_NAME' : 'EVENT_BUS_NAME',
      );
    }
    for (const fn of PUBLISHERS) {
      const { env, statements } = fnNamed(fn);
      const table = statements.filter((s) => actionsOf(s).includes('dynamodb:BatchWriteItem'));
      expect(Object.keys(env), fn).toContain('TABLE_NAME');
      expect(table, fn).toHaveLength(1);
      expect(actionsOf(table[0]!), fn).toContain('dynamodb:PutItem');
      expect(JSON.stringify(table[0]!.Resource), fn).toContain('Table');
    }
  });

  it('relays the table stream to the bus: new outbox items only, from the trim horizon, failed batches to the outbox DLQ', () => {
    // Prepare
    const relay = fnNamed('outbox-relay');
    const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: relay.logicalId }),
    );
    // Act
    const [, mapping] = mappings[0]!;
    // Assess
    expect(mappings).toHaveLength(1);
    expect(mapping.Properties).toEqual({
      FunctionName: { Ref: relay.logicalId },
      EventSourceArn: { 'Fn::ImportValue': expect.stringMatching(/Table.*StreamArn/) },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 6 * 60 * 60,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::ImportValue': expect.stringMatching(/OutboxDlq.*Arn/) } },
      },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(OUTBOX_STREAM_FILTER) }] },
      Tags: expect.any(Array),
    });
    expect(
      JSON.parse(
        (mapping.Properties!.FilterCriteria as { Filters: { Pattern: string }[] }).Filters[0]!.Pattern,
      ),
    ).toEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { type: { S: ['OutboxEvent'] } } },
    });
  });

  it('lets the relay read the stream and dead-letter to the outbox DLQ, with no table data access', () => {
    // Prepare
    const { statements, resource } = fnNamed('outbox-relay');
    const streamArn = { 'Fn::ImportValue': expect.stringMatching(/Table.*StreamArn/) };
    const withAction = (action: string) => statements.filter((s) => actionsOf(s).includes(action));
    // Assess
    expect(resource.Properties!.Timeout).toBe(60);
    expect(withAction('dynamodb:GetRecords')).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        Resource: streamArn,
      },
    ]);
    expect(withAction('dynamodb:ListStreams').map((s) => s.Resource)).toContainEqual('*');
    expect(withAction('sqs:SendMessage')).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::ImportValue': expect.stringMatching(/OutboxDlq.*Arn/) },
      }),
    ]);
    const dynamoActions = statements.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(
      new Set([
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ]),
    );
  });

  it('grants iam:PassRole and schedule management to sync-schedules only, scoped to the group and role', () => {
    for (const spec of specs) {
      const actions = fnNamed(spec.fn).statements.flatMap(actionsOf);
      const manages = actions.some((a) => a === 'iam:PassRole' || a.startsWith('scheduler:'));
      expect(manages, spec.fn).toBe(spec.fn === 'sync-schedules');
    }
    const { statements } = fnNamed('sync-schedules');
    const passRole = statements.find((s) => actionsOf(s).includes('iam:PassRole'))!;
    expect(passRole.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SchedulerRole/), 'Arn'] });
    expect(passRole.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    });
    const manage = statements.find((s) => actionsOf(s).includes('scheduler:CreateSchedule'))!;
    expect(JSON.stringify(manage.Resource)).toContain(':schedule/ita-prod/*');
  });

  it('lets the scheduler role do nothing but invoke the milestone function and dead-letter to its queue', () => {
    // Act
    const milestone = fnNamed('milestone').logicalId;
    const role = resourcesOf(template, 'AWS::IAM::Role').find(([id]) => id.startsWith('SchedulerRole'))!;
    const statements = policies
      .filter(([, p]) => JSON.stringify(p.Properties!.Roles) === JSON.stringify([{ Ref: role[0] }]))
      .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
    // Assess
    expect(JSON.stringify(role[1].Properties!.AssumeRolePolicyDocument)).toContain('scheduler.amazonaws.com');
    expect(role[1].Properties!.ManagedPolicyArns).toBeUndefined();
    expect(statements).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [milestone, 'Arn'] } },
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: { 'Fn::ImportValue': expect.stringContaining('ScheduleDlq') },
      },
    ]);
  });

  it('sends email only from the notifier and the sign-in code mailer, from the configured address, via identity and configuration set', () => {
    for (const spec of specs) {
      const sends = fnNamed(spec.fn).statements.some((s) => actionsOf(s).includes('ses:SendEmail'));
      expect(sends, spec.fn).toBe(spec.fn === 'notifier' || spec.fn === 'auth-code-mailer');
    }
    const ses = fnNamed('notifier').statements.find((s) => actionsOf(s).includes('ses:SendEmail'))!;
    expect(ses.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'ita-noreply@example.org' } });
    expect(JSON.stringify(ses.Resource)).toMatch(/:identity\/.*:configuration-set\//);
  });

  it('puts the token authorizer on every token route, the feed authorizer on feed routes, none on public ones', () => {
    // Prepare
    const routeResources = resourcesOf(template, 'AWS::ApiGatewayV2::Route');
    const authorizers = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer');
    const authorizerId = (source: string) => {
      const found = authorizers.filter(
        ([, a]) => JSON.stringify(a.Properties!.IdentitySource) === JSON.stringify([source]),
      );
      expect(found).toHaveLength(1);
      expect(found[0]![1].Properties).toMatchObject({
        EnableSimpleResponses: true,
        AuthorizerType: 'REQUEST',
      });
      return found[0]![0];
    };
    const token = authorizerId(IDENTITY_SOURCE.token);
    const feed = authorizerId(IDENTITY_SOURCE.feed);
    expect(routeResources).toHaveLength(routes.length);
    for (const route of routes) {
      // Act
      const key = `${route.method} ${route.path}`;
      const found = routeResources.find(([, r]) => r.Properties!.RouteKey === key);
      // Assess
      expect(found, key).toBeDefined();
      const props = found![1].Properties!;
      if (route.auth === 'public') {
        expect(props.AuthorizationType, key).toBe('NONE');
        expect(props.AuthorizerId, key).toBeUndefined();
      } else {
        expect(props.AuthorizationType, key).toBe('CUSTOM');
        expect(props.AuthorizerId, key).toEqual({ Ref: route.auth === 'feed' ? feed : token });
      }
      const integrationRef = JSON.stringify(props.Target).match(/"Ref":"([^"]+)"/)![1]!;
      const [, integration] = resourcesOf(template, 'AWS::ApiGatewayV2::Integration').find(
        ([id]) => id === integrationRef,
      )!;
      expect(integration.Properties!.IntegrationUri, key).toEqual({
        'Fn::GetAtt': [fnNamed(route.fn).logicalId, 'Arn'],
      });
    }
  });

  it('logs access as JSON and throttles the default stage from context', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: Match.objectLike({
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApiAccessLogs'), 'Arn'] },
      }),
    });
    const [, stage] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage')[0]!;
    const format = JSON.parse((stage.Properties!.AccessLogSettings as { Format: string }).Format);
    expect(format.requestId).toBe('$context.requestId');
  });

  it('applies CORS only for the configured origins', () => {
    const withCors = synthApp({
      corsOrigins: 'https://ita.example.go.th,http://localhost:5173',
    }).statelessTemplate;
    withCors.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['https://ita.example.go.th', 'http://localhost:5173'] },
    });
    const [, api] = resourcesOf(template, 'AWS::ApiGatewayV2::Api')[0]!;
    expect(api.Properties!.CorsConfiguration).toBeUndefined();
  });

  it('routes each event rule of shared/domain/events.ts to its function, with retries and a DLQ', () => {
    const rules = resourcesOf(template, 'AWS::Events::Rule');
    expect(rules).toHaveLength(EVENT_RULES.length);
    for (const rule of EVENT_RULES) {
      const found = rules.find(
        ([, r]) => JSON.stringify(r.Properties!.EventPattern) === JSON.stringify(rule.pattern),
      );
      expect(found, rule.name).toBeDefined();
      const [target] = found![1].Properties!.Targets as Record<string, unknown>[];
      expect(target).toMatchObject({
        Arn: { 'Fn::GetAtt': [fnNamed(rule.target).logicalId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: { 'Fn::ImportValue': expect.stringContaining('EventsDlq') } },
      });
    }
  });

  it('fans the link check out: a queue with its DLQ after three receives, one consumer of 120 s taking one message at a time with partial batch failures, and only the link functions may send to it', () => {
    // Prepare
    const [queueId, queue] = resourceById(template, 'AWS::SQS::Queue', 'LinkCheckQueue');
    const [dlqId, dlq] = resourceById(template, 'AWS::SQS::Queue', 'LinkCheckDlq');
    const consumer = fnNamed('link-check');
    const mapping = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').find(
      ([, m]) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: consumer.logicalId }),
    )?.[1];
    const senders = resourcesOf(template, 'AWS::IAM::Policy')
      .filter(
        ([, p]) =>
          JSON.stringify(p.Properties).includes('sqs:SendMessage') &&
          JSON.stringify(p.Properties).includes(queueId),
      )
      .map(([id]) => id.replace(/RoleDefaultPolicy.*$/, ''))
      .sort();

    // Assess
    expect(queue.Properties).toMatchObject({
      VisibilityTimeout: 720,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 3 },
    });
    expect(dlq.Properties).toMatchObject({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    expect(consumer.resource.Properties!.Timeout).toBe(120);
    expect(mapping?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    expect(senders).toEqual(['LinkCheck', 'LinkCheckPlan', 'LinkCheckRequest']);
  });

  it('sends failed asynchronous invocations of bus and scheduler consumers to the async DLQ after two retries', () => {
    const configs = resourcesOf(template, 'AWS::Lambda::EventInvokeConfig');
    // The relay is invoked synchronously by its event source mapping: no async configuration.
    expect(JSON.stringify(configs)).not.toContain(fnNamed('outbox-relay').logicalId);
    const consumers = ['sync-schedules', 'milestone', 'notifier', 'auth-code-mailer', 'link-check-plan'];
    expect(configs).toHaveLength(consumers.length);
    for (const fn of consumers) {
      const found = configs.find(
        ([, c]) =>
          c.Properties!.FunctionName &&
          JSON.stringify(c.Properties!.FunctionName).includes(fnNamed(fn).logicalId),
      );
      expect(found?.[1].Properties, fn).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::ImportValue': expect.stringContaining('AsyncDlq') } },
        },
      });
    }
  });

  it('keeps to 12 alarms, all to the alarm topic, and covers every function, every DLQ, the relay, the API, SES and the pace check', () => {
    // Prepare
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(
      ([id, a]) => ({ id, ...a.Properties }) as { id: string } & Record<string, unknown>,
    );
    const topic = resourcesOf(template, 'AWS::SNS::Topic')[0]![0];
    const named = (prefix: string) => {
      const found = alarms.filter((a) => a.id.startsWith(`Operations${prefix}`));
      expect(found, prefix).toHaveLength(1);
      return found[0]!;
    };
    /** The metrics a metric-math alarm reads: name and first dimension value each. */
    const metricsOf = (alarm: (typeof alarms)[number]) =>
      (
        (alarm.Metrics ?? []) as {
          MetricStat?: {
            Metric: { Namespace: string; MetricName: string; Dimensions?: { Value: unknown }[] };
          };
        }[]
      )
        .filter((m) => m.MetricStat)
        .map(({ MetricStat }) => ({
          name: MetricStat!.Metric.MetricName,
          dimension: JSON.stringify(MetricStat!.Metric.Dimensions?.[0]?.Value),
        }));
    const expressionOf = (alarm: (typeof alarms)[number]) =>
      ((alarm.Metrics ?? []) as { Expression?: string; ReturnData?: boolean }[]).find(
        (m) => m.ReturnData !== false,
      )?.Expression;

    // Assess
    expect(alarms.length).toBeLessThanOrEqual(12);
    for (const alarm of alarms) expect(alarm.AlarmActions, alarm.id).toEqual([{ Ref: topic }]);
    for (const [metric, prefix] of [
      ['Errors', 'EventFunctionErrors'],
      ['Throttles', 'EventFunctionThrottles'],
    ] as const) {
      const covered = metricsOf(named(prefix));
      for (const fn of EVENT_FUNCTIONS)
        expect(covered, `${fn} ${metric}`).toContainEqual({
          name: metric,
          dimension: JSON.stringify({ Ref: fnNamed(fn).logicalId }),
        });
      expect(covered).toHaveLength(EVENT_FUNCTIONS.length);
    }
    const api5xx = named('Api5xxRate');
    expect(
      metricsOf(api5xx)
        .map((m) => m.name)
        .sort(),
    ).toEqual(['5xx', 'Count']);
    expect(api5xx).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const deadLetters = metricsOf(named('DeadLetters'));
    expect(deadLetters).toHaveLength(5);
    for (const m of deadLetters) expect(m.name).toBe('ApproximateNumberOfMessagesVisible');
    expect(deadLetters.filter((m) => /OutboxDlq/.test(m.dimension))).toHaveLength(1);
    expect(deadLetters.filter((m) => /LinkCheckDlq/.test(m.dimension))).toHaveLength(1);
    expect(named('OutboxRelayIteratorAge')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnNamed('outbox-relay').logicalId } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 5 * 60 * 1000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    const paceCheck = named('PaceCheckMissed');
    expect(expressionOf(paceCheck)).toBe('IF(DAY(runs) <= 5 AND runs < 1, 1, 0)');
    expect(metricsOf(paceCheck)).toEqual([{ name: 'PaceCheckRuns', dimension: '"milestone"' }]);
    // PlanChanged commits with its change (the transactional outbox): no handled loss to alarm on.
    expect(alarms.some((alarm) => alarm.id.includes('ScheduleSyncPending'))).toBe(false);
    expect(named('SesBounceRate')).toMatchObject({ MetricName: 'Reputation.BounceRate', Threshold: 0.04 });
    expect(named('SesComplaintRate')).toMatchObject({
      MetricName: 'Reputation.ComplaintRate',
      Threshold: 0.0008,
    });
    expect(resourcesOf(template, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
    });
  });
});
