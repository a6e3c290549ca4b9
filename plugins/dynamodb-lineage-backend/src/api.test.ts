import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import request from 'supertest';
import {
  ANALYTICS,
  INVENTORY,
  ORDERS,
  PAYMENTS,
  LEDGER_TABLE,
  PAYMENTS_EU_TABLE,
  PAYMENTS_TABLE,
  demoEntities,
  PAYMENTS_TRAIL,
} from './__testUtils__/demoCatalog';
import { dynamoDbLineagePlugin } from './plugin';

jest.setTimeout(60_000);

const user = mockCredentials.user.header('user:default/alice');
const base = '/api/dynamodb-lineage';

/** The trail as the catalog module would emit it. */
const trailEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'dynamodb-lineage-111111111111-us-east-1',
    namespace: 'default',
    annotations: {
      'dynamodb-lineage/trail-arn': PAYMENTS_TRAIL,
      'dynamodb-lineage/bucket': 'payments-cloudtrail-logs-111111111111',
      'dynamodb-lineage/home-region': 'us-east-1',
    },
  },
  spec: { type: 'cloudtrail-trail', owner: PAYMENTS },
  relations: [{ type: 'ownedBy', targetRef: PAYMENTS }],
};

describe('dynamodb-lineage REST API against the emulated demo world', () => {
  let emulator: RunningEmulator;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let firstRefresh: request.Response;
  const audit = { success: jest.fn(), fail: jest.fn() };
  const createEvent = jest.fn(async () => audit);

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    const accounts = [
      '111111111111',
      '222222222222',
      '333333333333',
      '444444444444',
    ];
    ({ server } = await startTestBackend({
      features: [
        dynamoDbLineagePlugin,
        mockServices.rootConfig.factory({
          data: {
            aws: {
              accounts: accounts.map(accountId => ({
                accountId,
                accessKeyId: accountId,
                secretAccessKey: 'emulator',
              })),
            },
            dynamodbLineage: {
              aws: { endpoint: emulator.url },
              regions: ['us-east-1'],
              lineage: { byteBudgetMb: 16 },
            },
          },
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.auditor.mock({ createEvent }).factory,
        catalogServiceMock.factory({
          entities: [...demoEntities(), trailEntity],
        }),
      ],
    }));

    firstRefresh = await request(server)
      .post(`${base}/refresh`)
      .set('Authorization', user)
      .send({});
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('POST /refresh inspects every account-region and is audited', () => {
    expect(firstRefresh.status).toBe(200);
    expect(firstRefresh.body).toEqual({ refreshed: 5 });
    expect(createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'refresh',
        meta: { queryType: 'all' },
      }),
    );
    expect(audit.success).toHaveBeenCalledWith({ meta: { refreshed: 5 } });
  });

  it('GET /teams gives every team with counts and coverage', async () => {
    const res = await request(server)
      .get(`${base}/teams`)
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({
      healthy: 1,
      degraded: 0,
      failing: 2,
      unknown: 0,
      'not-enabled': 1,
      pending: 0,
    });
    // payments 2 of 2 covered, orders/inventory/analytics 0 of 1 each.
    expect(res.body.coverage).toBeCloseTo(2 / 5);
    expect(res.body.refreshedAt).toEqual(expect.any(String));
    expect(
      res.body.teams.map((t: any) => [t.entityRef, t.title, t.status]),
    ).toEqual([
      [ANALYTICS, 'Analytics', 'not-enabled'],
      [INVENTORY, 'Inventory', 'failing'],
      [ORDERS, 'Orders', 'failing'],
      [PAYMENTS, 'Payments', 'healthy'],
    ]);
  });

  it('GET /teams/:namespace/:name gives account-regions, covering trails and checks', async () => {
    const res = await request(server)
      .get(`${base}/teams/default/team-payments`)
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.team).toMatchObject({
      entityRef: PAYMENTS,
      status: 'healthy',
      accounts: ['111111111111'],
    });
    expect(res.body.accountRegions).toHaveLength(2);
    for (const accountRegion of res.body.accountRegions) {
      expect(accountRegion).toMatchObject({
        accountId: '111111111111',
        accountEntityRef: 'resource:default/aws-payments-prod',
        status: 'healthy',
        coveringTrail: {
          arn: PAYMENTS_TRAIL,
          name: 'dynamodb-lineage',
          homeRegion: 'us-east-1',
        },
      });
      expect(accountRegion.checks.length).toBeGreaterThanOrEqual(13);
    }

    const unknown = await request(server)
      .get(`${base}/teams/default/team-nobody`)
      .set('Authorization', user);
    expect(unknown.status).toBe(404);
  });

  it('GET /entity-status answers for a component, an account, a trail and a group', async () => {
    const component = await request(server)
      .get(`${base}/entity-status`)
      .query({ entityRef: 'component:default/payments-api' })
      .set('Authorization', user);
    expect(component.status).toBe(200);
    expect(component.body.kind).toBe('component');
    expect(component.body.status).toBe('healthy');
    expect(
      component.body.tables.map((t: any) => [
        t.tableArn,
        t.covered,
        t.coveringTrail?.arn,
      ]),
    ).toEqual([
      [PAYMENTS_TABLE, true, PAYMENTS_TRAIL],
      [
        'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
        true,
        PAYMENTS_TRAIL,
      ],
      [PAYMENTS_EU_TABLE, true, PAYMENTS_TRAIL],
    ]);

    const inventory = await request(server)
      .get(`${base}/entity-status`)
      .query({ entityRef: 'component:default/inventory-service' })
      .set('Authorization', user);
    expect(inventory.body).toMatchObject({
      kind: 'component',
      status: 'failing',
      tables: [{ covered: false, status: 'failing' }],
    });

    const analytics = await request(server)
      .get(`${base}/entity-status`)
      .query({ entityRef: 'component:default/analytics-etl' })
      .set('Authorization', user);
    expect(analytics.body.tables[0]).toMatchObject({
      covered: false,
      status: 'not-enabled',
    });

    const account = await request(server)
      .get(`${base}/entity-status`)
      .query({ entityRef: 'resource:default/aws-orders-prod' })
      .set('Authorization', user);
    expect(account.body).toMatchObject({
      kind: 'aws-account',
      accountId: '222222222222',
      status: 'failing',
      regions: [{ region: 'us-east-1', status: 'failing' }],
    });

    const trail = await request(server)
      .get(`${base}/entity-status`)
      .query({
        entityRef: 'resource:default/dynamodb-lineage-111111111111-us-east-1',
      })
      .set('Authorization', user);
    expect(trail.body.kind).toBe('trail');
    expect(trail.body.health.trail.arn).toBe(PAYMENTS_TRAIL);

    const group = await request(server)
      .get(`${base}/entity-status`)
      .query({ entityRef: ORDERS })
      .set('Authorization', user);
    expect(group.body).toMatchObject({
      kind: 'team',
      team: { team: { status: 'failing' } },
    });

    const storefront = await request(server)
      .get(`${base}/entity-status`)
      .query({ entityRef: 'component:default/storefront' })
      .set('Authorization', user);
    expect(storefront.body.kind).toBe('unsupported');

    const missing = await request(server)
      .get(`${base}/entity-status`)
      .query({ entityRef: 'component:default/nope' })
      .set('Authorization', user);
    expect(missing.status).toBe(404);
  });

  it('GET /trails/health gives the scorecard, volume with cost, and history', async () => {
    const res = await request(server)
      .get(`${base}/trails/health`)
      .query({ arn: PAYMENTS_TRAIL })
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.health.status).toBe('healthy');
    expect(res.body.health.checks.map((c: any) => c.id)).toContain(
      'trail.dynamodb-coverage',
    );
    const volume = res.body.health.volume;
    expect(volume.eventsPerDay).toBeGreaterThan(0);
    expect(volume.projectedMonthlyUsd).toBeCloseTo(
      ((volume.eventsPerDay * 30.4) / 100_000) * 0.1,
      2,
    );
    expect(res.body.history).toEqual([
      expect.objectContaining({
        status: 'healthy',
        checkedAt: res.body.health.checkedAt,
      }),
    ]);
  });

  it('GET /lineage lists who read and wrote a table, reads and writes apart', async () => {
    const res = await request(server)
      .get(`${base}/lineage`)
      .query({ tableArn: PAYMENTS_TABLE, hours: 24 })
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tableArn: PAYMENTS_TABLE,
      truncated: false,
    });
    expect(res.body.filesRead).toBeGreaterThan(0);
    const api = res.body.principals.find((p: any) =>
      p.principal.endsWith(':role/payments-api'),
    );
    expect(api).toBeDefined();
    expect(api.reads).toBeGreaterThan(0);
    expect(api.writes).toBeGreaterThan(0);
    expect(api.operations.map((o: any) => o.operation)).toEqual(
      expect.arrayContaining(['PutItem', 'GetItem']),
    );

    const uncovered = await request(server)
      .get(`${base}/lineage`)
      .query({
        tableArn: 'arn:aws:dynamodb:us-east-1:444444444444:table/events',
      })
      .set('Authorization', user);
    expect(uncovered.status).toBe(404);
  });

  it('POST /plan shows what blocks a KMS key CloudTrail may not use, and the statement to add', async () => {
    // A key in Analytics' account whose policy leaves CloudTrail out (KMS JSON protocol).
    const created = await fetch(emulator.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.CreateKey',
        authorization:
          'AWS4-HMAC-SHA256 Credential=444444444444/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify({
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::444444444444:root' },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        }),
      }),
    });
    expect(created.status).toBe(200);
    const keyArn = (await created.json()).KeyMetadata.Arn;
    emulator.calls.clear();
    const res = await request(server)
      .post(`${base}/plan`)
      .set('Authorization', user)
      .send({
        accountId: '444444444444',
        region: 'us-east-1',
        owner: ANALYTICS,
        kmsKeyId: keyArn,
      });
    expect(res.status).toBe(200);
    expect(res.body.blockers).toEqual([
      expect.stringContaining('does not let CloudTrail encrypt for this trail'),
    ]);
    expect(res.body.kmsPolicyStatement).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Condition: {
        StringEquals: {
          'aws:SourceArn':
            'arn:aws:cloudtrail:us-east-1:444444444444:trail/dynamodb-lineage',
        },
      },
    });
    expect(
      emulator.calls
        .list()
        .filter(c => c.service === 'kms')
        .map(c => c.operation),
    ).toEqual(['DescribeKey', 'GetKeyPolicy']);
    expect(
      emulator.calls
        .list()
        .filter(c => !/^(Get|Head|List|Describe)/.test(c.operation)),
    ).toEqual([]);
  });

  it('POST /plan returns the provisioning plan with defaults and changes nothing', async () => {
    emulator.calls.clear();
    const res = await request(server)
      .post(`${base}/plan`)
      .set('Authorization', user)
      .send({
        accountId: '444444444444',
        region: 'us-east-1',
        owner: ANALYTICS,
      });
    expect(res.status).toBe(200);
    expect(res.body.spec).toMatchObject({
      accountId: '444444444444',
      trailName: 'dynamodb-lineage',
      bucketName: 'dynamodb-lineage-444444444444-us-east-1',
      readWriteType: 'All',
      owner: ANALYTICS,
      createdBy: 'user:default/alice',
    });
    expect(res.body.trailArn).toBe(
      'arn:aws:cloudtrail:us-east-1:444444444444:trail/dynamodb-lineage',
    );
    expect(res.body.spec.canary).toBe(true);
    const keys = res.body.changes.map((c: any) => c.key);
    // The account has no canary table yet: created first, then the bucket.
    expect(keys[0]).toBe('canary-table:create');
    expect(keys[1]).toMatch(/^bucket/);
    expect(keys).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^trail/),
        expect.stringMatching(/^logging/),
      ]),
    );
    expect(res.body.changes.every((c: any) => c.request === undefined)).toBe(
      true,
    );
    const mutations = emulator.calls
      .list()
      .filter(c => !/^(Get|Head|List|Describe)/.test(c.operation));
    expect(mutations).toEqual([]);
  });

  it('POST /plan for a covered account-region converges its trail: no new trail, no new bucket', async () => {
    emulator.calls.clear();
    for (const region of ['us-east-1', 'eu-west-1']) {
      const res = await request(server)
        .post(`${base}/plan`)
        .set('Authorization', user)
        .send({ accountId: '111111111111', region, owner: PAYMENTS });
      expect(res.status).toBe(200);
      expect(res.body.trailArn).toBe(PAYMENTS_TRAIL);
      expect(res.body.spec).toMatchObject({
        trailName: 'dynamodb-lineage',
        region: 'us-east-1',
        bucketName: 'payments-cloudtrail-logs-111111111111',
      });
      expect(
        res.body.changes.filter((c: any) => c.action === 'create'),
      ).toEqual([]);
      expect(res.body.notes.join(' ')).toContain(
        'Converges the existing trail dynamodb-lineage',
      );
    }
    const mutations = emulator.calls
      .list()
      .filter(c => !/^(Get|Head|List|Describe)/.test(c.operation));
    expect(mutations).toEqual([]);
  });

  it("POST /plan forecasts the capture from the account-region's DynamoDB metrics, in one CloudWatch batch", async () => {
    emulator.calls.clear();
    const res = await request(server)
      .post(`${base}/plan`)
      .set('Authorization', user)
      .send({
        accountId: '111111111111',
        region: 'us-east-1',
        owner: PAYMENTS,
      });
    expect(res.status).toBe(200);
    const forecast = res.body.costForecast;
    // The demo's seeded history served the payments tables' traffic.
    expect(forecast.perTable.map((t: any) => t.tableArn)).toEqual(
      expect.arrayContaining([PAYMENTS_TABLE, LEDGER_TABLE]),
    );
    expect(forecast.dataEventsPerMonth).toBeGreaterThan(0);
    // The total is the tables' months plus the account-wide failures (each rounded).
    const parts =
      forecast.perTable.reduce(
        (sum: number, t: any) => sum + t.dataEventsPerMonth,
        0,
      ) + (forecast.unattributedErrorsPerMonth ?? 0);
    expect(Math.abs(forecast.dataEventsPerMonth - parts)).toBeLessThanOrEqual(
      forecast.perTable.length + 1,
    );
    expect(forecast.basis).toMatch(
      /of DynamoDB CloudWatch request metrics .* in 111111111111\/us-east-1$/,
    );
    expect(forecast.monthlyUsd).toBeGreaterThanOrEqual(
      forecast.dataEventsMonthlyUsd + forecast.storage.monthlyUsd - 0.01,
    );
    expect(forecast.storage.bytesPerEventSource).toBe('default');
    expect(forecast.unavailable).toBeUndefined();
    const cloudWatch = emulator.calls
      .list({ service: 'cloudwatch' })
      .map(c => `${c.accountId} ${c.region} ${c.operation}`);
    expect(cloudWatch).toEqual([
      '111111111111 us-east-1 ListMetrics',
      '111111111111 us-east-1 GetMetricData',
    ]);
  });

  it('POST /plan still plans when CloudWatch refuses, naming what the forecast lacks', async () => {
    emulator.faults.set({
      accessDenied: [{ principal: '*', action: 'cloudwatch:*' }],
    });
    try {
      const res = await request(server)
        .post(`${base}/plan`)
        .set('Authorization', user)
        .send({
          accountId: '444444444444',
          region: 'us-east-1',
          owner: ANALYTICS,
        });
      expect(res.status).toBe(200);
      expect(res.body.changes.length).toBeGreaterThan(0);
      expect(res.body.costForecast.unavailable).toEqual([
        expect.stringMatching(/^444444444444\/us-east-1: .*AccessDenied/),
      ]);
      expect(res.body.costForecast.basis).toContain(
        'No DynamoDB CloudWatch metrics could be read',
      );
    } finally {
      emulator.faults.clear();
    }
  });

  it('GET /trails/forecast puts the metrics forecast of the captured tables next to the volume the logs showed', async () => {
    emulator.calls.clear();
    const res = await request(server)
      .get(`${base}/trails/forecast`)
      .query({ arn: PAYMENTS_TRAIL })
      .set('Authorization', user);
    expect(res.status).toBe(200);
    const comparison = res.body;
    expect(comparison).toMatchObject({
      trailArn: PAYMENTS_TRAIL,
      accountId: '111111111111',
      region: 'us-east-1',
    });
    expect(comparison.perTable.map((t: any) => t.tableArn)).toEqual(
      expect.arrayContaining([PAYMENTS_TABLE, LEDGER_TABLE]),
    );
    expect(comparison.basis).toMatch(/tables? the trail captures/);
    expect(comparison.forecastEventsPerDay).toBeGreaterThan(0);
    expect(comparison.observedEventsPerDay).toBeGreaterThan(0);
    // The demo's logs and metrics come from the same served traffic.
    expect(comparison.gap).toBe(false);
    expect(
      emulator.calls
        .list({ service: 'cloudwatch' })
        .map(c => c.operation)
        .sort(),
    ).toEqual(['GetMetricData', 'ListMetrics']);

    const unknown = await request(server)
      .get(`${base}/trails/forecast`)
      .query({
        arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/never-seen',
      })
      .set('Authorization', user);
    expect(unknown.status).toBe(404);
  });

  it('POST /plan refuses a second capture of the same DynamoDB events with 409, unless allowed', async () => {
    const body = {
      accountId: '111111111111',
      region: 'us-east-1',
      owner: PAYMENTS,
      trailName: 'second-lineage',
      bucketName: 'second-lineage-111111111111',
    };
    const refused = await request(server)
      .post(`${base}/plan`)
      .set('Authorization', user)
      .send(body);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(PAYMENTS_TRAIL);

    const allowed = await request(server)
      .post(`${base}/plan`)
      .set('Authorization', user)
      .send({ ...body, allowDuplicateCapture: true });
    expect(allowed.status).toBe(200);
    expect(allowed.body.spec.trailName).toBe('second-lineage');
    expect(allowed.body.notes.join(' ')).toMatch(
      /captures them a second time \(allowDuplicateCapture\), doubling the data-event bill/,
    );
  });

  it('POST /plan moves a trail to another bucket only when named, saying where old logs stay', async () => {
    const res = await request(server)
      .post(`${base}/plan`)
      .set('Authorization', user)
      .send({
        accountId: '111111111111',
        region: 'us-east-1',
        owner: PAYMENTS,
        bucketName: 'payments-new-logs-111111111111',
      });
    expect(res.status).toBe(200);
    expect(res.body.spec.trailName).toBe('dynamodb-lineage');
    expect(res.body.notes.join(' ')).toContain(
      'logs delivered so far stay in s3://payments-cloudtrail-logs-111111111111/AWSLogs/',
    );
  });

  it('POST /refresh for one entity refreshes only its account-regions', async () => {
    const res = await request(server)
      .post(`${base}/refresh`)
      .set('Authorization', user)
      .send({ entityRef: 'resource:default/aws-payments-prod' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ refreshed: 2 });
    const history = await request(server)
      .get(`${base}/trails/health`)
      .query({ arn: PAYMENTS_TRAIL })
      .set('Authorization', user);
    expect(history.body.history).toHaveLength(2);

    const unknown = await request(server)
      .post(`${base}/refresh`)
      .set('Authorization', user)
      .send({ entityRef: 'group:default/nobody' });
    expect(unknown.status).toBe(404);
  });

  it('GET /accounts lists a team’s accounts for the form', async () => {
    const res = await request(server)
      .get(`${base}/accounts`)
      .query({ owner: ORDERS })
      .set('Authorization', user);
    expect(res.body.accounts.map((a: any) => a.accountId)).toEqual([
      '222222222222',
    ]);
  });

  it('GET /tables lists the real table ARNs of an account-region', async () => {
    const east = await request(server)
      .get(`${base}/tables`)
      .query({ accountId: '111111111111', region: 'us-east-1' })
      .set('Authorization', user);
    expect(east.status).toBe(200);
    expect(east.body).toEqual({
      tables: [LEDGER_TABLE, PAYMENTS_TABLE],
    });
    const west = await request(server)
      .get(`${base}/tables`)
      .query({ accountId: '111111111111', region: 'eu-west-1' })
      .set('Authorization', user);
    expect(west.body).toEqual({ tables: [PAYMENTS_EU_TABLE] });
  });

  it('GET /tables answers 503 with the reason when AWS refuses ListTables', async () => {
    emulator.faults.set({
      accessDenied: [
        { principal: '222222222222', action: 'dynamodb:ListTables' },
      ],
    });
    try {
      const res = await request(server)
        .get(`${base}/tables`)
        .query({ accountId: '222222222222', region: 'us-east-1' })
        .set('Authorization', user);
      expect(res.status).toBe(503);
      expect(res.body.error.name).toBe('ServiceUnavailableError');
      expect(res.body.error.message).toMatch(/222222222222\/us-east-1/);
      expect(res.body.error.message).toMatch(/AccessDenied/);
    } finally {
      emulator.faults.clear();
    }
  });
  it('warns on each trail when a second trail captures the same DynamoDB events, with the cost of the duplicate', async () => {
    const account = '111111111111';
    const auth = (service: string) =>
      `AWS4-HMAC-SHA256 Credential=${account}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
    const bucket = 'security-audit-logs-111111111111';
    const s3 = (path: string, body?: string) =>
      fetch(`${emulator.url}/${path}`, {
        method: 'PUT',
        headers: { authorization: auth('s3') },
        ...(body ? { body } : {}),
      });
    const cloudTrail = (operation: string, body: object) =>
      fetch(emulator.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `CloudTrail_20131101.${operation}`,
          authorization: auth('cloudtrail'),
        },
        body: JSON.stringify(body),
      });
    expect((await s3(bucket)).status).toBe(200);
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: `arn:aws:s3:::${bucket}`,
        },
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${bucket}/AWSLogs/${account}/*`,
          Condition: {
            StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' },
          },
        },
      ],
    };
    expect((await s3(`${bucket}?policy`, JSON.stringify(policy))).status).toBe(
      204,
    );
    const created = await cloudTrail('CreateTrail', {
      Name: 'security-audit',
      S3BucketName: bucket,
      IsMultiRegionTrail: true,
    });
    expect(created.status).toBe(200);
    expect(
      (
        await cloudTrail('PutEventSelectors', {
          TrailName: 'security-audit',
          AdvancedEventSelectors: [
            {
              Name: 'DynamoDB',
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
              ],
            },
          ],
        })
      ).status,
    ).toBe(200);
    expect(
      (await cloudTrail('StartLogging', { Name: 'security-audit' })).status,
    ).toBe(200);

    const refreshed = await request(server)
      .post(`${base}/refresh`)
      .set('Authorization', user)
      .send({});
    expect(refreshed.status).toBe(200);
    const health = await request(server)
      .get(`${base}/trails/health`)
      .query({ arn: PAYMENTS_TRAIL })
      .set('Authorization', user);
    expect(health.status).toBe(200);
    const check = health.body.health.checks.find(
      (c: any) => c.id === 'trail.duplicate-capture',
    );
    expect(check.status).toBe('warn');
    expect(check.evidence).toMatch(
      /^DynamoDB data events of this account-region are also captured by trail security-audit\. The duplicate costs about \$\d+\.\d\d a month/,
    );
    expect(check.details).toContainEqual({
      label: 'Also captured by',
      value: `arn:aws:cloudtrail:us-east-1:${account}:trail/security-audit`,
    });
  });
});
