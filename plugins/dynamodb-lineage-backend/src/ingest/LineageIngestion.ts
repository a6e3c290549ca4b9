import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  AwsClientFactory,
  ingestTrailLineage,
  IngestTrailLineageResult,
  utcDay,
} from '@lineage/plugin-dynamodb-lineage-node';
import { evaluateCoverage } from '@lineage/plugin-dynamodb-lineage-common';
import { LineageEdgeStore } from '../store/LineageEdgeStore';
import { LineageStore } from '../store/LineageStore';

/** Scheduler task id of one trail's ingestion: `dynamodb-lineage-ingest:<trailArn>`. */
export const INGEST_TASK_PREFIX = 'dynamodb-lineage-ingest:';

/** How long event ids are kept to recognise a call delivered twice. */
export const DEDUPE_HORIZON_MS = 2 * 24 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every 5 minutes, CloudTrail's delivery interval. */
export const DEFAULT_INGEST_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 30 },
};

export interface LineageIngestionSettings {
  backfillDays: number;
  retentionDays: number;
  byteBudgetBytes: number;
  timeBudgetMs: number;
}

export interface LineageIngestionOptions {
  store: Pick<LineageStore, 'getTrail' | 'listTrails' | 'listAccountRegions'>;
  edges: LineageEdgeStore;
  aws: AwsClientFactory;
  scheduler: Pick<SchedulerService, 'scheduleTask'>;
  logger: LoggerService;
  settings: LineageIngestionSettings;
  schedule?: SchedulerServiceTaskScheduleDefinition;
  now?: () => Date;
}

/**
 * The lineage store's ingestion: one scheduled task per trail the refresh
 * found (global scope, so replicas share the trails and never run one twice
 * at once), each reading the trail's newly delivered logs in every
 * account-region it reaches. {@link LineageIngestion.scheduleTrails} adds the
 * tasks of trails found since it last ran.
 */
export class LineageIngestion {
  private readonly scheduled = new Set<string>();
  private readonly now: () => Date;

  constructor(private readonly options: LineageIngestionOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Schedules the trails not scheduled yet; returns their task ids. */
  async scheduleTrails(): Promise<string[]> {
    const trails = await this.options.store.listTrails();
    const added: string[] = [];
    for (const { description } of trails) {
      const id = `${INGEST_TASK_PREFIX}${description.arn}`;
      if (this.scheduled.has(id)) continue;
      this.scheduled.add(id);
      try {
        await this.options.scheduler.scheduleTask({
          id,
          ...(this.options.schedule ?? DEFAULT_INGEST_SCHEDULE),
          scope: 'global',
          fn: async () => {
            await this.ingestTrail(description.arn);
          },
        });
        added.push(id);
      } catch (error) {
        this.scheduled.delete(id);
        throw error;
      }
    }
    return added;
  }

  /**
   * One ingestion run of one trail, then retention: edges older than the
   * retention and event ids older than the de-duplication horizon go.
   * Undefined when the trail is no longer stored or captures DynamoDB data
   * events in no account-region it reaches (as far as its stored selectors tell).
   */
  async ingestTrail(
    trailArn: string,
  ): Promise<IngestTrailLineageResult | undefined> {
    const { store, edges, aws, settings, logger } = this.options;
    const stored = await store.getTrail(trailArn);
    if (!stored) return undefined;
    const { description, selectors } = stored;
    const accountRegions = (await store.listAccountRegions())
      .filter(ar => ar.trails.some(t => t.arn === trailArn))
      .map(ar => ({
        accountId: ar.status.accountId,
        region: ar.status.region,
      }))
      // A trail whose selectors capture no DynamoDB data there is not read for nothing.
      .filter(
        target =>
          !selectors ||
          evaluateCoverage({
            trail: description,
            selectors,
            target: { kind: 'all-tables', ...target },
          }).verdict !== 'not-covered',
      );
    if (accountRegions.length === 0) return undefined;

    const now = this.now();
    const clients = await aws.forAccount(
      description.accountId,
      description.homeRegion,
    );
    const result = await ingestTrailLineage(clients.s3, {
      trail: description,
      accountRegions,
      cursors: await edges.getCursors(trailArn),
      now,
      backfillDays: settings.backfillDays,
      byteBudget: settings.byteBudgetBytes,
      timeBudgetMs: settings.timeBudgetMs,
      commit: async batch => {
        await edges.commitIngestBatch(batch);
      },
    });
    await edges.pruneEdges(
      utcDay(new Date(now.getTime() - settings.retentionDays * DAY_MS)),
    );
    await edges.pruneSeenEvents(
      new Date(now.getTime() - DEDUPE_HORIZON_MS).toISOString(),
    );
    for (const failure of result.failures) {
      logger.warn(
        `Lineage ingestion of ${trailArn} skipped ${failure.accountId}/${failure.region} this run: ${failure.error}`,
      );
    }
    logger.info(
      `Lineage ingestion of ${trailArn}: ${result.filesRead} files, ${
        result.events
      } DynamoDB events in ${result.batches} batches${
        result.truncated ? ', budget reached, the rest follows next run' : ''
      }`,
    );
    return result;
  }
}
