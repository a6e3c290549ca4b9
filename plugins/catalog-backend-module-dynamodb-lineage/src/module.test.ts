import {
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogModuleDynamoDbLineageTrails } from './module';
import { DynamoDbLineageTrailProvider } from './provider/DynamoDbLineageTrailProvider';
import { DynamoDbTableProvider } from './tables/DynamoDbTableProvider';

describe('catalogModuleDynamoDbLineageTrails', () => {
  async function startWith(config: object) {
    const providers: EntityProvider[] = [];
    const schedules: SchedulerServiceTaskScheduleDefinition[] = [];
    const tasks: SchedulerServiceTaskInvocationDefinition[] = [];
    const scheduler = mockServices.scheduler.mock({
      createScheduledTaskRunner: jest.fn(schedule => {
        schedules.push(schedule);
        return { run: async task => void tasks.push(task) };
      }),
    });
    await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          { addEntityProvider: (...p: any[]) => providers.push(...p.flat()) },
        ],
      ],
      features: [
        catalogModuleDynamoDbLineageTrails,
        catalogServiceMock.factory(),
        scheduler.factory,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    return { providers, schedules, tasks };
  }

  it('registers the trail and table providers on the default schedule and runs it once connected', async () => {
    const { providers, schedules, tasks } = await startWith({});
    expect(providers).toHaveLength(2);
    expect(providers[0]).toBeInstanceOf(DynamoDbLineageTrailProvider);
    expect(providers[1]).toBeInstanceOf(DynamoDbTableProvider);
    expect(providers.map(p => p.getProviderName())).toEqual([
      'dynamodb-lineage-trails',
      'dynamodb-lineage-tables',
    ]);
    expect(schedules).toEqual([
      {
        frequency: { minutes: 10 },
        timeout: { minutes: 5 },
        initialDelay: { seconds: 15 },
        scope: 'global',
      },
    ]);

    expect(tasks).toEqual([]);
    await providers[0].connect({
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    });
    expect(tasks).toEqual([
      { id: 'dynamodb-lineage-trails:refresh', fn: expect.any(Function) },
    ]);
  });

  it('takes the schedule from dynamodbLineage.catalog.schedule', async () => {
    const { schedules } = await startWith({
      dynamodbLineage: {
        catalog: {
          schedule: {
            frequency: { minutes: 2 },
            timeout: { minutes: 1 },
            scope: 'local',
          },
        },
      },
    });
    expect(schedules).toEqual([
      expect.objectContaining({ frequency: { minutes: 2 }, scope: 'local' }),
    ]);
  });

  it('refuses to start on invalid dynamodbLineage config, naming the key', async () => {
    await expect(
      startWith({ dynamodbLineage: { regions: ['moon-base-1'] } }),
    ).rejects.toThrow(/dynamodbLineage\.regions\[0\]/);
  });
});
