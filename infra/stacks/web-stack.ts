// The resident web app in AWS, as two stacks because of who needs whom:
//   WebStack        the private bucket behind CloudFront (origin access control, TLS, security headers,
//                   SPA fallback). Its origin goes to the Auth stack (sign-in callback), the Api stack
//                   (CORS, and the pay route's WEB_URL: the wallets' way back to the pay page) and the
//                   Data stack (the files bucket's CORS), so it is deployed before them.
//   WebContentStack the files of web/dist and the config.json the app reads at start (the API URL and the
//                   Cognito managed-login details), deployed after Web, Auth and Api, whose values it needs.
// The Content-Security-Policy may connect to the API, to the managed-login domain and to the files bucket
// (presigned uploads, whose bucket name is fixed by the stage, account and region). The API's exact
// origin is not known when the headers are made (the API is created after this stack, because its CORS
// needs the web origin), so connect-src names the region's execute-api hosts, and its Lambda function URL
// hosts for the hall display.

import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Aws, CfnOutput, DefaultStackSynthesizer, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { WEB_DIST } from '../web-build.ts';
import { contentSecurityPolicy, HSTS_MAX_AGE_SECONDS } from '../web-headers.ts';
import { filesBucketName } from './data-stack.ts';
import type { StageConfig } from './stage.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The managed-login domain prefix of a stage: unique per account, as Cognito requires within a region. */
export const managedLoginDomainPrefix = (config: StageConfig, account: string) => `${config.prefix}-${account}`;

