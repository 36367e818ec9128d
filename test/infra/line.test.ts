import { describe, expect, it } from 'vitest';
import { resourceById, resourcesOf, synthApp } from './app.ts';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

describe('LINE in the stacks (issue 13)', () => {
  // Prepare: the prod app (bundling skipped).
  const { statefulTemplate: stateful, statelessTemplate: stateless } = synthApp({ stage: 'prod' });
  const functions = resourcesOf(stateless, 'AWS::Lambda::Function');
  const policies = resourcesOf(stateless, 'AWS::IAM::Policy');
  const envOf = (fn: string) => {
    const found = functions.find(
      ([, r]) =>
        (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
          ?.POWERTOOLS_SERVICE_NAME === fn,
    );
    if (!found) throw new Error(`no function ${fn}`);
    const [, resource] = found;
    const roleId = (resource.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    return {
      env: (resource.Properties!.Environment as { Variables: Record<string, unknown> }).Variables,
      statements: policies
        .filter(([, p]) => JSON.stringify(p.Properties!.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement),
    };
  };
  const reads = (statements: Statement[]) =>
    statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));

  it('creates the channel secret empty in the stateful stack, retained in prod', () => {
    // Act
    const [, secret] = resourceById(stateful, 'AWS::SecretsManager::Secret', 'LineChannel');

    // Assess
    expect(secret.Properties?.Name).toBe('ita-prod/line-channel');
    expect(JSON.parse(String(secret.Properties?.SecretString))).toEqual({
      channelSecret: '',
      channelAccessToken: '',
    });
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('gives the notifier and the LINE functions the secret by ARN and read access to it alone', () => {
    // Assess
    for (const fn of ['notifier', 'line', 'line-webhook']) {
      const { env, statements } = envOf(fn);
      expect(env.LINE_SECRET_ARN, fn).toMatchObject({
        'Fn::ImportValue': expect.stringContaining('LineChannel'),
      });
      const granted = reads(statements);
      expect(granted, fn).toHaveLength(1);
      expect(JSON.stringify(granted[0]!.Resource), fn).toContain('LineChannel');
    }
  });

  it('gives no other function the secret, and no function a LINE value in its environment', () => {
    // Assess
    for (const [, resource] of functions) {
      const env =
        (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables ?? {};
      if (!env.POWERTOOLS_SERVICE_NAME) continue;
      const fn = String(env.POWERTOOLS_SERVICE_NAME);
      expect(
        Object.keys(env).filter((k) => /LINE/.test(k) && k !== 'LINE_SECRET_ARN'),
        fn,
      ).toEqual([]);
      if (!['notifier', 'line', 'line-webhook'].includes(fn)) expect(env.LINE_SECRET_ARN, fn).toBeUndefined();
    }
  });

  it('routes the webhook without an authorizer (LINE signs its body instead)', () => {
    // Act
    const route = resourcesOf(stateless, 'AWS::ApiGatewayV2::Route').find(
      ([, r]) => r.Properties?.RouteKey === 'POST /line/webhook',
    );

    // Assess
    expect(route?.[1].Properties?.AuthorizationType).toBe('NONE');
  });
});
