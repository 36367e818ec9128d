import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConfigurationSet, IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { OUTBOX_STREAM_FILTER } from '#adapters/dynamo/outbox';
import { EVENT_RULES } from '#domain/events';
import { routes as ROUTES, type Route } from '#http/routes';
import { allFunctions } from '../catalogue.ts';
import type { DeployContext, StageSettings } from '../config.ts';
import { type NeededResources, NodeFunction } from '../constructs/node-function.ts';
import { Operations } from '../constructs/operations.ts';
import { WebApp } from '../constructs/web-app.ts';
import { acknowledge } from '../nag.ts';
import { permissionsOf } from '../permissions.ts';

export type StatelessStackProps = StackProps & {
  context: DeployContext;
  settings: StageSettings;
  table: ITableV2;
  bus: IEventBus;
  scheduleGroup: IScheduleGroup;
  emailIdentity: IEmailIdentity;
  configurationSet: IConfigurationSet;
  eventsDlq: IQueue;
  asyncDlq: IQueue;
  scheduleDlq: IQueue;
  /** Failed batches of the table stream (the outbox relay's event source mapping). */
  outboxDlq: IQueue;
  /** The LINE channel's secret (Secrets Manager), read by the notifier and the LINE functions. */
  lineSecret: ISecret;
  /** Defaults to shared/http/routes.ts; tests pass their own list. */
  routes?: readonly Route[];
};

/**
 * HTTP functions that may work longer than the default 10 s, up to API Gateway's 30 s integration
 * limit: an agency import applies up to 2,000 rows, each a conditional write with its audit entry
 * (a run cut short is finished by sending the same file again, which skips what is written).
 */
const HTTP_TIMEOUT_SECONDS: Readonly<Record<string, number>> = { 'agency-import': 29 };

/** The check queue's consumer: a message's checks stop at 90 s, well inside this. */
const LINK_CHECK_TIMEOUT_SECONDS = 120;

/** The Lambda IDs in this stack: PascalCase of the entry point's file name. */
export const functionId = (fn: string) =>
  fn.replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) => letter.toUpperCase());

/** Identity sources per route auth mode; `public` routes have no authorizer. */
export const IDENTITY_SOURCE = {
  token: '$request.header.Authorization',
  feed: '$request.querystring.token',
} as const;

/**
 * Code and wiring that can be replaced at any deployment: every Lambda (derived from the route
 * table and infra/catalogue.ts), the HTTP API, the bus rules, the scheduler's execution role,
 * and the alarms.
 */
export class StatelessStack extends Stack {
  readonly functions = new Map<string, NodeFunction>();
  readonly api: HttpApi;
  /** The `$default` stage's URL (https://<id>.execute-api.<region>.amazonaws.com/). */
  readonly apiUrl: string;
  /** The web app: its bucket and the CloudFront distribution in front of it and of the API. */
  readonly web: WebApp;
  readonly schedulerRole: iam.Role;
  readonly alarmTopic: Topic;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { context, settings } = props;
    const prefix = `ita-${context.stage}`;
    const specs = allFunctions(props.routes);

