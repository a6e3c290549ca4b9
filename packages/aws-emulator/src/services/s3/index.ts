import { AwsError } from '../../errors';
import type { EventDraft } from '../../events/record';
import type { HttpResult } from '../../http';
import type { Identity } from '../../identity';
import { s3RequestId } from '../../ids';
import { evaluatePolicy } from '../../policy';
import { s3Error } from '../../protocols/restXml';
import {
  type CallContext,
  type IncomingCall,
  type RefusalKind,
  type ServiceHandler,
  accessDeniedMessage,
} from '../types';
import * as bucketOps from './bucketOperations';
import * as multipart from './multipart';
import * as objectOps from './objectOperations';
import type { ResolvedS3Context, S3Call, S3Context } from './request';

type Route = { operation: string; action: string };

/** Bucket sub-resources: query parameter → method → operation and IAM action. */
const SUBRESOURCES: Record<string, Partial<Record<string, Route>>> = {
  policy: {
    PUT: { operation: 'PutBucketPolicy', action: 's3:PutBucketPolicy' },
    GET: { operation: 'GetBucketPolicy', action: 's3:GetBucketPolicy' },
    DELETE: {
      operation: 'DeleteBucketPolicy',
      action: 's3:DeleteBucketPolicy',
    },
  },
  policyStatus: {
    GET: {
      operation: 'GetBucketPolicyStatus',
      action: 's3:GetBucketPolicyStatus',
    },
  },
  lifecycle: {
    PUT: {
      operation: 'PutBucketLifecycleConfiguration',
      action: 's3:PutLifecycleConfiguration',
    },
    GET: {
      operation: 'GetBucketLifecycleConfiguration',
      action: 's3:GetLifecycleConfiguration',
    },
    DELETE: {
      operation: 'DeleteBucketLifecycle',
      action: 's3:PutLifecycleConfiguration',
    },
  },
  encryption: {
    PUT: {
      operation: 'PutBucketEncryption',
      action: 's3:PutEncryptionConfiguration',
    },
    GET: {
      operation: 'GetBucketEncryption',
      action: 's3:GetEncryptionConfiguration',
    },
    DELETE: {
      operation: 'DeleteBucketEncryption',
      action: 's3:PutEncryptionConfiguration',
    },
  },
  publicAccessBlock: {
    PUT: {
      operation: 'PutPublicAccessBlock',
      action: 's3:PutBucketPublicAccessBlock',
    },
    GET: {
      operation: 'GetPublicAccessBlock',
      action: 's3:GetBucketPublicAccessBlock',
    },
    DELETE: {
      operation: 'DeletePublicAccessBlock',
      action: 's3:PutBucketPublicAccessBlock',
    },
  },
  versioning: {
    PUT: { operation: 'PutBucketVersioning', action: 's3:PutBucketVersioning' },
    GET: { operation: 'GetBucketVersioning', action: 's3:GetBucketVersioning' },
  },
  ownershipControls: {
    PUT: {
      operation: 'PutBucketOwnershipControls',
      action: 's3:PutBucketOwnershipControls',
    },
    GET: {
      operation: 'GetBucketOwnershipControls',
      action: 's3:GetBucketOwnershipControls',
    },
    DELETE: {
      operation: 'DeleteBucketOwnershipControls',
      action: 's3:PutBucketOwnershipControls',
    },
  },
  tagging: {
    PUT: { operation: 'PutBucketTagging', action: 's3:PutBucketTagging' },
    GET: { operation: 'GetBucketTagging', action: 's3:GetBucketTagging' },
    DELETE: { operation: 'DeleteBucketTagging', action: 's3:PutBucketTagging' },
  },
  acl: { GET: { operation: 'GetBucketAcl', action: 's3:GetBucketAcl' } },
  location: {
    GET: { operation: 'GetBucketLocation', action: 's3:GetBucketLocation' },
  },
  versions: {
    GET: { operation: 'ListObjectVersions', action: 's3:ListBucketVersions' },
  },
  delete: {
    POST: { operation: 'DeleteObjects', action: 's3:DeleteObject' },
  },
};

