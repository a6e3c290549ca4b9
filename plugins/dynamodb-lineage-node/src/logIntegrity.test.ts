import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CloudTrailClient,
  ListPublicKeysCommand,
} from '@aws-sdk/client-cloudtrail';
import { TrailDescription } from '@lineage/plugin-dynamodb-lineage-common';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createHash,
  createSign,
  generateKeyPairSync,
  KeyObject,
} from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  DigestPublicKey,
  digestStringToSign,
  ObjectFetcher,
  verifyDigestChain,
  verifyLogIntegrity,
} from './logIntegrity';
import { awsError, body, testClients } from './__fixtures__/aws';

/*
 * The digest chain as CloudTrail writes it, built here with a generated RSA
 * key: the verification logic judged without S3.
 */

const BUCKET = 'trail-logs';
const ACCOUNT = '111111111111';
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-08T00:30:00Z');

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
});
const SPKI = publicKey.export({ type: 'spki', format: 'der' });
const FINGERPRINT = createHash('md5').update(SPKI).digest('hex');
const KEYS: DigestPublicKey[] = [{ fingerprint: FINGERPRINT, value: SPKI }];

interface StoredObject {
  content: Buffer;
  metadata: Record<string, string>;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const stamp = (ms: number) =>
  new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '');
const day = (ms: number) =>
  new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');

function sign(text: string, key: KeyObject = privateKey): string {
  return createSign('RSA-SHA256').update(text).sign(key, 'hex');
}

