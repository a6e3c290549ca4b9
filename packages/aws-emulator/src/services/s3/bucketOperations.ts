import { AwsError } from '../../errors';
import type { HttpResult } from '../../http';
import { canonicalUserId } from '../../ids';
import { isPublicPolicy, parsePolicy } from '../../policy';
import { S3_NS, s3Empty, s3Xml } from '../../protocols/restXml';
import { escapeXml, parseXml } from '../../xml';
import { bucketNameProblem } from './bucketNames';
import { type ObjectOwnership, isEmptyBucket, newBucket } from './buckets';
import type { ResolvedS3Context, S3Context } from './request';

/** Bucket-level S3 operations: creation, deletion and configuration sub-resources. */

export const malformedXml = () =>
  new AwsError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

const notFound = (code: string, message: string, bucket: string) =>
  new AwsError(code, message, 404, { BucketName: bucket });

function xmlBody(ctx: S3Context, root: string): Record<string, any> {
  const parsed = parseXml(ctx.body)?.[root];
  if (!parsed || typeof parsed !== 'object') throw malformedXml();
  return parsed;
}

export function createBucket(ctx: S3Context, name: string): HttpResult {
  const problem = bucketNameProblem(name);
  if (problem) {
    throw new AwsError(
      'InvalidBucketName',
      `The specified bucket is not valid: it ${problem}.`,
      400,
      {
        BucketName: name,
      },
    );
  }
  let constraint: string | undefined;
  if (ctx.body.length > 0) {
    const config = parseXml(ctx.body)?.CreateBucketConfiguration;
    if (config === undefined) throw malformedXml();
    constraint = config.LocationConstraint || undefined;
  }
  if (constraint === 'us-east-1') {
    throw new AwsError(
      'InvalidLocationConstraint',
      'The specified location-constraint is not valid',
      400,
      {
        LocationConstraint: constraint,
      },
    );
  }
  const region = constraint ?? 'us-east-1';
  if (region !== ctx.region) {
    throw new AwsError(
      'IllegalLocationConstraintException',
      `The ${
        constraint ?? 'unspecified'
      } location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  const existing = ctx.world.buckets.get(name);
  if (existing) {
    if (existing.ownerAccountId !== ctx.identity.accountId) {
      throw new AwsError(
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        409,
        { BucketName: name },
      );
    }
    // us-east-1 keeps its legacy answer: 200 for a bucket you already own.
    if (existing.region === 'us-east-1' && ctx.region === 'us-east-1') {
      return s3Empty(ctx.requestId, 200, { location: `/${name}` });
    }
    throw new AwsError(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { BucketName: name },
    );
  }
  const bucket = newBucket(name, ctx.identity.accountId, region, ctx.time);
  const ownership = ctx.headers['x-amz-object-ownership'];
  if (typeof ownership === 'string')
    bucket.ownership = checkOwnership(ownership);
  ctx.world.buckets.set(name, bucket);
  // AWS answers the legacy path for us-east-1 and the bucket's URL elsewhere.
  return s3Empty(ctx.requestId, 200, {
    location:
      region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/`,
  });
}

export function listBuckets(ctx: S3Context): HttpResult {
  const buckets = [...ctx.world.buckets.values()]
    .filter(b => b.ownerAccountId === ctx.identity.accountId)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  return s3Xml(ctx.requestId, 'ListAllMyBucketsResult', {
    Owner: { ID: canonicalUserId(ctx.identity.accountId) },
    Buckets: {
      Bucket: buckets.map(b => ({
        Name: b.name,
        CreationDate: new Date(b.createdAt).toISOString(),
        BucketRegion: b.region,
      })),
    },
  });
}

export function headBucket(ctx: ResolvedS3Context): HttpResult {
  return s3Empty(ctx.requestId, 200, {
    'x-amz-bucket-region': ctx.bucket.region,
    'x-amz-access-point-alias': 'false',
  });
}

