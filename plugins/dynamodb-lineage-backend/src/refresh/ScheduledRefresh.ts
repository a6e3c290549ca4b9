import {
  BackstageCredentials,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { LineageRefresher } from '../service/types';
import { RefreshService } from './RefreshService';

type RefreshResult = { refreshed: number };

interface Waiter {
  resolve(result: RefreshResult): void;
  reject(error: unknown): void;
}

export interface ScheduledRefreshOptions {
  refresher: Pick<RefreshService, 'refresh' | 'refreshWhenCatalogReady'>;
  scheduler: Pick<SchedulerService, 'triggerTask'>;
  /** The scheduled task whose function is {@link ScheduledRefresh.run}. */
  taskId: string;
}

/**
 * A refresh of everything runs only as the scheduled task, so a manual one
 * never overlaps the scheduled one: asked while a run is going on, it answers
 * with that run's result; otherwise it triggers the task and waits for the
 * run. A refresh of one entity's account-regions runs at once.
 */
export class ScheduledRefresh implements LineageRefresher {
  private running?: Promise<RefreshResult>;
  private waiting: Waiter[] = [];

  constructor(private readonly options: ScheduledRefreshOptions) {}

  /**
   * The task's function. A run nobody waits for gives the catalog time to
   * ingest entities after start; a run someone waits for answers at once.
   */
  run(): Promise<RefreshResult> {
    if (this.running) return this.running;
    const waiters = this.waiting.splice(0);
    const { refresher } = this.options;
    const run =
      waiters.length > 0
        ? refresher.refresh()
        : refresher.refreshWhenCatalogReady();
    this.running = run;
    run.then(
      result => waiters.forEach(w => w.resolve(result)),
      error => waiters.forEach(w => w.reject(error)),
    );
    const clear = () => {
      this.running = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  async refresh(
    request: { entityRef?: string; credentials?: BackstageCredentials } = {},
  ): Promise<RefreshResult> {
    if (request.entityRef) return this.options.refresher.refresh(request);
    if (this.running) return this.running;
    let waiter!: Waiter;
    const next = new Promise<RefreshResult>((resolve, reject) => {
      waiter = { resolve, reject };
    });
    this.waiting.push(waiter);
    try {
      await this.options.scheduler.triggerTask(this.options.taskId);
    } catch (error) {
      this.waiting = this.waiting.filter(w => w !== waiter);
      // Only another instance can be running it: this one's run is answered above.
      if ((error as Error)?.name === 'ConflictError') {
        throw new ConflictError(
          'A refresh is already running on another instance; its results are stored when it ends',
        );
      }
      throw error;
    }
    return next;
  }
}
