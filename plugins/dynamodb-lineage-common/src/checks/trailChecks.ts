import { kmsKeyProblems } from '../kmsKeyPolicy';
import type { TrailEvidence } from '../types';
import { describeWhen } from './age';
import {
  arnPartition,
  CheckContext,
  CheckVerdict,
  details,
  fix,
  probeFailure,
  trailCommand,
  trailOwnerNote,
  unknownVerdict,
  verdict,
} from './judging';

const TRAIL_STATUS = "the trail's status";

/** trail.logging — the trail records events. */
export function judgeTrailLogging(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const { trail, status } = evidence.trail;
  const failure = probeFailure(
    TRAIL_STATUS,
    'cloudtrail:GetTrailStatus',
    status,
  );
  if (failure || !status.ok) return unknownVerdict([failure!]);
  const { isLogging, startLoggingTime, stopLoggingTime } = status.value;
  const facts = details([
    ['IsLogging', isLogging],
    ['StartLoggingTime', startLoggingTime],
    ['StopLoggingTime', stopLoggingTime],
  ]);
  if (isLogging) {
    const since =
      startLoggingTime && describeWhen(startLoggingTime, context.now);
    return verdict(
      'pass',
      `The trail is logging${since ? `; it started ${since}` : ''}.`,
      { details: facts },
    );
  }
  const stopped = stopLoggingTime && describeWhen(stopLoggingTime, context.now);
  return verdict(
    'fail',
    `The trail is not logging${
      stopped ? `: it stopped ${stopped}` : ''
    }. No event is recorded.`,
    {
      details: facts,
      remediation: fix(
        `Start logging, or in the CloudTrail console open Trails → ${
          trail.name
        } → Start logging.${trailOwnerNote(evidence)}`,
        [trailCommand(evidence, 'start-logging')],
      ),
    },
  );
}

function deliveryFix(evidence: TrailEvidence, error: string) {
  const { trail } = evidence.trail;
  if (/NoSuchBucket/i.test(error)) {
    return fix(
      `The bucket ${
        trail.s3BucketName
      } is gone. Recreate it and give it the CloudTrail bucket policy (the bucket policy check shows the statements), or point the trail at another bucket.${trailOwnerNote(
        evidence,
      )}`,
      [
        `aws s3api create-bucket --bucket ${trail.s3BucketName} --region ${trail.homeRegion}`,
        trailCommand(evidence, 'update-trail', '--s3-bucket-name <bucket>'),
      ],
    );
  }
  if (/KMS|kms/.test(error)) {
    return fix(
      `Let CloudTrail encrypt with the trail's KMS key (the KMS check shows the key policy statement to add), or stop encrypting with it.${trailOwnerNote(
        evidence,
      )}`,
      [trailCommand(evidence, 'update-trail', '--kms-key-id ""')],
    );
  }
  return fix(
    `Restore the bucket policy of ${trail.s3BucketName} so CloudTrail may write its log files (the bucket policy check shows the statements), then look at the trail's status until the error clears.`,
    [trailCommand(evidence, 'get-trail-status')],
  );
}

/** trail.delivery — the last delivery attempt did not fail. */
export function judgeTrailDelivery(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const { status } = evidence.trail;
  const failure = probeFailure(
    TRAIL_STATUS,
    'cloudtrail:GetTrailStatus',
    status,
  );
  if (failure || !status.ok) return unknownVerdict([failure!]);
  const { latestDeliveryError: error, latestDeliveryTime } = status.value;
  const when =
    latestDeliveryTime && describeWhen(latestDeliveryTime, context.now);
  const lastSuccess = when
    ? `the last successful delivery was ${when}`
    : 'no delivery has succeeded yet';
  const facts = details([
    ['LatestDeliveryError', error],
    ['LatestDeliveryTime', latestDeliveryTime],
  ]);
  if (error) {
    return verdict(
      'fail',
      `CloudTrail could not deliver the last log file (${error}); ${lastSuccess}.`,
      { details: facts, remediation: deliveryFix(evidence, error) },
    );
  }
  return verdict(
    'pass',
    `The last delivery succeeded${when ? ` ${when}` : ''}.`,
    { details: facts },
  );
}

/** trail.multi-region — a multi-region trail, or a trail in the region in scope. */
export function judgeMultiRegion(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const { trail } = evidence.trail;
  const facts = details([
    ['IsMultiRegionTrail', trail.isMultiRegionTrail],
    ['IncludeGlobalServiceEvents', trail.includeGlobalServiceEvents],
    ['HomeRegion', trail.homeRegion],
  ]);
  if (trail.isMultiRegionTrail) {
    return verdict(
      'pass',
      `The trail logs every region, so tables in any region are covered.`,
      { details: facts },
    );
  }
  const makeMultiRegion = trailCommand(
    evidence,
    'update-trail',
    '--is-multi-region-trail --include-global-service-events',
  );
  if (trail.homeRegion === context.scope.region) {
    return verdict(
      'pass',
      `The trail logs only its own region, ${trail.homeRegion}, which is the region checked here; tables in other regions need a trail of their own.`,
      { details: facts },
    );
  }
  return verdict(
    'fail',
    `The trail logs only ${trail.homeRegion}, not ${context.scope.region}.`,
    {
      details: facts,
      remediation: fix(
        `Make the trail log every region, or create a trail in ${
          context.scope.region
        }.${trailOwnerNote(evidence)}`,
        [makeMultiRegion],
      ),
    },
  );
}

