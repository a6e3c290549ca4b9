import {
  CloudTrailClient,
  CloudTrailClientConfig,
} from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { readDynamoDbLineageConfig } from './config';

/** One SDK client per service, bound to one account and region. */
export interface AwsClients {
  cloudTrail: CloudTrailClient;
  s3: S3Client;
  sts: STSClient;
  dynamodb: DynamoDBClient;
  kms: KMSClient;
}

/** Hands out clients for an account and region; implementations cache them. */
export interface AwsClientFactory {
  forAccount(accountId: string, region: string): Promise<AwsClients>;
}

/** What the SDK accepts as credentials: static keys or a provider function. */
export type AwsCredentials = NonNullable<CloudTrailClientConfig['credentials']>;

export interface AwsClientFactoryOptions {
  /** Credentials for an account (the integration's role or keys). */
  credentialsFor(accountId: string): Promise<AwsCredentials>;
  /** LocalStack or the emulator; absent means real AWS. */
  endpoint?: string;
  /** Attempts per call with the SDK's standard retry mode. */
  maxAttempts?: number;
  /** Fails fast on unreachable endpoints so a probe turns `unknown` quickly. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  logger?: LoggerService;
}

/**
 * Clients through `@backstage/integration-aws-node` credentials, one cached set per
 * account and region, with the SDK's standard retry (throttling and 5xx, with backoff).
 */
export class DefaultAwsClientFactory implements AwsClientFactory {
  private readonly cache = new Map<string, Promise<AwsClients>>();

  static fromConfig(
    config: Config,
    options: {
      logger?: LoggerService;
      credentialsManager?: AwsCredentialsManager;
    } = {},
  ): DefaultAwsClientFactory {
    const { aws } = readDynamoDbLineageConfig(config);
    const credentialsManager =
      options.credentialsManager ??
      DefaultAwsCredentialsManager.fromConfig(config);
    return new DefaultAwsClientFactory({
      endpoint: aws.endpoint,
      maxAttempts: aws.maxAttempts,
      logger: options.logger,
      credentialsFor: async accountId =>
        (await credentialsManager.getCredentialProvider({ accountId }))
          .sdkCredentialProvider,
    });
  }

  /**
   * Explicit credentials per account, for tests and the emulator (whose access key id is
   * the account id): `fromCredentials(id => ({ accessKeyId: id, secretAccessKey: 'x' }))`.
   */
  static fromCredentials(
    credentialsFor: (accountId: string) => AwsCredentials,
    options: Omit<AwsClientFactoryOptions, 'credentialsFor'> = {},
  ): DefaultAwsClientFactory {
    return new DefaultAwsClientFactory({
      ...options,
      credentialsFor: async accountId => credentialsFor(accountId),
    });
  }

  constructor(private readonly options: AwsClientFactoryOptions) {}

  forAccount(accountId: string, region: string): Promise<AwsClients> {
    const key = `${accountId}/${region}`;
    let clients = this.cache.get(key);
    if (!clients) {
      clients = this.create(accountId, region);
      // A failed credential lookup must not poison the cache for later calls.
      clients.catch(() => this.cache.delete(key));
      this.cache.set(key, clients);
    }
    return clients;
  }

  private async create(accountId: string, region: string): Promise<AwsClients> {
    const { endpoint, logger } = this.options;
    const credentials = await this.options.credentialsFor(accountId);
    const common = {
      region,
      credentials,
      retryMode: 'standard',
      maxAttempts: this.options.maxAttempts ?? 3,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: this.options.connectionTimeoutMs ?? 5000,
        requestTimeout: this.options.requestTimeoutMs ?? 30000,
      }),
      ...(endpoint ? { endpoint } : {}),
    };
    logger?.debug(
      `Created AWS clients for account ${accountId} in ${region}${
        endpoint ? ` via ${endpoint}` : ''
      }`,
    );
    return {
      cloudTrail: new CloudTrailClient(common),
      // Trail buckets may live in another region than the client: follow S3's redirects.
      s3: new S3Client({
        ...common,
        followRegionRedirects: true,
        ...(endpoint ? { forcePathStyle: true } : {}),
      }),
      sts: new STSClient(common),
      dynamodb: new DynamoDBClient(common),
      kms: new KMSClient(common),
    };
  }
}
