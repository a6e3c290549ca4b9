import type {
  AddTagsCommandInput,
  CreateTrailCommandInput,
  PutEventSelectorsCommandInput,
  PutInsightSelectorsCommandInput,
  StartLoggingCommandInput,
  UpdateTrailCommandInput,
} from '@aws-sdk/client-cloudtrail';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { CreateKeyCommandInput } from '@aws-sdk/client-kms';
import type {
  CreateBucketCommandInput,
  PutBucketEncryptionCommandInput,
  PutBucketLifecycleConfigurationCommandInput,
  PutBucketOwnershipControlsCommandInput,
  PutBucketPolicyCommandInput,
  PutBucketTaggingCommandInput,
  PutBucketVersioningCommandInput,
  PutPublicAccessBlockCommandInput,
} from '@aws-sdk/client-s3';
import {
  BucketState,
  KmsKeyFacts,
  Plan,
  PlannedChange,
  Probe,
  TrailState,
} from '@lineage/plugin-dynamodb-lineage-common';

/** The one AWS call a planned change makes, with exactly the parameters apply sends. */
export type AwsRequest =
  /** CreateKey, then CreateAlias with `aliasName` for the key it made. */
  | {
      operation: 'CreateKey';
      input: CreateKeyCommandInput;
      aliasName: string;
    }
  /** A table that exists by the time apply runs is left as it is. */
  | { operation: 'CreateTable'; input: CreateTableCommandInput }
  | { operation: 'CreateBucket'; input: CreateBucketCommandInput }
  | { operation: 'PutBucketPolicy'; input: PutBucketPolicyCommandInput }
  | { operation: 'PutBucketEncryption'; input: PutBucketEncryptionCommandInput }
  | {
      operation: 'PutPublicAccessBlock';
      input: PutPublicAccessBlockCommandInput;
    }
  | {
      operation: 'PutBucketOwnershipControls';
      input: PutBucketOwnershipControlsCommandInput;
    }
  | { operation: 'PutBucketVersioning'; input: PutBucketVersioningCommandInput }
  | {
      operation: 'PutBucketLifecycleConfiguration';
      input: PutBucketLifecycleConfigurationCommandInput;
    }
  | { operation: 'PutBucketTagging'; input: PutBucketTaggingCommandInput }
  | { operation: 'CreateTrail'; input: CreateTrailCommandInput }
  | { operation: 'UpdateTrail'; input: UpdateTrailCommandInput }
  | { operation: 'PutEventSelectors'; input: PutEventSelectorsCommandInput }
  | { operation: 'PutInsightSelectors'; input: PutInsightSelectorsCommandInput }
  | { operation: 'AddTags'; input: AddTagsCommandInput }
  | { operation: 'StartLogging'; input: StartLoggingCommandInput };

export type AwsOperation = AwsRequest['operation'];

/** A planned change that carries its AWS request, so the plan shown is the plan applied. */
export interface ExecutableChange extends PlannedChange {
  request: AwsRequest;
}

/** A {@link Plan} whose changes apply can execute; JSON-serialisable like any plan. */
export interface ExecutablePlan extends Plan {
  changes: ExecutableChange[];
}

/** What inspectForSpec found: the trail of that name in the home region, and the bucket. */
export interface LiveState {
  /** `null` when no trail of that name exists in the home region. */
  trail: Probe<TrailState | null>;
  bucket: BucketState;
  /** The spec's KMS key (DescribeKey, GetKeyPolicy), when the spec names one. */
  kmsKey?: Probe<KmsKeyFacts>;
  /**
   * Whether the home region's canary table exists (DescribeTable), when the
   * spec asks for the canary; absent, the plan leaves the table alone.
   */
  canaryTable?: Probe<boolean>;
}

/** The outcome of one executed change; JSON-serialisable for scaffolder checkpoints. */
export interface AppliedChange {
  key: string;
  resource: PlannedChange['resource'];
  action: PlannedChange['action'];
  summary: string;
  /** AWS operations called, in order, including a fallback (e.g. UpdateTrail after TrailAlreadyExists). */
  operations: string[];
  /** `already-done` when AWS said the resource was already there (a resumed or repeated apply). */
  outcome: 'applied' | 'already-done';
  /** Calls made for the main operation, > 1 when bucket-policy propagation was retried. */
  attempts: number;
}
