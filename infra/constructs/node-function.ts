import path from 'node:path';
import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConfigurationSet, IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '#adapters/dynamo/table';
import { HANDLER, REPO_ROOT } from '../bundling.ts';
import type { StageSettings } from '../config.ts';
import { acknowledge } from '../nag.ts';
import type { FunctionNeeds, Queue, Secret, Setting } from '../permissions.ts';
import { locallyBuilt } from './local-build.ts';

export type TableAccess = NonNullable<FunctionNeeds['table']>;

/** The resources a declaration (`infra/permissions.ts`) can name, as the stack holds them. */
export type NeededResources = {
  table: ITableV2;
  bus: IEventBus;
  schedules: { group: IScheduleGroup; role: iam.IRole; target: NodeFunction; dlq: IQueue };
  mail: { identity: IEmailIdentity; configurationSet: IConfigurationSet; from: string };
  /** The base URL of the links an email carries (the web app, or the custom domain). */
  publicBaseUrl: string;
  secrets: Record<Secret, ISecret>;
  /** Queues the stack has so far; a declaration naming one it lacks fails the synth. */
  queues: Partial<Record<Queue, { queue: IQueue; urlVariable: string }>>;
  /** The variables of each setting (a setting may have none, as recipients nobody configured). */
  settings: Record<Setting, Record<string, string>>;
};

export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

export type NodeFunctionProps = {
  /** The entry point's file name in `functions/`, without `.ts`; also the service name in logs. */
  fn: string;
  description: string;
  settings: StageSettings;
  timeout?: Duration;
  memorySize?: number;
  /**
   * Asynchronously invoked functions (EventBridge, Scheduler): after Lambda's two retries, the
   * event and its error go to this queue instead of being dropped.
   */
  onFailure?: IQueue;
};

const RUNTIME = Runtime.NODEJS_24_X;
const FUNCTIONS_DIR = path.join(REPO_ROOT, 'functions');
const BUNDLE_SCRIPT = path.join(REPO_ROOT, 'scripts', 'bundle-function.ts');

/**
 * The function's code: `index.mjs` and its source map, built at synth by `scripts/bundle-function.ts`
 * (esbuild's JS API with the shared options of `infra/bundling.ts`). The asset's source directory
 * is `functions/` only because an asset needs one: the bundle comes from the whole import graph,
 * node_modules included, so the hash is the output's (see `locallyBuilt`).
 */
const functionCode = (fn: string): Code => {
  const entry = path.posix.join('functions', `${fn}.ts`);
  return Code.fromAsset(
    FUNCTIONS_DIR,
    locallyBuilt({ script: BUNDLE_SCRIPT, args: [entry], what: `bundling ${entry}` }, RUNTIME.bundlingImage),
  );
};

/**
 * The one Lambda construct; every function of the system goes through it.
 *
 * Defaults: Node.js 24 on ARM64, 512 MB, 10 s timeout, X-Ray active tracing, JSON logs into
 * an explicit log group whose retention follows the stage, ESM bundle built by the local
 * esbuild (see `infra/bundling.ts`: minified, source maps, `@aws-sdk/*` bundled, `require`
 * banner), `NODE_OPTIONS=--enable-source-maps`, Powertools
 * `POWERTOOLS_SERVICE_NAME` and `LOG_LEVEL`. The role starts with writing to its own log group
 * and X-Ray only.
 *
 * Resources are attached only through `grantNeeds`, from the function's declaration in
 * `infra/permissions.ts`: each helper it calls sets the environment variable the function's config
 * schema reads AND grants the matching permission, so a function never holds a permission without
 * the variable, or the reverse, nor one its declaration does not name.
 */
