import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { ScheduledRefresh } from './ScheduledRefresh';

const TASK = 'dynamodb-lineage-refresh';

/** A refresher whose runs end when the test says so, counting runs at once. */
function gatedRefresher() {
  const state = { runs: 0, running: 0, peak: 0 };
  let release: () => void = () => {};
  let gate = new Promise<void>(resolve => {
    release = resolve;
  });
  const run = async () => {
    state.runs += 1;
    state.running += 1;
    state.peak = Math.max(state.peak, state.running);
    await gate;
    state.running -= 1;
    return { refreshed: 3 };
  };
  return {
    state,
    refresher: {
      refresh: jest.fn(run),
      refreshWhenCatalogReady: jest.fn(run),
    },
    release: () => {
      release();
      gate = Promise.resolve();
    },
  };
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise(resolve => setImmediate(resolve));
}

describe('ScheduledRefresh', () => {
  async function setup() {
    const scheduler = mockServices.scheduler();
    const gated = gatedRefresher();
    const scheduled = new ScheduledRefresh({
      refresher: gated.refresher,
      scheduler,
      taskId: TASK,
    });
    await scheduler.scheduleTask({
      id: TASK,
      frequency: { minutes: 5 },
      timeout: { minutes: 4 },
      fn: async () => {
        await scheduled.run();
      },
    });
    return { scheduler, scheduled, ...gated };
  }

  it('answers a manual refresh asked during the scheduled run with that run, never running two at once', async () => {
    const { scheduler, scheduled, state, release } = await setup();
    const scheduledRun = scheduler.triggerTask(TASK);
    await until(() => state.runs === 1);

    const manual = scheduled.refresh({});
    const second = scheduled.refresh();
    release();
    await scheduledRun;

    await expect(manual).resolves.toEqual({ refreshed: 3 });
    await expect(second).resolves.toEqual({ refreshed: 3 });
    expect(state.runs).toBe(1);
    expect(state.peak).toBe(1);
  });

  it('runs a manual refresh as the scheduled task, without waiting for the catalog', async () => {
    const { scheduler, scheduled, state, refresher, release } = await setup();
    const trigger = jest.spyOn(scheduler, 'triggerTask');
    release();

    await expect(scheduled.refresh({})).resolves.toEqual({ refreshed: 3 });
    expect(trigger).toHaveBeenCalledWith(TASK);
    expect(refresher.refresh).toHaveBeenCalledWith();
    expect(refresher.refreshWhenCatalogReady).not.toHaveBeenCalled();
    expect(state.runs).toBe(1);
  });

  it('says so when another instance is running the task', async () => {
    const busy = new ScheduledRefresh({
      refresher: gatedRefresher().refresher,
      scheduler: {
        triggerTask: async () => {
          throw new ConflictError(`Task ${TASK} is currently running`);
        },
      },
      taskId: TASK,
    });
    await expect(busy.refresh({})).rejects.toThrow(/another instance/);
  });

  it('refreshes one entity at once, outside the task', async () => {
    const { scheduled, refresher, release } = await setup();
    release();
    await scheduled.refresh({ entityRef: 'group:default/team-a' });
    expect(refresher.refresh).toHaveBeenCalledWith({
      entityRef: 'group:default/team-a',
    });
  });
});
