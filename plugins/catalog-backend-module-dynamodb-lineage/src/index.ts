/**
 * Catalog module that emits the CloudTrail trails of your AWS accounts as
 * `cloudtrail-trail` Resource entities, and the DynamoDB tables those trails
 * cover as `dynamodb-table` Resource entities.
 *
 * @packageDocumentation
 */

export { catalogModuleDynamoDbLineageTrails as default } from './module';
export {
  DynamoDbLineageTrailProvider,
  type DynamoDbLineageTrailProviderOptions,
  type TrailRefreshSummary,
} from './provider/DynamoDbLineageTrailProvider';
export { TRAIL_PROVIDER_NAME } from './provider/trailEntity';
export {
  DynamoDbTableProvider,
  type DynamoDbTableProviderOptions,
  type TableRefreshSummary,
} from './tables/DynamoDbTableProvider';
export {
  TABLE_PROVIDER_NAME,
  tableEntityName,
  tableEntityRef,
} from './tables/tableEntity';
export type {
  CoveredAccountRegion,
  TrailCoverage,
} from './provider/trailCoverage';
export { DeclaredTablesProcessor } from './processors/DeclaredTablesProcessor';
export {
  DataFlowProcessor,
  type DataFlowRelations,
} from './processors/DataFlowProcessor';
export {
  LineageRelationsCache,
  type LineageRelationsCacheOptions,
} from './relations/LineageRelationsCache';
