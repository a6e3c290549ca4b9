import {
  cloudTrailKeyPolicyStatement,
  cloudTrailMayEncrypt,
  kmsKeyProblems,
} from '../kmsKeyPolicy';
import type { TrailEvidence } from '../types';
import {
  arnPartition,
  CheckContext,
  CheckVerdict,
  probeFailure,
  trailCommand,
  unknownVerdict,
  verdict,
} from './judging';

/** trail.logging — the trail records events (`IsLogging`). */
export function judgeTrailLogging(evidence: TrailEvidence): CheckVerdict {
  const { trail, status } = evidence.trail;
  const failure = probeFailure('GetTrailStatus', status);
  if (failure || !status.ok) return unknownVerdict([failure!]);
  if (status.value.isLogging) {
    const since = status.value.startLoggingTime
      ? ` since ${status.value.startLoggingTime}`
      : '';
    return verdict('pass', `IsLogging is true for ${trail.name}${since}.`);
  }
  const stopped = status.value.stopLoggingTime
    ? ` (logging stopped at ${status.value.stopLoggingTime})`
    : '';
  return verdict(
    'fail',
    `IsLogging is false for ${trail.name}${stopped}: no event is recorded.`,
    `Start logging: ${trailCommand(
      evidence,
      'start-logging',
    )}, or in the CloudTrail console open Trails → ${
      trail.name
    } → Start logging.`,
  );
}

function deliveryRemediation(evidence: TrailEvidence, error: string): string {
  const { trail } = evidence.trail;
  if (/NoSuchBucket/i.test(error)) {
    return `The bucket ${
      trail.s3BucketName
    } is gone. Recreate it with the CloudTrail bucket policy (\`aws s3api create-bucket --bucket ${
      trail.s3BucketName
    }\`, then \`aws s3api put-bucket-policy\`), or point the trail at another bucket: ${trailCommand(
      evidence,
      'update-trail',
      '--s3-bucket-name <bucket>',
    )}.`;
  }
  if (/KMS|kms/.test(error)) {
    return `Let CloudTrail use the key ${
      trail.kmsKeyId ?? '(KmsKeyId)'
    }: its key policy must allow cloudtrail.amazonaws.com kms:GenerateDataKey* with aws:SourceArn = ${
      trail.arn
    }; or remove the key with ${trailCommand(
      evidence,
      'update-trail',
      '--kms-key-id ""',
    )}.`;
  }
  return `Restore the bucket policy of ${
    trail.s3BucketName
  } so cloudtrail.amazonaws.com may s3:GetBucketAcl on the bucket and s3:PutObject under ${
    trail.s3KeyPrefix ? `${trail.s3KeyPrefix}/` : ''
  }AWSLogs/${
    trail.accountId
  }/ (see the bucket.policy check for the exact statements), then watch \`aws cloudtrail get-trail-status --name ${
    trail.arn
  } --region ${trail.homeRegion}\` until LatestDeliveryError clears.`;
}

/** trail.delivery — the last delivery attempt did not fail. */
export function judgeTrailDelivery(evidence: TrailEvidence): CheckVerdict {
  const { status } = evidence.trail;
  const failure = probeFailure('GetTrailStatus', status);
  if (failure || !status.ok) return unknownVerdict([failure!]);
  const error = status.value.latestDeliveryError;
  const lastSuccess = status.value.latestDeliveryTime
    ? `last successful delivery ${status.value.latestDeliveryTime}`
    : 'no successful delivery yet';
  if (error) {
    return verdict(
      'fail',
      `LatestDeliveryError is "${error}" (${lastSuccess}).`,
      deliveryRemediation(evidence, error),
    );
  }
  return verdict('pass', `No LatestDeliveryError (${lastSuccess}).`);
}

/** trail.multi-region — a multi-region trail, or a trail in the region in scope. */
export function judgeMultiRegion(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const { trail } = evidence.trail;
  const globalEvents = trail.includeGlobalServiceEvents
    ? 'with global service events'
    : 'without global service events';
  if (trail.isMultiRegionTrail) {
    return verdict(
      'pass',
      `IsMultiRegionTrail is true (home region ${trail.homeRegion}, ${globalEvents}): tables in every region are covered.`,
    );
  }
  const fix = `Make it multi-region: ${trailCommand(
    evidence,
    'update-trail',
    '--is-multi-region-trail --include-global-service-events',
  )}.`;
  if (trail.homeRegion === context.scope.region) {
    return verdict(
      'pass',
      `IsMultiRegionTrail is false, but the trail lives in ${trail.homeRegion}, the region in scope; tables in other regions need a trail of their own.`,
      fix,
    );
  }
  return verdict(
    'fail',
    `IsMultiRegionTrail is false: the trail logs only ${trail.homeRegion}, not ${context.scope.region}.`,
    `${fix} Or create a trail in ${context.scope.region}.`,
  );
}