/** trail.log-file-validation — digest files prove integrity (CIS 3.2). */
export function judgeLogFileValidation(evidence: TrailEvidence): CheckVerdict {
  const { trail } = evidence.trail;
  const facts = details([
    ['LogFileValidationEnabled', trail.logFileValidationEnabled],
  ]);
  if (trail.logFileValidationEnabled) {
    return verdict(
      'pass',
      'CloudTrail delivers an hourly digest file, so changes to delivered log files can be detected.',
      { details: facts },
    );
  }
  return verdict(
    'fail',
    'Log file validation is off: changes to delivered log files cannot be detected.',
    {
      details: facts,
      remediation: fix(
        `Turn on log file validation, or in the CloudTrail console open Trails → ${
          trail.name
        } → General details → Edit → Log file validation.${trailOwnerNote(
          evidence,
        )}`,
        [
          trailCommand(
            evidence,
            'update-trail',
            '--enable-log-file-validation',
          ),
        ],
      ),
    },
  );
}

/**
 * trail.kms — SSE-KMS on log files (warn otherwise, CIS 3.5), with a key
 * CloudTrail can still use: it exists, is Enabled and symmetric, and its
 * policy lets CloudTrail encrypt for this trail. Otherwise CloudTrail stops
 * delivering, so the check fails; a key or policy AWS would not show is
 * `unknown`, never a pass.
 */
export function judgeKms(evidence: TrailEvidence): CheckVerdict {
  const { trail } = evidence.trail;
  if (trail.kmsKeyId) {
    const described = evidence.kmsKey;
    const failure = probeFailure(
      "the trail's KMS key",
      'kms:DescribeKey',
      described,
    );
    if (failure || !described?.ok) {
      return unknownVerdict(
        [failure!],
        fix(
          "Allow the Backstage role kms:DescribeKey and kms:GetKeyPolicy on the trail's key (in the key policy or in IAM, as the key policy allows); the check runs again on the next refresh.",
        ),
      );
    }
    const key = described.value;
    const target = {
      partition: arnPartition(trail.arn),
      accountId: trail.accountId,
      trailArn: trail.arn,
    };
    const facts = details([
      ['KmsKeyId', trail.kmsKeyId],
      ['Key ARN', key.arn],
      ['KeyState', key.keyState],
      ['DeletionDate', key.deletionDate],
      ['KeySpec', key.keySpec],
      ['KeyUsage', key.keyUsage],
    ]);
    const problems = kmsKeyProblems(key, target);
    if (problems.length) {
      const statement = problems.find(p => p.statement)?.statement;
      const commands = problems
        .map(p => p.command)
        .filter((c): c is string => Boolean(c));
      return verdict(
        'fail',
        `CloudTrail cannot encrypt the log files, so none are delivered: ${problems
          .map(p => p.problem)
          .join('; ')}.`,
        {
          details: facts,
          remediation: fix(
            `${problems
              .map(p => p.fix)
              .join(' ')} Or encrypt with another key.${trailOwnerNote(
              evidence,
            )}`,
            [
              ...commands,
              ...(statement
                ? [
                    `aws kms get-key-policy --key-id ${
                      key.arn ?? trail.kmsKeyId
                    } --policy-name default --output text > key-policy.json`,
                    `aws kms put-key-policy --key-id ${
                      key.arn ?? trail.kmsKeyId
                    } --policy-name default --policy file://key-policy.json`,
                  ]
                : []),
              trailCommand(evidence, 'update-trail', '--kms-key-id <key-arn>'),
            ],
            statement,
          ),
        },
      );
    }
    const policyFailure = probeFailure(
      "the KMS key's policy",
      'kms:GetKeyPolicy',
      key.policy,
    );
    if (policyFailure) {
      return unknownVerdict(
        [policyFailure],
        fix(
          "Allow the Backstage role kms:GetKeyPolicy on the trail's key; the check runs again on the next refresh.",
        ),
      );
    }
    return verdict(
      'pass',
      'Log files are encrypted with a KMS key that is enabled, symmetric, and lets CloudTrail encrypt for this trail.',
      { details: facts },
    );
  }
  const bucketEncryption = evidence.bucket?.encryption;
  const algorithm =
    bucketEncryption?.ok && bucketEncryption.value
      ? bucketEncryption.value.algorithm
      : undefined;
  return verdict(
    'warn',
    'Log files are encrypted only with keys S3 manages, not with a KMS key your account controls.',
    {
      details: details([
        ['KmsKeyId', 'not set'],
        ['Bucket default encryption', algorithm],
      ]),
      remediation: fix(
        `Encrypt with a customer managed KMS key whose policy lets CloudTrail encrypt for this trail.${trailOwnerNote(
          evidence,
        )}`,
        [trailCommand(evidence, 'update-trail', '--kms-key-id <key-arn>')],
      ),
    },
  );
}

const INSIGHT_WORDS: Record<string, string> = {
  ApiCallRateInsight: 'call rates',
  ApiErrorRateInsight: 'error rates',
};

/** trail.insights — information only: never degrades the status. */
export function judgeInsights(evidence: TrailEvidence): CheckVerdict {
  const { insightTypes } = evidence.trail;
  const failure = probeFailure(
    "the trail's Insights settings",
    'cloudtrail:GetInsightSelectors',
    insightTypes,
  );
  if (failure || !insightTypes.ok) return unknownVerdict([failure!]);
  if (insightTypes.value.length === 0) {
    return verdict(
      'pass',
      'Insights are off. They are optional and priced per management event analysed.',
    );
  }
  return verdict(
    'pass',
    `Insights watch for unusual ${insightTypes.value
      .map(type => INSIGHT_WORDS[type] ?? type)
      .join(' and ')}.`,
    { details: details([['InsightTypes', insightTypes.value.join(', ')]]) },
  );
}