/** A fixed name, so WebContent addresses the bucket without an export and its grants name it exactly. */
const siteBucketName = (config: StageConfig) => `${config.prefix}-web-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

export class WebStack extends Stack {
  readonly distribution: Distribution;
  /** `https://<domain>` the app is served on: its custom domain, or the CloudFront domain. */
  readonly origin: string;

  constructor(scope: Construct, id: string, config: StageConfig, props?: StackProps) {
    super(scope, id, props);

    // CloudFront's standard logs need ACLs on their bucket; S3 server access logs of the site go there too.
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: config.removalPolicy,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the web app: logging its own accesses into itself would log without end.',
    });

    const site = new Bucket(this, 'Site', {
      bucketName: siteBucketName(config),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: config.removalPolicy,
    });

    const apiHosts = `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const functionUrlHosts = `https://*.lambda-url.${Aws.REGION}.on.aws`;
    const managedLogin = `https://${managedLoginDomainPrefix(config, Aws.ACCOUNT_ID)}.auth.${Aws.REGION}.amazoncognito.com`;
    // Materials go from the page straight to the files bucket through presigned URLs (virtual-hosted style).
    const files = `https://${filesBucketName(config)}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: `${config.prefix}-web`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy([apiHosts, functionUrlHosts, managedLogin, files]), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS), includeSubdomains: true, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    const domain = config.webDomain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${config.prefix} resident web app`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      // A page address (/my-cases/C…) is no object in the bucket: S3 answers 403 (404 with list rights),
      // and the app's index.html routes it in the browser.
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(0) })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Edge locations in Asia (Hong Kong, Taipei, Singapore …) are in class 200, not 100.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      ...(domain
        ? {
            domainNames: [domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.origin = domain ? `https://${domain.name}` : `https://${this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'No geo restriction: residents use the app from wherever they are, also while travelling abroad.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: 'The distribution serves static files only, cached at the edge; the API behind it has its own throttling (API stack).',
    });
    if (!domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason: 'Without -c webDomain the app is served on the *.cloudfront.net certificate, whose TLS policy CloudFront fixes; with a custom domain the minimum is TLSv1.2_2021.',
      });
    }

    new CfnOutput(this, 'WebUrl', { value: this.origin, description: 'The resident web app' });
  }
}

export type WebContentProps = StackProps & {
  config: StageConfig;
  web: WebStack;
  apiUrl: string;
  /** The hall display's function URL: the screens poll it instead of the API (README, "The hall display"). */
  displayUrl: string;
  cognito: { domain: string; clientId: string; userPoolId: string };
};

/**
 * The directory to deploy: web/dist, which the CDK app builds before synthesizing (infra/app.ts). When the
 * stack is synthesized without bundling (the infra tests), a placeholder stands in, as for the Lambdas.
 */
function webDistFor(stack: Stack): string {
  const dist = join(REPO_ROOT, WEB_DIST);
  if (stack.bundlingRequired) {
    if (!existsSync(join(dist, 'index.html'))) throw new Error(`${WEB_DIST} is missing: build the web app first (npx vite build web)`);
    return dist;
  }
  const placeholder = mkdtempSync(join(tmpdir(), 'web-dist-'));
  mkdirSync(join(placeholder, 'assets'));
  writeFileSync(join(placeholder, 'index.html'), '<!doctype html><title>placeholder</title>');
  writeFileSync(join(placeholder, 'assets', 'placeholder.js'), '');
  return placeholder;
}

export class WebContentStack extends Stack {
  constructor(scope: Construct, id: string, props: WebContentProps) {
    super(scope, id, props);
    const { config, web } = props;
    const dist = webDistFor(this);
    const site = Bucket.fromBucketName(this, 'Site', siteBucketName(config));

    // Hashed names: a new build is new files, so they are cached for a year; old ones stay (prune off)
    // for tabs still open on the previous index.html.
    const assets = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(join(dist, 'assets'))],
      destinationBucket: site,
      destinationKeyPrefix: 'assets/',
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      prune: false,
      memoryLimit: 512,
    });
    // The shell and its config.json are revalidated on every visit, and deployed after the assets they name.
    const shell = new BucketDeployment(this, 'Shell', {
      sources: [
        Source.asset(dist, { exclude: ['assets', 'assets/**'] }),
        Source.jsonData('config.json', {
          auth: 'cognito',
          apiUrl: props.apiUrl.replace(/\/$/, ''),
          displayUrl: props.displayUrl.replace(/\/$/, ''),
          cognito: props.cognito,
        }),
      ],
      destinationBucket: site,
      cacheControl: [CacheControl.noCache()],
      prune: false,
      distribution: web.distribution,
      distributionPaths: ['/', '/index.html', '/config.json'],
      memoryLimit: 512,
    });
    shell.node.addDependency(assets);

    // The deployment's provider is a CDK custom resource that copies the files at deploy time; these are its
    // own grants, written by aws-cdk-lib, each acknowledged by its exact finding.
    const qualifier = (this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const providerGrants: [string, string][] = [
      ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'The deployment provider writes its logs with the AWS managed basic execution policy that aws-cdk-lib gives it.'],
      ['AwsSolutions-IAM5[Action::s3:GetObject*]', 'The deployment provider reads the uploaded web/dist asset objects (CDK grants read with object-action wildcards).'],
      ['AwsSolutions-IAM5[Action::s3:GetBucket*]', 'The deployment provider reads the location and settings of the asset and site buckets it copies between.'],
      ['AwsSolutions-IAM5[Action::s3:List*]', 'The deployment provider lists the asset archive and the site bucket to compare what it copies.'],
      ['AwsSolutions-IAM5[Action::s3:DeleteObject*]', 'CDK grants the deployment provider delete on the site bucket; with prune off it does not delete old assets.'],
      ['AwsSolutions-IAM5[Action::s3:Abort*]', 'The deployment provider aborts its own multipart uploads to the site bucket when a copy fails.'],
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*]`, 'The deployment provider reads the web/dist archive from the CDK bootstrap asset bucket, whose objects are named by hash.'],
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${config.prefix}-web-<AWS::AccountId>-<AWS::Region>/*]`, 'The deployment provider writes the web app files, any object of the site bucket of this stage.'],
      ['AwsSolutions-IAM5[Resource::*]', 'CloudFront CreateInvalidation and GetInvalidation have no resource-level permissions; the provider invalidates the shell after a deploy.'],
      ['AwsSolutions-L1', 'The deployment provider runtime is chosen by aws-cdk-lib (Python) and moves with its releases; it runs during deploys only.'],
    ];
    Validations.of(this).acknowledge(...providerGrants.map(([id, reason]) => ({ id, reason })));
  }
}
