import path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { Route } from '#http/routes';
import { VIEWER_ADDRESS_FUNCTION_CODE } from '#http/viewer-address';
import { WEB_SECURITY_HEADERS } from '#http/web-headers';
import { REPO_ROOT } from '../bundling.ts';
import type { StageSettings } from '../config.ts';
import { acknowledge } from '../nag.ts';
import { locallyBuilt } from './local-build.ts';

export type WebAppProps = {
  prefix: string;
  settings: StageSettings;
  /** The HTTP API, the distribution's second origin. */
  api: IHttpApi;
  /** The deployed routes: every first path segment of them is sent to the API. */
  routes: readonly Route[];
  /** `/config.json` of the app. */
  config: { assessmentId: string; province: string };
};

/**
 * Path prefixes that belong to the API before any route of theirs is deployed: sign-in and the
 * LINE webhook. A path under them with no route is the API's 404, never the app's index.html.
 */
export const RESERVED_API_PATTERNS = ['/auth/*', '/line/*'] as const;

/**
 * CloudFront path patterns for the API, one per first segment of the route table: `/health` for a
 * one-segment route, `/line/*` for deeper ones, and `/assessments*` where both exist
 * (`POST /assessments` and `/assessments/{id}/…`; `/assessments/*` alone would send the first to
 * the bucket, which refuses a POST).
 */
export const apiPathPatterns = (routes: readonly Pick<Route, 'path'>[]): string[] => {
  const shapes = new Map<string, { exact: boolean; deeper: boolean }>();
  for (const route of routes) {
    const [, first, ...rest] = route.path.split('/');
    const shape = shapes.get(first!) ?? { exact: false, deeper: false };
    if (rest.length === 0) shape.exact = true;
    else shape.deeper = true;
    shapes.set(first!, shape);
  }
  const patterns = [...shapes].map(([segment, { exact, deeper }]) =>
    exact && deeper ? `/${segment}*` : deeper ? `/${segment}/*` : `/${segment}`,
  );
  const reserved = RESERVED_API_PATTERNS.filter(
    (pattern) => !patterns.includes(pattern) && !patterns.includes(pattern.replace('/*', '*')),
  );
  return [...patterns, ...reserved].sort();
};

/**
 * The response-headers policy's security headers, read from the one list the local server also
 * sends (`shared/http/web-headers.ts`). A header this mapping does not know fails the synth, so
 * the list cannot grow in one place only.
 */
export const securityHeadersBehavior = (
  headers: Readonly<Record<string, string>> = WEB_SECURITY_HEADERS,
): ResponseSecurityHeadersBehavior => {
  const behavior: {
    -readonly [K in keyof ResponseSecurityHeadersBehavior]: ResponseSecurityHeadersBehavior[K];
  } = {};
  for (const [name, value] of Object.entries(headers)) {
    switch (name) {
      case 'content-security-policy':
        behavior.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case 'strict-transport-security': {
        const maxAge = /^max-age=(\d+)(; includeSubDomains)?(; preload)?$/.exec(value);
        if (!maxAge) throw new Error(`strict-transport-security: cannot express "${value}" in CloudFront`);
        behavior.strictTransportSecurity = {
          accessControlMaxAge: Duration.seconds(Number(maxAge[1])),
          includeSubdomains: maxAge[2] !== undefined,
          preload: maxAge[3] !== undefined,
          override: true,
        };
        break;
      }
      case 'referrer-policy': {
        const policy = Object.values(HeadersReferrerPolicy).find((p) => p === value);
        if (!policy) throw new Error(`referrer-policy: unknown value "${value}"`);
        behavior.referrerPolicy = { referrerPolicy: policy, override: true };
        break;
      }
      case 'x-content-type-options':
        if (value !== 'nosniff')
          throw new Error(`x-content-type-options: only nosniff exists, not "${value}"`);
        behavior.contentTypeOptions = { override: true };
        break;
      case 'x-frame-options': {
        const option = Object.values(HeadersFrameOption).find((o) => o === value);
        if (!option) throw new Error(`x-frame-options: unknown value "${value}"`);
        behavior.frameOptions = { frameOption: option, override: true };
        break;
      }
      default:
        throw new Error(`${name}: add it to securityHeadersBehavior (infra/constructs/web-app.ts)`);
    }
  }
  return behavior;
};

const BUILD_SCRIPT = path.join(REPO_ROOT, 'scripts', 'bundle-web.ts');

/**
 * The built app as an asset: `scripts/build-web.ts` (through `scripts/bundle-web.ts`) writes
 * index.html, the hashed assets and the fonts into the asset's output, so a synth never needs a
 * prior `npm run build:web` and deploys what the sources say. The source directory is `web/` only
 * because an asset needs one (the build reads node_modules' fonts too); the hash is the output's,
 * so a deployment uploads exactly when the build changes (see `locallyBuilt`).
 */
const webSource = () =>
  Source.asset(
    path.join(REPO_ROOT, 'web'),
    locallyBuilt({ script: BUILD_SCRIPT, what: 'building the web app' }, Runtime.NODEJS_24_X.bundlingImage),
  );

/**
 * The people's web app in AWS: a private bucket holding the built app, behind one CloudFront
 * distribution that also sends the API's paths to the HTTP API, so the app and the API share an
 * origin (no CORS, the token never in a URL). Every answer, the API's included, carries the
 * security headers of `shared/http/web-headers.ts` from one response-headers policy.
 */
