import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import dynamoDbLineageBackend from '@lineage/plugin-dynamodb-lineage-backend';
import request from 'supertest';
import { readYamlDocuments } from './__testUtils__/devWorld';

jest.setTimeout(180_000);

/*
 * An incident responder on the demo with Athena configured: who touched a
 * payments item, and what the payments API role did over the last day, each
 * answered by Athena over the payments trail's bucket (the emulator runs the
 * SQL with DuckDB), with the bytes scanned and the cost.
 */

const PAYMENTS = '111111111111';
const RESULTS_BUCKET = 'athena-results-111111111111';

describe('forensics on Athena through the API', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    await new S3Client({
      endpoint: emulator.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: PAYMENTS, secretAccessKey: 'x' },
    }).send(new CreateBucketCommand({ Bucket: RESULTS_BUCKET }));
  });
  afterAll(() => emulator.stop());

  async function backend(maxScanGb?: number) {
    const { server } = await startTestBackend({
      features: [
        dynamoDbLineageBackend,
        catalogServiceMock.factory({
          entities: [
            ...readYamlDocuments('examples/org.yaml'),
            ...readYamlDocuments('examples/aws-accounts.yaml'),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            aws: {
              mainAccount: {
                accessKeyId: '999999999999',
                secretAccessKey: 'x',
              },
              accountDefaults: { roleName: 'lineage-read', externalId: 'dev' },
            },
            dynamodbLineage: {
              aws: { endpoint: emulator.url },
              regions: ['us-east-1', 'eu-west-1'],
              forensics: {
                athena: {
                  outputLocation: `s3://${RESULTS_BUCKET}/lineage/`,
                  ...(maxScanGb ? { maxScanGb } : {}),
                },
              },
            },
          },
        }),
      ],
    });
    const auth = mockCredentials.user.header('user:default/guest');
    const refresh = await request(server)
      .post('/api/dynamodb-lineage/refresh')
      .set('Authorization', auth)
      .send({});
    expect(refresh.status).toBe(200);
    return { server, auth };
  }

  it('answers principal activity with Athena, saying the bytes scanned and the cost', async () => {
    const { server, auth } = await backend();
    const now = Date.now();
    const created = await request(server)
      .post('/api/dynamodb-lineage/forensics/queries')
      .set('Authorization', auth)
      .send({
        kind: 'principal-activity',
        principal: `arn:aws:iam::${PAYMENTS}:role/payments-api`,
        regions: ['us-east-1'],
        from: new Date(now - 86_400_000).toISOString(),
        to: new Date(now + 60_000).toISOString(),
      });
    expect(created.status).toBe(202);
    expect(created.body.engine).toBe('athena');
    let body: any;
    for (;;) {
      const got = await request(server)
        .get(`/api/dynamodb-lineage/forensics/queries/${created.body.id}`)
        .set('Authorization', auth);
      expect(got.status).toBe(200);
      body = got.body;
      if (!['queued', 'running'].includes(body.status)) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(body.status).toBe('succeeded');
    expect(body.engine).toBe('athena');
    expect(body.bytesScanned).toBeGreaterThan(0);
    expect(body.costUsd).toBeGreaterThan(0);
    expect(body.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          tableArn: `arn:aws:dynamodb:us-east-1:${PAYMENTS}:table/payments`,
          kind: 'write',
        }),
      ]),
    );
  });

  it('refuses, with the estimate, a query above the scan limit', async () => {
    const { server, auth } = await backend(0.000001);
    const now = Date.now();
    const refused = await request(server)
      .post('/api/dynamodb-lineage/forensics/queries')
      .set('Authorization', auth)
      .send({
        kind: 'item-history',
        tableArn: `arn:aws:dynamodb:us-east-1:${PAYMENTS}:table/payments`,
        key: { id: 'pay-1' },
        from: new Date(now - 86_400_000).toISOString(),
        to: new Date(now).toISOString(),
      });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(
      /would scan about .* of CloudTrail logs .* above the limit/,
    );
  });
});
