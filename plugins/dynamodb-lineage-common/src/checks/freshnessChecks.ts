import type { TrailEvidence } from '../types';
import {
  ageInMinutes,
  describeThresholds,
  formatMinutes,
  freshnessStatus,
} from './age';
import {
  CheckContext,
  CheckVerdict,
  probeFailure,
  trailCommand,
  unknownVerdict,
  verdict,
} from './judging';
import { provenCanary } from './canaryCheck';

/** freshness.delivery — age of `LatestDeliveryTime` against the thresholds. */
export function judgeDeliveryFreshness(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const { trail, status } = evidence.trail;
  const failure = probeFailure('GetTrailStatus', status);
  if (failure || !status.ok) return unknownVerdict([failure!]);
  const diagnose = `Check the trail.logging and trail.delivery results; \`aws cloudtrail get-trail-status --name ${trail.arn} --region ${trail.homeRegion}\` shows IsLogging and LatestDeliveryError.`;
  const notLogging = status.value.isLogging ? '' : ' The trail is not logging.';
  const delivered = status.value.latestDeliveryTime;
  if (!delivered) {
    return verdict(
      'fail',
      `CloudTrail has never delivered a log file for ${trail.name} (no LatestDeliveryTime).${notLogging}`,
      diagnose,
    );
  }
  const age = ageInMinutes(delivered, context.now);
  if (age === undefined) {
    return unknownVerdict([
      `LatestDeliveryTime "${delivered}" is not a timestamp`,
    ]);
  }
  const judged = freshnessStatus(age, context.thresholds);
  return verdict(
    judged,
    `LatestDeliveryTime ${delivered} is ${formatMinutes(
      age,
    )} old (${describeThresholds(context.thresholds)}).${notLogging}`,
    judged === 'pass'
      ? undefined
      : `${diagnose} CloudTrail delivers about every 5 minutes; if the trail is healthy but idle for longer, raise dynamodbLineage.freshness.`,
  );
}

/**
 * freshness.objects — the newest object under today's/yesterday's date prefix
 * of the account-region being judged is recent. A multi-region or
 * organization trail delivers each account-region under its own prefix, so
 * this is the evidence that this account-region still delivers.
 */
export function judgeObjectFreshness(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const { trail } = evidence.trail;
  const { accountId, region } = context.scope;
  const probe = evidence.signals?.logObjects;
  const failure = probeFailure('ListObjectsV2 on the date prefixes', probe);
  if (failure || !probe || !probe.ok) return unknownVerdict([failure!]);
  const listed = probe.value.prefixesListed.length
    ? probe.value.prefixesListed.join(', ')
    : '(none)';
  const remediation = `Confirm the trail delivers to s3://${
    trail.s3BucketName
  }/${trail.s3KeyPrefix ? `${trail.s3KeyPrefix}/` : ''}AWSLogs/${
    trail.isOrganizationTrail ? '<o-org-id>/' : ''
  }${accountId}/CloudTrail/${region}/ (\`aws s3 ls\` on today's date prefix), and that trail.logging and trail.delivery pass.`;
  const { newestKey, newestLastModified } = probe.value;
  if (!newestLastModified) {
    return verdict(
      'fail',
      `No log object under today's or yesterday's prefix of ${accountId}/${region} (listed: ${listed}).`,
      remediation,
    );
  }
  const age = ageInMinutes(newestLastModified, context.now);
  if (age === undefined) {
    return unknownVerdict([
      `LastModified "${newestLastModified}" is not a timestamp`,
    ]);
  }
  const judged = freshnessStatus(age, context.thresholds);
  return verdict(
    judged,
    `Newest log object ${
      newestKey ?? '(key unknown)'
    } was written ${newestLastModified}, ${formatMinutes(
      age,
    )} ago (${describeThresholds(context.thresholds)}; listed: ${listed}).`,
    remediation,
  );
}

/**
 * freshness.dynamodb-events — the newest log files of the account-region hold
 * a DynamoDB data event younger than the fail threshold. Older or none warns:
 * the tables may be quiet, or capture may be lost; only a canary call found in
 * the logs tells the two apart.
 */
export function judgeDynamoDbEventsFlowing(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const probe = evidence.signals?.dynamodbEvents;
  const failure = probeFailure('Reading the newest log files', probe);
  if (failure || !probe || !probe.ok) return unknownVerdict([failure!]);
  const { filesRead, bytesRead, dynamodbEvents, newestEventTime } = probe.value;
  const read = `${filesRead} newest log file(s) of ${context.scope.accountId}/${context.scope.region} (${bytesRead} bytes)`;
  const window = formatMinutes(context.thresholds.failAfterMinutes);
  const quiet = `no DynamoDB data event in ${window} — quiet tables or lost capture; the canary tells which`;
  const remediation = `Check trail.dynamodb-coverage; if the selectors capture DynamoDB, make one call (\`aws dynamodb get-item\` on a table in scope) and look again after the next delivery (about 5 minutes). ${trailCommand(
    evidence,
    'get-event-selectors',
  )} shows the selectors.`;
  const quietVerdict = (observed: string): CheckVerdict => {
    const canary = provenCanary(evidence);
    const canaryAge = canary?.eventTime
      ? ageInMinutes(canary.eventTime, context.now)
      : undefined;
    if (
      canary &&
      canaryAge !== undefined &&
      canaryAge < context.thresholds.failAfterMinutes
    ) {
      return verdict(
        'pass',
        `${observed}: no DynamoDB data event from the tables in ${window}, but the canary call of ${
          canary.calledAt
        } was captured (event ${canary.eventTime}, ${formatMinutes(
          canaryAge,
        )} ago): capture works, the tables are quiet.`,
      );
    }
    return verdict('warn', `${observed}: ${quiet}.`, remediation);
  };
  if (filesRead === 0) return quietVerdict('No log file was read');
  if (dynamodbEvents === 0 || !newestEventTime) {
    return quietVerdict(`The ${read} hold no DynamoDB data event`);
  }
  const age = ageInMinutes(newestEventTime, context.now);
  if (age === undefined || age >= context.thresholds.failAfterMinutes) {
    return quietVerdict(
      `The newest DynamoDB data event in the ${read} is from ${newestEventTime}`,
    );
  }
  return verdict(
    'pass',
    `The ${read} hold ${dynamodbEvents} DynamoDB data event(s), the newest at ${newestEventTime} (${formatMinutes(
      age,
    )} ago).`,
  );
}
