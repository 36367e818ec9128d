import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routes } from '#http/routes';
import { VIEWER_ADDRESS_FUNCTION_CODE, VIEWER_ADDRESS_HEADER } from '#http/viewer-address';
import {
  CONTENT_SECURITY_POLICY,
  STRICT_TRANSPORT_SECURITY_SECONDS,
  WEB_SECURITY_HEADERS,
} from '#http/web-headers';
import { apiPathPatterns, securityHeadersBehavior } from '../../infra/constructs/web-app.ts';
import { resourceById, resourcesOf, synthApp } from './app.ts';

/** Managed policy IDs, as AWS documents them (CloudFront Developer Guide, managed policies). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
/**
 * Every viewer header but Host, Authorization included: with caching disabled the managed
 * all-viewer policies forward it (a custom origin request policy may not name it).
 */
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

type Behavior = {
  PathPattern?: string;
  TargetOriginId: string;
  AllowedMethods: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId: { Ref: string };
  ViewerProtocolPolicy: string;
  Compress: boolean;
};
type Statement = {
  Effect: string;
  Action: string | string[];
  Principal: Record<string, unknown> | string;
  Condition?: Record<string, Record<string, unknown>>;
};

/** CloudFront's path pattern match: `*` any run of characters, `?` one, case-sensitive. */
const matches = (pattern: string, path: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(path);

describe('the web app behind CloudFront', () => {
  // Prepare: the dev app with cdk.json's context (bundling skipped: nothing is built).
  const { app, statelessTemplate: template } = synthApp({ stage: 'dev' });
  const [distributionId, distribution] = resourceById(
    template,
    'AWS::CloudFront::Distribution',
    'WebDistribution',
  );
  const config = distribution.Properties!.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown }[];
    DefaultRootObject: string;
    Logging: { Bucket: unknown; Prefix: string };
  };
  const [bucketId, bucket] = resourceById(template, 'AWS::S3::Bucket', 'WebBucket');
  const [logBucketId] = resourceById(template, 'AWS::S3::Bucket', 'WebLogs');
  const s3Origin = config.Origins.find((o) => JSON.stringify(o.DomainName).includes(bucketId))!;
  const apiOrigin = config.Origins.find((o) => JSON.stringify(o.DomainName).includes('execute-api'))!;
  /** The behaviour CloudFront picks for a path: the first matching pattern, else the default. */
  const behaviorFor = (path: string) =>
    config.CacheBehaviors.find((b) => matches(b.PathPattern!, path)) ?? config.DefaultCacheBehavior;

  it('keeps the bucket private: public access blocked, encrypted, TLS only, no website hosting', () => {
    // Assess
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId } },
    });
    expect(bucket.Properties).not.toHaveProperty('WebsiteConfiguration');
  });

  it('lets only this distribution read the bucket, through origin access control', () => {
    // Prepare
    const [, policy] = resourcesOf(template, 'AWS::S3::BucketPolicy').find(
      ([, p]) => JSON.stringify(p.Properties!.Bucket) === JSON.stringify({ Ref: bucketId }),
    )!;
    const statements = (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
    const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    const [, oac] = resourcesOf(template, 'AWS::CloudFront::OriginAccessControl')[0]!;

    // Assess: the one statement that reads objects names CloudFront and this distribution's ARN
    const reads = allows.filter((s) => actions(s).some((a) => a.startsWith('s3:GetObject')));
    expect(reads).toHaveLength(1);
    expect(reads[0]!.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(actions(reads[0]!)).toEqual(['s3:GetObject']);
    expect(JSON.stringify(reads[0]!.Condition!.StringEquals!['AWS:SourceArn'])).toContain(
      `{"Ref":"${distributionId}"}`,
    );
    // Nothing public; the only other grant is the stack's own auto-delete handler (no object reads).
    for (const s of allows) expect(JSON.stringify(s.Principal)).not.toMatch(/"\*"/);
    expect(allows.filter((s) => s !== reads[0]).map((s) => JSON.stringify(s.Principal))).toEqual([
      expect.stringContaining('AutoDeleteObjectsCustomResourceProviderRole'),
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // The bucket origin signs with OAC (sigv4, always); no legacy origin access identity.
    expect(oac.Properties).toMatchObject({
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(resourcesOf(template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
  });

  it('serves the app from the bucket: index.html at /, redirect to HTTPS, compressed, cached', () => {
    // Assess
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: s3Origin.Id,
      ViewerProtocolPolicy: 'redirect-to-https',
      Compress: true,
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: CACHING_OPTIMIZED,
    });
    for (const path of [
      '/',
      '/index.html',
      '/config.json',
      '/assets/app-0123456789.js',
      '/assets/sarabun-thai-400-ab.woff2',
    ])
      expect(behaviorFor(path).TargetOriginId, path).toBe(s3Origin.Id);
  });

  it('sends every route of shared/http/routes.ts, sign-in and the LINE webhook to the API, uncached, with Authorization', () => {
    // Prepare: each route's path with its parameters filled in, and the paths of routes to come
    const paths = [
      ...routes.map((route) => route.path.replace(/\{\w+\}/g, 'x1')),
      '/auth/code',
      '/auth/session',
      '/line/webhook',
    ];

    // Assess
    for (const path of paths) {
      expect(behaviorFor(path), path).toMatchObject({
        TargetOriginId: apiOrigin.Id,
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        ViewerProtocolPolicy: 'https-only',
      });
      expect([...behaviorFor(path).AllowedMethods].sort(), path).toEqual(ALL_METHODS);
    }
    // No custom origin request policy (one naming Authorization is refused by CloudFront).
    expect(resourcesOf(template, 'AWS::CloudFront::OriginRequestPolicy')).toEqual([]);
    expect(apiOrigin).toMatchObject({
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    expect(JSON.stringify(apiOrigin.DomainName)).toContain('"Ref":"HttpApi');
  });

  it('writes the viewer address on every API request at the edge, overwriting what a client sent', () => {
    // Prepare
    const [functionId, edgeFunction] = resourcesOf(template, 'AWS::CloudFront::Function')[0]!;
    const code = String((edgeFunction.Properties as { FunctionCode: string }).FunctionCode);
    const apiBehaviors = config.CacheBehaviors.filter((b) => b.TargetOriginId === apiOrigin.Id);

    // Assess
    expect(code).toBe(VIEWER_ADDRESS_FUNCTION_CODE);
    expect(code).toContain(`event.request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: event.viewer.ip }`);
    expect(apiBehaviors.length).toBeGreaterThan(0);
    for (const behavior of apiBehaviors)
      expect(
        (behavior as { FunctionAssociations?: unknown }).FunctionAssociations,
        behavior.PathPattern,
      ).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
      ]);
    expect(
      (config.DefaultCacheBehavior as { FunctionAssociations?: unknown }).FunctionAssociations,
    ).toBeUndefined();
  });

  it('derives one path pattern per first segment; /assessments* covers POST /assessments too', () => {
    // Act
    const patterns = apiPathPatterns([
      { path: '/assessments' },
      { path: '/assessments/{id}' },
      { path: '/health' },
      { path: '/auth/code' },
    ]);

    // Assess
    expect(patterns).toEqual(['/assessments*', '/auth/*', '/health', '/line/*']);
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(apiPathPatterns(routes));
  });

  it('answers every path with the security headers of shared/http/web-headers.ts, from one policy', () => {
    // Prepare
    const [policyId, policy] = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy')[0]!;
    const headers = (
      policy.Properties!.ResponseHeadersPolicyConfig as {
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: string; Override: boolean };
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: number;
            IncludeSubdomains: boolean;
            Preload: boolean;
            Override: boolean;
          };
          ReferrerPolicy: { ReferrerPolicy: string; Override: boolean };
          ContentTypeOptions: { Override: boolean };
          FrameOptions: { FrameOption: string; Override: boolean };
        };
      }
    ).SecurityHeadersConfig;

    // Assess
    expect(resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy')).toHaveLength(1);
    expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toBe(CONTENT_SECURITY_POLICY);
    expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(headers.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: STRICT_TRANSPORT_SECURITY_SECONDS,
      IncludeSubdomains: true,
      Preload: false,
      Override: true,
    });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ContentSecurityPolicy.Override).toBe(true);
    // Read back as headers, the policy says what the local server sends, no more, no less.
    expect({
      'content-security-policy': headers.ContentSecurityPolicy.ContentSecurityPolicy,
      'strict-transport-security': `max-age=${headers.StrictTransportSecurity.AccessControlMaxAgeSec}${headers.StrictTransportSecurity.IncludeSubdomains ? '; includeSubDomains' : ''}`,
      'referrer-policy': headers.ReferrerPolicy.ReferrerPolicy,
      'x-content-type-options': 'nosniff',
      'x-frame-options': headers.FrameOptions.FrameOption,
    }).toEqual(WEB_SECURITY_HEADERS);
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors])
      expect(behavior.ResponseHeadersPolicyId, behavior.PathPattern ?? 'default').toEqual({ Ref: policyId });
  });

  it('refuses to synthesize a security header CloudFront would not send', () => {
    expect(() =>
      securityHeadersBehavior({ ...WEB_SECURITY_HEADERS, 'permissions-policy': 'camera=()' }),
    ).toThrow(/permissions-policy: add it to securityHeadersBehavior/);
    expect(() => securityHeadersBehavior({ 'strict-transport-security': 'max-age=abc' })).toThrow(
      /strict-transport-security/,
    );
  });

  it('logs the distribution and the bucket to a private log bucket that expires them', () => {
    // Prepare
    const [, logBucket] = resourceById(template, 'AWS::S3::Bucket', 'WebLogs');

    // Assess
    expect(config.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    expect(logBucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 14, Status: 'Enabled' }] },
    });
  });

  it('uploads hashed assets for a year, then index.html and config.json revalidated on every load', () => {
    // Prepare
    const deployments = resourcesOf(template, 'Custom::CDKBucketDeployment');
    const [assetsId, assets] = deployments.find(([id]) => id.startsWith('WebAssets'))!;
    const [, entry] = deployments.find(([id]) => id.startsWith('WebEntry'))!;

    // Assess
    expect(deployments).toHaveLength(2);
    expect(assets.Properties).toMatchObject({
      DestinationBucketName: { Ref: bucketId },
      Exclude: ['index.html', 'config.json'],
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(entry.Properties).toMatchObject({
      DestinationBucketName: { Ref: bucketId },
      Exclude: ['*'],
      Include: ['index.html', 'config.json'],
      Prune: false,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(entry.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${assetsId.slice(0, 10)}`))]),
    );
  });

  it("writes config.json from the context's default assessment and province", () => {
    // Prepare: the staged source of config.json (the entry deployment's second source)
    const [, entry] = resourcesOf(template, 'Custom::CDKBucketDeployment').find(([id]) =>
      id.startsWith('WebEntry'),
    )!;
    const key = (entry.Properties!.SourceObjectKeys as string[])[1]!;
    const staged = join(app.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json');

    // Assess
    expect(existsSync(staged), staged).toBe(true);
    expect(JSON.parse(readFileSync(staged, 'utf8'))).toEqual({
      assessmentId: 'phatthalung-2567',
      province: 'พัทลุง',
    });
  });

  it("links emails to the distribution's URL unless the context names another, and outputs the app's URL", () => {
    // Prepare
    const { statelessTemplate: custom } = synthApp({
      stage: 'dev',
      publicBaseUrl: 'https://ita.phatthalung.go.th',
    });
    const notifierEnv = (t: typeof template) =>
      resourcesOf(t, 'AWS::Lambda::Function')
        .map(
          ([, r]) =>
            (r.Properties!.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables,
        )
        .find((v) => v?.POWERTOOLS_SERVICE_NAME === 'notifier')!;
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assess
    expect(notifierEnv(template).PUBLIC_BASE_URL).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
    });
    expect(notifierEnv(custom).PUBLIC_BASE_URL).toBe('https://ita.phatthalung.go.th');
    expect(outputs.AppUrl!.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']],
    });
  });
});