export class WebApp extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<id>.cloudfront.net` (no trailing slash). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const { settings, prefix } = props;

    // Access logs of the distribution and the bucket, kept as long as the functions' logs. Standard
    // CloudFront logging writes with an ACL, which this bucket must therefore accept.
    this.logBucket = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(settings.logRetentionDays) }],
      removalPolicy: settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !settings.retainData,
    });
    acknowledge(this.logBucket, {
      id: 'AwsSolutions-S1',
      reason:
        'this is the access-log bucket itself; logging it into itself would log its own log deliveries.',
    });

    // Build output only (rebuilt and re-uploaded by every deployment): destroyed with the stack in
    // every stage, emptied first by the auto-delete handler.
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: `${prefix}-web-security-headers`,
      comment: 'shared/http/web-headers.ts: CSP without unsafe-inline, HSTS, no referrer, nosniff, DENY',
      securityHeadersBehavior: securityHeadersBehavior(),
    });

    const apiOrigin = new HttpOrigin(
      `${props.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`,
      {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      },
    );
    // Caching disabled, so the managed all-viewer-headers policy may (and does) forward
    // Authorization; a custom origin request policy could not name it. Host is the one header
    // left out: API Gateway routes by its own host name and refuses another.
    const viewerAddress = new EdgeFunction(this, 'ViewerAddress', {
      comment: 'the viewer address for the per-source sign-in limits (shared/http/viewer-address.ts)',
      code: FunctionCode.fromInline(VIEWER_ADDRESS_FUNCTION_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });
    const apiBehavior: BehaviorOptions = {
      origin: apiOrigin,
      functionAssociations: [{ function: viewerAddress, eventType: FunctionEventType.VIEWER_REQUEST }],
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      // No redirect: a redirected POST would lose its body.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      responseHeadersPolicy,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${prefix}: the web app (S3) and the HTTP API`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy,
      },
      additionalBehaviors: Object.fromEntries(
        apiPathPatterns(props.routes).map((pattern) => [pattern, apiBehavior]),
      ),
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Every edge, Bangkok's included: the always-free tier (1 TB and 10 million requests a
      // month) covers every price class, so the cheaper classes would only add latency.
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    acknowledge(
      this.distribution,
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'no geo restriction: the people are Thai civil servants, some of whom open their reminders while abroad; sign-in is by emailed code.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          "no WAF: a web ACL costs more each month than the rest of a province's deployment; the API's stage throttle, the sign-in limits per address and per source, and the authorizer bound abuse.",
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'the default *.cloudfront.net certificate, with which CloudFront cannot require TLS 1.2 of viewers; a custom domain (publicBaseUrl) with an ACM certificate is the way to set TLSv1.2_2021.',
      },
    );
    this.url = `https://${this.distribution.distributionDomainName}`;

    // Hashed assets first, cached for a year and never pruned: a page loaded before a deployment
    // still finds the files its index.html names. Then index.html and config.json, revalidated on
    // every load, so a deployment shows at the next visit.
    const source = webSource();
    const assets = new BucketDeployment(this, 'Assets', {
      destinationBucket: this.bucket,
      sources: [source],
      exclude: ['index.html', 'config.json'],
      prune: false,
      cacheControl: [
        CacheControl.setPublic(),
        CacheControl.maxAge(Duration.days(365)),
        CacheControl.immutable(),
      ],
    });
    const entry = new BucketDeployment(this, 'Entry', {
      destinationBucket: this.bucket,
      sources: [source, Source.jsonData('config.json', props.config)],
      exclude: ['*'],
      include: ['index.html', 'config.json'],
      prune: false,
      cacheControl: [CacheControl.noCache()],
    });
    entry.node.addDependency(assets);
    this.acknowledgeDeploymentHandler();
  }

  /**
   * The upload handler of BucketDeployment is aws-cdk-lib's own function (one per stack, created
   * beside the stack's top-level constructs); what it is and what it may do is the library's.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!handler) throw new Error('no BucketDeployment handler in the stack');
    const bucketArn = `<${stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>`;
    const assetBucket = `arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${stack.region}`;
    const grants =
      "CDK's grantRead on the asset bucket and grantReadWrite on the web app's bucket, nothing wider";
    acknowledge(
      handler,
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'the managed policy of the library-provided upload handler: writing its own logs only.',
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${action} comes from ${grants}.`,
      })),
      ...[`${assetBucket}/*`, `${bucketArn}/*`].map((resource) => ({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason: `the objects of the one bucket the grant names (${grants}).`,
      })),
      {
        id: 'AwsSolutions-L1',
        reason:
          "the upload handler's runtime (Python with the AWS CLI layer) is chosen and updated by aws-cdk-lib.",
      },
      {
        id: 'Serverless-LambdaLatestVersion',
        reason:
          "the upload handler's runtime (Python with the AWS CLI layer) is chosen and updated by aws-cdk-lib.",
      },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'invoked synchronously by CloudFormation as a custom resource; a failure fails the deployment.',
      },
      {
        id: 'Serverless-LambdaTracing',
        reason: 'runs once per deployment, on no request path: there is nothing to trace.',
      },
    );
  }
}
