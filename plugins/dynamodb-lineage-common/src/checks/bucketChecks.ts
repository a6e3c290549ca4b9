import {
  analyzeCloudTrailBucketPolicy,
  CloudTrailBucketTarget,
  cloudTrailBucketPolicyStatements,
  logKeyPrefixOf,
  isPublicStatement,
  statementLabel,
} from '../bucketPolicy';
import type {
  BucketState,
  LifecycleRule,
  Probe,
  PublicAccessBlock,
  TrailEvidence,
} from '../types';
import {
  arnPartition,
  CheckVerdict,
  probeFailure,
  unknownVerdict,
  verdict,
} from './judging';

/**
 * The answer shared by every bucket check when there is no bucket to judge:
 * not inspected or unanswered → unknown; missing → fail (CloudTrail cannot
 * deliver, and anyone may claim the name).
 */
function bucketGate(
  evidence: TrailEvidence,
): { result: CheckVerdict } | { bucket: BucketState } {
  const name = evidence.trail.trail.s3BucketName;
  const bucket = evidence.bucket;
  if (!bucket) {
    return { result: unknownVerdict([`bucket ${name} was not inspected`]) };
  }
  const failure = probeFailure(`HeadBucket ${name}`, bucket.exists);
  if (failure || !bucket.exists.ok)
    return { result: unknownVerdict([failure!]) };
  if (!bucket.exists.value) {
    return {
      result: verdict(
        'fail',
        `Bucket ${name} does not exist: CloudTrail cannot deliver, and any AWS account could create a bucket with this name and receive the logs.`,
        `Create it in the trail owner's account (\`aws s3api create-bucket --bucket ${name} --region <region>\`) with the CloudTrail bucket policy, or point the trail at an existing bucket with \`aws cloudtrail update-trail --name ${evidence.trail.trail.name} --s3-bucket-name <bucket> --region ${evidence.trail.trail.homeRegion}\`.`,
      ),
    };
  }
  return { bucket };
}

function targetOf(evidence: TrailEvidence): CloudTrailBucketTarget {
  const { trail } = evidence.trail;
  return {
    bucket: trail.s3BucketName,
    partition: arnPartition(trail.arn),
    accountId: trail.accountId,
    trailArn: trail.arn,
    keyPrefix: trail.s3KeyPrefix,
  };
}

const BPA_FLAGS: (keyof PublicAccessBlock)[] = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
];

/**
 * bucket.public-access — all four Block Public Access flags and no policy
 * statement open to everyone. A definite finding from the probes that
 * answered is reported as `fail`; otherwise an unanswered probe gives
 * `unknown`.
 */
export function judgeBucketPublicAccess(evidence: TrailEvidence): CheckVerdict {
  const gate = bucketGate(evidence);
  if ('result' in gate) return gate.result;
  const { bucket } = gate;
  const probes: [string, Probe<unknown>][] = [
    ['GetPublicAccessBlock', bucket.publicAccessBlock],
    ['GetBucketPolicy', bucket.policy],
  ];
  const failures = probes
    .map(([question, probe]) => probeFailure(question, probe))
    .filter((f): f is string => Boolean(f));

  const findings: string[] = [];
  const block = bucket.publicAccessBlock;
  if (block.ok) {
    if (!block.value) {
      findings.push('no Block Public Access configuration on the bucket');
    } else {
      const off = BPA_FLAGS.filter(flag => !block.value![flag]);
      if (off.length)
        findings.push(`Block Public Access flags off: ${off.join(', ')}`);
    }
  }
  const policy = bucket.policy;
  if (policy.ok && policy.value) {
    const open = policy.value.Statement.map((s, i) =>
      isPublicStatement(s) ? statementLabel(s, i) : undefined,
    ).filter(Boolean);
    if (open.length) {
      findings.push(
        `policy statement(s) ${open.join(
          ', ',
        )} allow Principal "*" without a condition on the caller`,
      );
    }
  }
  const ownership =
    bucket.ownership.ok && bucket.ownership.value
      ? ` Object ownership: ${bucket.ownership.value}.`
      : '';

  if (findings.length) {
    const unanswered = failures.length ? ` (${failures.join('; ')})` : '';
    return verdict(
      'fail',
      `Bucket ${bucket.name}: ${findings.join('; ')}.${ownership}${unanswered}`,
      `Turn on all four flags: \`aws s3api put-public-access-block --bucket ${bucket.name} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true\`, remove public statements from the bucket policy, and set \`aws s3api put-bucket-ownership-controls --bucket ${bucket.name} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'\`.`,
    );
  }
  if (failures.length) return unknownVerdict(failures);
  return verdict(
    'pass',
    `Bucket ${bucket.name}: all four Block Public Access flags are on and no policy statement is open to everyone.${ownership}`,
  );
}