export function deleteBucket(ctx: ResolvedS3Context): HttpResult {
  if (!isEmptyBucket(ctx.bucket)) {
    throw new AwsError(
      'BucketNotEmpty',
      'The bucket you tried to delete is not empty',
      409,
      {
        BucketName: ctx.bucket.name,
      },
    );
  }
  ctx.world.buckets.delete(ctx.bucket.name);
  return s3Empty(ctx.requestId, 204);
}

export function getBucketLocation(ctx: ResolvedS3Context): HttpResult {
  const constraint =
    ctx.bucket.region === 'us-east-1' ? '' : escapeXml(ctx.bucket.region);
  return {
    ...s3Xml(ctx.requestId, 'LocationConstraint', {}),
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_NS}">${constraint}</LocationConstraint>`,
  };
}

export function getBucketAcl(ctx: ResolvedS3Context): HttpResult {
  const owner = { ID: canonicalUserId(ctx.bucket.ownerAccountId) };
  return s3Xml(ctx.requestId, 'AccessControlPolicy', {
    Owner: owner,
    AccessControlList: {
      Grant: [
        {
          Grantee: {
            '@': {
              'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
              'xsi:type': 'CanonicalUser',
            },
            ...owner,
          },
          Permission: 'FULL_CONTROL',
        },
      ],
    },
  });
}

// ------------------------------------------------------------------- policy

