import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { nagPacks } from '../../infra/nag.ts';
import { synthApp } from './app.ts';

/** Lets the worker answer vitest between two long synchronous steps (its RPC times out after 60 s). */
const yieldToWorker = () => new Promise((resolve) => setImmediate(resolve));

describe('cdk-nag (AwsSolutions + Serverless)', () => {
  // One stage per test: a whole-app synth with both packs, run twice, takes a minute or more on a
  // loaded two-core machine, and blocks the worker while it runs.
  it.each(['dev', 'prod'])(
    'finds nothing unacknowledged in either stack, for %s with every option set',
    async (stage) => {
      // Prepare: synthApp registers the packs as validation plugins; synthesis throws on a finding.
      const { app, stateful, stateless } = synthApp({
        stage,
        alarmEmail: 'ops@example.org',
        corsOrigins: 'https://ita.example.go.th',
        senderDomain: 'example.org',
      });
      await yieldToWorker();
      // Act: run the packs again over the synthesized tree, to list what they report.
      const violations = nagPacks().flatMap((pack) => pack.validateScope(app).violations);
      await yieldToWorker();
      // Assess
      expect(violations.map((v) => `${v.ruleName} @ ${v.violatingResources[0]?.constructPath}`)).toEqual([]);
      for (const stack of [stateful, stateless]) {
        expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
        expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
      }
    },
    300_000,
  );

  it("acknowledges the outbox relay's findings next to it, each with its own reason", () => {
    // Prepare
    const { stateless } = synthApp({ stage: 'dev' }, { nag: false });
    const relay = stateless.fn('outbox-relay');
    const reasons = (construct: typeof relay | NonNullable<typeof relay.role>, rule: string) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .map((entry) => (entry.data as Record<string, string>)[`Annotation::${rule}`])
        .filter((reason) => reason !== undefined);
    // Act
    const listStreams = reasons(relay.role!, 'AwsSolutions-IAM5[Resource::*]');
    const lambdaDlq = reasons(relay, 'Serverless-LambdaDLQ');
    // Assess
    expect(
      listStreams.some((reason) => reason.startsWith('reading the table stream needs dynamodb:ListStreams')),
    ).toBe(true);
    expect(lambdaDlq).toEqual([expect.stringContaining("mapping's on-failure destination (the outbox DLQ)")]);
  });

  it('does report a resource that breaks a rule (the packs are live)', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Probe');
    new Queue(stack, 'PlainQueue');
    // Act
    const rules = nagPacks().flatMap((pack) => pack.validateScope(app).violations.map((v) => v.ruleName));
    // Assess
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy']));
  });
});
