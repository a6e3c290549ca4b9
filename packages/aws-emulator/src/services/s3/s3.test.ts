import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListObjectVersionsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { type RunningEmulator, startEmulator } from '../../index';
import { rejection, sdkClients } from '../../__testUtils__/clients';

describe('S3 over the wire', () => {
  let emulator: RunningEmulator;
  let s3: S3Client;
  let s3West: S3Client;
  const bucket = 'lineage-test-bucket';

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    s3 = sdkClients(emulator.url).s3;
    s3West = sdkClients(emulator.url, { region: 'eu-west-1' }).s3;
  });

  afterAll(() => emulator.stop());

  beforeEach(async () => {
    await emulator.reset();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  describe('buckets', () => {
    it.each([
      'ab',
      'Upper-Case',
      'ends-with-dash-',
      'two..dots',
      '192.168.5.4',
      'xn--punycode',
      'sthree-bucket',
      'foo-s3alias',
      'a'.repeat(64),
    ])('refuses the invalid bucket name %j', async name => {
      expect(
        (await rejection(s3.send(new CreateBucketCommand({ Bucket: name }))))
          .name,
      ).toBe('InvalidBucketName');
    });

    it('creates buckets in the region of the location constraint', async () => {
      await s3West.send(
        new CreateBucketCommand({
          Bucket: 'west-bucket',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      );
      const location = await s3West.send(
        new GetBucketLocationCommand({ Bucket: 'west-bucket' }),
      );
      expect(location.LocationConstraint).toBe('eu-west-1');
      const east = await s3.send(
        new GetBucketLocationCommand({ Bucket: bucket }),
      );
      expect(east.LocationConstraint ?? '').toBe('');
      const head = await s3West.send(
        new HeadBucketCommand({ Bucket: 'west-bucket' }),
      );
      expect(head.BucketRegion).toBe('eu-west-1');
      const { Buckets } = await s3.send(new ListBucketsCommand({}));
      expect(Buckets?.map(b => b.Name)).toEqual([bucket, 'west-bucket']);
    });

    it('refuses location constraints that do not match the endpoint region', async () => {
      const mismatch = await rejection(
        s3.send(
          new CreateBucketCommand({
            Bucket: 'west-bucket',
            CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
          }),
        ),
      );
      expect(mismatch.name).toBe('IllegalLocationConstraintException');
      const explicitDefault = await rejection(
        s3.send(
          new CreateBucketCommand({
            Bucket: 'east-bucket',
            CreateBucketConfiguration: {
              LocationConstraint: 'us-east-1' as never,
            },
          }),
        ),
      );
      expect(explicitDefault.name).toBe('InvalidLocationConstraint');
    });

    it('answers BucketAlreadyOwnedByYou and BucketAlreadyExists', async () => {
      await s3West.send(
        new CreateBucketCommand({
          Bucket: 'west-bucket',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      );
      const mine = await rejection(
        s3West.send(
          new CreateBucketCommand({
            Bucket: 'west-bucket',
            CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
          }),
        ),
      );
      expect(mine.name).toBe('BucketAlreadyOwnedByYou');
      // us-east-1 keeps its legacy 200 for buckets you own.
      await expect(
        s3.send(new CreateBucketCommand({ Bucket: bucket })),
      ).resolves.toBeDefined();
      const other = sdkClients(emulator.url, {
        accessKeyId: '222222222222',
      }).s3;
      expect(
        (
          await rejection(
            other.send(new CreateBucketCommand({ Bucket: bucket })),
          )
        ).name,
      ).toBe('BucketAlreadyExists');
    });

    it('answers NoSuchBucket, and 404 without a body on HEAD', async () => {
      const error = await rejection(
        s3.send(new GetBucketPolicyCommand({ Bucket: 'missing-bucket' })),
      );
      expect(error.name).toBe('NoSuchBucket');
      expect(error.$metadata.httpStatusCode).toBe(404);
      const head = await rejection(
        s3.send(new HeadBucketCommand({ Bucket: 'missing-bucket' })),
      );
      expect(head.name).toBe('NotFound');
    });

    it('redirects calls signed for another region than the bucket', async () => {
      const error = await rejection(
        s3West.send(new GetBucketPolicyCommand({ Bucket: bucket })),
      );
      expect(error.name).toBe('PermanentRedirect');
      expect(error.$metadata.httpStatusCode).toBe(301);
    });

    it('refuses to delete a bucket that is not empty', async () => {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'a' }),
      );
      expect(
        (await rejection(s3.send(new DeleteBucketCommand({ Bucket: bucket }))))
          .name,
      ).toBe('BucketNotEmpty');
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a.txt' }));
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      expect(
        (await rejection(s3.send(new HeadBucketCommand({ Bucket: bucket }))))
          .name,
      ).toBe('NotFound');
    });

    it('denies another account unless the bucket policy allows it', async () => {
      const other = sdkClients(emulator.url, {
        accessKeyId: '222222222222',
      }).s3;
      expect(
        (
          await rejection(
            other.send(new ListObjectsV2Command({ Bucket: bucket })),
          )
        ).name,
      ).toBe('AccessDenied');
      await s3.send(
        new PutBucketPolicyCommand({
          Bucket: bucket,
          Policy: JSON.stringify({
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::222222222222:root' },
                Action: ['s3:ListBucket', 's3:GetObject'],
                Resource: [
                  `arn:aws:s3:::${bucket}`,
                  `arn:aws:s3:::${bucket}/*`,
                ],
              },
            ],
          }),
        }),
      );
      await expect(
        other.send(new ListObjectsV2Command({ Bucket: bucket })),
      ).resolves.toMatchObject({ KeyCount: 0 });
      expect(
        (
          await rejection(
            other.send(new GetBucketPolicyCommand({ Bucket: bucket })),
          )
        ).name,
      ).toBe('AccessDenied');
    });
  });

  describe('configuration', () => {
    it('stores, returns and deletes the bucket policy', async () => {
      expect(
        (
          await rejection(
            s3.send(new GetBucketPolicyCommand({ Bucket: bucket })),
          )
        ).name,
      ).toBe('NoSuchBucketPolicy');
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      });
      await s3.send(
        new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }),
      );
      expect(
        (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy,
      ).toBe(policy);
      expect(
        (await s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })))
          .PolicyStatus?.IsPublic,
      ).toBe(false);
      await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      expect(
        (
          await rejection(
            s3.send(new GetBucketPolicyCommand({ Bucket: bucket })),
          )
        ).name,
      ).toBe('NoSuchBucketPolicy');
    });

    it('refuses malformed policies and public ones while BlockPublicPolicy is on', async () => {
      expect(
        (
          await rejection(
            s3.send(
              new PutBucketPolicyCommand({ Bucket: bucket, Policy: 'nope' }),
            ),
          )
        ).name,
      ).toBe('MalformedPolicy');
      const publicPolicy = JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${bucket}/*`,
          },
        ],
      });
      expect(
        (
          await rejection(
            s3.send(
              new PutBucketPolicyCommand({
                Bucket: bucket,
                Policy: publicPolicy,
              }),
            ),
          )
        ).name,
      ).toBe('AccessDenied');
      await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
      await s3.send(
        new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicPolicy }),
      );
      expect(
        (await s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })))
          .PolicyStatus?.IsPublic,
      ).toBe(true);
    });

    it('stores lifecycle rules and answers NoSuchLifecycleConfiguration', async () => {
      expect(
        (
          await rejection(
            s3.send(
              new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }),
            ),
          )
        ).name,
      ).toBe('NoSuchLifecycleConfiguration');
      await s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: 'to-glacier',
                Status: 'Enabled',
                Filter: { Prefix: 'AWSLogs/' },
                Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
                NoncurrentVersionTransitions: [
                  { NoncurrentDays: 90, StorageClass: 'GLACIER' },
                ],
              },
            ],
          },
        }),
      );
      const { Rules } = await s3.send(
        new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }),
      );
      expect(Rules).toEqual([
        expect.objectContaining({
          ID: 'to-glacier',
          Status: 'Enabled',
          Filter: { Prefix: 'AWSLogs/' },
          Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
          NoncurrentVersionTransitions: [
            { NoncurrentDays: 90, StorageClass: 'GLACIER' },
          ],
        }),
      ]);
      await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
      expect(
        (
          await rejection(
            s3.send(
              new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }),
            ),
          )
        ).name,
      ).toBe('NoSuchLifecycleConfiguration');
    });

    it('defaults new buckets to SSE-S3 and stores SSE-KMS', async () => {
      const initial = await s3.send(
        new GetBucketEncryptionCommand({ Bucket: bucket }),
      );
      expect(
        initial.ServerSideEncryptionConfiguration?.Rules?.[0]
          .ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
      ).toBe('AES256');
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket: bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: {
                  SSEAlgorithm: 'aws:kms',
                  KMSMasterKeyID: 'arn:aws:kms:us-east-1:111111111111:key/k1',
                },
                BucketKeyEnabled: true,
              },
            ],
          },
        }),
      );
      const kms = await s3.send(
        new GetBucketEncryptionCommand({ Bucket: bucket }),
      );
      expect(kms.ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: 'arn:aws:kms:us-east-1:111111111111:key/k1',
        },
        BucketKeyEnabled: true,
      });
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'secret.txt', Body: 'x' }),
      );
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: 'secret.txt' }),
      );
      expect(head.ServerSideEncryption).toBe('aws:kms');
      await s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
      expect(
        (
          await rejection(
            s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })),
          )
        ).name,
      ).toBe('ServerSideEncryptionConfigurationNotFoundError');
    });

    it('defaults to all four Block Public Access flags and stores changes', async () => {
      const initial = await s3.send(
        new GetPublicAccessBlockCommand({ Bucket: bucket }),
      );
      expect(initial.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      await s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: bucket,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: false,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: false,
          },
        }),
      );
      const changed = await s3.send(
        new GetPublicAccessBlockCommand({ Bucket: bucket }),
      );
      expect(changed.PublicAccessBlockConfiguration?.IgnorePublicAcls).toBe(
        false,
      );
      await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
      expect(
        (
          await rejection(
            s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
          )
        ).name,
      ).toBe('NoSuchPublicAccessBlockConfiguration');
    });

    it('stores versioning', async () => {
      expect(
        (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket })))
          .Status,
      ).toBeUndefined();
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
      expect(
        (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket })))
          .Status,
      ).toBe('Enabled');
      const put = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'v.txt', Body: 'v' }),
      );
      expect(put.VersionId).toMatch(/^\w+$/);
    });

    it('defaults to BucketOwnerEnforced and stores ownership controls', async () => {
      const initial = await s3.send(
        new GetBucketOwnershipControlsCommand({ Bucket: bucket }),
      );
      expect(initial.OwnershipControls?.Rules).toEqual([
        { ObjectOwnership: 'BucketOwnerEnforced' },
      ]);
      const acl = await rejection(
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'acl.txt',
            Body: 'x',
            ACL: 'public-read',
          }),
        ),
      );
      expect(acl.name).toBe('AccessControlListNotSupported');
      await s3.send(
        new PutBucketOwnershipControlsCommand({
          Bucket: bucket,
          OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
        }),
      );
      expect(
        (
          await s3.send(
            new GetBucketOwnershipControlsCommand({ Bucket: bucket }),
          )
        ).OwnershipControls?.Rules,
      ).toEqual([{ ObjectOwnership: 'ObjectWriter' }]);
      await s3.send(
        new DeleteBucketOwnershipControlsCommand({ Bucket: bucket }),
      );
      expect(
        (
          await rejection(
            s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })),
          )
        ).name,
      ).toBe('OwnershipControlsNotFoundError');
    });

    it('stores tags and answers NoSuchTagSet', async () => {
      expect(
        (
          await rejection(
            s3.send(new GetBucketTaggingCommand({ Bucket: bucket })),
          )
        ).name,
      ).toBe('NoSuchTagSet');
      const TagSet = [
        { Key: 'backstage:owner', Value: 'group:default/team-payments' },
        { Key: 'env', Value: 'prod' },
      ];
      await s3.send(
        new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet } }),
      );
      expect(
        (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet,
      ).toEqual(TagSet);
      const duplicate = await rejection(
        s3.send(
          new PutBucketTaggingCommand({
            Bucket: bucket,
            Tagging: { TagSet: [TagSet[0], TagSet[0]] },
          }),
        ),
      );
      expect(duplicate.name).toBe('InvalidTag');
      await s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));
      expect(
        (
          await rejection(
            s3.send(new GetBucketTaggingCommand({ Bucket: bucket })),
          )
        ).name,
      ).toBe('NoSuchTagSet');
    });

    it('returns the owner ACL', async () => {
      const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
      expect(acl.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
      expect(acl.Grants).toEqual([
        {
          Grantee: { ID: acl.Owner?.ID, Type: 'CanonicalUser' },
          Permission: 'FULL_CONTROL',
        },
      ]);
    });
  });

  describe('objects', () => {
    it('puts, gets, heads and deletes objects with metadata', async () => {
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'dir/hello world.json',
          Body: '{"hello":"world"}',
          ContentType: 'application/json',
          Metadata: { team: 'payments' },
        }),
      );
      expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      const got = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'dir/hello world.json' }),
      );
      expect(await got.Body?.transformToString()).toBe('{"hello":"world"}');
      expect(got).toMatchObject({
        ContentType: 'application/json',
        ETag: put.ETag,
        Metadata: { team: 'payments' },
      });
      expect(got.LastModified).toBeInstanceOf(Date);
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: 'dir/hello world.json' }),
      );
      expect(head.ContentLength).toBe(17);
      const range = await s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: 'dir/hello world.json',
          Range: 'bytes=2-6',
        }),
      );
      expect(await range.Body?.transformToString()).toBe('hello');
      await s3.send(
        new DeleteObjectCommand({
          Bucket: bucket,
          Key: 'dir/hello world.json',
        }),
      );
      const missing = await rejection(
        s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: 'dir/hello world.json' }),
        ),
      );
      expect(missing.name).toBe('NoSuchKey');
      const missingHead = await rejection(
        s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'nope' })),
      );
      expect(missingHead.name).toBe('NotFound');
    });

    it('keeps keys with dot segments and binary bodies intact', async () => {
      const body = Buffer.from([0, 1, 2, 255, 254]);
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'a/../b/./c', Body: body }),
      );
      const got = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'a/../b/./c' }),
      );
      expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
    });
  });

  describe('ListObjectsV2', () => {
    const keys = [
      'AWSLogs/111111111111/CloudTrail/eu-west-1/2024/06/01/b.json.gz',
      'AWSLogs/111111111111/CloudTrail/us-east-1/2024/06/01/a.json.gz',
      'AWSLogs/111111111111/CloudTrail/us-east-1/2024/06/02/c.json.gz',
      'AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2024/06/01/d.json.gz',
      'Zebra',
      'apple',
      'caf\u00e9',
      'cafe',
      'emoji-\u{1F600}',
      'emoji-\uFF21',
    ];

    beforeEach(async () => {
      for (const key of keys)
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }),
        );
    });

    it('lists keys in byte-wise (UTF-8) order', async () => {
      const { Contents, KeyCount, IsTruncated } = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket }),
      );
      const expected = [...keys].sort((a, b) =>
        Buffer.compare(Buffer.from(a), Buffer.from(b)),
      );
      expect(Contents?.map(c => c.Key)).toEqual(expected);
      expect(KeyCount).toBe(keys.length);
      expect(IsTruncated).toBe(false);
      expect(Contents?.[0]).toMatchObject({
        Size: expect.any(Number),
        StorageClass: 'STANDARD',
        ETag: expect.stringMatching(/^"/),
      });
    });

    it('filters by prefix and rolls up common prefixes', async () => {
      const result = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: 'AWSLogs/111111111111/',
          Delimiter: '/',
        }),
      );
      expect(result.Contents).toBeUndefined();
      expect(result.CommonPrefixes?.map(p => p.Prefix)).toEqual([
        'AWSLogs/111111111111/CloudTrail-Digest/',
        'AWSLogs/111111111111/CloudTrail/',
      ]);
      const regions = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: 'AWSLogs/111111111111/CloudTrail/',
          Delimiter: '/',
        }),
      );
      expect(regions.CommonPrefixes?.map(p => p.Prefix)).toEqual([
        'AWSLogs/111111111111/CloudTrail/eu-west-1/',
        'AWSLogs/111111111111/CloudTrail/us-east-1/',
      ]);
    });

    it('starts after a key', async () => {
      const result = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'apple' }),
      );
      expect(result.Contents?.[0].Key).toBe('cafe');
      expect(result.StartAfter).toBe('apple');
    });

    it('pages with continuation tokens, counting common prefixes against MaxKeys', async () => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Delimiter: '/',
            MaxKeys: 2,
            ContinuationToken: token,
          }),
        );
        pages++;
        seen.push(
          ...(page.CommonPrefixes ?? []).map(p => p.Prefix!),
          ...(page.Contents ?? []).map(c => c.Key!),
        );
        expect(page.KeyCount).toBeLessThanOrEqual(2);
        token = page.NextContinuationToken;
        expect(Boolean(token)).toBe(page.IsTruncated);
      } while (token);
      expect(seen.sort()).toEqual(
        [
          'AWSLogs/',
          'Zebra',
          'apple',
          'cafe',
          'caf\u00e9',
          'emoji-\u{1F600}',
          'emoji-\uFF21',
        ].sort(),
      );
      expect(pages).toBe(4);
    });

    it('pages through thousands of bulk-loaded keys, 1000 at a time', async () => {
      const bulk = Array.from(
        { length: 2500 },
        (_, i) => `bulk/${String(i).padStart(5, '0')}`,
      );
      await emulator.loadObjects(
        bucket,
        [...bulk].reverse().map(key => ({ key, body: 'x' })),
      );
      const seen: string[] = [];
      let token: string | undefined;
      const counts: number[] = [];
      do {
        const page = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: 'bulk/',
            ContinuationToken: token,
          }),
        );
        counts.push(page.KeyCount!);
        seen.push(...page.Contents!.map(c => c.Key!));
        token = page.NextContinuationToken;
      } while (token);
      expect(counts).toEqual([1000, 1000, 500]);
      expect(seen).toEqual(bulk);
    });

    it('caps MaxKeys at 1000 and refuses bad tokens or limits', async () => {
      const capped = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 5000 }),
      );
      expect(capped.MaxKeys).toBe(1000);
      const badToken = await rejection(
        s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            ContinuationToken: 'garbage',
          }),
        ),
      );
      expect(badToken.name).toBe('InvalidArgument');
      const badLimit = await rejection(
        s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: -1 })),
      );
      expect(badLimit.name).toBe('InvalidArgument');
    });
  });

  describe('multipart uploads', () => {
    const MiB = 1024 * 1024;

    async function upload(key: string, sizes: number[]) {
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
      );
      const parts = [];
      for (const [i, size] of sizes.entries()) {
        const { ETag } = await s3.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId,
            PartNumber: i + 1,
            Body: Buffer.alloc(size, i + 1),
          }),
        );
        parts.push({ PartNumber: i + 1, ETag });
      }
      return { UploadId: UploadId!, parts };
    }

    it('refuses parts under 5 MiB but the last, parts out of order, unknown parts and unknown uploads', async () => {
      const small = await upload('small.bin', [MiB, MiB]);
      const tooSmall = await rejection(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'small.bin',
            UploadId: small.UploadId,
            MultipartUpload: { Parts: small.parts },
          }),
        ),
      );
      expect(tooSmall.name).toBe('EntityTooSmall');

      const big = await upload('big.bin', [5 * MiB, 1]);
      const outOfOrder = await rejection(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'big.bin',
            UploadId: big.UploadId,
            MultipartUpload: { Parts: [...big.parts].reverse() },
          }),
        ),
      );
      expect(outOfOrder.name).toBe('InvalidPartOrder');
      const wrongTag = await rejection(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'big.bin',
            UploadId: big.UploadId,
            MultipartUpload: {
              Parts: [big.parts[0], { PartNumber: 2, ETag: '"00"' }],
            },
          }),
        ),
      );
      expect(wrongTag.name).toBe('InvalidPart');

      await s3.send(
        new AbortMultipartUploadCommand({
          Bucket: bucket,
          Key: 'small.bin',
          UploadId: small.UploadId,
        }),
      );
      const aborted = await rejection(
        s3.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: 'small.bin',
            UploadId: small.UploadId,
            PartNumber: 3,
            Body: 'x',
          }),
        ),
      );
      expect(aborted.name).toBe('NoSuchUpload');
      await expect(
        s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'small.bin' })),
      ).rejects.toMatchObject({ name: 'NotFound' });
    });
  });

  describe('versions', () => {
    it('keeps one null version while versioning is suspended, and brings back the previous version', async () => {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'unversioned' }),
      );
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
      const versioned = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'versioned' }),
      );
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Suspended' },
        }),
      );
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'suspended' }),
      );
      const marker = await s3.send(
        new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }),
      );
      expect(marker).toMatchObject({ DeleteMarker: true, VersionId: 'null' });
      const listed = await s3.send(
        new ListObjectVersionsCommand({ Bucket: bucket }),
      );
      // The null delete marker replaced both earlier null versions.
      expect(listed.Versions?.map(v => [v.VersionId, v.IsLatest])).toEqual([
        [versioned.VersionId, false],
      ]);
      expect(listed.DeleteMarkers?.map(m => [m.VersionId, m.IsLatest])).toEqual(
        [['null', true]],
      );
      await s3.send(
        new DeleteObjectCommand({
          Bucket: bucket,
          Key: 'k',
          VersionId: 'null',
        }),
      );
      const back = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'k' }),
      );
      expect(await back.Body?.transformToString()).toBe('versioned');
      const missing = await rejection(
        s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'nope' }),
        ),
      );
      expect(missing.name).toBe('NoSuchVersion');
    });
  });
});