const BUCKET_OPERATIONS: Record<
  string,
  (ctx: ResolvedS3Context) => HttpResult
> = {
  HeadBucket: bucketOps.headBucket,
  DeleteBucket: bucketOps.deleteBucket,
  GetBucketLocation: bucketOps.getBucketLocation,
  GetBucketAcl: bucketOps.getBucketAcl,
  PutBucketPolicy: bucketOps.putBucketPolicy,
  GetBucketPolicy: bucketOps.getBucketPolicy,
  GetBucketPolicyStatus: bucketOps.getBucketPolicyStatus,
  DeleteBucketPolicy: bucketOps.deleteBucketPolicy,
  PutBucketLifecycleConfiguration: bucketOps.putLifecycle,
  GetBucketLifecycleConfiguration: bucketOps.getLifecycle,
  DeleteBucketLifecycle: bucketOps.deleteLifecycle,
  PutBucketEncryption: bucketOps.putEncryption,
  GetBucketEncryption: bucketOps.getEncryption,
  DeleteBucketEncryption: bucketOps.deleteEncryption,
  PutPublicAccessBlock: bucketOps.putPublicAccessBlock,
  GetPublicAccessBlock: bucketOps.getPublicAccessBlock,
  DeletePublicAccessBlock: bucketOps.deletePublicAccessBlock,
  PutBucketVersioning: bucketOps.putVersioning,
  GetBucketVersioning: bucketOps.getVersioning,
  PutBucketOwnershipControls: bucketOps.putOwnershipControls,
  GetBucketOwnershipControls: bucketOps.getOwnershipControls,
  DeleteBucketOwnershipControls: bucketOps.deleteOwnershipControls,
  PutBucketTagging: bucketOps.putTagging,
  GetBucketTagging: bucketOps.getTagging,
  DeleteBucketTagging: bucketOps.deleteTagging,
  ListObjectsV2: objectOps.listObjectsV2,
  ListObjects: objectOps.listObjects,
  ListObjectVersions: objectOps.listObjectVersions,
  DeleteObjects: objectOps.deleteObjects,
};

const OBJECT_OPERATIONS: Record<
  string,
  (ctx: ResolvedS3Context, key: string) => HttpResult
> = {
  PutObject: objectOps.putObject,
  GetObject: objectOps.getObject,
  HeadObject: objectOps.headObject,
  DeleteObject: objectOps.deleteObject,
  CreateMultipartUpload: multipart.createMultipartUpload,
  UploadPart: multipart.uploadPart,
  CompleteMultipartUpload: multipart.completeMultipartUpload,
  AbortMultipartUpload: multipart.abortMultipartUpload,
};

/** Answer headers of object writes that CloudTrail records as `responseElements`. */
const LOGGED_HEADERS = [
  'x-amz-version-id',
  'x-amz-delete-marker',
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
];

const notImplemented = (what: string) =>
  new AwsError(
    'NotImplemented',
    `The emulator does not implement ${what}.`,
    501,
  );

/** Query parameters that are not sub-resources: presigned auth and the SDK's operation hint. */
const isSigningOrHint = (name: string) =>
  name === 'x-id' || name.toLowerCase().startsWith('x-amz-');

const LIST_PARAMETERS = [
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'start-after',
  'continuation-token',
  'encoding-type',
  'fetch-owner',
  'marker',
];

