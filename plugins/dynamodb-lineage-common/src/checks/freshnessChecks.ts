import type { HealthCheckResult, TrailEvidence } from '../types';
import {
  ageInMinutes,
  describeThresholds,
  formatMinutes,
  freshnessStatus,
} from './age';
import {
  CheckContext,
  checkResult,
  probeFailure,
  trailCommand,
  unknownResult,
} from './definitions';

/** freshness.delivery — age of `LatestDeliveryTime` against the thresholds. */
export function checkDeliveryFreshness(
  evidence: TrailEvidence,
  context: CheckContext,
): HealthCheckResult {
  const id = 'freshness.delivery';
  const { trail, status } = evidence.trail;
  const failure = probeFailure('GetTrailStatus', status);
  if (failure || !status.ok) return unknownResult(id, [failure!]);
  const diagnose = `Check the trail.logging and trail.delivery results; \`aws cloudtrail get-trail-status --name ${trail.arn} --region ${trail.homeRegion}\` shows IsLogging and LatestDeliveryError.`;
  const notLogging = status.value.isLogging ? '' : ' The trail is not logging.';
  const delivered = status.value.latestDeliveryTime;
  if (!delivered) {
    return checkResult(
      id,
      'fail',
      `CloudTrail has never delivered a log file for ${trail.name} (no LatestDeliveryTime).${notLogging}`,
      diagnose,
    );
  }
  const age = ageInMinutes(delivered, context.now);
  if (age === undefined) {
    return unknownResult(id, [
      `LatestDeliveryTime "${delivered}" is not a timestamp`,
    ]);
  }
  const verdict = freshnessStatus(age, context.thresholds);
  return checkResult(
    id,
    verdict,
    `LatestDeliveryTime ${delivered} is ${formatMinutes(
      age,
    )} old (${describeThresholds(context.thresholds)}).${notLogging}`,
    verdict === 'pass'
      ? undefined
      : `${diagnose} CloudTrail delivers about every 5 minutes; if the trail is healthy but idle for longer, raise dynamodbLineage.freshness.`,
  );
}

/** freshness.objects — the newest object under today's/yesterday's date prefix is recent. */
export function checkObjectFreshness(
  evidence: TrailEvidence,
  context: CheckContext,
): HealthCheckResult {
  const id = 'freshness.objects';
  const { trail } = evidence.trail;
  const probe = evidence.signals?.logObjects;
  const failure = probeFailure('ListObjectsV2 on the date prefixes', probe);
  if (failure || !probe || !probe.ok) return unknownResult(id, [failure!]);
  const listed = probe.value.prefixesListed.length
    ? probe.value.prefixesListed.join(', ')
    : '(none)';
  const remediation = `Confirm the trail delivers to s3://${
    trail.s3BucketName
  }/${trail.s3KeyPrefix ? `${trail.s3KeyPrefix}/` : ''}AWSLogs/${
    trail.accountId
  }/CloudTrail/${
    trail.homeRegion
  }/ (\`aws s3 ls\` on today's date prefix), and that trail.logging and trail.delivery pass.`;
  const { newestKey, newestLastModified } = probe.value;
  if (!newestLastModified) {
    return checkResult(
      id,
      'fail',
      `No log object under today's or yesterday's prefix of ${trail.homeRegion} (listed: ${listed}).`,
      remediation,
    );
  }
  const age = ageInMinutes(newestLastModified, context.now);
  if (age === undefined) {
    return unknownResult(id, [
      `LastModified "${newestLastModified}" is not a timestamp`,
    ]);
  }
  const verdict = freshnessStatus(age, context.thresholds);
  return checkResult(
    id,
    verdict,
    `Newest log object ${
      newestKey ?? '(key unknown)'
    } was written ${newestLastModified}, ${formatMinutes(
      age,
    )} ago (${describeThresholds(context.thresholds)}; listed: ${listed}).`,
    remediation,
  );
}

/** freshness.dynamodb-events — the newest log files actually hold DynamoDB data events. */
export function checkDynamoDbEventsFlowing(
  evidence: TrailEvidence,
): HealthCheckResult {
  const id = 'freshness.dynamodb-events';
  const probe = evidence.signals?.dynamodbEvents;
  const failure = probeFailure('Reading the newest log files', probe);
  if (failure || !probe || !probe.ok) return unknownResult(id, [failure!]);
  const { filesRead, bytesRead, dynamodbEvents, newestEventTime } = probe.value;
  const read = `${filesRead} newest log file(s) (${bytesRead} bytes)`;
  const remediation = `Check trail.dynamodb-coverage; if the selectors capture DynamoDB, make one call (\`aws dynamodb get-item\` on a table in scope) and look again after the next delivery (about 5 minutes). ${trailCommand(
    evidence,
    'get-event-selectors',
  )} shows the selectors.`;
  if (filesRead === 0) {
    return checkResult(
      id,
      'warn',
      'No log file was read, so no DynamoDB data event could be seen.',
      remediation,
    );
  }
  if (dynamodbEvents === 0) {
    return checkResult(
      id,
      'warn',
      `The ${read} hold no DynamoDB data event: the selectors drop them or the tables had no traffic.`,
      remediation,
    );
  }
  return checkResult(
    id,
    'pass',
    `The ${read} hold ${dynamodbEvents} DynamoDB data event(s)${
      newestEventTime ? `, the newest at ${newestEventTime}` : ''
    }.`,
  );
}
