/**
 * Dev-only emulator of the AWS APIs DynamoDB lineage tracking uses
 * (CloudTrail, S3, STS, DynamoDB), for tests, the dev app and benchmarks.
 *
 * @packageDocumentation
 */

export { startEmulator } from './emulator';
export { awsCliVersion, runAwsCli } from './awsCliRunner';
export type {
  EmulatorAthena,
  EmulatorCalls,
  EmulatorClock,
  EmulatorFaults,
  EmulatorOptions,
  ObjectToLoad,
  RunningEmulator,
} from './emulator';
export type { CallFilter, CallRecord } from './callLog';
export { evaluateIdentityPolicy, evaluateTrustPolicy } from './policy';
export type {
  IdentityPolicyDecision,
  PolicyDecision,
  PolicyRequest,
} from './policy';
export type { DeliveryReport } from './delivery';
export type { FaultConfig } from './faults';
export type { SeedName } from './seed';
export type { AccountSummary, EmulatorState } from './state';
export type { CloudTrailRecord, EventResource } from './events/record';
export type { Organization } from './world';
