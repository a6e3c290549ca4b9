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
  DEMO_CATALOG_FILES,
  analyticsTemplateValues,
  catalogEntities,
  emulatorAwsAccounts,
  runTemplateTask,
} from './__testUtils__/devWorld';

jest.setTimeout(180_000);

const TEAM = '/api/dynamodb-lineage/teams/default/team-analytics';

/**
 * A new user's first run: team Analytics has no trail; its member runs the
 * template with the form's defaults; the team reads `pending` until the
 * first delivery, then Healthy — with the KMS key the template created.
 */
describe('enabling lineage tracking with the template defaults', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  });
  afterAll(() => emulator.stop());

  it('reads pending right after the template, then healthy after the first delivery', async () => {
    const entities = catalogEntities([
      ...DEMO_CATALOG_FILES,
      'templates/dynamodb-lineage/template.yaml',
    ]);
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
    const refreshAndRead = async () => {
      const refresh = await request(server)
        .post('/api/dynamodb-lineage/refresh')
        .set('Authorization', auth)
        .send({});
      expect(refresh.status).toBe(200);
      const team = await request(server).get(TEAM).set('Authorization', auth);
      expect(team.status).toBe(200);
      return team.body;
    };

    const before = await refreshAndRead();
    expect(before.team.status).toBe('not-enabled');

    emulator.calls.clear();
    const task = await runTemplateTask(server, analyticsTemplateValues);
    expect(task.status).toBe('completed');
    expect(
      emulator.calls
        .list({ accountId: '444444444444' })
        .filter(call => call.service === 'kms' && call.outcome === 'success')
        .map(call => call.operation),
    ).toEqual(expect.arrayContaining(['CreateKey', 'CreateAlias']));

    const pending = await refreshAndRead();
    expect(pending.team.status).toBe('pending');
    expect(pending.accountRegions[0].reason).toMatch(
      /Waiting for the first delivery, created \d+ min ago/,
    );

    // DynamoDB traffic in the account, then CloudTrail's first delivery.
    await emulator.generateTraffic();
    await emulator.flush();
    const delivered = await refreshAndRead();
    const failingOrWarning = delivered.accountRegions.flatMap(
      (accountRegion: { checks: { id: string; status: string }[] }) =>
        accountRegion.checks
          .filter(check => check.status === 'fail' || check.status === 'warn')
          .map(check => `${check.id}: ${check.status}`),
    );
    expect(failingOrWarning).toEqual([]);
    expect(delivered.team.status).toBe('healthy');
    const kms = delivered.accountRegions[0].checks.find(
      (check: { id: string }) => check.id === 'trail.kms',
    );
    expect(kms).toMatchObject({ status: 'pass' });
  });
});
