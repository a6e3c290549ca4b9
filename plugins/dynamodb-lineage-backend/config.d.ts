import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

/**
 * A duration as an object of units (`{ hours: 1 }`), an ISO-8601 duration (`PT1H`)
 * or a string such as `1 hour`, as `readDurationFromConfig` accepts.
 */
type Duration =
  | {
      years?: number;
      months?: number;
      weeks?: number;
      days?: number;
      hours?: number;
      minutes?: number;
      seconds?: number;
      milliseconds?: number;
    }
  | string;

export interface Config {
  dynamodbLineage?: {
    /**
     * How often stored trail health is refreshed. Runs once across all
     * replicas (global scope). Default: every 5 minutes, 4 minute timeout,
     * first run 15 seconds after start.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    refresh?: {
      /**
       * Account-regions inspected at the same time during a refresh. Within
       * each, CloudTrail calls start at most 10 per second (its read limit
       * per account-region). Default 8, at most 64.
       */
      concurrency?: number;
      /**
       * How long a refresh reuses a trail bucket's settings (policy, Block
       * Public Access, encryption, versioning, lifecycle…) read by an earlier
       * one. A trail reporting a delivery error has its bucket re-read at
       * once. 0 re-reads every time. Default 1 hour, at most 1 day.
       */
      bucketSettingsTtl?: Duration;
      /**
       * How long a refresh reuses a trail's event selectors, Insights
       * selectors and tags; any change DescribeTrails shows re-reads them.
       * Trail status is read fresh every refresh. Default 15 minutes, at most 1 day.
       */
      trailSettingsTtl?: Duration;
    };
    forensics?: {
      /**
       * Forensics queries (item history, principal activity) for accounts
       * without Athena configured are answered by reading the trail's
       * delivered log files directly, for a recent window only. Each result
       * says what it covered.
       */
      logs?: {
        /** How far back the logs are read. Default 24 hours, from 1 hour to 7 days. */
        window?: Duration;
        /** Compressed log bytes one query may download, in MB. Default 256. */
        byteBudgetMb?: number;
        /** How long one query may read. Default 1 minute, at most 15 minutes. */
        maxDuration?: Duration;
        /** Queries reading at once per backend replica; more wait queued. Default 2, at most 16. */
        concurrency?: number;
      };
    };
    /**
     * Group entity refs whose members may provision in any AWS account and
     * see every team, e.g. `group:default/platform`.
     */
    platformAdmins?: string[];
  };
}
