import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

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
       * Account-regions inspected at the same time during a refresh. Each
       * makes a handful of read calls, well under CloudTrail's ~10 requests
       * per second per account-region. Default 8, at most 64.
       */
      concurrency?: number;
    };
    /**
     * Group entity refs whose members may provision in any AWS account and
     * see every team, e.g. `group:default/platform`.
     */
    platformAdmins?: string[];
  };
}
