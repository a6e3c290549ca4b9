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
      /**
       * How often each replica reloads the observed data-flow relations
       * (writesTo/writtenBy, readsFrom/readBy) from the lineage backend's
       * `GET /lineage/relations` into memory for catalog processing. Always
       * local: every replica keeps its own copy. Default: every 5 minutes,
       * 1 minute timeout, first run 5 seconds after start.
       */
      relationsSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    lineage?: {
      /**
       * Days of observed lineage the catalog's data-flow relations cover,
       * today included: a table read or written in that window is related to
       * the entity that did it. A whole number from 1 to 400. Default 30.
       */
      relationsWindow?: number;
    };
  };
}
