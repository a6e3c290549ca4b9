import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  dynamodbLineage?: {
    catalog?: {
      /**
       * How often the CloudTrail trails of the AWS accounts are discovered and
       * emitted as catalog entities, each run followed by the DynamoDB tables
       * of the account-regions they cover. Runs once across replicas (global scope
       * unless set). Default: every 10 minutes, 5 minute timeout, first run
       * 15 seconds after start.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