/**
 * bucket.policy — CloudTrail may write this trail's log files only through
 * an `aws:SourceArn`-scoped statement requiring `bucket-owner-full-control`,
 * and plain HTTP is denied. `fail` when CloudTrail cannot deliver; `warn`
 * when it can but the policy is weaker than that.
 */
export function judgeBucketPolicy(evidence: TrailEvidence): CheckVerdict {
  const gate = bucketGate(evidence);
  if ('result' in gate) return gate.result;
  const { bucket } = gate;
  const failure = probeFailure('GetBucketPolicy', bucket.policy);
  if (failure || !bucket.policy.ok) return unknownVerdict([failure!]);

  const target = targetOf(evidence);
  const recommended = cloudTrailBucketPolicyStatements(target);
  const logPath = `${bucket.name}/${logKeyPrefixOf(target)}*`;
  const fix = (sids: string[]) =>
    `Merge these statements into the policy of ${
      bucket.name
    } (keep the others) and apply it with \`aws s3api put-bucket-policy --bucket ${
      bucket.name
    } --policy file://policy.json\`: ${JSON.stringify(
      recommended.filter(s => sids.includes(s.Sid!)),
    )}`;

  if (!bucket.policy.value) {
    return verdict(
      'fail',
      `Bucket ${bucket.name} has no bucket policy: CloudTrail cannot deliver log files.`,
      fix([
        'AWSCloudTrailAclCheck',
        'AWSCloudTrailWrite',
        'DenyInsecureTransport',
      ]),
    );
  }
  const analysis = analyzeCloudTrailBucketPolicy(bucket.policy.value, target);
  const blocking: string[] = [];
  const missingSids = new Set<string>();
  if (!analysis.aclCheckAllowed) {
    blocking.push(
      `no statement lets cloudtrail.amazonaws.com s3:GetBucketAcl on the bucket`,
    );
    missingSids.add('AWSCloudTrailAclCheck');
  }
  if (!analysis.writeAllowed) {
    blocking.push(
      analysis.writesForOtherTrails.length
        ? `the CloudTrail write statement on ${logPath} is scoped to another trail (aws:SourceArn ${analysis.writesForOtherTrails.join(
            ', ',
          )})`
        : `no statement lets cloudtrail.amazonaws.com s3:PutObject on ${logPath}`,
    );
    missingSids.add('AWSCloudTrailWrite');
  }
  const weaknesses: string[] = [];
  if (analysis.writeAllowed && !analysis.writeScopedToTrail) {
    weaknesses.push(
      analysis.writeScopedToAccountOnly
        ? 'the CloudTrail write statement is scoped by aws:SourceAccount only, not by aws:SourceArn of this trail'
        : 'the CloudTrail write statement has no aws:SourceArn condition (confused-deputy protection)',
    );
    missingSids.add('AWSCloudTrailWrite');
  }
  if (analysis.writeAllowed && !analysis.writeRequiresOwnerFullControl) {
    weaknesses.push(
      'the CloudTrail write statement does not require s3:x-amz-acl = bucket-owner-full-control',
    );
    missingSids.add('AWSCloudTrailWrite');
  }
  if (!analysis.tlsOnly) {
    weaknesses.push('no Deny for requests with aws:SecureTransport = false');
    missingSids.add('DenyInsecureTransport');
  }
  if (blocking.length) {
    return verdict(
      'fail',
      `Bucket ${bucket.name}: ${[...blocking, ...weaknesses].join('; ')}.`,
      fix([...missingSids]),
    );
  }
  if (weaknesses.length) {
    return verdict(
      'warn',
      `Bucket ${bucket.name}: ${weaknesses.join('; ')}.`,
      fix([...missingSids]),
    );
  }
  return verdict(
    'pass',
    `Bucket ${bucket.name}: CloudTrail may write ${logPath} only for ${target.trailArn} with bucket-owner-full-control, may read the bucket ACL, and plain HTTP is denied.`,
  );
}

