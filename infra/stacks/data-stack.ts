// The stateful stack: the one DynamoDB table (built from shared/data/table.ts), the residents' files
// bucket with its access-log bucket, the staff-task topic, the ID-number hash key, the providers' secrets
// and, for a stage whose notifier is Aliyun, the Aliyun SMS secret. It changes rarely and is kept apart from
// the stateless stacks so that redeploying functions or the API can never replace data.

import { Aws, CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../../shared/data/table.ts';
import type { WalletProviderName } from '../function-needs.ts';
import { UPLOADS_PREFIX } from '../../shared/domain/uploads.ts';
import { UNATTACHED, UPLOAD_TAG } from '../../shared/ports/file-store.ts';
import type { StageConfig } from './stage.ts';

/**
 * Bucket names are global: the stage prefix, account and region make them unique. Fixed, so the function
 * stacks address the bucket by name, without cross-stack exports (see physicalName).
 */
export const filesBucketName = (config: StageConfig, where = { account: Aws.ACCOUNT_ID, region: Aws.REGION }) =>
  `${config.prefix}-files-${where.account}-${where.region}`;

/** Access logs of the files bucket are kept this long: who fetched which file, for an audit. */
const ACCESS_LOG_DAYS = { dev: 90, prod: 365 } as const;

export class DataStack extends Stack {
  readonly table: Table;
  readonly staffTopic: Topic;
  readonly idHashKey: Secret;
  /** One merchant secret per wallet the stage offers; the operator puts the keys in (README, "Real money"). */
  readonly walletSecrets: Partial<Record<WalletProviderName, Secret>> = {};
  readonly files: Bucket;
  readonly identityVerifierKey: Secret;
  readonly recordsProviderKey: Secret;
  /** AccessKey, signature, TemplateCodes and receipt token of Aliyun SMS (shared/ports/aliyun-sms-settings.ts). */
  readonly aliyunSms?: Secret;

  /** `webOrigin`: the web app's origin (the Web stack's), whose pages PUT and GET the presigned file URLs. */
  constructor(scope: Construct, id: string, config: StageConfig, { webOrigin, ...props }: StackProps & { webOrigin?: string } = {}) {
    super(scope, id, props);
    const prod = config.stage === 'prod';

    this.table = new Table(this, 'Table', {
      tableName: config.prefix,
      partitionKey: { name: TABLE_DEFINITION.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DEFINITION.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: prod,
      removalPolicy: config.removalPolicy,
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
    });
    for (const index of TABLE_DEFINITION.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }

    this.files = this.filesBucket(config, webOrigin);

    this.staffTopic = new Topic(this, 'StaffTasks', {
      topicName: `${config.prefix}-staff-tasks`,
      displayName: '智慧社区',
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });

    new CfnOutput(this, 'StaffTopicArn', { value: this.staffTopic.topicArn, description: 'Subscribe staff here, with a filter policy on role and category' });

    this.idHashKey = new Secret(this, 'IdHashKey', {
      secretName: `${config.prefix}/id-hash-key`,
      description: 'HMAC key of resident ID numbers (lookup by ID card). Never rotate without re-keying the IDNUMBER# items.',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.idHashKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key is part of the stored IDNUMBER#<hmac> keys: an automatic rotation would orphan every lookup by ID number. Rotation is a planned re-keying (see README).',
    });

    for (const provider of config.wallets) {
      // Created holding a placeholder, which the functions refuse at cold start: the keys never pass through a
      // template or a deployment, an operator puts them in with put-secret-value.
      const secret = new Secret(this, `${provider}MerchantSecret`, {
        secretName: `${config.prefix}/${provider}`,
        description: `${provider} merchant ids and keys for the payment functions (README, "Real money"). Replace the placeholder with the merchant's JSON.`,
        generateSecretString: { secretStringTemplate: JSON.stringify({ placeholder: "put the merchant's keys in (README, Real money)" }), generateStringKey: 'unused' },
        removalPolicy: config.removalPolicy,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: "Merchant keys are issued by the wallet provider's merchant platform, not generated here: they are rotated there and put in by hand (README).",
      });
      this.walletSecrets[provider] = secret;
    }
    // Created with a placeholder; the operator stores the real Aliyun AccessKey of 实人认证 in it (README "Identity").
    this.identityVerifierKey = new Secret(this, 'IdentityVerifierKey', {
      secretName: `${config.prefix}/identity-verifier-key`,
      description: 'Aliyun AccessKey for the real-name check (cloudauth Id2MetaVerify), JSON {"accessKeyId","accessKeySecret"}.',
      generateSecretString: { secretStringTemplate: JSON.stringify({ accessKeyId: 'set-me' }), generateStringKey: 'accessKeySecret', excludePunctuation: true },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.identityVerifierKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'An Aliyun AccessKey is issued and rotated in the Aliyun RAM console, which Secrets Manager cannot do; the new key is stored here and the functions redeployed.',
    });
    // Created with a placeholder; the operator stores the data exchange's app id and secret in it (README "Records").
    this.recordsProviderKey = new Secret(this, 'RecordsProviderKey', {
      secretName: `${config.prefix}/records-provider-key`,
      description: "The government data exchange's credentials for 人社/医保/公积金 records, JSON {\"appId\",\"appSecret\"}.",
      generateSecretString: { secretStringTemplate: JSON.stringify({ appId: 'set-me' }), generateStringKey: 'appSecret', excludePunctuation: true },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.recordsProviderKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: "The exchange issues and rotates the platform's app secret under the data-sharing agreement, which Secrets Manager cannot do; the new secret is stored here and the functions redeployed.",
    });
    if (config.notifier === 'aliyun') {
      // Only the receipt token can be made here; the operator writes in the AccessKey and the signature
      // Aliyun approved before the functions are deployed (README, "Aliyun SMS").
      this.aliyunSms = new Secret(this, 'AliyunSms', {
        secretName: `${config.prefix}/aliyun-sms`,
        description: 'Aliyun SMS: accessKeyId, accessKeySecret, signName, templateCodes, and receiptToken (the secret part of the delivery-report URL).',
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ accessKeyId: '', accessKeySecret: '', signName: '' }),
          generateStringKey: 'receiptToken',
          passwordLength: 48,
          excludePunctuation: true,
        },
        removalPolicy: config.removalPolicy,
      });
      Validations.of(this.aliyunSms).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'The AccessKey is issued and rotated in the Aliyun RAM console, which Secrets Manager cannot reach: the operator writes the new key here and redeploys (README).',
      });
      new CfnOutput(this, 'AliyunSmsSecretName', { value: this.aliyunSms.secretName, description: 'Write the Aliyun AccessKey and signature here before deploying the functions' });
    }
  }

  /**
   * Residents' files (ID cards, income proofs): private, encrypted, TLS only, versioned, written only through
   * presigned URLs. Uploads arrive tagged `upload=unattached`; the first lifecycle rule expires those a day
   * later (the case's review re-tags its files `attached`), the second removes deleted files' old versions
   * after a day, so "deleted" means gone within about two days.
   */
  private filesBucket(config: StageConfig, webOrigin: string | undefined): Bucket {
    const accessLogs = new Bucket(this, 'FilesAccessLogs', {
      bucketName: `${config.prefix}-files-logs-${Aws.ACCOUNT_ID}-${Aws.REGION}`,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'access-log-retention', expiration: Duration.days(ACCESS_LOG_DAYS[config.stage]) }],
      removalPolicy: config.removalPolicy,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket holds the server access logs of the files bucket; logging the log bucket into itself would loop.',
    });
    const files = new Bucket(this, 'Files', {
      bucketName: filesBucketName(config),
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'files/',
      lifecycleRules: [
        { id: 'unattached-uploads', prefix: UPLOADS_PREFIX, tagFilters: { [UPLOAD_TAG]: UNATTACHED }, expiration: Duration.days(1) },
        { id: 'deleted-files', noncurrentVersionExpiration: Duration.days(1), expiredObjectDeleteMarker: true, abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Browsers PUT and GET the presigned URLs from the web app's origins.
      cors: [
        {
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          allowedOrigins: [...(webOrigin ? [webOrigin] : []), ...config.corsOrigins],
          allowedHeaders: ['content-type', 'if-none-match', 'x-amz-tagging'],
          maxAge: 3000,
        },
      ],
      removalPolicy: config.removalPolicy,
    });
    new CfnOutput(this, 'FilesBucketName', { value: files.bucketName, description: "Residents' uploaded files (presigned URLs only)" });
    return files;
  }
}
