import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DynamoDbLineageTrailProvider,
  DynamoDbTableProvider,
} from '@lineage/plugin-catalog-backend-module-dynamodb-lineage';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  CallRecord,
  RunningEmulator,
  evaluateIdentityPolicy,
  evaluateTrustPolicy,
  startEmulator,
} from '@lineage/aws-emulator';
import dynamoDbLineageBackend from '@lineage/plugin-dynamodb-lineage-backend';
import {
  AWS_REGIONS,
  parseForensicsQuery,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AthenaForensicsEngine,
  DefaultAwsClientFactory,
  ForensicsEngine,
} from '@lineage/plugin-dynamodb-lineage-node';
import dynamoDbLineageScaffolderModule from '@lineage/plugin-scaffolder-backend-module-dynamodb-lineage';
import {
  analyticsTemplateValues,
  readRepoFile,
  readYamlDocuments,
  runTemplateTask,
} from './__testUtils__/devWorld';

const readPolicyText = readRepoFile('docs/iam/dynamodb-lineage-read.json');
/** The operator names the existing trail and bucket the test converges. */
const provisionPolicyText = readRepoFile(
  'docs/iam/dynamodb-lineage-provision.json',
)
  .replace('EXISTING_TRAIL_NAME', 'inventory-trail')
  .replace('EXISTING_BUCKET_NAME', 'inventory-cloudtrail-logs-333333333333');

jest.setTimeout(180_000);

const BACKSTAGE_ACCOUNT = '999999999999';
const EXTERNAL_ID = 'lineage-external-id';

/** Name of the role whose session made the call (`assumed-role/<name>/…`). */
const roleOf = (call: CallRecord) =>
  /:assumed-role\/([^/]+)\//.exec(call.principalArn ?? '')?.[1];

/** The role sessions' calls; AssumeRole itself is the backend's, checked below. */
function byRole(calls: CallRecord[], role: string) {
  const assumes = calls.filter(call => call.action === 'sts:AssumeRole');
  expect(assumes.length).toBeGreaterThan(0);
  const trust = readRepoFile(
    `docs/iam/dynamodb-lineage-${role.replace('lineage-', '')}-trust.json`,
  )
    .replace('BACKSTAGE_ACCOUNT_ID', BACKSTAGE_ACCOUNT)
    .replace('role/BACKSTAGE_BACKEND_ROLE', 'root')
    .replace('EXTERNAL_ID', EXTERNAL_ID);
  for (const call of assumes) {
    expect(call.principalArn).toBe(`arn:aws:iam::${BACKSTAGE_ACCOUNT}:root`);
    expect(
      evaluateTrustPolicy(trust, {
        aws: [call.principalArn!],
        action: call.action,
        context: call.conditionKeys ?? {},
      }),
    ).toBe('Allow');
    expect(call.resource).toMatch(
      new RegExp(`^arn:aws:iam::\\d{12}:role/${role}$`),
    );
  }
  const sessions = calls.filter(call => call.action !== 'sts:AssumeRole');
  expect(sessions.map(roleOf).filter(name => name !== role)).toEqual([]);
  return sessions;
}

interface Policy {
  name: string;
  text: string;
  statements: { Sid?: string; Action: string | string[] }[];
}

const policy = (name: string, text: string): Policy => ({
  name,
  text,
  statements: JSON.parse(text).Statement,
});

const actionsOf = (p: Policy) =>
  p.statements.flatMap(statement => [statement.Action].flat());

/**
 * Evaluates every call against the policies of the role that made it:
 * returns the calls no policy allows (action and resource), and records
 * which statements allowed something.
 */
function unauthorized(
  calls: CallRecord[],
  policies: Policy[],
  used: Map<Policy, Set<number>>,
) {
  return calls
    .filter(call => {
      const decisions = policies.map(p => {
        const decision = evaluateIdentityPolicy(p.text, {
          action: call.action,
          resource: call.resource ?? '',
          context: {
            ...call.conditionKeys,
            'aws:PrincipalAccount': call.accountId,
            'kms:ViaService': call.invokedBy?.replace(
              /^([a-z0-9-]+)\./,
              `$1.${call.region}.`,
            ),
          },
        });
        if (decision.decision === 'Allow') {
          const seen = used.get(p) ?? new Set<number>();
          decision.statements.forEach(index => seen.add(index));
          used.set(p, seen);
        }
        return decision.decision;
      });
      return decisions.includes('Deny') || !decisions.includes('Allow');
    })
    .map(call => `${call.action} on ${call.resource}`);
}

