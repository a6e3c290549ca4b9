/**
 * Types, catalog vocabulary, permissions and pure health logic shared by the
 * DynamoDB lineage plugins (browser and node alike).
 *
 * @packageDocumentation
 */

export * from './types';
export * from './annotations';
export * from './lineageTarget';
export * from './lineageGraph';
export * from './permissions';
export * from './operations';
export * from './coverage';
export * from './bucketPolicy';
export * from './kmsKeyPolicy';
export {
  HEALTH_CHECKS,
  CHECK_DEFINITIONS,
  CHECK_ORDER,
  checkResult,
  isCheckId,
  runCheck,
} from './checks/definitions';
export type { CheckDefinition } from './checks/definitions';
export type {
  CheckContext,
  CheckVerdict,
  EvidenceJudge,
} from './checks/judging';
export { ageInMinutes, formatMinutes } from './checks/age';
export * from './checks/runChecks';
export * from './status';
export * from './validation';
export * from './spec';
export * from './cost';
export * from './costForecast';
export * from './canary';
export * from './forensics';