/** trail.log-file-validation — digest files prove integrity (CIS 3.2). */
export function judgeLogFileValidation(evidence: TrailEvidence): CheckVerdict {
  const { trail } = evidence.trail;
  if (trail.logFileValidationEnabled) {
    return verdict(
      'pass',
      'LogFileValidationEnabled is true: hourly digest files are delivered under CloudTrail-Digest/.',
    );
  }
  return verdict(
    'fail',
    `LogFileValidationEnabled is false for ${trail.name}: tampering with delivered log files cannot be detected.`,
    `Enable it: ${trailCommand(
      evidence,
      'update-trail',
      '--enable-log-file-validation',
    )}, or in the console: Trails → ${
      trail.name
    } → General details → Edit → Log file validation: Enabled.`,
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
    const failure = probeFailure('kms:DescribeKey', described);
    if (failure || !described?.ok) {
      return unknownVerdict(
        [failure!],
        `Grant the Backstage role kms:DescribeKey and kms:GetKeyPolicy on ${trail.kmsKeyId} (in the key policy or IAM, as the key policy allows); the check is re-run on the next refresh.`,
      );
    }
    const key = described.value;
    const target = {
      partition: arnPartition(trail.arn),
      accountId: trail.accountId,
      trailArn: trail.arn,
    };
    const problems = kmsKeyProblems(key, target);
    if (problems.length) {
      const policyMissing =
        key.policy?.ok === true &&
        !cloudTrailMayEncrypt(key.policy.value, { ...target, keyArn: key.arn });
      return verdict(
        'fail',
        `CloudTrail cannot encrypt ${
          trail.name
        }'s log files, so none are delivered: ${problems.join('; ')}.`,
        policyMissing
          ? `Add this statement to the key policy (\`aws kms get-key-policy --key-id ${
              key.arn
            } --policy-name default\`, edit, then \`aws kms put-key-policy\`): ${JSON.stringify(
              cloudTrailKeyPolicyStatement(target),
            )}`
          : `Fix the key as said above, or encrypt with another key: ${trailCommand(
              evidence,
              'update-trail',
              '--kms-key-id <key-arn>',
            )}.`,
      );
    }
    const policyFailure = probeFailure('kms:GetKeyPolicy', key.policy);
    if (policyFailure) {
      return unknownVerdict(
        [policyFailure],
        `Grant the Backstage role kms:GetKeyPolicy on ${
          key.arn ?? trail.kmsKeyId
        }; the check is re-run on the next refresh.`,
      );
    }
    return verdict(
      'pass',
      `Log files are encrypted with SSE-KMS key ${
        key.arn ?? trail.kmsKeyId
      }: Enabled, symmetric, and its policy lets CloudTrail encrypt for ${
        trail.arn
      }.`,
    );
  }
  const bucketEncryption = evidence.bucket?.encryption;
  const bucketDefault =
    bucketEncryption?.ok && bucketEncryption.value
      ? ` The bucket's default encryption is ${bucketEncryption.value.algorithm}.`
      : '';
  return verdict(
    'warn',
    `KmsKeyId is not set: log files use SSE-S3 only.${bucketDefault}`,
    `Encrypt with a customer managed key whose policy lets cloudtrail.amazonaws.com use kms:GenerateDataKey* for ${
      trail.arn
    }: ${trailCommand(evidence, 'update-trail', '--kms-key-id <key-arn>')}.`,
  );
}

/** trail.insights — information only: never degrades the status. */
export function judgeInsights(evidence: TrailEvidence): CheckVerdict {
  const { insightTypes } = evidence.trail;
  const failure = probeFailure('GetInsightSelectors', insightTypes);
  if (failure || !insightTypes.ok) return unknownVerdict([failure!]);
  if (insightTypes.value.length === 0) {
    return verdict(
      'pass',
      'Insights are off (optional; priced per management events analysed). Enable with put-insight-selectors (ApiCallRateInsight, ApiErrorRateInsight) if wanted.',
    );
  }
  return verdict('pass', `Insights are on: ${insightTypes.value.join(', ')}.`);
}
