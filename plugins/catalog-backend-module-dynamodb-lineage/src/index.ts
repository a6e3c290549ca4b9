/**
 * Catalog module that emits the CloudTrail trails of your AWS accounts as
 * `cloudtrail-trail` Resource entities.
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
