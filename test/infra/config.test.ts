import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { readDeployContext } from '../../infra/config.ts';
import { cdkContext } from './app.ts';

const read = (overrides: Record<string, unknown>) => {
  const context = { ...cdkContext(), ...overrides };
  return readDeployContext((key) => context[key]);
};

describe('deploy context', () => {
  it("reads cdk.json's defaults: dev in ap-southeast-1, no CORS, the distribution's URL as public base", () => {
    expect(read({})).toEqual({
      stage: 'dev',
      region: 'ap-southeast-1',
      fromAddress: 'ita-noreply@example.org',
      secretariatEmail: [],
      approverEmail: [],
      corsOrigins: [],
      defaultAssessmentId: 'phatthalung-2567',
      province: 'พัทลุง',
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
    });
  });

  it('rejects an unknown stage with the accepted values', () => {
    expect(() => read({ stage: 'staging' })).toThrow(/-c stage: stage must be one of dev, prod/);
  });

  it('parses command-line strings: origins as a list, limits as numbers', () => {
    const context = read({ corsOrigins: 'https://a.example, https://b.example', throttleRateLimit: '20' });
    expect(context.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(context.throttleRateLimit).toBe(20);
  });

  it('reads the default recipients as address lists and names a bad one', () => {
    // Act
    const context = read({
      secretariatEmail: 'ita@phatthalung.go.th, sec2@phatthalung.go.th',
      approverEmail: 'governor@phatthalung.go.th',
    });

    // Assess
    expect(context.secretariatEmail).toEqual(['ita@phatthalung.go.th', 'sec2@phatthalung.go.th']);
    expect(context.approverEmail).toEqual(['governor@phatthalung.go.th']);
    expect(() => read({ secretariatEmail: 'not-an-address' })).toThrow(/-c secretariatEmail/);
  });

  it('names every bad key at once', () => {
    const attempt = () =>
      read({ corsOrigins: 'https://a.example/path', fromAddress: 'not-an-address', alarmEmail: 'x' });
    expect(attempt).toThrow(/-c corsOrigins/);
    expect(attempt).toThrow(/-c fromAddress/);
    expect(attempt).toThrow(/-c alarmEmail/);
  });

  it('requires the From address to belong to the sender domain', () => {
    expect(() => read({ senderDomain: 'other.example' })).toThrow(
      /fromAddress must be an address at senderDomain/,
    );
  });

  it('refuses to build the app with an invalid stage', () => {
    const app = new App({ context: { ...cdkContext(), stage: 'test' } });
    expect(() => buildApp(app)).toThrow(/invalid CDK context/);
  });
});
