import {
  AddTagsCommand,
  CreateTrailCommand,
  CreateTrailCommandInput,
  PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
  UpdateTrailCommandInput,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommandInput,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  CreateKeyCommandInput,
  DescribeKeyCommand,
} from '@aws-sdk/client-kms';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, ForwardedError } from '@backstage/errors';
import { PlannedChange } from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients } from './clients';
import { AppliedChange, ExecutableChange, ExecutablePlan } from './planTypes';
import { isAwsError } from './probe';

export interface ApplyOptions {
  /** Wraps each step, e.g. in the scaffolder's `ctx.checkpoint` keyed by `change.key`. */
  runStep?: (
    change: PlannedChange,
    fn: () => Promise<AppliedChange>,
  ) => Promise<AppliedChange>;
  logger?: LoggerService;
  /** Replaceable in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Bounded backoff while a fresh bucket policy propagates to CloudTrail. */
  policyPropagation?: {
    attempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
  };
}

const DEFAULT_POLICY_PROPAGATION = {
  attempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 16000,
};

/**
 * Executes the plan's changes in order, one AWS call each (plus a fallback when AWS says
 * the thing already exists), stopping at the first failure. Repeating an apply is
 * harmless: every call is a create-if-missing or a put of the same document. Nothing
 * here deletes a bucket, an object or a trail.
 */
export async function applyPlan(
  clients: AwsClients,
  plan: ExecutablePlan,
  options: ApplyOptions = {},
): Promise<AppliedChange[]> {
  if (plan.blockers?.length) {
    // Refused before the first call: nothing is half-applied.
    throw new ConflictError(
      `Refusing to apply the plan for ${plan.trailArn}: ${plan.blockers.join(
        '; ',
      )}`,
    );
  }
  const runStep = options.runStep ?? ((_change, fn) => fn());
  const applied: AppliedChange[] = [];
  for (const change of plan.changes) {
    const result = await runStep(change, async () => {
      try {
        const outcome = await execute(clients, change, options);
        options.logger?.info(
          `${change.summary} (${outcome.operations.join(' → ')}${
            outcome.outcome === 'already-done' ? ', already done' : ''
          })`,
        );
        return outcome;
      } catch (error) {
        throw new ForwardedError(
          `Step ${change.key} failed: ${change.summary}`,
          error,
        );
      }
    });
    applied.push(result);
  }
  return applied;
}