export function putBucketPolicy(ctx: ResolvedS3Context): HttpResult {
  const text = ctx.body.toString('utf8');
  const policy = parsePolicy(text);
  if (!text.trimStart().startsWith('{') || !policy) {
    throw new AwsError(
      'MalformedPolicy',
      "Policies must be valid JSON and the first byte must be '{'",
    );
  }
  const bucketArn = `arn:aws:s3:::${ctx.bucket.name}`;
  for (const statement of policy.Statement) {
    if (
      statement.Principal === undefined &&
      statement.NotPrincipal === undefined
    ) {
      throw new AwsError('MalformedPolicy', 'Missing required field Principal');
    }
    const resources = [statement.Resource ?? statement.NotResource].flat();
    if (
      resources.some(
        r =>
          typeof r !== 'string' ||
          !(r === bucketArn || r.startsWith(`${bucketArn}/`)),
      )
    ) {
      throw new AwsError('MalformedPolicy', 'Policy has invalid resource');
    }
  }
  if (ctx.bucket.publicAccessBlock?.BlockPublicPolicy && isPublicPolicy(text)) {
    throw new AwsError(
      'AccessDenied',
      `User: ${ctx.identity.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "${bucketArn}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
      403,
    );
  }
  ctx.bucket.policy = text;
  return s3Empty(ctx.requestId, 204);
}

function requirePolicy(ctx: ResolvedS3Context): string {
  if (!ctx.bucket.policy) {
    throw notFound(
      'NoSuchBucketPolicy',
      'The bucket policy does not exist',
      ctx.bucket.name,
    );
  }
  return ctx.bucket.policy;
}

export function getBucketPolicy(ctx: ResolvedS3Context): HttpResult {
  return {
    ...s3Empty(ctx.requestId, 200, { 'content-type': 'application/json' }),
    body: requirePolicy(ctx),
  };
}

export function getBucketPolicyStatus(ctx: ResolvedS3Context): HttpResult {
  return s3Xml(ctx.requestId, 'PolicyStatus', {
    IsPublic: isPublicPolicy(requirePolicy(ctx)),
  });
}

export function deleteBucketPolicy(ctx: ResolvedS3Context): HttpResult {
  ctx.bucket.policy = undefined;
  return s3Empty(ctx.requestId, 204);
}

// ---------------------------------------------------------------- lifecycle

/** How S3 picks the smallest object a lifecycle transition moves. */
const TRANSITION_MINIMUM_SIZES = [
  'all_storage_classes_128K',
  'varies_by_storage_class',
];
const TRANSITION_MINIMUM_SIZE_HEADER =
  'x-amz-transition-default-minimum-object-size';

export function putLifecycle(ctx: ResolvedS3Context): HttpResult {
  const config = xmlBody(ctx, 'LifecycleConfiguration');
  const rules: any[] = config.Rule ?? [];
  if (rules.length === 0 || rules.length > 1000) throw malformedXml();
  for (const rule of rules) {
    if (!['Enabled', 'Disabled'].includes(rule?.Status)) throw malformedXml();
  }
  // AWS's default for a configuration put without the header (since 2024).
  const minimumSize = String(
    ctx.headers[TRANSITION_MINIMUM_SIZE_HEADER] ?? TRANSITION_MINIMUM_SIZES[0],
  );
  if (!TRANSITION_MINIMUM_SIZES.includes(minimumSize)) {
    throw new AwsError(
      'InvalidArgument',
      `Invalid value for ${TRANSITION_MINIMUM_SIZE_HEADER}: ${minimumSize}`,
    );
  }
  ctx.bucket.lifecycle = config;
  ctx.bucket.lifecycleTransitionMinimumSize = minimumSize;
  return s3Empty(ctx.requestId, 200, {
    [TRANSITION_MINIMUM_SIZE_HEADER]: minimumSize,
  });
}

export function getLifecycle(ctx: ResolvedS3Context): HttpResult {
  if (!ctx.bucket.lifecycle) {
    throw notFound(
      'NoSuchLifecycleConfiguration',
      'The lifecycle configuration does not exist',
      ctx.bucket.name,
    );
  }
  return s3Xml(ctx.requestId, 'LifecycleConfiguration', ctx.bucket.lifecycle, {
    [TRANSITION_MINIMUM_SIZE_HEADER]:
      ctx.bucket.lifecycleTransitionMinimumSize ?? TRANSITION_MINIMUM_SIZES[0],
  });
}

export function deleteLifecycle(ctx: ResolvedS3Context): HttpResult {
  ctx.bucket.lifecycle = undefined;
  ctx.bucket.lifecycleTransitionMinimumSize = undefined;
  return s3Empty(ctx.requestId, 204);
}

// --------------------------------------------------------------- encryption

const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

export function putEncryption(ctx: ResolvedS3Context): HttpResult {
  const config = xmlBody(ctx, 'ServerSideEncryptionConfiguration');
  const rule = config.Rule?.[0];
  const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  if (!SSE_ALGORITHMS.includes(algorithm)) throw malformedXml();
  if (
    algorithm === 'AES256' &&
    rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID
  ) {
    throw new AwsError(
      'InvalidArgument',
      'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
    );
  }
  ctx.bucket.encryption = config;
  return s3Empty(ctx.requestId, 200);
}

export function getEncryption(ctx: ResolvedS3Context): HttpResult {
  if (!ctx.bucket.encryption) {
    throw notFound(
      'ServerSideEncryptionConfigurationNotFoundError',
      'The server side encryption configuration was not found',
      ctx.bucket.name,
    );
  }
  return s3Xml(
    ctx.requestId,
    'ServerSideEncryptionConfiguration',
    ctx.bucket.encryption,
  );
}

/**
 * Removes the configuration. (Since 2023 AWS falls back to SSE-S3 instead; the
 * emulator keeps the older behaviour so the not-found answer stays reachable.)
 */
export function deleteEncryption(ctx: ResolvedS3Context): HttpResult {
  ctx.bucket.encryption = undefined;
  return s3Empty(ctx.requestId, 204);
}

// ------------------------------------------------------- public access block

const PAB_FLAGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;

export function putPublicAccessBlock(ctx: ResolvedS3Context): HttpResult {
  const config = xmlBody(ctx, 'PublicAccessBlockConfiguration');
  const flags = {} as Record<(typeof PAB_FLAGS)[number], boolean>;
  for (const flag of PAB_FLAGS) {
    const value = config[flag];
    if (value !== undefined && value !== 'true' && value !== 'false')
      throw malformedXml();
    flags[flag] = value === 'true';
  }
  ctx.bucket.publicAccessBlock = flags;
  return s3Empty(ctx.requestId, 200);
}

export function getPublicAccessBlock(ctx: ResolvedS3Context): HttpResult {
  if (!ctx.bucket.publicAccessBlock) {
    throw notFound(
      'NoSuchPublicAccessBlockConfiguration',
      'The public access block configuration was not found',
      ctx.bucket.name,
    );
  }
  return s3Xml(ctx.requestId, 'PublicAccessBlockConfiguration', {
    ...ctx.bucket.publicAccessBlock,
  });
}

export function deletePublicAccessBlock(ctx: ResolvedS3Context): HttpResult {
  ctx.bucket.publicAccessBlock = undefined;
  return s3Empty(ctx.requestId, 204);
}

// --------------------------------------------------------------- versioning

export function putVersioning(ctx: ResolvedS3Context): HttpResult {
  const config = xmlBody(ctx, 'VersioningConfiguration');
  if (!['Enabled', 'Suspended'].includes(config.Status)) throw malformedXml();
  ctx.bucket.versioning = config.Status;
  return s3Empty(ctx.requestId, 200);
}

export function getVersioning(ctx: ResolvedS3Context): HttpResult {
  return s3Xml(ctx.requestId, 'VersioningConfiguration', {
    Status: ctx.bucket.versioning,
  });
}

// ---------------------------------------------------------------- ownership

const OWNERSHIPS: ObjectOwnership[] = [
  'BucketOwnerEnforced',
  'BucketOwnerPreferred',
  'ObjectWriter',
];

function checkOwnership(value: unknown): ObjectOwnership {
  if (!OWNERSHIPS.includes(value as ObjectOwnership)) {
    throw new AwsError(
      'InvalidArgument',
      `Invalid x-amz-object-ownership header: ${String(value)}`,
    );
  }
  return value as ObjectOwnership;
}

export function putOwnershipControls(ctx: ResolvedS3Context): HttpResult {
  const config = xmlBody(ctx, 'OwnershipControls');
  const value = config.Rule?.[0]?.ObjectOwnership;
  if (!OWNERSHIPS.includes(value)) throw malformedXml();
  ctx.bucket.ownership = value;
  return s3Empty(ctx.requestId, 200);
}

export function getOwnershipControls(ctx: ResolvedS3Context): HttpResult {
  if (!ctx.bucket.ownership) {
    throw notFound(
      'OwnershipControlsNotFoundError',
      'The bucket ownership controls were not found',
      ctx.bucket.name,
    );
  }
  return s3Xml(ctx.requestId, 'OwnershipControls', {
    Rule: { ObjectOwnership: ctx.bucket.ownership },
  });
}

export function deleteOwnershipControls(ctx: ResolvedS3Context): HttpResult {
  ctx.bucket.ownership = undefined;
  return s3Empty(ctx.requestId, 204);
}

// ------------------------------------------------------------------ tagging

export function putTagging(ctx: ResolvedS3Context): HttpResult {
  const config = xmlBody(ctx, 'Tagging');
  const tags: Array<{ Key: string; Value: string }> = (
    config.TagSet?.Tag ?? []
  ).map((tag: any) => ({
    Key: String(tag?.Key ?? ''),
    Value: String(tag?.Value ?? ''),
  }));
  if (tags.length > 50) {
    throw new AwsError(
      'BadRequest',
      'Bucket tag count cannot be greater than 50',
    );
  }
  const keys = new Set<string>();
  for (const tag of tags) {
    if (!tag.Key || tag.Key.length > 128 || tag.Value.length > 256) {
      throw new AwsError(
        'InvalidTag',
        'The TagKey you have provided is invalid',
      );
    }
    if (keys.has(tag.Key)) {
      throw new AwsError(
        'InvalidTag',
        'Cannot provide multiple Tags with the same key',
      );
    }
    keys.add(tag.Key);
  }
  ctx.bucket.tags = tags;
  return s3Empty(ctx.requestId, 204);
}

export function getTagging(ctx: ResolvedS3Context): HttpResult {
  if (!ctx.bucket.tags) {
    throw notFound(
      'NoSuchTagSet',
      'The TagSet does not exist',
      ctx.bucket.name,
    );
  }
  return s3Xml(ctx.requestId, 'Tagging', { TagSet: { Tag: ctx.bucket.tags } });
}

export function deleteTagging(ctx: ResolvedS3Context): HttpResult {
  ctx.bucket.tags = undefined;
  return s3Empty(ctx.requestId, 204);
}
