import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TABLE_KEYS } from '#adapters/dynamo/table';
import { resourceById, resourcesOf, synthApp } from './app.ts';

describe('stateful stack', () => {
  // Prepare: one app per stage (bundling skipped).
  const dev = synthApp({ stage: 'dev' }).statefulTemplate;
  const prod = synthApp({ stage: 'prod' }).statefulTemplate;

  it('declares the table exactly as shared/adapters/dynamo/table.ts: keys, GSI1 (ALL), TTL, on-demand, PITR, KMS, stream of new images', () => {
    // Assess
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: TABLE_KEYS.gsi1.name,
            KeySchema: [
              { AttributeName: TABLE_KEYS.gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: TABLE_KEYS.gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        // The outbox relay reads only the new image of each item.
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        Replicas: [
          Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
        ],
      });
    }
  });

  it('retains the table and schedule group and protects the table from deletion in prod only', () => {
    // Act
    const [, prodTable] = resourceById(prod, 'AWS::DynamoDB::GlobalTable', 'Table');
    const [, devTable] = resourceById(dev, 'AWS::DynamoDB::GlobalTable', 'Table');
    const [, prodGroup] = resourceById(prod, 'AWS::Scheduler::ScheduleGroup', 'ScheduleGroup');
    // Assess
    expect(prodTable.DeletionPolicy).toBe('Retain');
    expect(prodTable.UpdateReplacePolicy).toBe('Retain');
    expect(prodGroup.DeletionPolicy).toBe('Retain');
    expect(
      (prodTable.Properties!.Replicas as { DeletionProtectionEnabled: boolean }[])[0]!
        .DeletionProtectionEnabled,
    ).toBe(true);
    expect(devTable.DeletionPolicy).toBe('Delete');
    expect(
      (devTable.Properties!.Replicas as { DeletionProtectionEnabled: boolean }[])[0]!
        .DeletionProtectionEnabled,
    ).toBe(false);
  });

  it('names the bus and schedule group by stage', () => {
    prod.hasResourceProperties('AWS::Events::EventBus', { Name: 'ita-prod' });
    prod.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'ita-prod' });
    dev.hasResourceProperties('AWS::Events::EventBus', { Name: 'ita-dev' });
  });

  it('records SES bounces, complaints and rejects as CloudWatch metrics of the configuration set', () => {
    dev.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'ita-dev',
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    dev.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'reject'],
        CloudWatchDestination: Match.anyValue(),
      }),
    });
    dev.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'ita-noreply@example.org',
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });

  it('verifies the domain instead of the address when senderDomain is set', () => {
    // Act
    const { statefulTemplate } = synthApp({
      senderDomain: 'ita.example.go.th',
      fromAddress: 'noreply@ita.example.go.th',
    });
    // Assess
    statefulTemplate.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'ita.example.go.th' });
  });

  it('makes four encrypted dead-letter queues that keep messages 14 days and refuse plain HTTP', () => {
    // Act
    const queues = resourcesOf(dev, 'AWS::SQS::Queue');
    const policies = resourcesOf(dev, 'AWS::SQS::QueuePolicy');
    // Assess
    expect(queues.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'AsyncDlq',
      'EventsDlq',
      'OutboxDlq',
      'ScheduleDlq',
    ]);
    for (const [id, queue] of queues) {
      expect(queue.Properties!.SqsManagedSseEnabled).toBe(true);
      expect(queue.Properties!.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
      expect(queue.Properties!.RedrivePolicy).toBeUndefined();
      const policy = policies.find(([, p]) => JSON.stringify(p.Properties!.Queues).includes(id));
      expect(JSON.stringify(policy?.[1].Properties?.PolicyDocument)).toContain(
        '"aws:SecureTransport":"false"',
      );
    }
  });

  it('makes the outbox DLQ like the others, deleted with the stack in prod too, and exports it and the stream', () => {
    // Act
    const [, prodQueue] = resourceById(prod, 'AWS::SQS::Queue', 'OutboxDlq');
    const [outboxDlqId, devQueue] = resourceById(dev, 'AWS::SQS::Queue', 'OutboxDlq');
    const [, asyncQueue] = resourceById(dev, 'AWS::SQS::Queue', 'AsyncDlq');
    const [tableId] = resourceById(dev, 'AWS::DynamoDB::GlobalTable', 'Table');
    const exported = Object.values(dev.toJSON().Outputs as Record<string, { Value: unknown }>).map((output) =>
      JSON.stringify(output.Value),
    );
    // Assess
    expect(devQueue.Properties).toEqual(asyncQueue.Properties);
    expect(devQueue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    for (const queue of [devQueue, prodQueue]) expect(queue.DeletionPolicy).toBe('Delete');
    expect(exported).toContain(JSON.stringify({ 'Fn::GetAtt': [outboxDlqId, 'Arn'] }));
    expect(exported).toContain(JSON.stringify({ 'Fn::GetAtt': [tableId, 'StreamArn'] }));
  });

  it('lets no service send to the outbox DLQ: only the relay, through its role', () => {
    // Act
    const [outboxDlqId] = resourceById(dev, 'AWS::SQS::Queue', 'OutboxDlq');
    const [, policy] = resourcesOf(dev, 'AWS::SQS::QueuePolicy').find(([, p]) =>
      JSON.stringify(p.Properties!.Queues).includes(outboxDlqId),
    )!;
    const statements = (policy.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    // Assess: the one statement is enforceSSL's deny.
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it("lets only the bus's rules send to the events DLQ", () => {
    dev.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: {
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    Match.arrayWith([':rule/', { Ref: Match.stringLikeRegexp('^Bus') }, '/*']),
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
  });
});
