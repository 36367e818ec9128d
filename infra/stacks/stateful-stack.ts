import {
  Arn,
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '#adapters/dynamo/table';
import type { DeployContext, StageSettings } from '../config.ts';
import { acknowledge } from '../nag.ts';

export type StatefulStackProps = StackProps & { context: DeployContext; settings: StageSettings };

/** CloudWatch metric dimension under which SES records bounce/complaint/reject counts. */
export const SES_EVENT_DIMENSION = 'ses:configuration-set';

/**
 * What holds data or identity and must outlive code deployments: the table, the bus, the
 * schedule group, the SES identity and configuration set, and the dead-letter queues. Its
 * construct IDs never change (renaming one would replace the resource).
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly bus: EventBus;
  readonly scheduleGroup: ScheduleGroup;
  readonly emailIdentity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** EventBridge rule targets that could not be invoked. */
  readonly eventsDlq: Queue;
  /** Asynchronous invocations (bus and scheduler consumers) that failed after Lambda's retries. */
  readonly asyncDlq: Queue;
  /** Scheduler deliveries that failed (SCHEDULE_DLQ_ARN of every schedule). */
  readonly scheduleDlq: Queue;
  /**
   * Batches of the table stream (new outbox items) the relay could not put on the bus after its
   * retries. Lambda sends each as a description (shard, first and last sequence number), not the
   * records: they are read back from the stream, which keeps them 24 hours.
   */
  readonly outboxDlq: Queue;
  /** The LINE channel's secret and access token (issue 13), filled by the operator. */
  readonly lineSecret: Secret;
  readonly fromAddress: string;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { context, settings } = props;
    const prefix = `ita-${context.stage}`;
    // Dev stacks are throwaway: destroying them takes their data. Prod keeps everything.
    const removalPolicy = settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: TABLE_KEYS.gsi1.name,
          partitionKey: { name: TABLE_KEYS.gsi1.partitionKey, type: AttributeType.STRING },
          sortKey: { name: TABLE_KEYS.gsi1.sortKey, type: AttributeType.STRING },
        },
      ],
      billing: Billing.onDemand(),
      // The aws/dynamodb key: no monthly key fee, key use visible in CloudTrail; DynamoDB caches
      // the table key, so KMS request charges stay in cents. A customer-managed key would add
      // US$1/month and policy upkeep for control we do not need.
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: settings.retainData,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      // The outbox (shared/adapters/dynamo/outbox.ts): the relay reads new items' images only,
      // and DynamoDB Local's table gets the same view (table.ts).
      dynamoStream: StreamViewType[TABLE_KEYS.streamViewType],
      removalPolicy,
    });

    this.bus = new EventBus(this, 'Bus', { eventBusName: prefix });

    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', {
      scheduleGroupName: prefix,
      removalPolicy,
    });

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: prefix,
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // Bounces, complaints and rejects become CloudWatch metrics per configuration set; the
    // account-wide Reputation.* rates are alarmed in the stateless stack.
    this.configurationSet.addEventDestination('DeliveryProblems', {
      destination: EventDestination.cloudWatchDimensions([
        { name: SES_EVENT_DIMENSION, source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: prefix },
      ]),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT],
    });
    this.fromAddress = context.fromAddress;
    this.emailIdentity = new EmailIdentity(this, 'EmailIdentity', {
      identity: context.senderDomain
        ? Identity.domain(context.senderDomain)
        : Identity.email(context.fromAddress),
      configurationSet: this.configurationSet,
    });

    this.eventsDlq = this.deadLetterQueue('EventsDlq');
    this.asyncDlq = this.deadLetterQueue('AsyncDlq');
    this.scheduleDlq = this.deadLetterQueue('ScheduleDlq');
    this.outboxDlq = this.deadLetterQueue('OutboxDlq');
    // Rules live in the stateless stack; granting by rule ARN from here would make the stacks
    // depend on each other, so the grant names the bus's rules by pattern instead.
    this.eventsDlq.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.eventsDlq.queueArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': Arn.format(
              {
                service: 'events',
                resource: 'rule',
                resourceName: `${this.bus.eventBusName}/*`,
                arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
              },
              this,
            ),
          },
        },
      }),
    );

    // Created with empty values: the operator pastes the channel secret and a long-lived access
    // token from the LINE Developers console (README, section LINE). Nothing real is ever in the
    // template, the repository or a function's environment.
    this.lineSecret = new Secret(this, 'LineChannel', {
      secretName: `${prefix}/line-channel`,
      description: 'LINE Messaging API channel: {"channelSecret": "...", "channelAccessToken": "..."}',
      secretObjectValue: {
        channelSecret: SecretValue.unsafePlainText(''),
        channelAccessToken: SecretValue.unsafePlainText(''),
      },
      removalPolicy,
    });
    acknowledge(this.lineSecret, {
      id: 'AwsSolutions-SMG4',
      reason:
        'LINE issues the channel secret and long-lived access token in its own console; Secrets Manager cannot rotate them (no rotation API at LINE to call). The operator replaces them there and here; functions re-read the secret every 15 minutes.',
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'LineSecretName', { value: this.lineSecret.secretName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'EmailIdentityName', { value: this.emailIdentity.emailIdentityName });
  }

  private deadLetterQueue(id: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      queue,
      { id: 'AwsSolutions-SQS3', reason: 'this queue is itself a dead-letter queue.' },
      { id: 'Serverless-SQSRedrivePolicy', reason: 'this queue is itself a dead-letter queue.' },
    );
    return queue;
  }
}
