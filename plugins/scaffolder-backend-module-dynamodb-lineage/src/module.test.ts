import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import scaffolderModule from './index';

describe('scaffolder module dynamodb-lineage', () => {
  it('adds the provision and terraform actions to the scaffolder', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...actions: any[]) => added.push(...actions) },
        ],
      ],
      features: [
        scaffolderModule,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            dynamodbLineage: { aws: { endpoint: 'http://127.0.0.1:4566' } },
          },
        }),
      ],
    });

    expect(added.map(action => action.id).sort()).toEqual([
      'aws:dynamodb-lineage:provision',
      'aws:dynamodb-lineage:terraform',
    ]);
    for (const action of added) {
      expect(action.supportsDryRun).toBe(true);
      expect(action.examples?.length).toBeGreaterThan(0);
      const properties = action.schema?.input?.properties ?? {};
      for (const [name, property] of Object.entries(properties)) {
        expect([
          name,
          (property as { description?: string }).description,
        ]).toEqual([name, expect.stringMatching(/\w/)]);
      }
    }
  });
});
