import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { RunningEmulator, startEmulator } from '@lineage/aws-emulator';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  analyticsTemplateValues,
  emulatorAwsAccounts,
  readYamlDocuments,
  runTemplateTask,
} from './__testUtils__/devWorld';
import dynamoDbLineageScaffolderModule from '@lineage/plugin-scaffolder-backend-module-dynamodb-lineage';

jest.setTimeout(120_000);

const template = readYamlDocuments(
  'templates/dynamodb-lineage/template.yaml',
)[0];
const accounts = readYamlDocuments('examples/aws-accounts.yaml');

/**
 * The template as the dev app runs it: the real scaffolder backend, our
 * actions, the template file from the repo and the AWS emulator's demo seed.
 */
describe('dynamodb-lineage template in the scaffolder', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  });
  afterAll(() => emulator.stop());

  async function startScaffolder(
    result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  ) {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        dynamoDbLineageScaffolderModule,
        catalogServiceMock.factory({ entities: [...accounts, template] }),
        // Deny only our permission: the scaffolder's own checks stay allowed.
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(({ permission }) => ({
              result:
                permission.name === 'dynamodb-lineage.trail.provision'
                  ? result
                  : AuthorizeResult.ALLOW,
            })),
          authorizeConditional: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            aws: {
              accounts: emulatorAwsAccounts,
            },
            dynamodbLineage: { aws: { endpoint: emulator.url } },
          },
        }),
      ],
    });
    return server;
  }

  const analyticsTrails = () =>
    emulator.state().accounts['444444444444']?.trails ?? [];

  it('refuses a user whose teams do not own the account, before any AWS call', async () => {
    const server = await startScaffolder(AuthorizeResult.DENY);
    emulator.calls.clear();
    const { status, events } = await runTemplateTask(
      server,
      analyticsTemplateValues,
    );
    expect(status).toBe('failed');
    expect(JSON.stringify(events)).toMatch(/NotAllowedError|not allowed/i);
    expect(emulator.calls.list()).toHaveLength(0);
    expect(analyticsTrails()).toHaveLength(0);
  });

  it('creates a logging trail for the not-enabled team, then converges with no change', async () => {
    const server = await startScaffolder(AuthorizeResult.ALLOW);

    const first = await runTemplateTask(server, analyticsTemplateValues);
    expect(first.status).toBe('completed');
    const trails = analyticsTrails();
    expect(trails).toHaveLength(1);
    expect(trails[0].arn).toBe(
      'arn:aws:cloudtrail:us-east-1:444444444444:trail/dynamodb-lineage',
    );

    const second = await runTemplateTask(server, analyticsTemplateValues);
    expect(second.status).toBe('completed');
    const completion = second.events[second.events.length - 1];
    expect(completion.body.output.text[0].content).toMatch(/Nothing to change/);
  });
});
