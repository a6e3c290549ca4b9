import { GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  AWS_PARTITION,
  BucketState,
  CANARY_TABLE_NAME,
  KmsKeyFacts,
  LineageSpec,
  Probe,
  TrailState,
  cloudTrailKeyPolicyStatement,
  cloudTrailMayEncrypt,
  kmsKeyBlocker,
  kmsKeyProblems,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients } from './clients';
import { specBucketArn, specTrailArn } from './desiredState';
import { inspectBucket } from './inspectBucket';
import { inspectKmsKey } from './inspectKmsKey';
import { inspectTrail, toTrailDescription } from './inspectTrails';
import { KnownBucket, planBucket, planBucketTags } from './planBucket';
import { planCanaryTableCreation } from './planCanary';
import { planDedicatedKeyCreation } from './planKmsKey';
import { KnownTrail, planTrail } from './planTrail';
import { ExecutableChange, ExecutablePlan, LiveState } from './planTypes';
import { isAwsError, probe, probeValue } from './probe';

/**
 * The live state a spec is compared with: the trail of that name in the home region
 * (GetTrail, then status, selectors, insights when on, tags) and the bucket. Only read
 * calls; the clients must point at the spec's account and home region.
 */
export async function inspectForSpec(
  clients: AwsClients,
  spec: LineageSpec,
): Promise<LiveState> {
  const target = { accountId: spec.accountId, region: spec.region };
  const [trail, bucket, kmsKey, canaryTable] = await Promise.all([
    probe(async (): Promise<TrailState | null> => {
      let described;
      try {
        described = await clients.cloudTrail.send(
          new GetTrailCommand({ Name: spec.trailName }),
        );
      } catch (error) {
        if (isAwsError(error, 'TrailNotFoundException')) return null;
        throw error;
      }
      const description =
        described.Trail && toTrailDescription(described.Trail);
      return description ? inspectTrail(clients, description, target) : null;
    }),
    inspectBucket(clients, spec.bucketName),
    spec.kmsKeyId ? inspectKmsKey(clients, spec.kmsKeyId) : undefined,
    spec.canary ? canaryTableExists(clients) : undefined,
  ]);
  return {
    trail,
    bucket,
    ...(kmsKey ? { kmsKey } : {}),
    ...(canaryTable ? { canaryTable } : {}),
  };
}

/** DescribeTable on the canary table: ResourceNotFoundException is "none". */
function canaryTableExists(clients: AwsClients): Promise<Probe<boolean>> {
  return probeValue(async () => {
    try {
      await clients.dynamodb.send(
        new DescribeTableCommand({ TableName: CANARY_TABLE_NAME }),
      );
      return true;
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return false;
      throw error;
    }
  });
}

/**
 * The ordered changes that bring `live` to `spec`: dedicated KMS key → canary table → bucket → policy → encryption, public
 * access, ownership, versioning, lifecycle → trail → selectors → insights → tags →
 * StartLogging. Pure. Empty `changes` means converged. Throws ServiceUnavailableError
 * when a question it needs was not answered: planning on a guess could overwrite what
 * it could not see.
 */
export function diffPlan(spec: LineageSpec, live: LiveState): ExecutablePlan {
  const trailArn = specTrailArn(spec);
  const kms = knownKmsKey(spec, live, trailArn);
  const bucket = knownBucket(live.bucket);
  const trail = knownTrail(live);
  const createCanary = canaryTableMissing(spec, live);

  const bucketPart = planBucket(spec, bucket, trailArn, kms.arn);
  const trailPart = planTrail(spec, trail, trailArn, kms.arn);
  const bucketTags = planBucketTags(spec, bucket);

  const changes: ExecutableChange[] = [
    ...(kms.create ? [planDedicatedKeyCreation(spec, trailArn)] : []),
    ...(createCanary ? [planCanaryTableCreation(spec)] : []),
    ...bucketPart.changes,
    ...trailPart.changes,
    ...(bucketTags ? [bucketTags] : []),
    ...(trailPart.tagsChange ? [trailPart.tagsChange] : []),
    ...(trailPart.loggingChange ? [trailPart.loggingChange] : []),
  ];
  return {
    spec,
    trailArn,
    bucketArn: specBucketArn(spec),
    changes,
    notes: [...bucketPart.notes, ...trailPart.notes],
    ...(kms.blockers.length ? { blockers: kms.blockers } : {}),
    ...(kms.statement ? { kmsPolicyStatement: kms.statement } : {}),
  };
}

/** Inspect then diff: the plan (no mutating call) and what it was computed from. */
export async function planLineage(
  clients: AwsClients,
  spec: LineageSpec,
): Promise<{ plan: ExecutablePlan; live: LiveState }> {
  const live = await inspectForSpec(clients, spec);
  return { plan: diffPlan(spec, live), live };
}

/** Collects the questions AWS did not answer while taking the answers it gave. */
class Answers {
  readonly unanswered: string[] = [];

  take<T>(operation: string, answer: Probe<T>, fallback: T): T {
    if (answer.ok) return answer.value;
    this.unanswered.push(`${operation} (${answer.error})`);
    return fallback;
  }
}

