// The web app's two stacks: a private bucket that only CloudFront reads (origin access control), served
// over HTTPS with the security headers and the SPA fallback; the files and config.json deployed after the
// API and the user pool they name; and what the web origin sets elsewhere: the sign-in callback and the
// API's CORS. Synthesized without a built web/dist (bundling off: a placeholder stands in).

import { rmSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformApp } from './synth.ts';

type Synthesized = Record<'web' | 'webContent' | 'auth' | 'api', Template>;
const outdirs: string[] = [];

function synthesize(context: Record<string, string> = {}): Synthesized {
  const { app, platform, outdir } = platformApp({ stage: 'dev', context });
  outdirs.push(outdir);
  const assembly = app.synth();
  const template = (stack: { stackName: string }) => Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  return { web: template(platform.web), webContent: template(platform.webContent), auth: template(platform.auth), api: template(platform.api) };
}

let cloudFrontDomain: Synthesized;
let customDomain: Synthesized;

beforeAll(() => {
  cloudFrontDomain = synthesize();
  customDomain = synthesize({ webDomain: 'app.example.cn', webCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' });
});
afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

const importOfDistributionDomain = { 'Fn::ImportValue': Match.stringLikeRegexp('SmartCommunity-dev-Web:.*Distribution.*DomainName') };

describe('web hosting', () => {
  it('keeps the site bucket private: public access blocked, encrypted, TLS only, access logged', () => {
    const { web } = cloudFrontDomain;
    web.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['smart-community-dev-web-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
    });
    web.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      }),
    });
  });

  it('lets only CloudFront read it, through origin access control, and redirects plain HTTP to HTTPS', () => {
    const { web } = cloudFrontDomain;
    web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    web.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
    web.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' })]),
      }),
    });
  });

  it('answers every page address with index.html (403 and 404 from S3 become 200)', () => {
    cloudFrontDomain.web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
          { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
        ],
      }),
    });
  });

  it('sends the security headers: CSP (scripts from the app only, requests to the API and managed login), HSTS, DENY, nosniff, referrer policy', () => {
    const policies = cloudFrontDomain.web.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const [policy] = Object.values(policies) as { Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Record<string, any> } } }[];
    const headers = policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src 'self' https:\/\/\*\.execute-api\./);
    expect(csp).toMatch(/https:\/\/\*\.lambda-url\./);
    expect(csp).toContain('.amazoncognito.com');
    // The presigned uploads of residents' files go to the files bucket itself.
    expect(csp).toMatch(/smart-community-\w+-files-.*\.s3\./);
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    });
  });

  it('serves a custom domain with its certificate and TLS 1.2 at least', () => {
    customDomain.web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['app.example.cn'],
        ViewerCertificate: { AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc', MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      }),
    });
  });
});

describe('web content', () => {
  it('deploys the hashed assets for a year and the shell with config.json revalidated, after the assets, invalidating the shell', () => {
    const { webContent } = cloudFrontDomain;
    const deployments = Object.entries(webContent.findResources('Custom::CDKBucketDeployment')) as [string, { Properties: Record<string, any>; DependsOn?: string[] }][];
    expect(deployments).toHaveLength(2);
    const assets = deployments.find(([, d]) => d.Properties.DestinationBucketKeyPrefix === 'assets/')!;
    const shell = deployments.find(([, d]) => d.Properties.DestinationBucketKeyPrefix === undefined)!;
    expect(assets[1].Properties).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(shell[1].Properties).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'no-cache' }, DistributionPaths: ['/', '/index.html', '/config.json'] });
    expect(shell[1].DependsOn).toEqual(expect.arrayContaining([expect.stringContaining(assets[0].replace(/CustomResource.*/, ''))]));
  });

  it('writes config.json at deploy time with the API URL, the display URL and the managed-login domain and app client of the Auth stack', () => {
    const shell = Object.values(cloudFrontDomain.webContent.findResources('Custom::CDKBucketDeployment')).find(
      (d) => (d as { Properties: Record<string, unknown> }).Properties.DestinationBucketKeyPrefix === undefined,
    ) as { Properties: { SourceMarkers: Record<string, unknown>[] } };
    const markers = JSON.stringify(shell.Properties.SourceMarkers);
    expect(markers).toMatch(/SmartCommunity-dev-Api:ExportsOutputRefApi/);
    expect(markers).toMatch(/SmartCommunity-dev-Api:ExportsOutputFnGetAtt\w*FunctionUrl/);
    expect(markers).toMatch(/SmartCommunity-dev-Auth:ExportsOutputRefUsersManagedLogin/);
    expect(markers).toMatch(/SmartCommunity-dev-Auth:ExportsOutputRefUsersApp/);
  });
});

describe('what the web origin sets elsewhere', () => {
  it('signs in with managed login (code flow, public client) and returns to the web origin', () => {
    const { auth } = cloudFrontDomain;
    auth.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'phone', 'profile'],
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', importOfDistributionDomain, '/auth/callback']] }],
      LogoutURLs: [{ 'Fn::Join': ['', ['https://', importOfDistributionDomain, '/']] }],
      GenerateSecret: Match.absent(),
    });
    auth.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    auth.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { UseCognitoProvidedValues: true });
    customDomain.auth.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['https://app.example.cn/auth/callback'] });
  });

  it("sends the resident back from the phone's wallet to the web origin: the pay route alone is told it (WEB_URL)", () => {
    const pay = 'smart-community-dev-bills-pay-bill';
    for (const { api } of [cloudFrontDomain, customDomain]) {
      const told = Object.values(api.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Environment?.Variables?.WEB_URL !== undefined);
      expect(told.map((fn) => fn.Properties.FunctionName)).toEqual([pay]);
    }
    const webUrl = (value: unknown) => ({ FunctionName: pay, Environment: { Variables: Match.objectLike({ WEB_URL: value }) } });
    cloudFrontDomain.api.hasResourceProperties('AWS::Lambda::Function', webUrl({ 'Fn::Join': ['', ['https://', importOfDistributionDomain]] }));
    customDomain.api.hasResourceProperties('AWS::Lambda::Function', webUrl('https://app.example.cn'));
  });

  it('lets the browser call the API from the web origin only', () => {
    cloudFrontDomain.api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [{ 'Fn::Join': ['', ['https://', importOfDistributionDomain]] }] }),
    });
    customDomain.api.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example.cn'] }) });
  });
});
