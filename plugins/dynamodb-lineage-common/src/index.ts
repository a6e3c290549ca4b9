/**
 * Types, catalog vocabulary, permissions and pure health logic shared by the
 * DynamoDB lineage plugins (browser and node alike).
 *
 * @packageDocumentation
 */

export * from './types';
export * from './annotations';
export * from './permissions';
export * from './operations';
export * from './coverage';
export * from './bucketPolicy';
export * from './kmsKeyPolicy';
export { CHECK_DEFINITIONS, CHECK_ORDER } from './checks/definitions';
export type {
  CheckContext,
  CheckDefinition,
  HealthCheck,
} from './checks/definitions';
export { ageInMinutes, formatMinutes } from './checks/age';
export * from './checks/trailChecks';
export * from './checks/coverageCheck';
export * from './checks/bucketChecks';
export * from './checks/freshnessChecks';
export * from './checks/runChecks';
export * from './status';
export * from './validation';
export * from './cost';
export * from './canary';