export class NodeFunction extends LambdaFunction {
  readonly fn: string;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.settings.logRetentionDays,
      removalPolicy: props.settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `execution role of ${props.fn}`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      code: functionCode(props.fn),
      handler: HANDLER,
      description: props.description,
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.fn,
        LOG_LEVEL: props.settings.logLevel,
      },
      ...(props.onFailure
        ? { onFailure: new SqsDestination(props.onFailure), retryAttempts: 2, maxEventAge: Duration.hours(6) }
        : {}),
    });
    this.fn = props.fn;
    acknowledge(role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing), scheduler:ListSchedules and dynamodb:ListStreams (the outbox relay, acknowledged again there) support no resource-level permissions; every other statement names its resource.',
    });
  }

  /** Grants what `needs` (the function's entry in `infra/permissions.ts`) names, and nothing else. */
  grantNeeds(needs: FunctionNeeds, resources: NeededResources): this {
    if (needs.table) this.useTable(resources.table, needs.table);
    if (needs.bus) this.useBus(resources.bus);
    if (needs.schedules) this.useSchedules(resources.schedules);
    // The email's links point at the web app.
    if (needs.mail) this.sendEmail(resources.mail).setEnv('PUBLIC_BASE_URL', resources.publicBaseUrl);
    for (const secret of needs.secrets ?? []) this.useLineSecret(resources.secrets[secret]);
    for (const name of needs.queueSend ?? []) {
      const queue = resources.queues[name];
      if (!queue) throw new Error(`${this.fn} declares queueSend ${name}, but the stack has no such queue`);
      this.sendToQueue(queue.queue, queue.urlVariable);
    }
    for (const setting of needs.settings ?? [])
      for (const [name, value] of Object.entries(resources.settings[setting])) this.setEnv(name, value);
    return this;
  }

  /** The queue's URL in `urlVariable`, and sqs:SendMessage on that queue alone. */
  sendToQueue(queue: IQueue, urlVariable: string): this {
    this.addEnvironment(urlVariable, queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /**
   * TABLE_NAME, and data-plane access to the table and its GSI1 by name (no `index/*`). Scan is
   * not granted: no path may scan. TransactWriteItems is authorized per item action.
   */
  useTable(table: ITableV2, access: TableAccess): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
        resources: [table.tableArn, `${table.tableArn}/index/${TABLE_KEYS.gsi1.name}`],
      }),
    );
    return this;
  }

  /** EVENT_BUS_NAME, and events:PutEvents on that bus only. */
  useBus(bus: IEventBus): this {
    this.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    bus.grantPutEventsTo(this);
    return this;
  }

  /**
   * The four variables the schedule adapter needs, schedule management inside the group, and
   * iam:PassRole on the scheduler's execution role alone (only toward scheduler.amazonaws.com).
   */
  useSchedules(options: { group: IScheduleGroup; role: iam.IRole; target: NodeFunction; dlq: IQueue }): this {
    const { group, role, target, dlq } = options;
    this.addEnvironment('SCHEDULE_GROUP_NAME', group.scheduleGroupName);
    this.addEnvironment('SCHEDULER_ROLE_ARN', role.roleArn);
    this.addEnvironment('MILESTONE_FUNCTION_ARN', target.functionArn);
    this.addEnvironment('SCHEDULE_DLQ_ARN', dlq.queueArn);
    const schedulesInGroup = Arn.format(
      {
        service: 'scheduler',
        resource: 'schedule',
        resourceName: `${group.scheduleGroupName}/*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      },
      Stack.of(this),
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
          'scheduler:GetSchedule',
        ],
        resources: [schedulesInGroup],
      }),
    );
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['scheduler:ListSchedules'], resources: ['*'] }));
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    const region = Token.isUnresolved(Stack.of(this).region) ? '<AWS::Region>' : Stack.of(this).region;
    acknowledge(this.role!, {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${region}:<AWS::AccountId>:schedule/${group.scheduleGroupName}/*]`,
      reason:
        'schedules are created at run time, one per milestone, so only their group is known: the grant is limited to schedules inside it.',
    });
    return this;
  }

  /**
   * LINE_SECRET_ARN, and secretsmanager:GetSecretValue on that secret alone: the value (the
   * channel secret and access token) is read at run time, never placed in the environment.
   */
  useLineSecret(secret: ISecret): this {
    this.addEnvironment('LINE_SECRET_ARN', secret.secretArn);
    secret.grantRead(this);
    return this;
  }

  /**
   * MAIL_FROM and SES_CONFIGURATION_SET, and ses:SendEmail on the identity and the
   * configuration set (SES v2 authorizes both), only with that From address.
   */
  sendEmail(options: { identity: IEmailIdentity; configurationSet: IConfigurationSet; from: string }): this {
    const { identity, configurationSet, from } = options;
    this.addEnvironment('MAIL_FROM', from);
    this.addEnvironment('SES_CONFIGURATION_SET', configurationSet.configurationSetName);
    const configurationSetArn = Arn.format(
      {
        service: 'ses',
        resource: 'configuration-set',
        resourceName: configurationSet.configurationSetName,
      },
      Stack.of(this),
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [identity.emailIdentityArn, configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': from } },
      }),
    );
    return this;
  }

  /** A variable with no permission behind it (a URL, a name). */
  setEnv(name: string, value: string): this {
    this.addEnvironment(name, value);
    return this;
  }
}