async function execute(
  clients: AwsClients,
  change: ExecutableChange,
  options: ApplyOptions,
): Promise<AppliedChange> {
  const { s3, cloudTrail } = clients;
  const { request } = change;
  const done = (
    operations: string[],
    outcome: AppliedChange['outcome'] = 'applied',
    attempts = 1,
  ): AppliedChange => ({
    key: change.key,
    resource: change.resource,
    action: change.action,
    summary: change.summary,
    operations,
    outcome,
    attempts,
  });

  switch (request.operation) {
    case 'CreateKey':
      return createKeyWithAlias(
        clients,
        request.input,
        request.aliasName,
        done,
      );
    case 'CreateTable':
      try {
        await clients.dynamodb.send(new CreateTableCommand(request.input));
        return done(['CreateTable']);
      } catch (error) {
        // Created since the plan (a resumed task): kept as it is.
        if (isAwsError(error, 'ResourceInUseException')) {
          return done(['CreateTable'], 'already-done');
        }
        throw error;
      }
    case 'CreateBucket':
      try {
        await s3.send(new CreateBucketCommand(request.input));
        return done(['CreateBucket']);
      } catch (error) {
        if (isAwsError(error, 'BucketAlreadyOwnedByYou')) {
          return done(['CreateBucket'], 'already-done');
        }
        if (isAwsError(error, 'BucketAlreadyExists')) {
          throw new ConflictError(
            `bucketName ${request.input.Bucket} belongs to another AWS account; S3 bucket names are global, choose another`,
          );
        }
        throw error;
      }
    case 'PutBucketPolicy':
      await s3.send(new PutBucketPolicyCommand(request.input));
      return done(['PutBucketPolicy']);
    case 'PutBucketEncryption':
      await s3.send(new PutBucketEncryptionCommand(request.input));
      return done(['PutBucketEncryption']);
    case 'PutPublicAccessBlock':
      await s3.send(new PutPublicAccessBlockCommand(request.input));
      return done(['PutPublicAccessBlock']);
    case 'PutBucketOwnershipControls':
      await s3.send(new PutBucketOwnershipControlsCommand(request.input));
      return done(['PutBucketOwnershipControls']);
    case 'PutBucketVersioning':
      await s3.send(new PutBucketVersioningCommand(request.input));
      return done(['PutBucketVersioning']);
    case 'PutBucketLifecycleConfiguration':
      await s3.send(
        new PutBucketLifecycleConfigurationCommand(reviveDates(request.input)),
      );
      return done(['PutBucketLifecycleConfiguration']);
    case 'PutBucketTagging':
      await s3.send(new PutBucketTaggingCommand(request.input));
      return done(['PutBucketTagging']);
    case 'CreateTrail':
      return createTrail(clients, request.input, options, done);
    case 'UpdateTrail': {
      const { attempts } = await whilePolicyPropagates(options, () =>
        cloudTrail.send(new UpdateTrailCommand(request.input)),
      );
      return done(['UpdateTrail'], 'applied', attempts);
    }
    case 'PutEventSelectors':
      await cloudTrail.send(new PutEventSelectorsCommand(request.input));
      return done(['PutEventSelectors']);
    case 'PutInsightSelectors':
      await cloudTrail.send(new PutInsightSelectorsCommand(request.input));
      return done(['PutInsightSelectors']);
    case 'AddTags':
      await cloudTrail.send(new AddTagsCommand(request.input));
      return done(['AddTags']);
    case 'StartLogging':
      await cloudTrail.send(new StartLoggingCommand(request.input));
      return done(['StartLogging']);
    default: {
      const unknown: never = request;
      throw new Error(`Unknown operation in plan: ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * A key is found by its alias: when the alias already names a key (a key made
 * since the plan, or by a run that stopped after it), that key is used and no
 * second one is made.
 */
async function createKeyWithAlias(
  clients: AwsClients,
  input: CreateKeyCommandInput,
  aliasName: string,
  done: (ops: string[], outcome?: AppliedChange['outcome']) => AppliedChange,
): Promise<AppliedChange> {
  try {
    await clients.kms.send(new DescribeKeyCommand({ KeyId: aliasName }));
    return done(['DescribeKey'], 'already-done');
  } catch (error) {
    if (!isAwsError(error, 'NotFoundException')) throw error;
  }
  const created = await clients.kms.send(new CreateKeyCommand(input));
  const keyId = created.KeyMetadata?.KeyId;
  if (!keyId) throw new Error('CreateKey returned no key id');
  await clients.kms.send(
    new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }),
  );
  return done(['DescribeKey', 'CreateKey', 'CreateAlias']);
}

/** A trail that appeared since the plan (a resumed task) is updated to the same settings. */
async function createTrail(
  clients: AwsClients,
  input: CreateTrailCommandInput,
  options: ApplyOptions,
  done: (
    ops: string[],
    outcome?: AppliedChange['outcome'],
    attempts?: number,
  ) => AppliedChange,
): Promise<AppliedChange> {
  try {
    const { attempts } = await whilePolicyPropagates(options, () =>
      clients.cloudTrail.send(new CreateTrailCommand(input)),
    );
    return done(['CreateTrail'], 'applied', attempts);
  } catch (error) {
    if (!isAwsError(error, 'TrailAlreadyExistsException')) throw error;
  }
  const { TagsList, ...settings } = input;
  const update: UpdateTrailCommandInput = settings;
  const { result, attempts } = await whilePolicyPropagates(options, () =>
    clients.cloudTrail.send(new UpdateTrailCommand(update)),
  );
  const operations = ['CreateTrail', 'UpdateTrail'];
  if (TagsList?.length) {
    await clients.cloudTrail.send(
      new AddTagsCommand({
        ResourceId: result.TrailARN ?? input.Name,
        TagsList,
      }),
    );
    operations.push('AddTags');
  }
  return done(operations, 'already-done', attempts);
}

/**
 * CloudTrail checks the bucket policy when a trail is created or pointed at a bucket,
 * and a policy written seconds ago may not be visible to it yet.
 */
async function whilePolicyPropagates<T>(
  options: ApplyOptions,
  call: () => Promise<T>,
): Promise<{ result: T; attempts: number }> {
  const { attempts, baseDelayMs, maxDelayMs } =
    options.policyPropagation ?? DEFAULT_POLICY_PROPAGATION;
  const sleep =
    options.sleep ??
    ((ms: number) => new Promise<void>(r => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await call(), attempts: attempt };
    } catch (error) {
      if (
        attempt >= attempts ||
        !isAwsError(error, 'InsufficientS3BucketPolicyException')
      ) {
        throw error;
      }
      const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      options.logger?.info(
        `Bucket policy not visible to CloudTrail yet; retrying in ${delay} ms (attempt ${attempt} of ${attempts})`,
      );
      await sleep(delay);
    }
  }
}

/** A plan that went through JSON has ISO strings where S3 expects Date objects. */
function reviveDates(
  input: PutBucketLifecycleConfigurationCommandInput,
): PutBucketLifecycleConfigurationCommandInput {
  const date = (value: unknown) =>
    typeof value === 'string' ? new Date(value) : (value as Date | undefined);
  const rules = input.LifecycleConfiguration?.Rules?.map(rule => ({
    ...rule,
    ...(rule.Expiration?.Date
      ? { Expiration: { ...rule.Expiration, Date: date(rule.Expiration.Date) } }
      : {}),
    ...(rule.Transitions
      ? {
          Transitions: rule.Transitions.map(t =>
            t.Date ? { ...t, Date: date(t.Date) } : t,
          ),
        }
      : {}),
  }));
  return rules
    ? {
        ...input,
        LifecycleConfiguration: {
          ...input.LifecycleConfiguration,
          Rules: rules,
        },
      }
    : input;
}
