import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
} from '@aws-sdk/client-s3';
import {
  BucketEncryption,
  BucketState,
  LifecycleRule,
  PolicyDocument,
  Probe,
  PublicAccessBlock,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients } from './clients';
import { compact } from './objects';
import { isAwsError, probe, probeValue } from './probe';

/** S3's answers meaning "this bucket has no such configuration". */
const NOT_CONFIGURED = {
  policy: ['NoSuchBucketPolicy'],
  encryption: ['ServerSideEncryptionConfigurationNotFoundError'],
  publicAccessBlock: ['NoSuchPublicAccessBlockConfiguration'],
  ownership: ['OwnershipControlsNotFoundError'],
  lifecycle: ['NoSuchLifecycleConfiguration'],
  tags: ['NoSuchTagSet', 'NoSuchTagSetError'],
};

const NO_BUCKET = ['NotFound', 'NoSuchBucket'];

/**
 * The bucket's existence, region and every setting the checks and the plan judge,
 * one S3 call each. A bucket that does not exist is answered without further calls.
 * A bucket whose name belongs to another account answers HeadBucket with 403: that is
 * `exists: ok false`, since we cannot tell it apart from a missing permission.
 */
export async function inspectBucket(
  clients: AwsClients,
  bucketName: string,
): Promise<BucketState> {
  const { s3 } = clients;
  const Bucket = bucketName;
  let headRegion: string | undefined;
  const exists = await probeValue(async () => {
    try {
      const head = await s3.send(new HeadBucketCommand({ Bucket }));
      headRegion = head.BucketRegion;
      return true;
    } catch (error) {
      if (isAwsError(error, ...NO_BUCKET)) return false;
      throw error;
    }
  });

  if (exists.ok && !exists.value) {
    const none = { ok: true as const, value: null };
    return {
      name: bucketName,
      exists,
      region: {
        ok: false,
        error: `Bucket ${bucketName} does not exist`,
        code: 'NoSuchBucket',
      },
      policy: none,
      encryption: none,
      publicAccessBlock: none,
      ownership: none,
      versioning: none,
      lifecycle: none,
      tags: none,
    };
  }

  const [
    region,
    policy,
    encryption,
    publicAccessBlock,
    ownership,
    versioning,
    lifecycle,
    tags,
  ] = await Promise.all([
    headRegion
      ? Promise.resolve<Probe<string>>({ ok: true, value: headRegion })
      : probeValue(async () => {
          const location = await s3.send(
            new GetBucketLocationCommand({ Bucket }),
          );
          // S3 reports us-east-1 as an empty constraint, and EU as the legacy alias of eu-west-1.
          const constraint = location.LocationConstraint as string | undefined;
          if (!constraint) return 'us-east-1';
          return constraint === 'EU' ? 'eu-west-1' : constraint;
        }),
    probe(async (): Promise<PolicyDocument> => {
      const output = await s3.send(new GetBucketPolicyCommand({ Bucket }));
      return JSON.parse(
        output.Policy ?? '{"Version":"2012-10-17","Statement":[]}',
      );
    }, NOT_CONFIGURED.policy),
    probe(async (): Promise<BucketEncryption | null> => {
      const output = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
      const rule = output.ServerSideEncryptionConfiguration?.Rules?.[0];
      const byDefault = rule?.ApplyServerSideEncryptionByDefault;
      if (!byDefault?.SSEAlgorithm) return null;
      return compact({
        algorithm: byDefault.SSEAlgorithm,
        kmsKeyId: byDefault.KMSMasterKeyID,
        bucketKeyEnabled: rule?.BucketKeyEnabled,
      });
    }, NOT_CONFIGURED.encryption),
    probe(async (): Promise<PublicAccessBlock> => {
      const output = await s3.send(new GetPublicAccessBlockCommand({ Bucket }));
      const config = output.PublicAccessBlockConfiguration ?? {};
      return {
        BlockPublicAcls: config.BlockPublicAcls ?? false,
        IgnorePublicAcls: config.IgnorePublicAcls ?? false,
        BlockPublicPolicy: config.BlockPublicPolicy ?? false,
        RestrictPublicBuckets: config.RestrictPublicBuckets ?? false,
      };
    }, NOT_CONFIGURED.publicAccessBlock),
    probe(async () => {
      const output = await s3.send(
        new GetBucketOwnershipControlsCommand({ Bucket }),
      );
      return output.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null;
    }, NOT_CONFIGURED.ownership),
    probe(async () => {
      const output = await s3.send(new GetBucketVersioningCommand({ Bucket }));
      return (output.Status as 'Enabled' | 'Suspended' | undefined) ?? null;
    }),
    probe(async () => {
      const output = await s3.send(
        new GetBucketLifecycleConfigurationCommand({ Bucket }),
      );
      // Kept as S3 returned them: a later PutBucketLifecycleConfiguration replaces the
      // whole set, so other rules must survive with every field they have.
      return (output.Rules ?? []) as LifecycleRule[];
    }, NOT_CONFIGURED.lifecycle),
    probe(async () => {
      const output = await s3.send(new GetBucketTaggingCommand({ Bucket }));
      return Object.fromEntries(
        (output.TagSet ?? []).map(tag => [tag.Key ?? '', tag.Value ?? '']),
      );
    }, NOT_CONFIGURED.tags),
  ]);

  return {
    name: bucketName,
    exists,
    region,
    policy,
    encryption,
    publicAccessBlock,
    ownership,
    versioning: versioning as Probe<'Enabled' | 'Suspended' | null>,
    lifecycle,
    tags,
  };
}