function routeBucket(method: string, query: URLSearchParams): Route {
  for (const [subresource, routes] of Object.entries(SUBRESOURCES)) {
    if (query.has(subresource)) {
      const route = routes[method];
      if (!route) throw notImplemented(`${method} ?${subresource}`);
      return route;
    }
  }
  switch (method) {
    case 'PUT':
      return { operation: 'CreateBucket', action: 's3:CreateBucket' };
    case 'HEAD':
      return { operation: 'HeadBucket', action: 's3:ListBucket' };
    case 'DELETE':
      return { operation: 'DeleteBucket', action: 's3:DeleteBucket' };
    case 'GET':
      if (
        [...query.keys()].some(
          k => !isSigningOrHint(k) && !LIST_PARAMETERS.includes(k),
        )
      ) {
        throw notImplemented(`GET bucket ?${[...query.keys()].join('&')}`);
      }
      return query.get('list-type') === '2'
        ? { operation: 'ListObjectsV2', action: 's3:ListBucket' }
        : { operation: 'ListObjects', action: 's3:ListBucket' };
    default:
      throw notImplemented(`${method} on a bucket`);
  }
}

function routeObject(
  method: string,
  query: URLSearchParams,
  headers: IncomingCall['headers'],
): Route {
  const subresources = [...query.keys()].filter(k => !isSigningOrHint(k));
  const only = (...names: string[]) =>
    subresources.every(name => names.includes(name));
  if (query.has('uploads') && method === 'POST' && only('uploads')) {
    return { operation: 'CreateMultipartUpload', action: 's3:PutObject' };
  }
  if (query.has('uploadId') && only('uploadId', 'partNumber')) {
    if (method === 'PUT' && query.has('partNumber')) {
      if (headers['x-amz-copy-source']) throw notImplemented('UploadPartCopy');
      return { operation: 'UploadPart', action: 's3:PutObject' };
    }
    if (method === 'POST' && !query.has('partNumber'))
      return { operation: 'CompleteMultipartUpload', action: 's3:PutObject' };
    if (method === 'DELETE' && !query.has('partNumber')) {
      return {
        operation: 'AbortMultipartUpload',
        action: 's3:AbortMultipartUpload',
      };
    }
  }
  if (query.has('versionId') && only('versionId')) {
    switch (method) {
      case 'GET':
        return { operation: 'GetObject', action: 's3:GetObjectVersion' };
      case 'HEAD':
        return { operation: 'HeadObject', action: 's3:GetObjectVersion' };
      case 'DELETE':
        return { operation: 'DeleteObject', action: 's3:DeleteObjectVersion' };
      default:
    }
  }
  if (subresources.length > 0)
    throw notImplemented(`${method} object ?${subresources.join('&')}`);
  switch (method) {
    case 'PUT':
      if (headers['x-amz-copy-source']) throw notImplemented('CopyObject');
      return { operation: 'PutObject', action: 's3:PutObject' };
    case 'GET':
      return { operation: 'GetObject', action: 's3:GetObject' };
    case 'HEAD':
      return { operation: 'HeadObject', action: 's3:GetObject' };
    case 'DELETE':
      return { operation: 'DeleteObject', action: 's3:DeleteObject' };
    default:
      throw notImplemented(`${method} on an object`);
  }
}

const VIRTUAL_HOST = [
  /^(.+)\.localhost$/,
  /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.(?:localhost\.localstack\.cloud|amazonaws\.com)$/,
];

/**
 * Path-style addressing (`/bucket/key`, what clients with `forcePathStyle` or an
 * IP endpoint send), or virtual-hosted style on `<bucket>.localhost` and
 * LocalStack/AWS-like host names.
 */