/** A bucket with `hours` hourly digests, each listing `logsPerHour` log files. */
function deliver(hours: number, logsPerHour = 2) {
  const objects = new Map<string, StoredObject>();
  const digestKeys: string[] = [];
  const logKeys: string[] = [];
  let previous: { key: string; sha256: string; signature: string } | undefined;
  for (let h = 0; h < hours; h++) {
    const end = T0 + (h + 1) * HOUR;
    const logFiles = [];
    for (let l = 0; l < logsPerHour; l++) {
      const delivered = end - HOUR + (l + 1) * 5 * 60_000;
      const key = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/${day(
        delivered,
      )}/${ACCOUNT}_CloudTrail_us-east-1_${stamp(delivered).slice(
        0,
        13,
      )}Z_${h}x${l}.json.gz`;
      const content = Buffer.from(
        JSON.stringify({ Records: [{ eventID: `${h}-${l}` }] }),
      );
      objects.set(key, { content, metadata: {} });
      logKeys.push(key);
      logFiles.push({
        s3Bucket: BUCKET,
        s3Object: key,
        hashValue: createHash('sha256').update(content).digest('hex'),
        hashAlgorithm: 'SHA-256',
      });
    }
    const key = `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/${day(
      end,
    )}/${ACCOUNT}_CloudTrail-Digest_us-east-1_main_us-east-1_${stamp(
      end,
    )}Z.json.gz`;
    const file = {
      awsAccountId: ACCOUNT,
      digestStartTime: iso(end - HOUR),
      digestEndTime: iso(end),
      digestS3Bucket: BUCKET,
      digestS3Object: key,
      digestPublicKeyFingerprint: FINGERPRINT,
      digestSignatureAlgorithm: 'SHA256withRSA',
      previousDigestS3Bucket: previous ? BUCKET : null,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous?.sha256 ?? null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles,
    };
    const content = Buffer.from(JSON.stringify(file));
    const signature = sign(digestStringToSign(file, content));
    objects.set(key, {
      content,
      metadata: { signature, 'signature-algorithm': 'SHA256withRSA' },
    });
    digestKeys.push(key);
    previous = {
      key,
      sha256: createHash('sha256').update(content).digest('hex'),
      signature,
    };
  }
  const fetch: ObjectFetcher = async (bucket, key) => {
    const object = bucket === BUCKET ? objects.get(key) : undefined;
    if (!object) return 'missing';
    return {
      compressedBytes: object.content.length,
      content: object.content,
      metadata: object.metadata,
    };
  };
  return { objects, digestKeys, logKeys, fetch };
}

function verify(
  world: ReturnType<typeof deliver>,
  patch: Partial<Parameters<typeof verifyDigestChain>[0]> = {},
) {
  return verifyDigestChain({
    bucket: BUCKET,
    digestKeys: world.digestKeys.filter(k => world.objects.has(k)),
    publicKeys: KEYS,
    from: new Date(T0),
    to: new Date(T0 + 24 * HOUR),
    fetch: world.fetch,
    ...patch,
  });
}

/** Rewrites a digest's JSON and signs it again with the trail's key, as only CloudTrail could. */
function resign(
  world: ReturnType<typeof deliver>,
  key: string,
  change: (file: Record<string, unknown>) => void,
) {
  const object = world.objects.get(key)!;
  const file = JSON.parse(object.content.toString());
  change(file);
  const content = Buffer.from(JSON.stringify(file));
  world.objects.set(key, {
    content,
    metadata: {
      ...object.metadata,
      signature: sign(digestStringToSign(file, content)),
    },
  });
}

describe('verifyDigestChain', () => {
  it('verifies every digest, its log files and the links between digests', async () => {
    const world = deliver(4);
    await expect(verify(world)).resolves.toEqual({
      status: 'verified',
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 24 * HOUR).toISOString(),
      digestFiles: 4,
      logFiles: 8,
      newestDigestEnd: iso(T0 + 4 * HOUR),
    });
  });

  it('accepts a key given as PKCS#1, as AWS gives it', async () => {
    const world = deliver(2);
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'der' });
    await expect(
      verify(world, {
        publicKeys: [{ fingerprint: FINGERPRINT, value: pkcs1 }],
      }),
    ).resolves.toMatchObject({ status: 'verified', digestFiles: 2 });
  });

  it('names a log file whose content changed, with both hashes', async () => {
    const world = deliver(3);
    const changed = world.logKeys[3];
    world.objects.set(changed, {
      content: Buffer.from('{"Records":[]}'),
      metadata: {},
    });
    const result = await verify(world);
    expect(result).toMatchObject({
      status: 'failed',
      problem: 'log-changed',
      bucket: BUCKET,
      key: changed,
      digestFiles: 2,
      logFiles: 3,
    });
    expect(result.status === 'failed' && result.detail).toContain(
      world.digestKeys[1],
    );
  });

  it('names the first bad object when several are bad', async () => {
    const world = deliver(3);
    world.objects.delete(world.logKeys[5]);
    world.objects.delete(world.logKeys[1]);
    await expect(verify(world)).resolves.toMatchObject({
      problem: 'log-missing',
      key: world.logKeys[1],
    });
  });

  it('names a deleted digest from the link of the digest after it', async () => {
    const world = deliver(4);
    world.objects.delete(world.digestKeys[1]);
    const result = await verify(world);
    expect(result).toMatchObject({
      status: 'failed',
      problem: 'digest-missing',
      key: world.digestKeys[1],
      digestFiles: 1,
    });
  });

  it('does not look for a predecessor that ends before the window', async () => {
    const world = deliver(4);
    await expect(
      verify(world, {
        digestKeys: world.digestKeys.slice(2),
        from: new Date(T0 + 2.5 * HOUR),
      }),
    ).resolves.toMatchObject({ status: 'verified', digestFiles: 2 });
  });

  it('fails a digest whose content changed without a new signature', async () => {
    const world = deliver(2);
    const key = world.digestKeys[1];
    const object = world.objects.get(key)!;
    const file = JSON.parse(object.content.toString());
    file.logFiles.pop();
    world.objects.set(key, {
      ...object,
      content: Buffer.from(JSON.stringify(file)),
    });
    await expect(verify(world)).resolves.toMatchObject({
      problem: 'digest-changed',
      key,
    });
  });

  it('fails a digest signed by another key with the same fingerprint', async () => {
    const world = deliver(1);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = world.digestKeys[0];
    const object = world.objects.get(key)!;
    const file = JSON.parse(object.content.toString());
    world.objects.set(key, {
      ...object,
      metadata: {
        ...object.metadata,
        signature: sign(
          digestStringToSign(file, object.content),
          other.privateKey,
        ),
      },
    });
    await expect(verify(world)).resolves.toMatchObject({
      problem: 'digest-changed',
    });
  });

  it('fails a digest whose key ListPublicKeys does not return', async () => {
    const world = deliver(1);
    await expect(verify(world, { publicKeys: [] })).resolves.toMatchObject({
      problem: 'digest-key-unknown',
      key: world.digestKeys[0],
    });
  });

  it('fails a digest copied to another key', async () => {
    const world = deliver(2);
    const copy = world.digestKeys[1].replace('.json.gz', '_copy.json.gz');
    world.objects.set(copy, world.objects.get(world.digestKeys[1])!);
    await expect(
      verify(world, { digestKeys: [...world.digestKeys, copy] }),
    ).resolves.toMatchObject({ problem: 'digest-moved', key: copy });
  });

  it('fails a link whose recorded hash of the previous digest differs', async () => {
    const world = deliver(3);
    resign(world, world.digestKeys[2], file => {
      file.previousDigestHashValue = '0'.repeat(64);
    });
    await expect(verify(world)).resolves.toMatchObject({
      problem: 'chain-broken',
      key: world.digestKeys[2],
    });
  });

  it('fails a digest without signature metadata as unreadable', async () => {
    const world = deliver(1);
    const object = world.objects.get(world.digestKeys[0])!;
    world.objects.set(world.digestKeys[0], { ...object, metadata: {} });
    await expect(verify(world)).resolves.toMatchObject({
      problem: 'digest-unreadable',
    });
  });

  it('starts a new chain where a digest has no predecessor', async () => {
    const world = deliver(3);
    resign(world, world.digestKeys[2], file => {
      file.previousDigestS3Bucket = null;
      file.previousDigestS3Object = null;
      file.previousDigestHashValue = null;
      file.previousDigestSignature = null;
    });
    await expect(verify(world)).resolves.toMatchObject({
      status: 'verified',
      digestFiles: 3,
    });
  });

  it('verifies a backfill digest and its log files without taking it into the chain', async () => {
    const world = deliver(3);
    const backfill = world.digestKeys[1].replace(
      'Z.json.gz',
      'Z_backfill.json.gz',
    );
    const late = world.logKeys[0].replace('0x0', 'late');
    const lateContent = Buffer.from('{"Records":[]}');
    world.objects.set(late, { content: lateContent, metadata: {} });
    const file = {
      digestEndTime: iso(T0 + 2 * HOUR),
      digestS3Bucket: BUCKET,
      digestS3Object: backfill,
      digestPublicKeyFingerprint: FINGERPRINT,
      previousDigestSignature: null,
      logFiles: [
        {
          s3Bucket: BUCKET,
          s3Object: late,
          hashValue: createHash('sha256').update(lateContent).digest('hex'),
        },
      ],
    };
    const content = Buffer.from(JSON.stringify(file));
    world.objects.set(backfill, {
      content,
      metadata: { signature: sign(digestStringToSign(file, content)) },
    });
    const keys = [...world.digestKeys, backfill];
    await expect(verify(world, { digestKeys: keys })).resolves.toMatchObject({
      status: 'verified',
      digestFiles: 4,
      logFiles: 7,
    });
    world.objects.set(late, { content: Buffer.from('{}'), metadata: {} });
    await expect(verify(world, { digestKeys: keys })).resolves.toMatchObject({
      problem: 'log-changed',
      key: late,
    });
  });

  it('counts log files beyond the byte budget as unread, still verifying every digest', async () => {
    const world = deliver(3, 4);
    const result = await verify(world, { byteBudget: 1 });
    expect(result).toMatchObject({
      status: 'verified',
      digestFiles: 3,
      logFiles: 4,
      logFilesUnread: 8,
    });
  });
});

describe('verifyLogIntegrity', () => {
  const cloudTrail = mockClient(CloudTrailClient);
  const s3 = mockClient(S3Client);
  const trail: TrailDescription = {
    name: 'main',
    arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
    accountId: ACCOUNT,
    homeRegion: 'us-east-1',
    s3BucketName: BUCKET,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    isOrganizationTrail: false,
    logFileValidationEnabled: true,
  };

  beforeEach(() => {
    cloudTrail.reset();
    s3.reset();
  });

  it("lists only this trail's digests of the window, per UTC day, after the window's start", async () => {
    const world = deliver(3);
    cloudTrail.on(ListPublicKeysCommand).resolves({
      PublicKeyList: [{ Fingerprint: FINGERPRINT, Value: SPKI }],
    });
    s3.on(ListObjectsV2Command).callsFake(input => ({
      Contents: world.digestKeys
        .filter(k => k.startsWith(input.Prefix))
        .filter(k => !input.StartAfter || k > input.StartAfter)
        .map(Key => ({ Key })),
    }));
    s3.on(GetObjectCommand).callsFake(input => {
      const object = world.objects.get(input.Key)!;
      return { ...body(gzipSync(object.content)), Metadata: object.metadata };
    });
    const now = new Date(T0 + 3 * HOUR + 60_000);
    const result = await verifyLogIntegrity(testClients(), trail, {
      now,
      windowHours: 24,
    });
    expect(result).toMatchObject({
      status: 'verified',
      digestFiles: 3,
      logFiles: 6,
    });
    const lists = s3
      .commandCalls(ListObjectsV2Command)
      .map(c => c.args[0].input);
    expect(lists).toEqual([
      {
        Bucket: BUCKET,
        Prefix: `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2026/03/07/${ACCOUNT}_CloudTrail-Digest_us-east-1_main_us-east-1_`,
        StartAfter: `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2026/03/07/${ACCOUNT}_CloudTrail-Digest_us-east-1_main_us-east-1_20260307T033100`,
      },
      {
        Bucket: BUCKET,
        Prefix: `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2026/03/08/${ACCOUNT}_CloudTrail-Digest_us-east-1_main_us-east-1_`,
      },
    ]);
    const [keysAsked] = cloudTrail.commandCalls(ListPublicKeysCommand);
    expect(keysAsked.args[0].input).toMatchObject({
      StartTime: new Date(now.getTime() - 25 * HOUR),
      EndTime: now,
    });
  });

  it('is unknown, with the reason, when AWS refuses', async () => {
    cloudTrail
      .on(ListPublicKeysCommand)
      .rejects(awsError('AccessDeniedException', 'not allowed'));
    const result = await verifyLogIntegrity(testClients(), trail, {
      now: new Date(T0),
    });
    expect(result).toMatchObject({
      status: 'unknown',
      reason: expect.stringContaining('AccessDeniedException'),
    });
  });
});
