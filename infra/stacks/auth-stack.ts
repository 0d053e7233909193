// Sign-in: the Cognito user pool whose ID tokens the API's JWT authorizer accepts. Residents sign up
// with their phone number; staff and supervisors are created by an administrator, with the service
// categories they work in `custom:categories` and their service centre in `custom:centre` (see README,
// "Deploying to AWS"). The web app signs in with Cognito managed login (authorization code + PKCE) on the
// stage's own domain, back to the web origin.

import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolDomain,
  UserPoolGroup,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { Role as PlatformRole } from '../../shared/routes.ts';
import { ServiceFunction, smsPublishStatement, type PlatformResources } from '../constructs/service-function.ts';
import { PolicyDocument, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { managedLoginDomainPrefix } from './web-stack.ts';

export const COGNITO_GROUPS: readonly PlatformRole[] = ['resident', 'staff', 'supervisor'];

export type AuthStackProps = StackProps & {
  /** `https://…` of the web app: where managed login returns after sign-in and sign-out. */
  webOrigin: string;
};

export class AuthStack extends Stack {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly managedLogin: UserPoolDomain;
  readonly residentByDefault: ServiceFunction;

  constructor(scope: Construct, id: string, platform: PlatformResources, props: AuthStackProps) {
    super(scope, id, props);
    const { config } = platform;
    const prod = config.stage === 'prod';

    // Cognito's own SMS (sign-up verification, MFA codes) under a role that may text phone numbers only.
    const smsRole = new Role(this, 'SmsRole', {
      assumedBy: new ServicePrincipal('cognito-idp.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': config.prefix } } }),
      inlinePolicies: { sms: new PolicyDocument({ statements: [smsPublishStatement(this)] }) },
    });
    this.userPool = new UserPool(this, 'Users', {
      smsRole,
      smsRoleExternalId: config.prefix,
      userPoolName: config.prefix,
      selfSignUpEnabled: true,
      signInAliases: { phone: true },
      autoVerify: { phone: true },
      standardAttributes: {
        phoneNumber: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      // Comma-separated category codes of a staff member; only administrators may write it (see client).
      customAttributes: {
        categories: new StringAttribute({ mutable: true, maxLen: 256 }),
        // The service centre a staff member or supervisor works at; `*` for a city supervisor.
        centre: new StringAttribute({ mutable: true, maxLen: 64 }),
      },
      passwordPolicy: { minLength: 8, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: true, otp: true },
      accountRecovery: AccountRecovery.PHONE_WITHOUT_MFA_AND_EMAIL,
      featurePlan: prod ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(prod ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: prod,
      removalPolicy: config.removalPolicy,
    });

    const residentByDefault = (this.residentByDefault = new ServiceFunction(this, 'ResidentByDefault', {
      entry: 'functions/auth/resident-by-default.ts',
      platform,
      timeout: Duration.seconds(5),
      memorySize: 256,
    }));
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION, residentByDefault, LambdaVersion.V1_0);

    for (const group of COGNITO_GROUPS) {
      new UserPoolGroup(this, `Group-${group}`, { userPool: this.userPool, groupName: group });
    }

    const standard = { phoneNumber: true, fullname: true };
    this.client = this.userPool.addClient('App', {
      userPoolClientName: `${config.prefix}-app`,
      authFlows: { userSrp: true },
      // The web app: a public client (no secret) with the code flow; PKCE is what the app adds to it.
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.PHONE, OAuthScope.PROFILE],
        callbackUrls: [`${props.webOrigin}/auth/callback`],
        logoutUrls: [`${props.webOrigin}/`],
      },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes().withStandardAttributes({ ...standard, phoneNumberVerified: true }).withCustomAttributes('categories', 'centre'),
      // Leaving custom:categories and custom:centre out is what stops a user from granting themselves a
      // category or moving themselves to another centre.
      writeAttributes: new ClientAttributes().withStandardAttributes(standard),
    });
    this.managedLogin = this.userPool.addDomain('ManagedLogin', {
      cognitoDomain: { domainPrefix: managedLoginDomainPrefix(config, this.account) },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows a client's pages only once the client has a style: Cognito's own.
    new CfnManagedLoginBranding(this, 'ManagedLoginStyle', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    new CfnOutput(this, 'ManagedLoginUrl', { value: this.managedLogin.baseUrl() });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.client.userPoolClientId });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional, not required: residents (many of them elderly) sign in with a phone number that sign-up has verified by SMS; staff are asked to enrol TOTP when their account is created (README).',
    });
    if (!prod) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: 'The dev stage has no real residents; the Plus tier (threat protection) is billed per active user and is on in prod.',
      });
    }
  }
}