function splitPath(
  path: string,
  host: string | undefined,
): { bucketName?: string; key?: string } {
  const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  const virtual = VIRTUAL_HOST.map(pattern => pattern.exec(hostname)?.[1]).find(
    Boolean,
  );
  if (virtual) {
    const rawKey = path.replace(/^\//, '');
    return {
      bucketName: virtual,
      key: rawKey === '' ? undefined : decodeURIComponent(rawKey),
    };
  }
  const trimmed = path.replace(/^\/+/, '');
  if (trimmed === '') return {};
  const slash = trimmed.indexOf('/');
  const bucketName = decodeURIComponent(
    slash < 0 ? trimmed : trimmed.slice(0, slash),
  );
  const rawKey = slash < 0 ? '' : trimmed.slice(slash + 1);
  return {
    bucketName,
    key: rawKey === '' ? undefined : decodeURIComponent(rawKey),
  };
}

/** Principal names a bucket policy may use for the caller. */
function awsPrincipals(identity: Identity): string[] {
  const names = [
    identity.accountId,
    `arn:aws:iam::${identity.accountId}:root`,
    identity.arn,
  ];
  if (identity.session) names.push(identity.session.roleArn);
  return names;
}

/**
 * Bucket policy check for a caller: another account needs an Allow; anyone is
 * stopped by an explicit Deny. The emulator speaks plain HTTP but presents
 * itself as TLS (`aws:SecureTransport` true), so TLS-only policies keep working.
 */
function checkBucketPolicy(ctx: ResolvedS3Context, call: S3Call): void {
  const decision = evaluatePolicy(ctx.bucket.policy, {
    aws: awsPrincipals(ctx.identity),
    action: call.action,
    resource: call.resource!,
    context: {
      'aws:SecureTransport': true,
      'aws:PrincipalAccount': ctx.identity.accountId,
      'aws:PrincipalArn': ctx.identity.session?.roleArn ?? ctx.identity.arn,
    },
  });
  const sameAccount = ctx.bucket.ownerAccountId === ctx.identity.accountId;
  if (decision === 'Deny' || (!sameAccount && decision !== 'Allow')) {
    throw new AwsError(
      'AccessDenied',
      accessDeniedMessage(ctx.identity, call.action, call.resource),
      403,
    );
  }
}

/** A bucket answers only in its own region; elsewhere AWS redirects (301). */
function checkRegion(ctx: ResolvedS3Context, call: S3Call): void {
  if (
    ctx.bucket.region === ctx.region ||
    call.operation === 'GetBucketLocation'
  )
    return;
  throw new AwsError(
    'PermanentRedirect',
    'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
    301,
    {
      Bucket: ctx.bucket.name,
      Endpoint: `s3.${ctx.bucket.region}.amazonaws.com`,
    },
    { 'x-amz-bucket-region': ctx.bucket.region },
  );
}

export const s3Service: ServiceHandler<S3Call> = {
  service: 's3',
  newRequestId: s3RequestId,

  parse(incoming: IncomingCall): S3Call {
    let parts: ReturnType<typeof splitPath>;
    try {
      parts = splitPath(incoming.path, incoming.headers.host);
    } catch {
      throw new AwsError('InvalidURI', "Couldn't parse the specified URI.");
    }
    const { bucketName, key } = parts;
    if (!bucketName) {
      if (incoming.method !== 'GET')
        throw notImplemented(`${incoming.method} /`);
      return { operation: 'ListBuckets', action: 's3:ListAllMyBuckets' };
    }
    const route =
      key === undefined
        ? routeBucket(incoming.method, incoming.query)
        : routeObject(incoming.method, incoming.query, incoming.headers);
    return {
      ...route,
      bucketName,
      key,
      resource: `arn:aws:s3:::${bucketName}${
        key === undefined ? '' : `/${key}`
      }`,
    };
  },

  refusal(kind: RefusalKind, call: S3Call | undefined, identity?: Identity) {
    switch (kind) {
      case 'missingAuth':
        return new AwsError('AccessDenied', 'Access Denied', 403);
      case 'malformedAuth':
        return new AwsError(
          'AuthorizationHeaderMalformed',
          'The authorization header is malformed.',
          400,
        );
      case 'expiredToken':
        return new AwsError(
          'ExpiredToken',
          'The provided token has expired.',
          400,
        );
      case 'throttled':
        return new AwsError(
          'SlowDown',
          'Please reduce your request rate.',
          503,
        );
      default:
        return new AwsError(
          'AccessDenied',
          accessDeniedMessage(identity, call?.action ?? 's3:*', call?.resource),
          403,
        );
    }
  },

  events(call: S3Call, ctx: CallContext): EventDraft[] {
    if (!call.bucketName) return [];
    const owner =
      ctx.world.buckets.get(call.bucketName)?.ownerAccountId ??
      ctx.identity.accountId;
    const bucketArn = `arn:aws:s3:::${call.bucketName}`;
    const bucketResource = {
      accountId: owner,
      type: 'AWS::S3::Bucket',
      ARN: bucketArn,
    };
    const isObject = call.key !== undefined;
    const isListing = call.operation.startsWith('ListObject');
    const requestParameters: Record<string, unknown> = {
      bucketName: call.bucketName,
      Host: 's3.amazonaws.com',
    };
    if (isObject) requestParameters.key = call.key;
    if (isListing) {
      for (const name of [
        'prefix',
        'delimiter',
        'max-keys',
        'start-after',
        'list-type',
      ]) {
        const value = ctx.incoming.query.get(name);
        if (value !== null) requestParameters[name] = value;
      }
    }
    let resources;
    if (isObject) {
      resources = [
        { type: 'AWS::S3::Object', ARN: call.resource! },
        bucketResource,
      ];
    } else if (isListing) {
      const prefix = ctx.incoming.query.get('prefix') ?? '';
      resources = [
        { type: 'AWS::S3::Object', ARNPrefix: `${bucketArn}/${prefix}` },
        bucketResource,
      ];
    } else {
      resources = [bucketResource];
    }
    return [
      {
        eventSource: 's3.amazonaws.com',
        eventName:
          call.operation === 'ListObjectsV2' ? 'ListObjects' : call.operation,
        awsRegion: ctx.region,
        readOnly: /^(Get|Head|List)/.test(call.operation),
        category:
          isObject || isListing || call.operation === 'DeleteObjects'
            ? 'Data'
            : 'Management',
        resources,
        requestParameters,
        recipientAccountId: owner,
      },
    ];
  },

  handle(call: S3Call, ctx: CallContext): HttpResult {
    const s3: S3Context = {
      world: ctx.world,
      identity: ctx.identity,
      region: ctx.region,
      requestId: ctx.requestId,
      time: ctx.time,
      method: ctx.incoming.method,
      headers: ctx.incoming.headers,
      query: ctx.incoming.query,
      body: ctx.incoming.body,
    };
    if (call.operation === 'ListBuckets') return bucketOps.listBuckets(s3);
    if (call.operation === 'CreateBucket')
      return bucketOps.createBucket(s3, call.bucketName!);
    const bucket = ctx.world.buckets.get(call.bucketName!);
    if (!bucket) {
      throw new AwsError(
        'NoSuchBucket',
        'The specified bucket does not exist',
        404,
        {
          BucketName: call.bucketName,
        },
      );
    }
    const resolved: ResolvedS3Context = { ...s3, bucket };
    checkRegion(resolved, call);
    checkBucketPolicy(resolved, call);
    if (call.key !== undefined)
      return OBJECT_OPERATIONS[call.operation](resolved, call.key);
    return BUCKET_OPERATIONS[call.operation](resolved);
  },

  /** Writes log the version, delete marker and encryption S3 answered with. */
  responseElements(call: S3Call, result: HttpResult) {
    if (call.key === undefined || /^(Get|Head)/.test(call.operation))
      return null;
    const logged = Object.fromEntries(
      LOGGED_HEADERS.flatMap(name =>
        result.headers?.[name] ? [[name, result.headers[name]]] : [],
      ),
    );
    return Object.keys(logged).length > 0 ? logged : null;
  },

  errorResult(error: AwsError, requestId: string, incoming: IncomingCall) {
    return s3Error(error, requestId, incoming.method === 'HEAD');
  },
};
