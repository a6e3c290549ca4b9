import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import dynamoDbLineageBackend from '@lineage/plugin-dynamodb-lineage-backend';
import dynamoDbLineageScaffolderModule from '@lineage/plugin-scaffolder-backend-module-dynamodb-lineage';
import {
  analyticsTemplateValues,
  emulatorAwsAccounts,
  readRepoFile,
  readYamlDocuments,
  runTemplateTask,
} from './__testUtils__/devWorld';

const readPolicy = JSON.parse(
  readRepoFile('docs/iam/dynamodb-lineage-read.json'),
);
const provisionPolicy = JSON.parse(
  readRepoFile('docs/iam/dynamodb-lineage-provision.json'),
);

jest.setTimeout(180_000);

function allowedActions(policy: { Statement: { Action: string[] }[] }) {
  return new Set(policy.Statement.flatMap(statement => statement.Action));
}

/**
 * The IAM policies documented in docs/iam must allow every call the product
 * makes and nothing it never makes: the emulator's call log is the evidence.
 */
describe('documented IAM policies', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  });
  afterAll(() => emulator.stop());

  it('match the calls of refresh, lineage, table listing, planning and provisioning', async () => {
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
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            aws: { accounts: emulatorAwsAccounts },
            dynamodbLineage: {
              aws: { endpoint: emulator.url },
              regions: ['us-east-1', 'eu-west-1'],
            },
          },
        }),
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
    const { mode: _deliveryMode, ...spec } = analyticsTemplateValues;
    const plan = await request(server)
      .post('/api/dynamodb-lineage/plan')
      .set('Authorization', auth)
      .send(spec);
    expect(plan.status).toBe(200);

    const readCalls = emulator.calls.list();
    const read = allowedActions(readPolicy);
    const readActions = new Set(readCalls.map(call => call.action));
    expect([...readActions].filter(action => !read.has(action))).toEqual([]);
    expect(readCalls.filter(call => call.outcome === 'AccessDenied')).toEqual(
      [],
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
    const provisionActions = new Set(
      emulator.calls.list().map(call => call.action),
    );
    const allowed = new Set([...read, ...allowedActions(provisionPolicy)]);
    expect(
      [...provisionActions].filter(action => !allowed.has(action)),
    ).toEqual([]);

    // Nothing documented is unused, except calls made only for Insights and
    // GetBucketLocation (needed only when HeadBucket names no region).
    const used = new Set([...readActions, ...provisionActions]);
    expect([...allowed].filter(action => !used.has(action)).sort()).toEqual([
      'cloudtrail:GetInsightSelectors',
      'cloudtrail:PutInsightSelectors',
      's3:GetBucketLocation',
    ]);
  });
});