/**
 * The IAM policies documented in docs/iam must allow every call the product
 * makes (action and resource) and nothing it never makes: the emulator's
 * call log is the evidence.
 */
describe('documented IAM policies', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  });
  afterAll(() => emulator.stop());

  it('match the calls of refresh, lineage, table listing, planning, trail discovery and provisioning', async () => {
    const configData = {
      backend: { baseUrl: 'http://localhost:7007' },
      // As in production: the backend's own credentials, then a role
      // per plugin assumed in every account.
      aws: {
        mainAccount: {
          accessKeyId: BACKSTAGE_ACCOUNT,
          secretAccessKey: 'emulator',
        },
        // The read role is the integration's default role.
        accountDefaults: {
          roleName: 'lineage-read',
          externalId: EXTERNAL_ID,
        },
      },
      dynamodbLineage: {
        aws: {
          endpoint: emulator.url,
          provisionRoleName: 'lineage-provision',
        },
        regions: ['us-east-1', 'eu-west-1'],
      },
    };
    const entities = [
      ...readYamlDocuments('examples/org.yaml'),
      ...readYamlDocuments('examples/aws-accounts.yaml'),
      ...readYamlDocuments('examples/components.yaml'),
      ...readYamlDocuments('templates/dynamodb-lineage/template.yaml'),
    ];
    const { server } = await startTestBackend({
      features: [
        dynamoDbLineageBackend,
        scaffolderPlugin,
        dynamoDbLineageScaffolderModule,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({ data: configData }),
      ],
    });
    const auth = mockCredentials.user.header('user:default/guest');
    emulator.calls.clear();

    const refresh = await request(server)
      .post('/api/dynamodb-lineage/refresh')
      .set('Authorization', auth)
      .send({});
    expect(refresh.status).toBe(200);
    const lineage = await request(server)
      .get('/api/dynamodb-lineage/lineage')
      .query({
        tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
      })
      .set('Authorization', auth);
    expect(lineage.status).toBe(200);
    const tables = await request(server)
      .get('/api/dynamodb-lineage/tables')
      .query({ accountId: '111111111111', region: 'us-east-1' })
      .set('Authorization', auth);
    expect(tables.status).toBe(200);
    const {
      mode: _deliveryMode,
      encryption,
      ...spec
    } = analyticsTemplateValues;
    const plan = await request(server)
      .post('/api/dynamodb-lineage/plan')
      .set('Authorization', auth)
      .send({ ...spec, createKmsKey: encryption === 'dedicated-key' });
    expect(plan.status).toBe(200);
    // The catalog module's trail discovery and table listing run with the read role too.
    const trails = DynamoDbLineageTrailProvider.fromConfig(
      new ConfigReader(configData),
      {
        logger: mockServices.logger.mock(),
        auth: mockServices.auth(),
        catalog: catalogServiceMock({ entities }),
      },
    );
    await trails.connect({ applyMutation: jest.fn(), refresh: jest.fn() });
    const discovery = await trails.refresh();
    expect(discovery.failedAccounts).toEqual([]);
    expect(discovery.entities).toBeGreaterThan(0);
    const tableProvider = DynamoDbTableProvider.fromConfig(
      new ConfigReader(configData),
      {
        logger: mockServices.logger.mock(),
        auth: mockServices.auth(),
        catalog: catalogServiceMock({ entities }),
      },
    );
    await tableProvider.connect({
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    });
    const tableListing = await tableProvider.refresh(discovery.coverage);
    expect(tableListing.failed).toEqual([]);
    expect(tableListing.entities).toBeGreaterThan(0);

    const readPolicy = policy('read', readPolicyText);
    const provisionPolicy = policy('provision', provisionPolicyText);
    const used = new Map<Policy, Set<number>>();
    const readCalls = byRole(emulator.calls.list(), 'lineage-read');
    expect(readCalls.length).toBeGreaterThan(0);
    expect(readCalls.every(call => call.resource)).toBe(true);
    // The SSE-KMS bucket's log files were read and decrypted.
    expect(
      readCalls.filter(call => call.action === 'kms:Decrypt').length,
    ).toBeGreaterThan(0);
    // Looking a key up by an alias nobody created yet: KMS answers
    // NotFoundException before there is a key to authorize against.
    const aliasNotFound = (call: CallRecord) =>
      call.service === 'kms' &&
      call.outcome === 'NotFoundException' &&
      /:alias\//.test(call.resource ?? '');
    expect(readCalls.filter(aliasNotFound).length).toBeGreaterThan(0);
    expect(
      unauthorized(
        readCalls.filter(call => !aliasNotFound(call)),
        [readPolicy],
        used,
      ),
    ).toEqual([]);
    expect(readCalls.filter(call => call.outcome === 'AccessDenied')).toEqual(
      [],
    );

    // With a customer managed key (created beforehand by the account), the
    // action checks the key and its policy before any change.
    const kms = new KMSClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: '444444444444', secretAccessKey: 'x' },
    });
    const key = await kms.send(
      new CreateKeyCommand({
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::444444444444:root' },
              Action: 'kms:*',
              Resource: '*',
            },
            {
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 'kms:GenerateDataKey*',
              Resource: '*',
            },
          ],
        }),
      }),
    );
    emulator.calls.clear();
    const created = await runTemplateTask(server, analyticsTemplateValues);
    expect(created.status).toBe('completed');
    // Converging the misconfigured team's existing trail and bucket needs
    // the update calls a fresh trail does not.
    const converged = await runTemplateTask(server, {
      ...analyticsTemplateValues,
      owner: 'group:default/team-inventory',
      accountId: '333333333333',
      trailName: 'inventory-trail',
      bucketName: 'inventory-cloudtrail-logs-333333333333',
    });
    expect(converged.status).toBe('completed');
    const keyed = await runTemplateTask(server, {
      ...analyticsTemplateValues,
      encryption: 'existing-key',
      kmsKeyId: key.KeyMetadata!.Arn,
    });
    expect(keyed.status).toBe('completed');
    const provisionCalls = byRole(emulator.calls.list(), 'lineage-provision');
    expect(provisionCalls.every(call => call.resource)).toBe(true);
    expect(provisionCalls.filter(aliasNotFound).length).toBeGreaterThan(0);
    expect(
      unauthorized(
        provisionCalls.filter(call => !aliasNotFound(call)),
        [provisionPolicy],
        used,
      ),
    ).toEqual([]);
    // With the template's defaults the action created a key for each trail,
    // tagged as managed, and named it by the trail.
    expect(
      provisionCalls
        .filter(call => call.action === 'kms:CreateKey')
        .map(
          call => call.conditionKeys?.['aws:RequestTag/backstage:managed-by'],
        ),
    ).toEqual(['backstage-dynamodb-lineage', 'backstage-dynamodb-lineage']);
    // The canary table was created once per account-region: the third run,
    // in the first run's account-region, found it.
    expect(
      provisionCalls
        .filter(call => call.action === 'dynamodb:CreateTable')
        .map(call => call.resource),
    ).toEqual([
      'arn:aws:dynamodb:us-east-1:444444444444:table/dynamodb-lineage-canary',
      'arn:aws:dynamodb:us-east-1:333333333333:table/dynamodb-lineage-canary',
    ]);
    // A key without that tag is not the role's to create.
    const untagged = provisionCalls
      .filter(call => call.action === 'kms:CreateKey')
      .map(call => ({ ...call, conditionKeys: {} }));
    expect(unauthorized(untagged, [provisionPolicy], new Map())).toHaveLength(
      untagged.length,
    );
    // Writes are scoped: the provision policy does not let the role touch a
    // trail, bucket or table it does not manage. Finding
    // the trails that already log the account-region reads any trail's
    // selectors, and nothing else of it.
    const findsCoveringTrails = (call: CallRecord) =>
      call.action === 'cloudtrail:DescribeTrails' ||
      call.action === 'cloudtrail:GetEventSelectors';
    expect(provisionCalls.filter(findsCoveringTrails).length).toBeGreaterThan(
      0,
    );
    const trailAndBucketCalls = provisionCalls.filter(
      call => call.service !== 'kms' && !findsCoveringTrails(call),
    );
    expect(trailAndBucketCalls.length).toBeLessThan(provisionCalls.length);
    expect(
      unauthorized(
        trailAndBucketCalls.map(call => ({
          ...call,
          resource: call.resource
            ?.replace(/trail\/.*$/, 'trail/security-audit')
            .replace(/:::[^/]+/, ':::security-audit-logs')
            .replace(/:table\/.*$/, ':table/payments'),
        })),
        [provisionPolicy],
        new Map(),
      ),
    ).toHaveLength(trailAndBucketCalls.length);

    // Every statement allowed some call.
    const unusedStatements = [readPolicy, provisionPolicy].flatMap(p =>
      p.statements
        .map((statement, index) => ({ statement, index }))
        .filter(({ index }) => !used.get(p)?.has(index))
        .map(({ statement, index }) => `${p.name}: ${statement.Sid ?? index}`),
    );
    expect(unusedStatements).toEqual([]);

    // Nothing documented is unused, except calls made only for Insights and
    // GetBucketLocation (needed only when HeadBucket names no region).
    const unusedActions = [
      { p: readPolicy, calls: readCalls },
      { p: provisionPolicy, calls: provisionCalls },
    ].flatMap(({ p, calls }) => {
      const usedActions = new Set(calls.map(call => call.action));
      return actionsOf(p)
        .filter(action => !usedActions.has(action))
        .map(action => `${p.name}: ${action}`);
    });
    // kms:TagResource authorizes CreateKey's tags, recorded as CreateKey;
    // dynamodb:TagResource authorizes CreateTable's, recorded as CreateTable.
    expect(unusedActions.sort()).toEqual([
      'provision: cloudtrail:GetInsightSelectors',
      'provision: cloudtrail:PutInsightSelectors',
      'provision: dynamodb:TagResource',
      'provision: kms:TagResource',
      'provision: s3:GetBucketLocation',
      'read: cloudtrail:GetInsightSelectors',
      'read: s3:GetBucketLocation',
    ]);
  });

  it('match the calls of Athena forensics (read role plus the forensics policy)', async () => {
    const resultsBucket = 'athena-results-111111111111';
    await new S3Client({
      endpoint: emulator.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' },
    }).send(new CreateBucketCommand({ Bucket: resultsBucket }));
    const forensicsPolicy = policy(
      'forensics',
      readRepoFile('docs/iam/dynamodb-lineage-forensics.json')
        .replace('ATHENA_WORK_GROUP', 'primary')
        .replace(/ATHENA_RESULTS_BUCKET/g, resultsBucket),
    );
    const engine = new AthenaForensicsEngine({
      clients: DefaultAwsClientFactory.fromConfig(
        new ConfigReader({
          aws: {
            mainAccount: {
              accessKeyId: BACKSTAGE_ACCOUNT,
              secretAccessKey: 'emulator',
            },
            accountDefaults: {
              roleName: 'lineage-read',
              externalId: EXTERNAL_ID,
            },
          },
          dynamodbLineage: { aws: { endpoint: emulator.url } },
        }),
      ),
      settingsFor: () => ({
        workGroup: 'primary',
        database: 'dynamodb_lineage',
        outputLocation: `s3://${resultsBucket}/forensics/`,
        maxScanBytes: 1024 ** 3,
      }),
      trailFor: async accountId => ({
        trailName: 'dynamodb-lineage',
        accountId,
        bucketName: 'payments-cloudtrail-logs-111111111111',
        homeRegion: 'us-east-1',
        regions: [...AWS_REGIONS],
      }),
    });
    const now = Date.now();
    const range = {
      from: new Date(now - 86_400_000).toISOString(),
      to: new Date(now + 60_000).toISOString(),
    };
    const finished = async (subject: ForensicsEngine, id: string) => {
      for (;;) {
        const page = await subject.get(id);
        if (!['queued', 'running'].includes(page.status)) return page;
        await new Promise(resolve => setTimeout(resolve, 50));
      }
    };
    emulator.calls.clear();
    const history = await engine.start(
      parseForensicsQuery({
        kind: 'item-history',
        tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
        key: { pk: 'order#1' },
        ...range,
      }),
    );
    expect((await finished(engine, history)).status).toBe('succeeded');
    emulator.athena.hold();
    try {
      const held = await engine.start(
        parseForensicsQuery({
          kind: 'principal-activity',
          principal: 'arn:aws:iam::111111111111:role/payments-api',
          regions: ['us-east-1'],
          ...range,
        }),
      );
      await engine.cancel(held);
    } finally {
      emulator.athena.release();
    }

    const calls = byRole(emulator.calls.list(), 'lineage-read');
    // Athena read the trail's log files and wrote its result with the role's permissions.
    const throughAthena = calls.filter(
      call => call.invokedBy === 'athena.amazonaws.com',
    );
    expect(new Set(throughAthena.map(call => call.action))).toEqual(
      new Set([
        'glue:CreateDatabase',
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:CreateTable',
        's3:ListBucket',
        's3:GetObject',
        's3:GetBucketLocation',
        's3:PutObject',
      ]),
    );
    const used = new Map<Policy, Set<number>>();
    expect(
      unauthorized(
        calls.filter(call => call.service === 'athena' || call.invokedBy),
        [forensicsPolicy],
        used,
      ),
    ).toEqual([]);
    // The scan estimate lists the partitions with the read role's own grant.
    expect(
      unauthorized(
        calls.filter(call => call.service !== 'athena' && !call.invokedBy),
        [policy('read', readPolicyText)],
        new Map(),
      ),
    ).toEqual([]);
    expect(calls.filter(call => call.outcome !== 'success')).toEqual([]);
    const unusedStatements = forensicsPolicy.statements
      .map((statement, index) => ({ statement, index }))
      .filter(({ index }) => !used.get(forensicsPolicy)?.has(index))
      .map(({ statement, index }) => statement.Sid ?? index);
    expect(unusedStatements).toEqual([]);
    const usedActions = new Set(calls.map(call => call.action));
    expect(
      actionsOf(forensicsPolicy).filter(action => !usedActions.has(action)),
    ).toEqual([]);
    // Another work group or results bucket is not the role's.
    expect(
      unauthorized(
        calls
          .filter(call => call.service === 'athena')
          .map(call => ({
            ...call,
            resource: call.resource?.replace(
              /workgroup\/.*/,
              'workgroup/admin',
            ),
          })),
        [forensicsPolicy],
        new Map(),
      ).length,
    ).toBeGreaterThan(0);
  });

  it.each(['read', 'provision'])(
    'trust only the Backstage backend presenting the external id (%s role)',
    role => {
      const trust = readRepoFile(`docs/iam/dynamodb-lineage-${role}-trust.json`)
        .replace('BACKSTAGE_ACCOUNT_ID', '999999999999')
        .replace('BACKSTAGE_BACKEND_ROLE', 'backstage')
        .replace('EXTERNAL_ID', 'shared-secret');
      const backend = 'arn:aws:iam::999999999999:role/backstage';
      const assume = (aws: string, externalId?: string) =>
        evaluateTrustPolicy(trust, {
          aws: [aws],
          action: 'sts:AssumeRole',
          context: { 'sts:ExternalId': externalId },
        });
      expect(assume(backend, 'shared-secret')).toBe('Allow');
      expect(assume(backend)).toBe('None');
      expect(assume(backend, 'guessed')).toBe('None');
      expect(
        assume('arn:aws:iam::999999999999:role/other', 'shared-secret'),
      ).toBe('None');
    },
  );
});
