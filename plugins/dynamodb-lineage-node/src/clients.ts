import { AthenaClient } from '@aws-sdk/client-athena';
import {
  CloudTrailClient,
  CloudTrailClientConfig,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { readDynamoDbLineageConfig } from './config';
import { AccountRegionRateLimits, RateLimit } from './rateLimit';

/** Where STS answers when `aws.mainAccount.region` names no region. */
const STS_REGION_OF_PARTITION: Record<string, string> = {
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/**
 * CloudTrail's read APIs (DescribeTrails, GetTrailStatus, GetEventSelectors,
 * GetInsightSelectors, ListTags, ListPublicKeys) each allow about 10 calls
 * per second per account and region; keeping all of them together under that
 * never throttles.
 */
export const CLOUDTRAIL_CALLS_PER_SECOND = 10;

/**
 * The CloudTrail rate of each account-region, shared by every client factory
 * of the process: the backend plugin, the catalog module and the scaffolder
 * module call CloudTrail in the same accounts and regions, against one quota.
 */
const processCloudTrailRate = new AccountRegionRateLimits(
  CLOUDTRAIL_CALLS_PER_SECOND,
);

/** One SDK client per service, bound to one account and region. */
export interface AwsClients {
  cloudTrail: CloudTrailClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  kms: KMSClient;
  athena: AthenaClient;
  /** DynamoDB's request metrics, for the cost forecast. */
  cloudWatch: CloudWatchClient;
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
  /**
   * The rate every CloudTrail request (each retry attempt included) of an
   * account-region goes through. Default: one per account-region for the
   * whole process, at {@link CLOUDTRAIL_CALLS_PER_SECOND}.
   */
  cloudTrailRate?: AccountRegionRateLimits;
}

/**
 * Clients through `@backstage/integration-aws-node` credentials, one cached set per
 * account and region, with the SDK's standard retry (throttling and 5xx, with backoff).
 */
export class DefaultAwsClientFactory implements AwsClientFactory {
  private readonly cache = new Map<string, Promise<AwsClients>>();

  /**
   * Credentials for the plugin's role: `read` (backend plugin, catalog module) assumes
   * `dynamodbLineage.aws.roleName`, `provision` (scaffolder module) assumes
   * `dynamodbLineage.aws.provisionRoleName`, in every account, from the credentials of
   * `aws.mainAccount`, with the `externalId` and `partition` of the account's entry in
   * `aws.accounts` or of `aws.accountDefaults`. Without that key, an account's own entry in
   * `aws.accounts` applies, then the role `aws.accountDefaults.roleName`. Roles are
   * assumed through `dynamodbLineage.aws.endpoint` when it is set.
   */
  static fromConfig(
    config: Config,
    options: {
      logger?: LoggerService;
      credentialsManager?: AwsCredentialsManager;
      role?: 'read' | 'provision';
    } = {},
  ): DefaultAwsClientFactory {
    const { aws } = readDynamoDbLineageConfig(config);
    const credentialsManager =
      options.credentialsManager ??
      DefaultAwsCredentialsManager.fromConfig(config);
    const pluginRole =
      options.role === 'provision' ? aws.provisionRoleName : aws.roleName;
    const integrationCredentials = async (accountId?: string) =>
      (
        await credentialsManager.getCredentialProvider(
          accountId ? { accountId } : {},
        )
      ).sdkCredentialProvider;
    const assumed = new Map<string, AwsCredentials>();
    return new DefaultAwsClientFactory({
      endpoint: aws.endpoint,
      maxAttempts: aws.maxAttempts,
      logger: options.logger,
      credentialsFor: async accountId => {
        const roleName = roleToAssume(config, accountId, pluginRole);
        if (!roleName) return integrationCredentials(accountId);
        let provider = assumed.get(accountId);
        if (!provider) {
          const { partition, externalId } = integrationAccountSettings(
            config,
            accountId,
          );
          provider = assumeRoleProvider({
            sts: new STSClient({
              region:
                config.getOptionalString('aws.mainAccount.region') ??
                STS_REGION_OF_PARTITION[partition] ??
                'us-east-1',
              credentials: await integrationCredentials(),
              maxAttempts: aws.maxAttempts,
              ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
            }),
            roleArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
            externalId,
          });
          assumed.set(accountId, provider);
        }
        return provider;
      },
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
    const cloudTrail = new CloudTrailClient(common);
    rateLimitRequests(
      cloudTrail,
      (this.options.cloudTrailRate ?? processCloudTrailRate).of(
        accountId,
        region,
      ),
    );
    return {
      cloudTrail,
      // Trail buckets may live in another region than the client: follow S3's redirects.
      s3: new S3Client({
        ...common,
        followRegionRedirects: true,
        ...(endpoint ? { forcePathStyle: true } : {}),
      }),
      dynamodb: new DynamoDBClient(common),
      kms: new KMSClient(common),
      athena: new AthenaClient(common),
      cloudWatch: new CloudWatchClient(common),
    };
  }
}

/**
 * Every request the client sends waits for `limit`: each attempt, since the
 * SDK's retries sit outside the deserialize step and AWS counts them all.
 */
function rateLimitRequests(client: CloudTrailClient, limit: RateLimit): void {
  client.middlewareStack.add(next => args => limit(() => next(args)), {
    step: 'deserialize',
    priority: 'high',
    name: 'cloudTrailRateLimit',
  });
}

/** The plugin's role, else none for accounts with their own `aws.accounts` entry, else the default role. */
function roleToAssume(
  config: Config,
  accountId: string,
  pluginRole: string | undefined,
): string | undefined {
  if (pluginRole) return pluginRole;
  const ownEntry = (config.getOptionalConfigArray('aws.accounts') ?? []).some(
    account => account.getOptionalString('accountId') === accountId,
  );
  return ownEntry
    ? undefined
    : config.getOptionalString('aws.accountDefaults.roleName');
}

/** `partition` and `externalId` of an account's `aws.accounts` entry, else of `aws.accountDefaults`. */
function integrationAccountSettings(
  config: Config,
  accountId: string,
): { partition: string; externalId?: string } {
  const entry = (config.getOptionalConfigArray('aws.accounts') ?? []).find(
    account => account.getOptionalString('accountId') === accountId,
  );
  const pick = (key: string) =>
    entry?.getOptionalString(key) ??
    config.getOptionalString(`aws.accountDefaults.${key}`);
  const externalId = pick('externalId');
  return {
    partition: pick('partition') ?? 'aws',
    ...(externalId ? { externalId } : {}),
  };
}

/** Refreshed before this much of a session's lifetime is left. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

/** Credentials of an assumed role, renewed shortly before they expire; one AssumeRole at a time. */
export function assumeRoleProvider(options: {
  sts: STSClient;
  roleArn: string;
  externalId?: string;
  sessionName?: string;
}): AwsCredentials {
  let current:
    | Promise<{
        accessKeyId: string;
        secretAccessKey: string;
        sessionToken?: string;
        expiration?: Date;
      }>
    | undefined;
  const fresh = async () => {
    const answer = await options.sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName ?? 'backstage-dynamodb-lineage',
        ...(options.externalId ? { ExternalId: options.externalId } : {}),
      }),
    );
    const credentials = answer.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new Error(`AssumeRole ${options.roleArn} returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    };
  };
  return async () => {
    const held = current ? await current.catch(() => undefined) : undefined;
    if (
      held &&
      (!held.expiration ||
        held.expiration.getTime() - Date.now() > RENEW_BEFORE_MS)
    ) {
      return held;
    }
    current = fresh();
    return current;
  };
}