function ruleAppliesToLogs(rule: LifecycleRule, logPrefix: string): boolean {
  const prefix = rule.Filter?.Prefix ?? '';
  return logPrefix.startsWith(prefix) || prefix.startsWith(logPrefix);
}

function describeRule(rule: LifecycleRule): string {
  const parts = [
    ...(rule.Transitions ?? []).map(
      t => `current → ${t.StorageClass} after ${t.Days} d`,
    ),
    ...(rule.NoncurrentVersionTransitions ?? []).map(
      t => `noncurrent → ${t.StorageClass} after ${t.NoncurrentDays} d`,
    ),
    ...(rule.Expiration?.Days
      ? [`expire after ${rule.Expiration.Days} d`]
      : []),
    ...(rule.NoncurrentVersionExpiration?.NoncurrentDays
      ? [
          `noncurrent expire after ${rule.NoncurrentVersionExpiration.NoncurrentDays} d`,
        ]
      : []),
  ];
  return `${rule.ID ? `"${rule.ID}"` : 'rule'} (${
    parts.join(', ') || 'no action'
  })`;
}

function hasAction(rule: LifecycleRule): boolean {
  return Boolean(
    rule.Transitions?.length ||
      rule.NoncurrentVersionTransitions?.length ||
      rule.Expiration?.Days ||
      rule.NoncurrentVersionExpiration?.NoncurrentDays,
  );
}

/** bucket.lifecycle — an enabled rule moves or expires the log files (cost). */
export function judgeBucketLifecycle(evidence: TrailEvidence): CheckVerdict {
  const gate = bucketGate(evidence);
  if ('result' in gate) return gate.result;
  const { bucket } = gate;
  const failure = probeFailure(
    'GetBucketLifecycleConfiguration',
    bucket.lifecycle,
  );
  if (failure || !bucket.lifecycle.ok) return unknownVerdict([failure!]);
  const logPrefix = logKeyPrefixOf(targetOf(evidence));
  const rules = (bucket.lifecycle.value ?? []).filter(
    r =>
      r.Status === 'Enabled' && hasAction(r) && ruleAppliesToLogs(r, logPrefix),
  );
  if (rules.length) {
    return verdict(
      'pass',
      `Bucket ${bucket.name}: lifecycle ${rules
        .map(describeRule)
        .join('; ')} applies to ${logPrefix}.`,
    );
  }
  const configured = bucket.lifecycle.value?.length
    ? `${bucket.lifecycle.value.length} rule(s), none enabled with an action that applies to ${logPrefix}`
    : 'no lifecycle configuration';
  return verdict(
    'warn',
    `Bucket ${bucket.name}: ${configured}; log files stay in S3 Standard forever.`,
    `\`aws s3api put-bucket-lifecycle-configuration --bucket ${bucket.name} --lifecycle-configuration '{"Rules":[{"ID":"cloudtrail-logs-to-glacier","Status":"Enabled","Filter":{"Prefix":""},"Transitions":[{"Days":90,"StorageClass":"GLACIER"}],"NoncurrentVersionTransitions":[{"NoncurrentDays":90,"StorageClass":"GLACIER"}]}]}'\` (this replaces existing rules: merge them in).`,
  );
}

/** bucket.versioning — overwritten or deleted log files stay recoverable. */
export function judgeBucketVersioning(evidence: TrailEvidence): CheckVerdict {
  const gate = bucketGate(evidence);
  if ('result' in gate) return gate.result;
  const { bucket } = gate;
  const failure = probeFailure('GetBucketVersioning', bucket.versioning);
  if (failure || !bucket.versioning.ok) return unknownVerdict([failure!]);
  if (bucket.versioning.value === 'Enabled') {
    return verdict('pass', `Bucket ${bucket.name}: versioning is Enabled.`);
  }
  const state =
    bucket.versioning.value === 'Suspended'
      ? 'versioning is Suspended'
      : 'versioning was never enabled';
  return verdict(
    'fail',
    `Bucket ${bucket.name}: ${state}; a deleted or overwritten log file cannot be recovered.`,
    `\`aws s3api put-bucket-versioning --bucket ${bucket.name} --versioning-configuration Status=Enabled\`, or in the S3 console: ${bucket.name} → Properties → Bucket Versioning → Enable.`,
  );
}
