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
  describeError,
  details,
  fix,
  probeFailure,
  trailCommand,
  trailOwnerNote,
  Unanswered,
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
    return { result: unknownVerdict([{ what: `the log bucket ${name}` }]) };
  }
  const failure = probeFailure(
    `the log bucket ${name}`,
    's3:ListBucket',
    bucket.exists,
  );
  if (failure || !bucket.exists.ok)
    return { result: unknownVerdict([failure!]) };
  if (!bucket.exists.value) {
    return {
      result: verdict(
        'fail',
        `The log bucket ${name} does not exist: CloudTrail cannot deliver, and any AWS account could create a bucket with this name and receive the logs.`,
        {
          details: details([['Bucket', name]]),
          remediation: fix(
            `Create the bucket in the trail owner's account and give it the CloudTrail bucket policy, or point the trail at an existing bucket.${trailOwnerNote(
              evidence,
            )}`,
            [
              `aws s3api create-bucket --bucket ${name} --region ${evidence.trail.trail.homeRegion}`,
              trailCommand(
                evidence,
                'update-trail',
                '--s3-bucket-name <bucket>',
              ),
            ],
          ),
        },
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

const POLICY_QUESTION = 'the bucket policy';

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
  const probes: [string, string, Probe<unknown>][] = [
    [
      "the bucket's public access settings",
      's3:GetBucketPublicAccessBlock',
      bucket.publicAccessBlock,
    ],
    [POLICY_QUESTION, 's3:GetBucketPolicy', bucket.policy],
  ];
  const failures = probes
    .map(([what, call, probe]) => probeFailure(what, call, probe))
    .filter((f): f is Unanswered => Boolean(f));

  const findings: string[] = [];
  const block = bucket.publicAccessBlock;
  let flagsOff: string[] = [];
  if (block.ok) {
    if (!block.value) {
      flagsOff = BPA_FLAGS;
      findings.push('public access is not blocked');
    } else {
      flagsOff = BPA_FLAGS.filter(flag => !block.value![flag]);
      if (flagsOff.length) {
        findings.push(
          `${flagsOff.length} of the 4 public access blocks ${
            flagsOff.length === 1 ? 'is' : 'are'
          } off`,
        );
      }
    }
  }
  const policy = bucket.policy;
  const open =
    policy.ok && policy.value
      ? policy.value.Statement.map((s, i) =>
          isPublicStatement(s) ? statementLabel(s, i) : undefined,
        ).filter((label): label is string => Boolean(label))
      : [];
  if (open.length) {
    findings.push(
      `the bucket policy lets anyone in (${open.length} statement${
        open.length === 1 ? '' : 's'
      })`,
    );
  }
  const facts = details([
    ['Bucket', bucket.name],
    ['Block Public Access off', flagsOff.join(', ')],
    ['Public policy statements', open.join(', ')],
    [
      'Object ownership',
      bucket.ownership.ok ? bucket.ownership.value ?? undefined : undefined,
    ],
    ...failures.map(
      f =>
        ['Permission needed', `${f.call} (${describeError(f)})`] as [
          string,
          string,
        ],
    ),
  ]);

  if (findings.length) {
    const unanswered = failures.length
      ? ` AWS did not show ${failures.map(f => f.what).join(' or ')}.`
      : '';
    return verdict(
      'fail',
      `The log bucket may be public: ${findings.join('; ')}.${unanswered}`,
      {
        details: facts,
        remediation: fix(
          'Block all public access, remove the statements open to everyone from the bucket policy, and make the bucket owner own every object.',
          [
            `aws s3api put-public-access-block --bucket ${bucket.name} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`,
            `aws s3api put-bucket-ownership-controls --bucket ${bucket.name} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'`,
          ],
        ),
      },
    );
  }
  if (failures.length) return unknownVerdict(failures);
  return verdict(
    'pass',
    'Public access to the log bucket is blocked, and no policy statement is open to everyone.',
    { details: facts },
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
  const failure = probeFailure(
    POLICY_QUESTION,
    's3:GetBucketPolicy',
    bucket.policy,
  );
  if (failure || !bucket.policy.ok) return unknownVerdict([failure!]);

  const target = targetOf(evidence);
  const recommended = cloudTrailBucketPolicyStatements(target);
  const logPath = `${bucket.name}/${logKeyPrefixOf(target)}*`;
  const policyFix = (sids: string[]) =>
    fix(
      `Merge the statements below into the policy of ${bucket.name}, keeping its other statements, save the result as policy.json and apply it.`,
      [
        `aws s3api get-bucket-policy --bucket ${bucket.name} --query Policy --output text > policy.json`,
        `aws s3api put-bucket-policy --bucket ${bucket.name} --policy file://policy.json`,
      ],
      recommended.filter(s => sids.includes(s.Sid!)),
    );
  const facts: [string, string | undefined][] = [
    ['Bucket', bucket.name],
    ['Log files', logPath],
    ['Trail', target.trailArn],
  ];

  if (!bucket.policy.value) {
    return verdict(
      'fail',
      'The log bucket has no policy, so CloudTrail cannot deliver log files.',
      {
        details: details(facts),
        remediation: fix(
          'Save the policy below as policy.json and apply it.',
          [
            `aws s3api put-bucket-policy --bucket ${bucket.name} --policy file://policy.json`,
          ],
          { Version: '2012-10-17', Statement: recommended },
        ),
      },
    );
  }
  const analysis = analyzeCloudTrailBucketPolicy(bucket.policy.value, target);
  const blocking: string[] = [];
  const missingSids = new Set<string>();
  if (!analysis.aclCheckAllowed) {
    blocking.push("CloudTrail may not read the bucket's access list");
    missingSids.add('AWSCloudTrailAclCheck');
  }
  if (!analysis.writeAllowed) {
    if (analysis.writesForOtherTrails.length) {
      blocking.push('CloudTrail may write log files only for another trail');
      facts.push([
        'Writes allowed for',
        analysis.writesForOtherTrails.join(', '),
      ]);
    } else {
      blocking.push("CloudTrail may not write this trail's log files");
    }
    missingSids.add('AWSCloudTrailWrite');
  }
  const weaknesses: string[] = [];
  if (analysis.writeAllowed && !analysis.writeScopedToTrail) {
    weaknesses.push(
      analysis.writeScopedToAccountOnly
        ? 'CloudTrail writes are limited to the account, not to this trail'
        : "CloudTrail writes are not limited to this trail, so another account's trail could write here",
    );
    missingSids.add('AWSCloudTrailWrite');
  }
  if (analysis.writeAllowed && !analysis.writeRequiresOwnerFullControl) {
    weaknesses.push(
      'written log files are not required to be owned by the bucket owner',
    );
    missingSids.add('AWSCloudTrailWrite');
  }
  if (!analysis.tlsOnly) {
    weaknesses.push('requests without TLS are not refused');
    missingSids.add('DenyInsecureTransport');
  }
  if (blocking.length) {
    return verdict(
      'fail',
      `CloudTrail cannot deliver to the log bucket: ${[
        ...blocking,
        ...weaknesses,
      ].join('; ')}.`,
      { details: details(facts), remediation: policyFix([...missingSids]) },
    );
  }
  if (weaknesses.length) {
    return verdict(
      'warn',
      `CloudTrail can deliver, but the bucket policy is weaker than it should be: ${weaknesses.join(
        '; ',
      )}.`,
      { details: details(facts), remediation: policyFix([...missingSids]) },
    );
  }
  return verdict(
    'pass',
    "Only this trail may write log files to the bucket, each owned by the bucket owner; CloudTrail may read the bucket's access list, and requests without TLS are refused.",
    { details: details(facts) },
  );
}

function ruleAppliesToLogs(rule: LifecycleRule, logPrefix: string): boolean {
  const prefix = rule.Filter?.Prefix ?? '';
  return logPrefix.startsWith(prefix) || prefix.startsWith(logPrefix);
}

const days = (n: number | undefined) => `${n} day${n === 1 ? '' : 's'}`;

function describeRule(rule: LifecycleRule): string {
  const parts = [
    ...(rule.Transitions ?? []).map(
      t => `to ${t.StorageClass} after ${days(t.Days)}`,
    ),
    ...(rule.NoncurrentVersionTransitions ?? []).map(
      t => `old versions to ${t.StorageClass} after ${days(t.NoncurrentDays)}`,
    ),
    ...(rule.Expiration?.Days
      ? [`deleted after ${days(rule.Expiration.Days)}`]
      : []),
    ...(rule.NoncurrentVersionExpiration?.NoncurrentDays
      ? [
          `old versions deleted after ${days(
            rule.NoncurrentVersionExpiration.NoncurrentDays,
          )}`,
        ]
      : []),
  ];
  return parts.join(', ') || 'no action';
}

function hasAction(rule: LifecycleRule): boolean {
  return Boolean(
    rule.Transitions?.length ||
      rule.NoncurrentVersionTransitions?.length ||
      rule.Expiration?.Days ||
      rule.NoncurrentVersionExpiration?.NoncurrentDays,
  );
}

/** The lifecycle rule the check recommends: log files to Glacier after 90 days. */
const RECOMMENDED_LIFECYCLE = {
  Rules: [
    {
      ID: 'cloudtrail-logs-to-glacier',
      Status: 'Enabled',
      Filter: { Prefix: '' },
      Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
      NoncurrentVersionTransitions: [
        { NoncurrentDays: 90, StorageClass: 'GLACIER' },
      ],
    },
  ],
};

/** bucket.lifecycle — an enabled rule moves or expires the log files (cost). */
export function judgeBucketLifecycle(evidence: TrailEvidence): CheckVerdict {
  const gate = bucketGate(evidence);
  if ('result' in gate) return gate.result;
  const { bucket } = gate;
  const failure = probeFailure(
    "the bucket's lifecycle rules",
    's3:GetLifecycleConfiguration',
    bucket.lifecycle,
  );
  if (failure || !bucket.lifecycle.ok) return unknownVerdict([failure!]);
  const logPrefix = logKeyPrefixOf(targetOf(evidence));
  const all = bucket.lifecycle.value ?? [];
  const rules = all.filter(
    r =>
      r.Status === 'Enabled' && hasAction(r) && ruleAppliesToLogs(r, logPrefix),
  );
  const facts = details([
    ['Bucket', bucket.name],
    ['Log prefix', logPrefix],
    ...all.map(
      (r, i) =>
        [
          `Rule ${r.ID ?? i + 1}`,
          `${r.Status}: ${describeRule(r)}${
            r.Filter?.Prefix ? ` (prefix ${r.Filter.Prefix})` : ''
          }`,
        ] as [string, string],
    ),
  ]);
  if (rules.length) {
    return verdict(
      'pass',
      `Log files move on or expire: ${rules.map(describeRule).join('; ')}.`,
      { details: facts },
    );
  }
  const configured = all.length
    ? `none of the bucket's ${all.length} lifecycle rule${
        all.length === 1 ? '' : 's'
      } moves or deletes log files`
    : 'the bucket has no lifecycle rule';
  return verdict(
    'warn',
    `Log files stay in S3 Standard storage forever: ${configured}.`,
    {
      details: facts,
      remediation: fix(
        'Add a rule that moves log files to Glacier after 90 days. Applying a lifecycle configuration replaces the existing rules, so merge them into it.',
        [
          `aws s3api put-bucket-lifecycle-configuration --bucket ${
            bucket.name
          } --lifecycle-configuration '${JSON.stringify(
            RECOMMENDED_LIFECYCLE,
          )}'`,
        ],
      ),
    },
  );
}

/** bucket.versioning — overwritten or deleted log files stay recoverable. */
export function judgeBucketVersioning(evidence: TrailEvidence): CheckVerdict {
  const gate = bucketGate(evidence);
  if ('result' in gate) return gate.result;
  const { bucket } = gate;
  const failure = probeFailure(
    "the bucket's versioning",
    's3:GetBucketVersioning',
    bucket.versioning,
  );
  if (failure || !bucket.versioning.ok) return unknownVerdict([failure!]);
  const facts = details([
    ['Bucket', bucket.name],
    ['Versioning', bucket.versioning.value ?? 'never enabled'],
  ]);
  if (bucket.versioning.value === 'Enabled') {
    return verdict(
      'pass',
      'Versioning is on: a deleted or overwritten log file can be recovered.',
      { details: facts },
    );
  }
  const state =
    bucket.versioning.value === 'Suspended'
      ? 'Versioning is suspended'
      : 'Versioning was never turned on';
  return verdict(
    'fail',
    `${state}: a deleted or overwritten log file cannot be recovered.`,
    {
      details: facts,
      remediation: fix(
        `Turn on versioning, or in the S3 console open ${bucket.name} → Properties → Bucket Versioning → Enable.`,
        [
          `aws s3api put-bucket-versioning --bucket ${bucket.name} --versioning-configuration Status=Enabled`,
        ],
      ),
    },
  );
}