/**
 * The bucket's answers as values. Throws ServiceUnavailableError when AWS did
 * not answer one: deciding on a guess could overwrite what it could not see.
 */
export function knownBucket(bucket: BucketState): KnownBucket {
  const answers = new Answers();
  const known: KnownBucket = {
    exists: answers.take('HeadBucket', bucket.exists, false),
    policy: answers.take('GetBucketPolicy', bucket.policy, null),
    encryption: answers.take('GetBucketEncryption', bucket.encryption, null),
    publicAccessBlock: answers.take(
      'GetPublicAccessBlock',
      bucket.publicAccessBlock,
      null,
    ),
    ownership: answers.take(
      'GetBucketOwnershipControls',
      bucket.ownership,
      null,
    ),
    versioning: answers.take('GetBucketVersioning', bucket.versioning, null),
    lifecycle: answers.take(
      'GetBucketLifecycleConfiguration',
      bucket.lifecycle,
      null,
    ),
    tags: answers.take('GetBucketTagging', bucket.tags, null),
  };
  if (answers.unanswered.length) {
    throw new ServiceUnavailableError(
      `Cannot plan bucket ${
        bucket.name
      }: AWS did not answer ${answers.unanswered.join(
        '; ',
      )}. A 403 on HeadBucket also means the name belongs to another account`,
    );
  }
  return known;
}

/**
 * Whether the spec asks for the canary and DescribeTable found no canary
 * table. A state that was not inspected for it (no `canaryTable`) leaves the
 * table alone; a question AWS did not answer stops the plan.
 */
function canaryTableMissing(spec: LineageSpec, live: LiveState): boolean {
  if (!spec.canary || !live.canaryTable) return false;
  const answers = new Answers();
  const exists = answers.take('DescribeTable', live.canaryTable, false);
  if (answers.unanswered.length) {
    throw new ServiceUnavailableError(
      `Cannot plan the canary table ${CANARY_TABLE_NAME}: AWS did not answer ${answers.unanswered.join(
        '; ',
      )}. The role needs dynamodb:DescribeTable on it`,
    );
  }
  return !exists;
}

function knownTrail(live: LiveState): KnownTrail | null {
  const answers = new Answers();
  const state = answers.take('GetTrail', live.trail, null);
  if (!state) {
    if (answers.unanswered.length) {
      throw new ServiceUnavailableError(
        `Cannot plan the trail: AWS did not answer ${answers.unanswered.join(
          '; ',
        )}`,
      );
    }
    return null;
  }
  const known: KnownTrail = {
    trail: state.trail,
    status: answers.take('GetTrailStatus', state.status, { isLogging: false }),
    eventSelectors: answers.take('GetEventSelectors', state.eventSelectors, {}),
    insightTypes: answers.take('GetInsightSelectors', state.insightTypes, []),
    tags: answers.take('ListTags', state.tags, {}),
  };
  if (answers.unanswered.length) {
    throw new ServiceUnavailableError(
      `Cannot plan trail ${
        state.trail.arn
      }: AWS did not answer ${answers.unanswered.join('; ')}`,
    );
  }
  return known;
}

/**
 * The spec's KMS key as CloudTrail will use it: whatever keeps CloudTrail
 * from encrypting with it blocks the plan (nothing is applied), with the key
 * policy statement to add when the policy is what is missing. A dedicated
 * key (`createKmsKey`) that does not exist yet is to be created; one that
 * exists is judged like any other key.
 */
function knownKmsKey(
  spec: LineageSpec,
  live: LiveState,
  trailArn: string,
): {
  blockers: string[];
  statement?: ExecutablePlan['kmsPolicyStatement'];
  /** The key ARN KMS gave for the spec's key. */
  arn?: string;
  create?: boolean;
} {
  if (!spec.kmsKeyId) return { blockers: [] };
  const answers = new Answers();
  const key = answers.take<KmsKeyFacts | null>(
    'kms:DescribeKey',
    live.kmsKey ?? { ok: false, error: 'not inspected' },
    null,
  );
  if (key?.policy) answers.take('kms:GetKeyPolicy', key.policy, null);
  if (!key || answers.unanswered.length) {
    throw new ServiceUnavailableError(
      `Cannot plan with KMS key ${
        spec.kmsKeyId
      }: AWS did not answer ${answers.unanswered.join(
        '; ',
      )}. The role needs kms:DescribeKey and kms:GetKeyPolicy on the key`,
    );
  }
  if (spec.createKmsKey && !key.exists) return { blockers: [], create: true };
  const target = {
    partition: AWS_PARTITION,
    accountId: spec.accountId,
    trailArn,
  };
  const policyMissing =
    key.exists &&
    key.policy?.ok === true &&
    !cloudTrailMayEncrypt(key.policy.value, { ...target, keyArn: key.arn });
  return {
    blockers: kmsKeyProblems(key, target).map(problem =>
      kmsKeyBlocker(key, problem),
    ),
    ...(key.arn ? { arn: key.arn } : {}),
    ...(policyMissing
      ? { statement: cloudTrailKeyPolicyStatement(target) }
      : {}),
  };
}
