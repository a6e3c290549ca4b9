/**
 * Frontend of DynamoDB lineage tracking: the entity card, the platform
 * overview page and the template form fields (legacy frontend system; the
 * new system's plugin is the default export of `/alpha`).
 *
 * @packageDocumentation
 */

export {
  dynamoDbLineagePlugin,
  DynamoDbLineagePage,
  EntityDynamoDbLineageCard,
  EntityDynamoDbDataLineageCard,
  EntityDynamoDbInvestigateContent,
  LineageTeamPickerFieldExtension,
  AwsAccountPickerFieldExtension,
  AwsRegionPickerFieldExtension,
  DynamoDbTableScopePickerFieldExtension,
  LineagePlanPreviewFieldExtension,
} from './plugin';
export {
  isDataLineageAvailable,
  isDynamoDbLineageAvailable,
} from './components/DynamoDbLineageCard/lineageTarget';
export { dynamoDbLineageApiRef } from './api/DynamoDbLineageApi';
export type {
  DynamoDbLineageApi,
  LineageGraphQuery,
  PlanRequest,
  TrailHealthWithHistory,
} from './api/DynamoDbLineageApi';
export { DynamoDbLineageClient } from './api/DynamoDbLineageClient';
export { rootRouteRef as dynamoDbLineageRouteRef } from './routes';
