/**
 * Node library of DynamoDB lineage tracking: AWS clients, the desired-state model
 * (spec → inspect → diff → plan → apply), Terraform rendering and the CloudTrail log
 * reader.
 *
 * @packageDocumentation
 */

export {
  readDynamoDbLineageConfig,
  DEFAULT_REGIONS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_LINEAGE_BYTE_BUDGET_MB,
  DEFAULT_INTEGRITY_WINDOW_HOURS,
  DEFAULT_ATHENA_DATABASE,
  DEFAULT_ATHENA_MAX_SCAN_GB,
  DEFAULT_ATHENA_WORK_GROUP,
  athenaSettingsFor,
} from './config';
export type {
  AthenaForensicsSettings,
  ConfiguredAccount,
  DynamoDbLineageConfig,
} from './config';

export {
  DefaultAwsClientFactory,
  CLOUDTRAIL_CALLS_PER_SECOND,
} from './clients';
export { AccountRegionRateLimits, createRateLimit } from './rateLimit';
export type { Clock, RateLimit } from './rateLimit';
export type {
  AwsClients,
  AwsClientFactory,
  AwsClientFactoryOptions,
  AwsCredentials,
} from './clients';

export { parseArn, trailArnOf } from './arns';

// The provisioning input lives in the common package; these names stay here
// for the packages that import them from the node library.
export {
  buildSpec,
  defaultBucketName,
  DEFAULT_TRAIL_NAME,
  DEFAULT_GLACIER_AFTER_DAYS,
} from '@lineage/plugin-dynamodb-lineage-common';
export type { LineageSpecInput } from '@lineage/plugin-dynamodb-lineage-common';

export {
  desiredEventSelectors,
  desiredBucketPolicy,
  desiredBucketEncryption,
  desiredLifecycleRule,
  desiredTags,
  desiredInsightTypes,
  specTrailArn,
  specBucketArn,
  DESIRED_OWNERSHIP,
  DESIRED_PUBLIC_ACCESS_BLOCK,
  INSIGHT_TYPES,
  LIFECYCLE_RULE_ID,
  SELECTOR_NAME_TABLES,
  SELECTOR_NAME_STREAMS,
  SELECTOR_NAME_MANAGEMENT,
} from './desiredState';

export { basicToAdvanced, mergeSelectors } from './selectorMerge';
export { mergeBucketPolicy } from './policyMerge';

export { probe, probeValue, awsErrorCode, isAwsError } from './probe';

export {
  inspectTrails,
  describeTrails,
  describeTrailsWithTags,
  listTags,
  inspectTrail,
  DEFAULT_TRAIL_EVENT_SELECTORS,
} from './inspectTrails';
export type {
  InspectTarget,
  InspectTrailsOptions,
  KnownTrailAnswers,
} from './inspectTrails';
export { inspectBucket } from './inspectBucket';
export { inspectKmsKey } from './inspectKmsKey';
export { readRuntimeSignals, readRuntimeSignalsSince } from './runtimeSignals';
export type { LogCursor, RuntimeSignalsOptions } from './runtimeSignals';
export type { LogFileSummary } from './logWindow';
export {
  verifyLogIntegrity,
  verifyDigestChain,
  DEFAULT_INTEGRITY_BYTE_BUDGET,
} from './logIntegrity';
export type {
  LogIntegrityOptions,
  DigestChainInput,
  DigestPublicKey,
  ObjectFetcher,
} from './logIntegrity';
export {
  InspectionCache,
  CachedInspector,
  DEFAULT_BUCKET_SETTINGS_TTL_MS,
  DEFAULT_TRAIL_SETTINGS_TTL_MS,
  DEFAULT_LOG_INTEGRITY_TTL_MS,
} from './inspectionCache';
export type { InspectionCacheOptions } from './inspectionCache';
export { listTableArns } from './tables';
export { callCanary } from './canary';
export type { CanaryCallResult } from './canary';

export {
  logPrefix,
  logRoot,
  parseLogKey,
  regionLogPrefix,
  utcDay,
} from './logKeys';
export type { LogLocation, ParsedLogKey } from './logKeys';
export {
  readLogRecords,
  listLogObjects,
  listLogObjectsAfter,
  resolveLogLocation,
} from './logReader';
export type {
  LogObject,
  LogReadStats,
  ReadLogRecordsOptions,
} from './logReader';
export {
  isDynamoDbDataEvent,
  tableArnsOf,
  principalOf,
  operationKind,
} from './dynamodbEvents';
export type { CloudTrailRecord, NormalisedPrincipal } from './dynamodbEvents';
export { readTableLineage } from './tableLineage';
export {
  ingestTrailLineage,
  LineageEdgeAggregator,
  DEFAULT_FILES_PER_BATCH,
} from './lineageIngest';
export type {
  IngestTrailLineageOptions,
  IngestTrailLineageResult,
} from './lineageIngest';
export type {
  IngestCursor,
  IngestCursorKey,
  IngestedEvent,
  LineageIngestBatch,
} from './lineageBatch';
export type { TableLineageOptions } from './tableLineage';

export { inspectForSpec, diffPlan, planLineage } from './plan';
export {
  findCoveringTrails,
  planConverged,
  resolveConvergence,
} from './convergence';
export type {
  CoveringTrail,
  Convergence,
  ConvergenceOptions,
  ConvergedPlanOptions,
} from './convergence';
export type {
  AwsRequest,
  AwsOperation,
  ExecutableChange,
  ExecutablePlan,
  LiveState,
  AppliedChange,
} from './planTypes';
export { applyPlan } from './apply';
export type { ApplyOptions } from './apply';

export { renderTerraform } from './terraform';
export type { TerraformFiles } from './terraform';

export { ProvisioningAuthorizer } from './provisioningAuthorization';
export {
  accountOfEntity,
  normalizeGroupRef,
  ownerOf,
  resolveAccounts,
} from './accounts';
export type { AwsAccount, ResolvedAccounts } from './accounts';
export type { ProvisioningRequest } from './provisioningAuthorization';

export {
  DefaultTrailDiscoveryService,
  trailDiscoveryServiceRef,
} from './trailDiscovery';
export type { DiscoveredTrail, TrailDiscoveryService } from './trailDiscovery';
export {
  forecastCaptureCost,
  metricsWindow,
  readDataEventMetrics,
  tableInScope,
} from './dataEventMetrics';
export type {
  CostForecastRequest,
  DataEventMetricsRequest,
} from './dataEventMetrics';

export { BoundedMap } from './boundedMap';
export type { ForensicsEngine, ForensicsPageRequest } from './forensics/engine';
export { forensicsPageSize } from './forensics/engine';
export { AthenaForensicsEngine } from './forensics/athenaEngine';
export type {
  AthenaForensicsEngineOptions,
  ForensicsTrail,
  ScanEstimate,
} from './forensics/athenaEngine';
export {
  cloudTrailTable,
  createDatabaseDdl,
  createTableDdl,
  plannedAthenaTable,
} from './forensics/athenaTable';
export type {
  CloudTrailTable,
  CloudTrailTableSource,
} from './forensics/athenaTable';
export {
  LogForensicsEngine,
  DEFAULT_LOG_FORENSICS_OPTIONS,
} from './forensics/logEngine';
export type {
  ForensicsLogLocator,
  ForensicsLogSource,
  LogForensicsEngineOptions,
} from './forensics/logEngine';
