import type { TrailEvidence } from '../types';
import {
  ageInMinutes,
  describeThresholds,
  describeWhen,
  formatMinutes,
  freshnessStatus,
} from './age';
import {
  CheckContext,
  CheckVerdict,
  details,
  fix,
  probeFailure,
  trailCommand,
  unknownVerdict,
  verdict,
} from './judging';
import { provenCanary } from './canaryCheck';

/** freshness.delivery — age of the trail's last delivery against the thresholds. */
export function judgeDeliveryFreshness(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const { status } = evidence.trail;
  const failure = probeFailure(
    "the trail's status",
    'cloudtrail:GetTrailStatus',
    status,
  );
  if (failure || !status.ok) return unknownVerdict([failure!]);
  const diagnose = (more = '') =>
    fix(
      `Look at the "Trail is logging" and "Log files are delivered without error" checks; the trail's status shows whether it logs and the last delivery error.${more}`,
      [trailCommand(evidence, 'get-trail-status')],
    );
  const notLogging = status.value.isLogging ? '' : ' The trail is not logging.';
  const delivered = status.value.latestDeliveryTime;
  const facts = details([
    ['LatestDeliveryTime', delivered],
    ['IsLogging', status.value.isLogging],
    ['Thresholds', describeThresholds(context.thresholds)],
  ]);
  if (!delivered) {
    return verdict(
      'fail',
      `CloudTrail has never delivered a log file for this trail.${notLogging}`,
      { details: facts, remediation: diagnose() },
    );
  }
  const age = ageInMinutes(delivered, context.now);
  if (age === undefined) {
    return unknownVerdict([
      { what: 'the last delivery time', unreadable: delivered },
    ]);
  }
  const judged = freshnessStatus(age, context.thresholds);
  return verdict(
    judged,
    `Last delivery ${describeWhen(delivered, context.now)}.${notLogging}`,
    {
      details: facts,
      remediation: diagnose(
        ' CloudTrail delivers about every 5 minutes; if the trail works but is idle for longer, raise dynamodbLineage.freshness in the app config.',
      ),
    },
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
  const failure = probeFailure(
    "the bucket's newest log files",
    's3:ListBucket',
    probe,
  );
  if (failure || !probe || !probe.ok) return unknownVerdict([failure!]);
  const { newestKey, newestLastModified, prefixesListed } = probe.value;
  const logFolder = `s3://${trail.s3BucketName}/${
    trail.s3KeyPrefix ? `${trail.s3KeyPrefix}/` : ''
  }AWSLogs/${
    trail.isOrganizationTrail ? '<o-org-id>/' : ''
  }${accountId}/CloudTrail/${region}/`;
  const facts = details([
    ['Newest object', newestKey],
    ['LastModified', newestLastModified],
    ['Prefixes listed', prefixesListed.join(', ') || 'none'],
    ['Thresholds', describeThresholds(context.thresholds)],
  ]);
  const remediation = fix(
    `Confirm the trail delivers this account and region's log files under ${logFolder}, and that the "Trail is logging" and "Log files are delivered without error" checks pass.`,
    [`aws s3 ls ${logFolder}${todayPath(context.now)}`],
  );
  if (!newestLastModified) {
    return verdict(
      'fail',
      'No log file arrived for this account and region today or yesterday.',
      { details: facts, remediation },
    );
  }
  const age = ageInMinutes(newestLastModified, context.now);
  if (age === undefined) {
    return unknownVerdict([
      { what: "the newest log file's time", unreadable: newestLastModified },
    ]);
  }
  return verdict(
    freshnessStatus(age, context.thresholds),
    `Newest log file for this account and region written ${describeWhen(
      newestLastModified,
      context.now,
    )}.`,
    { details: facts, remediation },
  );
}

/** `2026/12/01/`: the date folder CloudTrail delivers today's files to. */
function todayPath(now: Date): string {
  return `${now.toISOString().slice(0, 10).replace(/-/g, '/')}/`;
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
  const failure = probeFailure('the newest log files', 's3:GetObject', probe);
  if (failure || !probe || !probe.ok) return unknownVerdict([failure!]);
  const { filesRead, bytesRead, dynamodbEvents, newestEventTime } = probe.value;
  const files = `${filesRead} newest log file${filesRead === 1 ? '' : 's'}`;
  const window = formatMinutes(context.thresholds.failAfterMinutes);
  const quiet = `no DynamoDB call in the last ${window}. The tables may be quiet, or capture may be lost`;
  const facts = details([
    ['Files read', filesRead],
    ['Bytes read', bytesRead],
    ['DynamoDB data events', dynamodbEvents],
    ['Newest event time', newestEventTime],
  ]);
  const remediation = fix(
    'Look at the "DynamoDB data events are captured" check. If the trail captures DynamoDB, make one call on a table in scope and look again after the next delivery (about 5 minutes). The trail\'s event selectors say what it captures.',
    [trailCommand(evidence, 'get-event-selectors')],
  );
  // Quiet or lost: a canary call captured within the window says quiet.
  const quietVerdict = (observed: string): CheckVerdict => {
    const canary = provenCanary(evidence);
    const canaryAge = canary?.eventTime
      ? ageInMinutes(canary.eventTime, context.now)
      : undefined;
    if (
      canary?.eventTime &&
      canaryAge !== undefined &&
      canaryAge < context.thresholds.failAfterMinutes
    ) {
      return verdict(
        'pass',
        `${observed}: no DynamoDB call from the tables in the last ${window}, but the canary call made ${
          describeWhen(canary.calledAt, context.now) ?? canary.calledAt
        } was captured: capture works, the tables are quiet.`,
        { details: facts },
      );
    }
    return verdict('warn', `${observed}: ${quiet}.`, {
      details: facts,
      remediation,
    });
  };
  if (filesRead === 0) return quietVerdict('No log file was read');
  if (dynamodbEvents === 0 || !newestEventTime) {
    return quietVerdict(`The ${files} hold no DynamoDB call`);
  }
  const age = ageInMinutes(newestEventTime, context.now);
  if (age === undefined || age >= context.thresholds.failAfterMinutes) {
    return quietVerdict(
      `The newest DynamoDB call in the ${files} was ${
        describeWhen(newestEventTime, context.now) ?? newestEventTime
      }`,
    );
  }
  return verdict(
    'pass',
    `The ${files} hold ${dynamodbEvents} DynamoDB call${
      dynamodbEvents === 1 ? '' : 's'
    }, the newest ${describeWhen(newestEventTime, context.now)}.`,
    { details: facts },
  );
}
