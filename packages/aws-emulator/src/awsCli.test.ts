import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { awsCliVersion } from './awsCliRunner';
import { type RunningEmulator, startEmulator } from './index';

/**
 * AWS CLI conformance: a scripted sequence of `aws` commands against a started
 * emulator, each command's output checked. The AWS CLI v2 parses every answer
 * with AWS's own service models, so it judges the emulator independently of
 * the SDK the rest of the tests use. Runs only where /usr/bin/aws is the AWS
 * CLI v2 (Debian's `awscli`).
 */

const AWS = '/usr/bin/aws';

const version = awsCliVersion();
const available = version?.startsWith('aws-cli/2.') ?? false;
if (!available) {
  // eslint-disable-next-line no-console
  console.log(
    `AWS CLI conformance suite SKIPPED: ${AWS} is ${
      version ? `"${version}", not the AWS CLI v2` : 'missing'
    } (install Debian's awscli package to run it).`,
  );
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is JSON. */
  json: any;
}

interface Outcome {
  command: string;
  problem?: string;
}

const outcomes: Outcome[] = [];

/** Each script runs dozens of CLI processes (about a second each on a loaded machine). */
const SCRIPT_TIMEOUT_MS = 300_000;

const describeCli = available ? describe : describe.skip;

describeCli(`the AWS CLI (${version}) against the emulator`, () => {
  let emulator: RunningEmulator;
  let home: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    home = mkdtempSync(join(tmpdir(), 'aws-cli-conformance-'));
    writeFileSync(
      join(home, 'config'),
      '[default]\nregion = us-east-1\noutput = json\n',
    );
    writeFileSync(join(home, 'credentials'), '');
  });

  afterAll(async () => {
    await emulator?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
    const passed = outcomes.filter(o => !o.problem).length;
    // eslint-disable-next-line no-console
    console.log(
      `AWS CLI conformance: ${passed} of ${outcomes.length} commands passed`,
    );
  });

  /** Runs one `aws` command as `accessKeyId`; never rejects. */
  function aws(
    args: string[],
    credentials: {
      accessKeyId: string;
      sessionToken?: string;
      secret?: string;
    },
  ): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secret ?? 'x',
      AWS_ENDPOINT_URL: emulator.url,
      AWS_PAGER: '',
      AWS_CLI_AUTO_PROMPT: 'off',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    };
    if (credentials.sessionToken)
      env.AWS_SESSION_TOKEN = credentials.sessionToken;
    // CLI releases before 2.13 ignore AWS_ENDPOINT_URL: name it on the command line too.
    const argv = [...args, '--endpoint-url', emulator.url];
    return new Promise(resolve => {
      execFile(
        AWS,
        argv,
        { env, cwd: home, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
        (error, stdout, stderr) => {
          let json: any;
          try {
            json = stdout.trim() ? JSON.parse(stdout) : undefined;
          } catch {
            json = undefined;
          }
          let code = 0;
          if (error) {
            const status = (error as { code?: unknown }).code;
            code = typeof status === 'number' ? status : -1;
          }
          resolve({ code, stdout, stderr, json });
        },
      );
    });
  }

  /**
   * A script of commands as one principal: `run` executes a command, checks
   * its output and records the outcome; a failed check does not stop the
   * script, so one run shows every difference.
   */
  function script(accessKeyId: string) {
    const problems: string[] = [];
    let credentials: {
      accessKeyId: string;
      sessionToken?: string;
      secret?: string;
    } = { accessKeyId };
    const run = async (
      args: string[],
      check: (result: CliResult) => void = () => {},
    ): Promise<CliResult> => {
      const result = await aws(args, credentials);
      const command = `aws ${args.join(' ')}`;
      let problem: string | undefined;
      try {
        check(result);
      } catch (error) {
        problem = `${command}\n  exit ${result.code}; ${
          result.stderr.trim().split('\n').slice(-2).join(' ') ||
          result.stdout.slice(0, 300)
        }\n  ${String((error as Error).message)
          .split('\n')
          .slice(0, 6)
          .join('\n  ')}`;
        problems.push(problem);
      }
      outcomes.push({ command, problem });
      return result;
    };
    return {
      run,
      problems,
      as(next: typeof credentials) {
        credentials = next;
      },
    };
  }

  const ok = (result: CliResult) => expect(result.code).toBe(0);
  /** The CLI exits 254 when AWS answers with an error, naming its code. */
  const refused = (code: string) => (result: CliResult) => {
    expect(result.code).toBe(254);
    expect(result.stderr).toContain(`(${code})`);
  };
  /** The high-level `aws s3` commands exit 1 on an AWS error. */
  const s3Failed = (code: string) => (result: CliResult) => {
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`(${code})`);
  };
  const sha256 = (path: string) =>
    createHash('sha256').update(readFileSync(path)).digest('hex');

  it(
    'S3: buckets, configuration, paging, s3 cp with multipart, versions and delete markers',
    async () => {
      const { run, problems } = script('111111111111');
      const bucket = 'cli-conformance-east';
      const west = 'cli-conformance-west';

      await run(['s3api', 'create-bucket', '--bucket', bucket], r =>
        expect(r.json).toEqual({ Location: `/${bucket}` }),
      );
      await run(
        [
          's3api',
          'create-bucket',
          '--bucket',
          west,
          '--region',
          'eu-west-1',
          '--create-bucket-configuration',
          'LocationConstraint=eu-west-1',
        ],
        r =>
          expect(r.json).toEqual({
            Location: `http://${west}.s3.amazonaws.com/`,
          }),
      );
      await run(
        [
          's3api',
          'create-bucket',
          '--bucket',
          west,
          '--region',
          'eu-west-1',
          '--create-bucket-configuration',
          'LocationConstraint=eu-west-1',
        ],
        refused('BucketAlreadyOwnedByYou'),
      );
      await run(['s3api', 'head-bucket', '--bucket', bucket], ok);
      await run(['s3api', 'list-buckets'], r =>
        expect(r.json.Buckets.map((b: any) => b.Name)).toEqual([bucket, west]),
      );
      await run(['s3api', 'get-bucket-location', '--bucket', west], r =>
        expect(r.json).toEqual({ LocationConstraint: 'eu-west-1' }),
      );
      await run(['s3api', 'get-public-access-block', '--bucket', bucket], r =>
        expect(r.json.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        }),
      );
      await run(['s3api', 'get-bucket-encryption', '--bucket', bucket], r =>
        expect(
          r.json.ServerSideEncryptionConfiguration.Rules[0]
            .ApplyServerSideEncryptionByDefault,
        ).toEqual({ SSEAlgorithm: 'AES256' }),
      );
      await run(
        ['s3api', 'get-bucket-ownership-controls', '--bucket', bucket],
        r =>
          expect(r.json.OwnershipControls.Rules).toEqual([
            { ObjectOwnership: 'BucketOwnerEnforced' },
          ]),
      );
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TlsOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      };
      await run(
        [
          's3api',
          'put-bucket-policy',
          '--bucket',
          bucket,
          '--policy',
          JSON.stringify(policy),
        ],
        ok,
      );
      await run(['s3api', 'get-bucket-policy', '--bucket', bucket], r =>
        expect(JSON.parse(r.json.Policy)).toEqual(policy),
      );
      await run(['s3api', 'get-bucket-policy-status', '--bucket', bucket], r =>
        expect(r.json).toEqual({ PolicyStatus: { IsPublic: false } }),
      );
      await run(
        [
          's3api',
          'put-bucket-tagging',
          '--bucket',
          bucket,
          '--tagging',
          'TagSet=[{Key=team,Value=payments}]',
        ],
        ok,
      );
      await run(['s3api', 'get-bucket-tagging', '--bucket', bucket], r =>
        expect(r.json).toEqual({
          TagSet: [{ Key: 'team', Value: 'payments' }],
        }),
      );
      await run(
        [
          's3api',
          'put-bucket-lifecycle-configuration',
          '--bucket',
          bucket,
          '--lifecycle-configuration',
          JSON.stringify({
            Rules: [
              {
                ID: 'archive',
                Status: 'Enabled',
                Filter: { Prefix: 'AWSLogs/' },
                Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
              },
            ],
          }),
        ],
        ok,
      );
      await run(
        ['s3api', 'get-bucket-lifecycle-configuration', '--bucket', bucket],
        r =>
          expect(r.json.Rules).toEqual([
            expect.objectContaining({
              ID: 'archive',
              Status: 'Enabled',
              Filter: { Prefix: 'AWSLogs/' },
              Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
            }),
          ]),
      );
      await run(['s3api', 'delete-bucket-lifecycle', '--bucket', bucket], ok);
      await run(
        ['s3api', 'get-bucket-lifecycle-configuration', '--bucket', bucket],
        refused('NoSuchLifecycleConfiguration'),
      );

      // Versioning and delete markers.
      await run(
        [
          's3api',
          'put-bucket-versioning',
          '--bucket',
          bucket,
          '--versioning-configuration',
          'Status=Enabled',
        ],
        ok,
      );
      await run(['s3api', 'get-bucket-versioning', '--bucket', bucket], r =>
        expect(r.json).toEqual({ Status: 'Enabled' }),
      );
      const first = join(home, 'first.txt');
      const second = join(home, 'second.txt');
      writeFileSync(first, 'first version\n');
      writeFileSync(second, 'second version\n');
      const v1 = await run(
        [
          's3api',
          'put-object',
          '--bucket',
          bucket,
          '--key',
          'doc.txt',
          '--body',
          first,
        ],
        r => expect(r.json.VersionId).toMatch(/^\S{16,}$/),
      );
      const v2 = await run(
        [
          's3api',
          'put-object',
          '--bucket',
          bucket,
          '--key',
          'doc.txt',
          '--body',
          second,
        ],
        r => {
          expect(r.json.VersionId).toMatch(/^\S{16,}$/);
          expect(r.json.VersionId).not.toBe(v1.json?.VersionId);
        },
      );
      const marker = await run(
        ['s3api', 'delete-object', '--bucket', bucket, '--key', 'doc.txt'],
        r =>
          expect(r.json).toEqual({
            DeleteMarker: true,
            VersionId: expect.stringMatching(/^\S{16,}$/),
          }),
      );
      await run(
        [
          's3api',
          'get-object',
          '--bucket',
          bucket,
          '--key',
          'doc.txt',
          join(home, 'out.txt'),
        ],
        refused('NoSuchKey'),
      );
      await run(['s3api', 'list-object-versions', '--bucket', bucket], r => {
        expect(
          r.json.Versions.map((v: any) => [v.Key, v.VersionId, v.IsLatest]),
        ).toEqual([
          ['doc.txt', v2.json?.VersionId, false],
          ['doc.txt', v1.json?.VersionId, false],
        ]);
        expect(
          r.json.DeleteMarkers.map((m: any) => [
            m.Key,
            m.VersionId,
            m.IsLatest,
          ]),
        ).toEqual([['doc.txt', marker.json?.VersionId, true]]);
      });
      await run(
        [
          's3api',
          'list-object-versions',
          '--bucket',
          bucket,
          '--page-size',
          '1',
        ],
        r => {
          expect(r.json.Versions).toHaveLength(2);
          expect(r.json.DeleteMarkers).toHaveLength(1);
        },
      );
      await run(
        ['s3api', 'delete-bucket', '--bucket', bucket],
        refused('BucketNotEmpty'),
      );
      await run(
        [
          's3api',
          'delete-object',
          '--bucket',
          bucket,
          '--key',
          'doc.txt',
          '--version-id',
          String(marker.json?.VersionId),
        ],
        r =>
          expect(r.json).toEqual({
            DeleteMarker: true,
            VersionId: marker.json?.VersionId,
          }),
      );
      await run(
        [
          's3api',
          'get-object',
          '--bucket',
          bucket,
          '--key',
          'doc.txt',
          join(home, 'out.txt'),
        ],
        r => {
          expect(r.json.VersionId).toBe(v2.json?.VersionId);
          expect(readFileSync(join(home, 'out.txt'), 'utf8')).toBe(
            'second version\n',
          );
        },
      );
      await run(
        [
          's3api',
          'get-object',
          '--bucket',
          bucket,
          '--key',
          'doc.txt',
          '--version-id',
          String(v1.json?.VersionId),
          '--range',
          'bytes=0-4',
          join(home, 'out.txt'),
        ],
        r => {
          expect(r.json).toMatchObject({
            ContentLength: 5,
            ContentRange: 'bytes 0-4/14',
          });
          expect(readFileSync(join(home, 'out.txt'), 'utf8')).toBe('first');
        },
      );

      // Paging through listings.
      for (const n of [1, 2, 3, 4, 5])
        writeFileSync(join(home, `page-${n}.txt`), `${n}`);
      await run(
        [
          's3',
          'cp',
          home,
          `s3://${bucket}/pages/`,
          '--recursive',
          '--exclude',
          '*',
          '--include',
          'page-*',
          '--no-progress',
        ],
        r => {
          ok(r);
          expect(r.stdout.match(/^upload: /gm)).toHaveLength(5);
        },
      );
      await run(
        [
          's3api',
          'list-objects-v2',
          '--bucket',
          bucket,
          '--prefix',
          'pages/',
          '--page-size',
          '2',
        ],
        r =>
          expect(r.json.Contents.map((c: any) => c.Key)).toEqual(
            [1, 2, 3, 4, 5].map(n => `pages/page-${n}.txt`),
          ),
      );
      const page = await run(
        [
          's3api',
          'list-objects-v2',
          '--bucket',
          bucket,
          '--prefix',
          'pages/',
          '--max-items',
          '2',
        ],
        r => {
          expect(r.json.Contents.map((c: any) => c.Key)).toEqual([
            'pages/page-1.txt',
            'pages/page-2.txt',
          ]);
          expect(r.json.NextToken).toEqual(expect.any(String));
        },
      );
      await run(
        [
          's3api',
          'list-objects-v2',
          '--bucket',
          bucket,
          '--prefix',
          'pages/',
          '--max-items',
          '2',
          '--starting-token',
          String(page.json?.NextToken),
        ],
        r =>
          expect(r.json.Contents.map((c: any) => c.Key)).toEqual([
            'pages/page-3.txt',
            'pages/page-4.txt',
          ]),
      );
      await run(
        ['s3api', 'list-objects-v2', '--bucket', bucket, '--delimiter', '/'],
        r => {
          expect(r.json.CommonPrefixes).toEqual([{ Prefix: 'pages/' }]);
          expect(r.json.Contents.map((c: any) => c.Key)).toEqual(['doc.txt']);
        },
      );
      await run(['s3', 'ls', `s3://${bucket}/pages/`], r => {
        ok(r);
        expect(r.stdout.trim().split('\n')).toHaveLength(5);
      });

      // s3 cp of 20 MB: a multipart upload, and a ranged download in parts.
      const big = join(home, 'big.bin');
      writeFileSync(big, randomBytes(20_000_000));
      await run(
        [
          's3',
          'cp',
          big,
          `s3://${west}/big.bin`,
          '--no-progress',
          '--region',
          'eu-west-1',
        ],
        r => {
          ok(r);
          expect(r.stdout).toContain(
            `upload: ./big.bin to s3://${west}/big.bin`,
          );
        },
      );
      await run(
        [
          's3api',
          'head-object',
          '--bucket',
          west,
          '--key',
          'big.bin',
          '--region',
          'eu-west-1',
        ],
        r =>
          expect(r.json).toMatchObject({
            ContentLength: 20_000_000,
            ETag: expect.stringMatching(/^"[0-9a-f]{32}-3"$/),
          }),
      );
      const back = join(home, 'big-back.bin');
      await run(
        [
          's3',
          'cp',
          `s3://${west}/big.bin`,
          back,
          '--no-progress',
          '--region',
          'eu-west-1',
        ],
        r => {
          ok(r);
          expect(sha256(back)).toBe(sha256(big));
        },
      );
      await run(
        ['s3', 'rm', `s3://${west}/big.bin`, '--region', 'eu-west-1'],
        ok,
      );
      await run(['s3', 'rb', `s3://${west}`, '--region', 'eu-west-1'], ok);

      // Emptying a versioned bucket takes every version and delete marker.
      await run(['s3', 'rm', `s3://${bucket}`, '--recursive'], r => {
        ok(r);
        expect(r.stdout.match(/^delete: /gm)).toHaveLength(6);
      });
      const listing = await run(
        ['s3api', 'list-object-versions', '--bucket', bucket],
        r => {
          expect(r.json.Versions).toHaveLength(7);
          expect(r.json.DeleteMarkers).toHaveLength(6);
        },
      );
      await run(['s3', 'rb', `s3://${bucket}`], s3Failed('BucketNotEmpty'));
      const everything = [
        ...(listing.json?.Versions ?? []),
        ...(listing.json?.DeleteMarkers ?? []),
      ].map((v: any) => ({ Key: v.Key, VersionId: v.VersionId }));
      await run(
        [
          's3api',
          'delete-objects',
          '--bucket',
          bucket,
          '--delete',
          JSON.stringify({ Objects: everything }),
        ],
        r => expect(r.json.Deleted).toHaveLength(13),
      );
      await run(['s3api', 'delete-bucket', '--bucket', bucket], ok);
      await run(['s3api', 'list-buckets'], r =>
        expect(r.json.Buckets).toEqual([]),
      );

      expect(problems).toEqual([]);
    },
    SCRIPT_TIMEOUT_MS,
  );

  it(
    'CloudTrail: trail lifecycle, selectors, insights, tags, delivery and lookup-events',
    async () => {
      const account = '222222222222';
      const { run, problems } = script(account);
      const bucket = 'cli-conformance-trail-logs';
      const trail = 'cli-trail';
      const trailArn = `arn:aws:cloudtrail:us-east-1:${account}:trail/${trail}`;
      const table = 'cli-trail-orders';

      await run(['s3api', 'create-bucket', '--bucket', bucket], ok);
      await run(
        [
          'cloudtrail',
          'create-trail',
          '--name',
          trail,
          '--s3-bucket-name',
          bucket,
        ],
        refused('InsufficientS3BucketPolicyException'),
      );
      const condition = { StringEquals: { 'aws:SourceArn': trailArn } };
      await run(
        [
          's3api',
          'put-bucket-policy',
          '--bucket',
          bucket,
          '--policy',
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'cloudtrail.amazonaws.com' },
                Action: 's3:GetBucketAcl',
                Resource: `arn:aws:s3:::${bucket}`,
                Condition: condition,
              },
              {
                Effect: 'Allow',
                Principal: { Service: 'cloudtrail.amazonaws.com' },
                Action: 's3:PutObject',
                Resource: `arn:aws:s3:::${bucket}/AWSLogs/${account}/*`,
                Condition: {
                  StringEquals: {
                    ...condition.StringEquals,
                    's3:x-amz-acl': 'bucket-owner-full-control',
                  },
                },
              },
            ],
          }),
        ],
        ok,
      );
      await run(
        [
          'cloudtrail',
          'create-trail',
          '--name',
          'x',
          '--s3-bucket-name',
          bucket,
        ],
        refused('InvalidTrailNameException'),
      );
      await run(
        [
          'cloudtrail',
          'create-trail',
          '--name',
          trail,
          '--s3-bucket-name',
          bucket,
          '--is-multi-region-trail',
          '--enable-log-file-validation',
          '--tags-list',
          'Key=backstage:owner,Value=group:default/orders',
        ],
        r =>
          expect(r.json).toMatchObject({
            Name: trail,
            S3BucketName: bucket,
            IsMultiRegionTrail: true,
            LogFileValidationEnabled: true,
            TrailARN: trailArn,
          }),
      );
      await run(['cloudtrail', 'describe-trails'], r =>
        expect(r.json.trailList).toEqual([
          expect.objectContaining({ Name: trail, HomeRegion: 'us-east-1' }),
        ]),
      );
      await run(['cloudtrail', 'describe-trails', '--region', 'eu-west-1'], r =>
        expect(r.json.trailList).toEqual([
          expect.objectContaining({ TrailARN: trailArn }),
        ]),
      );
      await run(['cloudtrail', 'get-trail', '--name', trail], r =>
        expect(r.json.Trail.TrailARN).toBe(trailArn),
      );
      await run(['cloudtrail', 'list-trails'], r =>
        expect(r.json.Trails).toEqual([
          { TrailARN: trailArn, Name: trail, HomeRegion: 'us-east-1' },
        ]),
      );
      await run(['cloudtrail', 'get-trail-status', '--name', trail], r =>
        expect(r.json.IsLogging).toBe(false),
      );
      await run(['cloudtrail', 'start-logging', '--name', trail], ok);
      await run(['cloudtrail', 'get-trail-status', '--name', trail], r =>
        expect(r.json.IsLogging).toBe(true),
      );
      const tableArn = `arn:aws:dynamodb:us-east-1:${account}:table/${table}`;
      await run(
        [
          'cloudtrail',
          'put-event-selectors',
          '--trail-name',
          trail,
          '--event-selectors',
          JSON.stringify([
            {
              ReadWriteType: 'All',
              IncludeManagementEvents: true,
              DataResources: [
                { Type: 'AWS::DynamoDB::Table', Values: [tableArn] },
              ],
            },
          ]),
        ],
        r =>
          expect(r.json.EventSelectors[0].DataResources[0].Values).toEqual([
            tableArn,
          ]),
      );
      await run(
        [
          'cloudtrail',
          'put-event-selectors',
          '--trail-name',
          trail,
          '--event-selectors',
          JSON.stringify([
            {
              DataResources: [
                {
                  Type: 'AWS::DynamoDB::Table',
                  Values: [`arn:aws:dynamodb:us-east-1:${account}:table/*`],
                },
              ],
            },
          ]),
        ],
        refused('InvalidEventSelectorsException'),
      );
      const advanced = [
        {
          Name: 'orders table',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
            { Field: 'resources.ARN', Equals: [tableArn] },
          ],
        },
        {
          Name: 'management',
          FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
        },
      ];
      await run(
        [
          'cloudtrail',
          'put-event-selectors',
          '--trail-name',
          trail,
          '--advanced-event-selectors',
          JSON.stringify(advanced),
        ],
        ok,
      );
      await run(
        ['cloudtrail', 'get-event-selectors', '--trail-name', trail],
        r =>
          expect(r.json).toEqual({
            TrailARN: trailArn,
            AdvancedEventSelectors: advanced,
          }),
      );
      await run(
        [
          'cloudtrail',
          'put-insight-selectors',
          '--trail-name',
          trail,
          '--insight-selectors',
          'InsightType=ApiCallRateInsight',
        ],
        ok,
      );
      await run(
        ['cloudtrail', 'get-insight-selectors', '--trail-name', trail],
        r =>
          expect(r.json.InsightSelectors).toEqual([
            { InsightType: 'ApiCallRateInsight' },
          ]),
      );
      await run(
        [
          'cloudtrail',
          'add-tags',
          '--resource-id',
          trailArn,
          '--tags-list',
          'Key=env,Value=test',
        ],
        ok,
      );
      await run(
        ['cloudtrail', 'list-tags', '--resource-id-list', trailArn],
        r =>
          expect(r.json.ResourceTagList[0].TagsList).toEqual([
            { Key: 'backstage:owner', Value: 'group:default/orders' },
            { Key: 'env', Value: 'test' },
          ]),
      );
      await run(
        [
          'cloudtrail',
          'remove-tags',
          '--resource-id',
          trailArn,
          '--tags-list',
          'Key=env',
        ],
        ok,
      );
      await run(
        ['cloudtrail', 'list-tags', '--resource-id-list', trailArn],
        r =>
          expect(r.json.ResourceTagList[0].TagsList).toEqual([
            { Key: 'backstage:owner', Value: 'group:default/orders' },
          ]),
      );
      await run(
        [
          'cloudtrail',
          'update-trail',
          '--name',
          trail,
          '--no-enable-log-file-validation',
        ],
        r => expect(r.json.LogFileValidationEnabled).toBe(false),
      );

      // DynamoDB data events reach the bucket as AWS writes them.
      await run(
        [
          'dynamodb',
          'create-table',
          '--table-name',
          table,
          '--attribute-definitions',
          'AttributeName=id,AttributeType=S',
          '--key-schema',
          'AttributeName=id,KeyType=HASH',
          '--billing-mode',
          'PAY_PER_REQUEST',
        ],
        ok,
      );
      await run(
        [
          'dynamodb',
          'put-item',
          '--table-name',
          table,
          '--item',
          '{"id":{"S":"o-1"},"total":{"N":"12"}}',
        ],
        ok,
      );
      const report = await emulator.flush();
      const logs = await run(
        [
          's3api',
          'list-objects-v2',
          '--bucket',
          bucket,
          '--prefix',
          `AWSLogs/${account}/CloudTrail/us-east-1/`,
        ],
        r => {
          expect(report.failures).toEqual([]);
          expect(r.json.Contents).toHaveLength(1);
          expect(r.json.Contents[0].Key).toMatch(
            new RegExp(
              `^AWSLogs/${account}/CloudTrail/us-east-1/\\d{4}/\\d\\d/\\d\\d/${account}_CloudTrail_us-east-1_\\d{8}T\\d{4}Z_\\w{16}\\.json\\.gz$`,
            ),
          );
        },
      );
      const logKey = logs.json?.Contents?.[0]?.Key;
      const logFile = join(home, 'log.json.gz');
      await run(
        [
          's3',
          'cp',
          `s3://${bucket}/${String(logKey)}`,
          logFile,
          '--no-progress',
        ],
        r => {
          ok(r);
          const records = JSON.parse(
            gunzipSync(readFileSync(logFile)).toString('utf8'),
          ).Records;
          const put = records.find((x: any) => x.eventName === 'PutItem');
          expect(put).toMatchObject({
            eventVersion: '1.11',
            eventCategory: 'Data',
            requestID: expect.stringMatching(/^[A-Z0-9]{52}$/),
            responseElements: null,
            requestParameters: { tableName: table, key: { id: 'o-1' } },
            resources: [
              {
                accountId: account,
                type: 'AWS::DynamoDB::Table',
                ARN: tableArn,
              },
            ],
            userAgent: expect.stringContaining('aws-cli/2.'),
            tlsDetails: {
              tlsVersion: 'TLSv1.3',
              cipherSuite: expect.any(String),
              clientProvidedHostHeader:
                expect.stringMatching(/^127\.0\.0\.1:\d+$/),
            },
          });
          const create = records.find(
            (x: any) => x.eventName === 'CreateTable',
          );
          expect(create.responseElements.tableDescription).toMatchObject({
            tableName: table,
            tableArn,
          });
        },
      );

      // Event history: management events only, newest first, paged.
      await run(
        [
          'cloudtrail',
          'lookup-events',
          '--lookup-attributes',
          'AttributeKey=EventName,AttributeValue=CreateTrail',
        ],
        r => {
          // newest first: the created trail, then the two refusals
          expect(r.json.Events).toHaveLength(3);
          const [created, badName, refusedFirst] = r.json.Events;
          expect(JSON.parse(badName.CloudTrailEvent).errorCode).toBe(
            'InvalidTrailNameException',
          );
          expect(created).toMatchObject({
            EventName: 'CreateTrail',
            EventSource: 'cloudtrail.amazonaws.com',
            Username: 'root',
            ReadOnly: 'false',
            AccessKeyId: account,
          });
          expect(
            JSON.parse(created.CloudTrailEvent).responseElements,
          ).toMatchObject({
            trailARN: trailArn,
          });
          expect(JSON.parse(refusedFirst.CloudTrailEvent)).toMatchObject({
            errorCode: 'InsufficientS3BucketPolicyException',
            responseElements: null,
          });
        },
      );
      await run(
        [
          'cloudtrail',
          'lookup-events',
          '--lookup-attributes',
          'AttributeKey=EventSource,AttributeValue=dynamodb.amazonaws.com',
        ],
        r =>
          expect(r.json.Events.map((e: any) => e.EventName)).toEqual([
            'CreateTable',
          ]),
      );
      // Lookups are read-only events themselves: page over the writes, which stay put.
      const writes = [
        'cloudtrail',
        'lookup-events',
        '--lookup-attributes',
        'AttributeKey=ReadOnly,AttributeValue=false',
      ];
      const all = await run(writes, r => {
        const names = r.json.Events.map((e: any) => e.EventName);
        expect(names).toEqual(
          expect.arrayContaining([
            'CreateBucket',
            'PutBucketPolicy',
            'CreateTrail',
            'StartLogging',
            'PutEventSelectors',
            'PutInsightSelectors',
            'AddTags',
            'RemoveTags',
            'UpdateTrail',
            'CreateTable',
          ]),
        );
        expect(names).not.toContain('PutItem');
        expect(names).not.toContain('DescribeTrails');
      });
      const ids: string[] = (all.json?.Events ?? []).map((e: any) => e.EventId);
      await run([...writes, '--page-size', '2'], r =>
        expect(r.json.Events.map((e: any) => e.EventId)).toEqual(ids),
      );
      const firstPage = await run([...writes, '--max-items', '3'], r => {
        expect(r.json.Events.map((e: any) => e.EventId)).toEqual(
          ids.slice(0, 3),
        );
        expect(r.json.NextToken).toEqual(expect.any(String));
      });
      await run(
        [
          ...writes,
          '--max-items',
          '3',
          '--starting-token',
          String(firstPage.json?.NextToken),
        ],
        r =>
          expect(r.json.Events.map((e: any) => e.EventId)).toEqual(
            ids.slice(3, 6),
          ),
      );
      await run(['cloudtrail', 'lookup-events', '--region', 'eu-west-1'], r =>
        expect(r.json.Events.map((e: any) => e.EventName)).toEqual([
          'DescribeTrails',
        ]),
      );
      await run(
        [
          'cloudtrail',
          'lookup-events',
          '--lookup-attributes',
          'AttributeKey=EventName,AttributeValue=CreateTrail',
          'AttributeKey=Username,AttributeValue=root',
        ],
        refused('InvalidLookupAttributesException'),
      );

      await run(['cloudtrail', 'stop-logging', '--name', trail], ok);
      await run(['cloudtrail', 'delete-trail', '--name', trail], ok);
      await run(
        ['cloudtrail', 'get-trail', '--name', trail],
        refused('TrailNotFoundException'),
      );
      await run(['cloudtrail', 'describe-trails'], r =>
        expect(r.json.trailList).toEqual([]),
      );

      expect(problems).toEqual([]);
    },
    SCRIPT_TIMEOUT_MS,
  );

  it(
    'DynamoDB: tables and every data-plane operation, transactions and PartiQL',
    async () => {
      const { run, problems } = script('333333333333');
      const table = 'cli-orders';
      const key = (id: string, n: number) =>
        JSON.stringify({ customer: { S: id }, order: { N: String(n) } });

      await run(
        [
          'dynamodb',
          'create-table',
          '--table-name',
          table,
          '--attribute-definitions',
          'AttributeName=customer,AttributeType=S',
          'AttributeName=order,AttributeType=N',
          '--key-schema',
          'AttributeName=customer,KeyType=HASH',
          'AttributeName=order,KeyType=RANGE',
          '--billing-mode',
          'PAY_PER_REQUEST',
        ],
        r =>
          expect(r.json.TableDescription).toMatchObject({
            TableName: table,
            TableArn: `arn:aws:dynamodb:us-east-1:333333333333:table/${table}`,
          }),
      );
      await run(
        ['dynamodb', 'wait', 'table-exists', '--table-name', table],
        ok,
      );
      await run(['dynamodb', 'describe-table', '--table-name', table], r =>
        expect(r.json.Table).toMatchObject({
          TableStatus: 'ACTIVE',
          KeySchema: [
            { AttributeName: 'customer', KeyType: 'HASH' },
            { AttributeName: 'order', KeyType: 'RANGE' },
          ],
          BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        }),
      );
      await run(['dynamodb', 'list-tables'], r =>
        expect(r.json.TableNames).toEqual([table]),
      );
      await run(
        [
          'dynamodb',
          'create-table',
          '--table-name',
          table,
          '--attribute-definitions',
          'AttributeName=customer,AttributeType=S',
          '--key-schema',
          'AttributeName=customer,KeyType=HASH',
          '--billing-mode',
          'PAY_PER_REQUEST',
        ],
        refused('ResourceInUseException'),
      );
      await run(
        [
          'dynamodb',
          'put-item',
          '--table-name',
          table,
          '--item',
          JSON.stringify({
            customer: { S: 'ann' },
            order: { N: '1' },
            total: { N: '10' },
          }),
          '--condition-expression',
          'attribute_not_exists(customer)',
          '--return-consumed-capacity',
          'TOTAL',
        ],
        r =>
          expect(r.json.ConsumedCapacity).toEqual({
            TableName: table,
            CapacityUnits: 1,
          }),
      );
      await run(
        [
          'dynamodb',
          'put-item',
          '--table-name',
          table,
          '--item',
          JSON.stringify({ customer: { S: 'ann' }, order: { N: '1' } }),
          '--condition-expression',
          'attribute_not_exists(customer)',
        ],
        refused('ConditionalCheckFailedException'),
      );
      await run(
        [
          'dynamodb',
          'get-item',
          '--table-name',
          table,
          '--key',
          key('ann', 1),
          '--consistent-read',
        ],
        r =>
          expect(r.json.Item).toEqual({
            customer: { S: 'ann' },
            order: { N: '1' },
            total: { N: '10' },
          }),
      );
      await run(
        [
          'dynamodb',
          'update-item',
          '--table-name',
          table,
          '--key',
          key('ann', 1),
          '--update-expression',
          'SET #t = #t + :inc, tags = list_append(if_not_exists(tags, :empty), :tag)',
          '--expression-attribute-names',
          '{"#t":"total"}',
          '--expression-attribute-values',
          '{":inc":{"N":"5"},":empty":{"L":[]},":tag":{"L":[{"S":"rush"}]}}',
          '--return-values',
          'UPDATED_NEW',
        ],
        r =>
          expect(r.json.Attributes).toEqual({
            total: { N: '15' },
            tags: { L: [{ S: 'rush' }] },
          }),
      );
      await run(
        [
          'dynamodb',
          'batch-write-item',
          '--request-items',
          JSON.stringify({
            [table]: [2, 3, 4].map(n => ({
              PutRequest: {
                Item: {
                  customer: { S: 'ann' },
                  order: { N: String(n) },
                  total: { N: String(n * 10) },
                },
              },
            })),
          }),
          '--return-consumed-capacity',
          'TOTAL',
        ],
        r =>
          expect(r.json).toEqual({
            UnprocessedItems: {},
            ConsumedCapacity: [{ TableName: table, CapacityUnits: 3 }],
          }),
      );
      await run(
        [
          'dynamodb',
          'batch-get-item',
          '--request-items',
          JSON.stringify({
            [table]: {
              Keys: [JSON.parse(key('ann', 2)), JSON.parse(key('ann', 3))],
              ProjectionExpression: '#o',
              ExpressionAttributeNames: { '#o': 'order' },
            },
          }),
        ],
        r =>
          expect(
            r.json.Responses[table].map((i: any) => i.order.N).sort(),
          ).toEqual(['2', '3']),
      );
      await run(
        [
          'dynamodb',
          'query',
          '--table-name',
          table,
          '--key-condition-expression',
          'customer = :c AND #o BETWEEN :lo AND :hi',
          '--expression-attribute-names',
          '{"#o":"order"}',
          '--expression-attribute-values',
          '{":c":{"S":"ann"},":lo":{"N":"2"},":hi":{"N":"4"}}',
          '--no-scan-index-forward',
        ],
        r => {
          expect(r.json.Items.map((i: any) => i.order.N)).toEqual([
            '4',
            '3',
            '2',
          ]);
          expect(r.json.Count).toBe(3);
        },
      );
      await run(
        [
          'dynamodb',
          'query',
          '--table-name',
          table,
          '--key-condition-expression',
          'customer = :c',
          '--expression-attribute-values',
          '{":c":{"S":"ann"}}',
          '--page-size',
          '1',
        ],
        r => expect(r.json.Items).toHaveLength(4),
      );
      await run(
        [
          'dynamodb',
          'scan',
          '--table-name',
          table,
          '--filter-expression',
          '#t > :min',
          '--expression-attribute-names',
          '{"#t":"total"}',
          '--expression-attribute-values',
          '{":min":{"N":"20"}}',
        ],
        r => {
          expect(r.json.Items.map((i: any) => i.order.N).sort()).toEqual([
            '3',
            '4',
          ]);
          expect(r.json.ScannedCount).toBe(4);
        },
      );
      const scanPage = await run(
        ['dynamodb', 'scan', '--table-name', table, '--max-items', '2'],
        r => {
          expect(r.json.Items).toHaveLength(2);
          expect(r.json.NextToken).toEqual(expect.any(String));
        },
      );
      await run(
        [
          'dynamodb',
          'scan',
          '--table-name',
          table,
          '--max-items',
          '2',
          '--starting-token',
          String(scanPage.json?.NextToken),
        ],
        r => expect(r.json.Items).toHaveLength(2),
      );
      await run(
        [
          'dynamodb',
          'transact-write-items',
          '--transact-items',
          JSON.stringify([
            {
              ConditionCheck: {
                TableName: table,
                Key: JSON.parse(key('ann', 1)),
                ConditionExpression: 'attribute_exists(customer)',
              },
            },
            {
              Put: {
                TableName: table,
                Item: { customer: { S: 'bob' }, order: { N: '1' } },
              },
            },
            {
              Update: {
                TableName: table,
                Key: JSON.parse(key('ann', 2)),
                UpdateExpression: 'SET shipped = :y',
                ExpressionAttributeValues: { ':y': { BOOL: true } },
              },
            },
            { Delete: { TableName: table, Key: JSON.parse(key('ann', 4)) } },
          ]),
          '--return-consumed-capacity',
          'TOTAL',
        ],
        r =>
          expect(r.json.ConsumedCapacity).toEqual([
            { TableName: table, CapacityUnits: expect.any(Number) },
          ]),
      );
      await run(
        [
          'dynamodb',
          'transact-write-items',
          '--transact-items',
          JSON.stringify([
            {
              Put: {
                TableName: table,
                Item: { customer: { S: 'cy' }, order: { N: '1' } },
              },
            },
            {
              ConditionCheck: {
                TableName: table,
                Key: JSON.parse(key('ann', 4)),
                ConditionExpression: 'attribute_exists(customer)',
              },
            },
          ]),
        ],
        r => {
          refused('TransactionCanceledException')(r);
          expect(r.stderr).toContain('[None, ConditionalCheckFailed]');
        },
      );
      await run(
        [
          'dynamodb',
          'transact-get-items',
          '--transact-items',
          JSON.stringify([
            { Get: { TableName: table, Key: JSON.parse(key('bob', 1)) } },
            { Get: { TableName: table, Key: JSON.parse(key('cy', 1)) } },
            {
              Get: {
                TableName: table,
                Key: JSON.parse(key('ann', 2)),
                ProjectionExpression: 'shipped',
              },
            },
          ]),
          '--return-consumed-capacity',
          'TOTAL',
        ],
        r => {
          expect(r.json.Responses).toEqual([
            { Item: { customer: { S: 'bob' }, order: { N: '1' } } },
            {},
            { Item: { shipped: { BOOL: true } } },
          ]);
          expect(r.json.ConsumedCapacity).toEqual([
            { TableName: table, CapacityUnits: expect.any(Number) },
          ]);
        },
      );
      await run(
        [
          'dynamodb',
          'execute-statement',
          '--statement',
          `INSERT INTO "${table}" VALUE {'customer': 'dee', 'order': 1, 'total': 7}`,
        ],
        ok,
      );
      await run(
        [
          'dynamodb',
          'execute-statement',
          '--statement',
          `INSERT INTO "${table}" VALUE {'customer': 'dee', 'order': 1}`,
        ],
        refused('DuplicateItemException'),
      );
      await run(
        [
          'dynamodb',
          'execute-statement',
          '--statement',
          `UPDATE "${table}" SET total = 8 WHERE customer = ? AND "order" = ?`,
          '--parameters',
          '[{"S":"dee"},{"N":"1"}]',
        ],
        ok,
      );
      await run(
        [
          'dynamodb',
          'execute-statement',
          '--statement',
          `SELECT * FROM "${table}" WHERE customer = 'dee'`,
          '--return-consumed-capacity',
          'TOTAL',
        ],
        r => {
          expect(r.json.Items).toEqual([
            { customer: { S: 'dee' }, order: { N: '1' }, total: { N: '8' } },
          ]);
          expect(r.json.ConsumedCapacity).toMatchObject({ TableName: table });
        },
      );
      await run(
        [
          'dynamodb',
          'batch-execute-statement',
          '--statements',
          JSON.stringify([
            {
              Statement: `SELECT * FROM "${table}" WHERE customer = 'dee' AND "order" = 1`,
            },
            {
              Statement: `SELECT * FROM "missing-table" WHERE customer = 'dee' AND "order" = 1`,
            },
          ]),
        ],
        r => {
          expect(r.json.Responses[0].Item.total).toEqual({ N: '8' });
          expect(r.json.Responses[1].Error.Code).toBe('ResourceNotFound');
        },
      );
      await run(
        [
          'dynamodb',
          'execute-transaction',
          '--transact-statements',
          JSON.stringify([
            {
              Statement: `DELETE FROM "${table}" WHERE customer = 'dee' AND "order" = 1`,
            },
            {
              Statement: `UPDATE "${table}" SET total = 1 WHERE customer = 'bob' AND "order" = 1`,
            },
          ]),
          '--return-consumed-capacity',
          'TOTAL',
        ],
        r =>
          expect(r.json.ConsumedCapacity).toEqual([
            { TableName: table, CapacityUnits: expect.any(Number) },
          ]),
      );
      await run(
        [
          'dynamodb',
          'delete-item',
          '--table-name',
          table,
          '--key',
          key('bob', 1),
          '--return-values',
          'ALL_OLD',
        ],
        r => expect(r.json.Attributes.total).toEqual({ N: '1' }),
      );
      await run(
        [
          'dynamodb',
          'get-item',
          '--table-name',
          table,
          '--key',
          key('nobody', 1),
        ],
        r => {
          ok(r);
          expect(r.json?.Item).toBeUndefined();
        },
      );
      await run(
        [
          'dynamodb',
          'get-item',
          '--table-name',
          'missing-table',
          '--key',
          key('ann', 1),
        ],
        refused('ResourceNotFoundException'),
      );
      await run(['dynamodb', 'delete-table', '--table-name', table], r =>
        expect(r.json.TableDescription.TableName).toBe(table),
      );
      await run(
        ['dynamodb', 'wait', 'table-not-exists', '--table-name', table],
        ok,
      );
      await run(['dynamodb', 'list-tables'], r =>
        expect(r.json.TableNames).toEqual([]),
      );

      expect(problems).toEqual([]);
    },
    SCRIPT_TIMEOUT_MS,
  );

  it(
    'KMS: keys, aliases, key policies, disabling and scheduled deletion',
    async () => {
      const { run, problems } = script('111111111111');
      const created = await run(
        ['kms', 'create-key', '--description', 'cli conformance'],
        r =>
          expect(r.json.KeyMetadata).toMatchObject({
            AWSAccountId: '111111111111',
            KeyState: 'Enabled',
            Enabled: true,
            KeySpec: 'SYMMETRIC_DEFAULT',
            KeyUsage: 'ENCRYPT_DECRYPT',
            MultiRegion: false,
          }),
      );
      const keyId: string = created.json?.KeyMetadata?.KeyId ?? 'missing';
      const keyArn: string = created.json?.KeyMetadata?.Arn ?? 'missing';
      await run(
        [
          'kms',
          'create-alias',
          '--alias-name',
          'alias/cli',
          '--target-key-id',
          keyId,
        ],
        ok,
      );
      await run(['kms', 'describe-key', '--key-id', 'alias/cli'], r =>
        expect(r.json.KeyMetadata.Arn).toBe(keyArn),
      );
      await run(['kms', 'list-aliases'], r =>
        expect(r.json.Aliases).toEqual([
          expect.objectContaining({
            AliasName: 'alias/cli',
            AliasArn: 'arn:aws:kms:us-east-1:111111111111:alias/cli',
            TargetKeyId: keyId,
          }),
        ]),
      );
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Resource: '*',
          },
        ],
      });
      await run(
        [
          'kms',
          'put-key-policy',
          '--key-id',
          keyId,
          '--policy-name',
          'default',
          '--policy',
          policy,
        ],
        ok,
      );
      await run(
        [
          'kms',
          'get-key-policy',
          '--key-id',
          keyArn,
          '--policy-name',
          'default',
        ],
        r => expect(JSON.parse(r.json.Policy)).toEqual(JSON.parse(policy)),
      );
      await run(['kms', 'disable-key', '--key-id', keyId], ok);
      await run(['kms', 'describe-key', '--key-id', keyId], r =>
        expect(r.json.KeyMetadata).toMatchObject({
          KeyState: 'Disabled',
          Enabled: false,
        }),
      );
      await run(
        [
          'kms',
          'schedule-key-deletion',
          '--key-id',
          keyId,
          '--pending-window-in-days',
          '7',
        ],
        r =>
          expect(r.json).toMatchObject({
            KeyId: keyArn,
            KeyState: 'PendingDeletion',
            PendingWindowInDays: 7,
          }),
      );
      await run(
        ['kms', 'enable-key', '--key-id', keyId],
        refused('KMSInvalidStateException'),
      );
      await run(
        ['kms', 'describe-key', '--key-id', 'alias/missing'],
        refused('NotFoundException'),
      );

      expect(problems).toEqual([]);
    },
    SCRIPT_TIMEOUT_MS,
  );

  it(
    'STS: LocalStack credentials, AssumeRole and the session it issues',
    async () => {
      const { run, problems, as } = script('test');
      await run(['sts', 'get-caller-identity'], r =>
        expect(r.json).toEqual({
          UserId: '000000000000',
          Account: '000000000000',
          Arn: 'arn:aws:iam::000000000000:root',
        }),
      );
      as({ accessKeyId: '444444444444' });
      await run(['sts', 'get-caller-identity'], r =>
        expect(r.json.Account).toBe('444444444444'),
      );
      const roleArn =
        'arn:aws:iam::555555555555:role/backstage-dynamodb-lineage';
      await run(
        [
          'sts',
          'assume-role',
          '--role-arn',
          roleArn,
          '--role-session-name',
          'no spaces',
        ],
        refused('ValidationError'),
      );
      const assumed = await run(
        [
          'sts',
          'assume-role',
          '--role-arn',
          roleArn,
          '--role-session-name',
          'lineage',
          '--duration-seconds',
          '900',
        ],
        r =>
          expect(r.json).toMatchObject({
            Credentials: {
              AccessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/),
              SecretAccessKey: expect.any(String),
              SessionToken: expect.any(String),
              Expiration: expect.any(String),
            },
            AssumedRoleUser: {
              Arn: 'arn:aws:sts::555555555555:assumed-role/backstage-dynamodb-lineage/lineage',
            },
          }),
      );
      const credentials = assumed.json?.Credentials ?? {};
      as({
        accessKeyId: credentials.AccessKeyId,
        secret: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
      });
      await run(['sts', 'get-caller-identity'], r =>
        expect(r.json).toMatchObject({
          Account: '555555555555',
          Arn: 'arn:aws:sts::555555555555:assumed-role/backstage-dynamodb-lineage/lineage',
        }),
      );
      await run(['cloudtrail', 'describe-trails'], r =>
        expect(r.json.trailList).toEqual([]),
      );
      await emulator.advance(16 * 60_000);
      await run(['sts', 'get-caller-identity'], refused('ExpiredToken'));

      expect(problems).toEqual([]);
    },
    SCRIPT_TIMEOUT_MS,
  );
});