    for (const spec of specs) {
      const asynchronous = spec.kind === 'bus' || spec.kind === 'scheduled';
      // The stream's consumer does background work like the bus and scheduler consumers (same
      // timeout), but its event source mapping invokes it synchronously: a failed batch goes to
      // the mapping's on-failure destination, and an async one on the function would never fire.
      const background = asynchronous || spec.kind === 'stream';
      const fn = new NodeFunction(this, functionId(spec.fn), {
        fn: spec.fn,
        description: spec.description,
        settings,
        ...(background ? { timeout: Duration.seconds(60) } : {}),
        // The check queue's consumer stops a message's checks after 90 s (functions/link-check.ts)
        // and still has the time to record them and send the rest on.
        ...(spec.kind === 'queue' ? { timeout: Duration.seconds(LINK_CHECK_TIMEOUT_SECONDS) } : {}),
        ...(HTTP_TIMEOUT_SECONDS[spec.fn]
          ? { timeout: Duration.seconds(HTTP_TIMEOUT_SECONDS[spec.fn]!) }
          : {}),
        ...(asynchronous ? { onFailure: props.asyncDlq } : {}),
      });
      acknowledge(fn, {
        id: 'Serverless-LambdaDLQ',
        reason: asynchronous
          ? 'failed asynchronous invocations go to an on-failure destination (the async DLQ), which also records the error; a DeadLetterConfig would duplicate it.'
          : spec.kind === 'stream'
            ? "invoked synchronously by its event source mapping (the table stream), to which a DeadLetterConfig does not apply: batches that still fail after the retries go to the mapping's on-failure destination (the outbox DLQ)."
            : spec.kind === 'queue'
              ? "invoked synchronously by its SQS event source mapping, to which a DeadLetterConfig does not apply: a message that keeps failing moves to the queue's own DLQ by its redrive policy."
              : 'invoked synchronously (API Gateway): the caller receives the error, nothing is queued.',
      });
      this.functions.set(spec.fn, fn);
    }

