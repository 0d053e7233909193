// The stateful stack: the one DynamoDB table (built from shared/data/table.ts), the staff-task topic, the
// ID-number hash key and, for a stage whose notifier is Aliyun, the Aliyun SMS secret. It changes rarely
// and is kept apart from the stateless stacks so that redeploying functions or the API can never replace data.

import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../../shared/data/table.ts';
import type { StageConfig } from './stage.ts';

export class DataStack extends Stack {
  readonly table: Table;
  readonly staffTopic: Topic;
  readonly idHashKey: Secret;
  /** AccessKey, signature, TemplateCodes and receipt token of Aliyun SMS (shared/ports/aliyun-sms-settings.ts). */
  readonly aliyunSms?: Secret;

  constructor(scope: Construct, id: string, config: StageConfig, props?: StackProps) {
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
}