    const milestone = this.fn('milestone');
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'EventBridge Scheduler: invoke the milestone function, dead-letter to the schedule DLQ',
    });
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [milestone.functionArn] }),
    );
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.scheduleDlq.queueArn] }),
    );

    const { api, stage } = this.httpApi(props, prefix);
    this.api = api;
    this.apiUrl = stage.url;
    // In this stack, not the stateful one: the bucket holds build output only, and the
    // distribution needs the API's domain while the notifier needs the distribution's URL, which
    // across two stacks would be a cycle.
    this.web = new WebApp(this, 'Web', {
      prefix,
      settings,
      api,
      routes: props.routes ?? ROUTES,
      config: { assessmentId: context.defaultAssessmentId, province: context.province },
    });
    // Emails link to the app's pages; a custom domain in front of the distribution overrides it.
    const publicBaseUrl = context.publicBaseUrl ?? this.web.url;

    // What each function may do is declared in infra/permissions.ts; the construct grants exactly that.
    const resources: NeededResources = {
      table: props.table,
      bus: props.bus,
      schedules: {
        group: props.scheduleGroup,
        role: this.schedulerRole,
        target: milestone,
        dlq: props.scheduleDlq,
      },
      mail: {
        identity: props.emailIdentity,
        configurationSet: props.configurationSet,
        from: context.fromAddress,
      },
      publicBaseUrl,
      secrets: { line: props.lineSecret },
      queues: { linkCheck: { queue: this.linkCheckQueue(prefix), urlVariable: 'LINK_CHECK_QUEUE_URL' } },
      settings: {
        // Set only when the context names someone; the runtime reads an absent variable as "nobody".
        recipients: {
          ...(context.secretariatEmail.length
            ? { SECRETARIAT_EMAIL: context.secretariatEmail.join(',') }
            : {}),
          ...(context.approverEmail.length ? { APPROVER_EMAIL: context.approverEmail.join(',') } : {}),
        },
        links: { PUBLIC_BASE_URL: publicBaseUrl },
      },
    };
    for (const spec of specs) this.fn(spec.fn).grantNeeds(permissionsOf(spec.fn), resources);

    // One rule per entry of shared/domain/events.ts EVENT_RULES: the pattern is used as written.
    // The DLQ is referenced by ARN: handing over the queue object would make CDK add a queue
    // policy naming each rule in the stateful stack, a dependency cycle; that stack grants the
    // bus's rules by pattern instead.
    const eventsDlq = Queue.fromQueueArn(this, 'EventsDlqRef', props.eventsDlq.queueArn);
    for (const rule of EVENT_RULES) {
      new Rule(this, `${functionId(rule.name)}Rule`, {
        eventBus: props.bus,
        ruleName: `${prefix}-${rule.name}`,
        description: `${rule.pattern['detail-type'].join(', ')} -> ${rule.target}`,
        eventPattern: { source: [...rule.pattern.source], detailType: [...rule.pattern['detail-type']] },
        targets: [
          new LambdaFunction(this.fn(rule.target), {
            deadLetterQueue: eventsDlq,
            retryAttempts: 8,
            maxEventAge: Duration.hours(6),
          }),
        ],
      });
    }

    this.outboxRelay(props);
    const linkChecks = new SqsEventSource(this.linkChecks!.queue, {
      // One message (25 links by host) per invocation: its budget is the invocation's.
      batchSize: 1,
      reportBatchItemFailures: true,
      // At most 10 consumers at once: 250 links in flight, 2 per host, spread over the hosts.
      maxConcurrency: 10,
    });
    this.fn('link-check').addEventSource(linkChecks);
    acknowledge(this.fn('link-check'), {
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "an SQS event source mapping has no on-failure destination of its own: a message that keeps failing moves to the queue's DLQ by its redrive policy (maxReceiveCount 3), which the DeadLetters alarm watches.",
    });

    const specsByFn = new Map(specs.map((spec) => [spec.fn, spec]));
    const eventFunctions = [...this.functions]
      .filter(([name]) => !['http', 'authorizer'].includes(specsByFn.get(name)?.kind ?? 'http'))
      .map(([, fn]) => fn);
    this.operations = new Operations(this, 'Operations', {
      prefix,
      ...(props.context.alarmEmail ? { alarmEmail: props.context.alarmEmail } : {}),
      api: this.api,
      eventFunctions,
      outboxRelay: this.fn('outbox-relay'),
      deadLetterQueues: [
        {
          id: 'EventsDlq',
          queue: props.eventsDlq,
          what: 'bus events that could not be delivered to their function',
        },
        {
          id: 'AsyncDlq',
          queue: props.asyncDlq,
          what: 'bus or scheduler events whose function failed after retries',
        },
        {
          id: 'ScheduleDlq',
          queue: props.scheduleDlq,
          what: 'milestone schedules that could not invoke their function',
        },
        {
          id: 'OutboxDlq',
          queue: props.outboxDlq,
          what: 'table stream batches the relay could not put on the bus',
        },
        {
          id: 'LinkCheckDlq',
          queue: this.linkChecks!.dlq,
          what: 'link check messages whose consumer failed three times',
        },
      ],
    });
    this.alarmTopic = this.operations.topic;
    new CfnOutput(this, 'ApiUrl', { value: this.apiUrl });
    new CfnOutput(this, 'AppUrl', {
      value: `${this.web.url}/`,
      description: 'the web app, and the API under the same origin',
    });
    new CfnOutput(this, 'SchedulerRoleArn', { value: this.schedulerRole.roleArn });
  }

  /** The link watch's check queue and its DLQ (issue 14), made before the functions are granted it. */
  linkChecks?: { queue: Queue; dlq: Queue };

  private linkCheckQueue(prefix: string): Queue {
    const dlq = new Queue(this, 'LinkCheckDlq', {
      queueName: `${prefix}-link-check-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      dlq,
      { id: 'AwsSolutions-SQS3', reason: 'this queue is itself a dead-letter queue.' },
      { id: 'Serverless-SQSRedrivePolicy', reason: 'this queue is itself a dead-letter queue.' },
    );
    const queue = new Queue(this, 'LinkCheckQueue', {
      queueName: `${prefix}-link-check`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the consumer's timeout (AWS's advice for a Lambda event source).
      visibilityTimeout: Duration.seconds(6 * LINK_CHECK_TIMEOUT_SECONDS),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
    });
    this.linkChecks = { queue, dlq };
    return queue;
  }

  fn(name: string): NodeFunction {
    const found = this.functions.get(name);
    if (!found) throw new Error(`no function ${name} in the stack`);
    return found;
  }

  /**
   * The relay reads the table's stream, filtered to new outbox items (the pattern of
   * shared/adapters/dynamo/outbox.ts, as written), and puts their events on the bus.
   */
  private outboxRelay(props: StatelessStackProps): void {
    const relay = this.fn('outbox-relay');
    relay.addEventSource(
      new DynamoEventSource(props.table, {
        // From the oldest record the stream still holds (24 hours): an event written while the
        // mapping was being created is relayed, not skipped as LATEST would.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        // A failing batch is halved until the failing record is alone, so one bad record does not
        // hold back or dead-letter its neighbours.
        bisectBatchOnError: true,
        // 5 retries: with bisection a batch of 100 narrows to one record in 7 splits (a split does
        // not count as a retry), and EventBridge throttling or a brief outage clears within a few
        // attempts; past that, waiting longer only blocks the shard behind the record.
        retryAttempts: 5,
        // Well inside the stream's 24-hour retention, so a dead-lettered batch can still be read.
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(props.outboxDlq),
        filters: [FilterCriteria.filter(OUTBOX_STREAM_FILTER)],
      }),
    );
    // The event source grants DescribeStream, GetRecords and GetShardIterator on the stream, and
    // ListStreams on the stream too, where IAM never matches it: ListStreams supports no
    // resource-level permission (TableV2, aws/aws-cdk#34575). Lambda's documented permissions for
    // a DynamoDB stream include it, so it is granted on "*", as AWSLambdaDynamoDBExecutionRole does.
    relay.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }));
    acknowledge(relay.role!, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'reading the table stream needs dynamodb:ListStreams, which supports no resource-level permission (it only lists stream ARNs); DescribeStream, GetRecords and GetShardIterator name the stream.',
    });
  }

  private httpApi(props: StatelessStackProps, prefix: string): { api: HttpApi; stage: HttpStage } {
    const { context } = props;
    const specs = allFunctions(props.routes);
    const methods = [...new Set(specs.flatMap((spec) => spec.routes.map((route) => route.method)))];
    const api = new HttpApi(this, 'HttpApi', {
      apiName: prefix,
      createDefaultStage: false,
      ...(context.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: context.corsOrigins,
              allowMethods: [...methods.map((method) => CorsHttpMethod[method]), CorsHttpMethod.OPTIONS],
              allowHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key'],
              exposeHeaders: ['etag', 'location'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: props.settings.logRetentionDays,
      removalPolicy: props.settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: context.throttleRateLimit, burstLimit: context.throttleBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const authorizerFn = this.fn('authorizer');
    // Results are not cached: a revoked token stops working on its next request.
    const authorizers: Record<Route['auth'], IHttpRouteAuthorizer> = {
      token: new HttpLambdaAuthorizer('TokenAuthorizer', authorizerFn, {
        authorizerName: `${prefix}-token`,
        identitySource: [IDENTITY_SOURCE.token],
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        resultsCacheTtl: Duration.seconds(0),
      }),
      feed: new HttpLambdaAuthorizer('FeedAuthorizer', authorizerFn, {
        authorizerName: `${prefix}-feed`,
        identitySource: [IDENTITY_SOURCE.feed],
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        resultsCacheTtl: Duration.seconds(0),
      }),
      public: new HttpNoneAuthorizer(),
    };

    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const spec of specs.filter((s) => s.kind === 'http')) {
      integrations.set(
        spec.fn,
        new HttpLambdaIntegration(`${functionId(spec.fn)}Integration`, this.fn(spec.fn), {
          scopePermissionToRoute: false,
        }),
      );
    }
    for (const spec of specs) {
      for (const route of spec.routes) {
        const added: HttpRoute[] = api.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration: integrations.get(spec.fn)!,
          authorizer: authorizers[route.auth],
        });
        if (route.auth === 'public') {
          for (const publicRoute of added) {
            acknowledge(publicRoute, {
              id: 'AwsSolutions-APIG4',
              reason: `${route.method} ${route.path} is public by design (auth: 'public' in shared/http/routes.ts).`,
            });
          }
        }
      }
    }
    return { api, stage };
  }
}
