import type { PolicyStatement } from '../types';
import {
  accessDenied,
  BUCKET,
  healthyEvidence,
  healthyPolicy,
  TRAIL_ARN,
  checkOf,
  detailOf,
} from './__fixtures__/evidence';

const checkBucketLifecycle = checkOf('bucket.lifecycle');
const checkBucketPolicy = checkOf('bucket.policy');
const checkBucketPublicAccess = checkOf('bucket.public-access');
const checkBucketVersioning = checkOf('bucket.versioning');

const withStatements = (
  edit: (statements: PolicyStatement[]) => PolicyStatement[],
) => {
  const evidence = healthyEvidence();
  const policy = healthyPolicy();
  policy.Statement = edit(policy.Statement);
  evidence.bucket!.policy = { ok: true, value: policy };
  return evidence;
};
const bySid = (statements: PolicyStatement[], sid: string) =>
  statements.find(s => s.Sid === sid)!;

describe('bucket gate', () => {
  it.each([
    ['bucket.public-access', checkBucketPublicAccess],
    ['bucket.policy', checkBucketPolicy],
    ['bucket.lifecycle', checkBucketLifecycle],
    ['bucket.versioning', checkBucketVersioning],
  ])('%s fails when the bucket does not exist', (_id, check) => {
    const evidence = healthyEvidence();
    evidence.bucket!.exists = { ok: true, value: false };
    const result = check(evidence);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(
      `The log bucket ${BUCKET} does not exist: CloudTrail cannot deliver`,
    );
    expect(result.remediation?.commands?.[0]).toBe(
      `aws s3api create-bucket --bucket ${BUCKET} --region us-east-1`,
    );
  });
});

describe('bucket.public-access', () => {
  it('passes with all four flags and no public statement', () => {
    const result = checkBucketPublicAccess(healthyEvidence());
    expect(result.status).toBe('pass');
    expect(result.controls).toContain('CloudTrail.6');
  });

  it('fails naming the flags that are off', () => {
    const evidence = healthyEvidence();
    evidence.bucket!.publicAccessBlock = {
      ok: true,
      value: {
        BlockPublicAcls: true,
        IgnorePublicAcls: false,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: false,
      },
    };
    const result = checkBucketPublicAccess(evidence);
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe(
      'The log bucket may be public: 2 of the 4 public access blocks are off.',
    );
    expect(detailOf(result, 'Block Public Access off')).toBe(
      'IgnorePublicAcls, RestrictPublicBuckets',
    );
    expect(result.remediation?.commands?.[0]).toContain(
      `aws s3api put-public-access-block --bucket ${BUCKET}`,
    );
  });

  it('fails without any Block Public Access configuration (the misconfigured demo)', () => {
    const evidence = healthyEvidence();
    evidence.bucket!.publicAccessBlock = { ok: true, value: null };
    const result = checkBucketPublicAccess(evidence);
    expect(result.evidence).toContain('public access is not blocked');
    expect(detailOf(result, 'Block Public Access off')).toBe(
      'BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets',
    );
  });

  it('fails on a statement open to everyone', () => {
    const evidence = withStatements(s => [
      ...s,
      {
        Sid: 'PublicRead',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      },
    ]);
    const result = checkBucketPublicAccess(evidence);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(
      'the bucket policy lets anyone in (1 statement)',
    );
    expect(detailOf(result, 'Public policy statements')).toBe('"PublicRead"');
  });

  it('does not call a Principal * statement pinned to an organization public', () => {
    const evidence = withStatements(s => [
      ...s,
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
      },
    ]);
    expect(checkBucketPublicAccess(evidence).status).toBe('pass');
  });

  it('is unknown when the flags cannot be read and nothing else is wrong', () => {
    const evidence = healthyEvidence();
    evidence.bucket!.publicAccessBlock = accessDenied;
    const result = checkBucketPublicAccess(evidence);
    expect(result.status).toBe('unknown');
    expect(result.evidence).toBe(
      "Not checked: AWS did not show the bucket's public access settings (AccessDenied).",
    );
    expect(detailOf(result, 'Permission needed')).toBe(
      's3:GetBucketPublicAccessBlock',
    );
  });

  it('still fails on a public statement when the flags cannot be read', () => {
    const evidence = withStatements(s => [
      ...s,
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      },
    ]);
    evidence.bucket!.publicAccessBlock = accessDenied;
    const result = checkBucketPublicAccess(evidence);
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe(
      "The log bucket may be public: the bucket policy lets anyone in (1 statement). AWS did not show the bucket's public access settings.",
    );
    expect(detailOf(result, 'Public policy statements')).toBe('#4');
    expect(detailOf(result, 'Permission needed')).toContain(
      's3:GetBucketPublicAccessBlock',
    );
  });
});

describe('bucket.policy', () => {
  it('passes with the SourceArn-scoped write and the TLS deny', () => {
    const result = checkBucketPolicy(healthyEvidence());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('Only this trail may write log files');
    expect(detailOf(result, 'Trail')).toBe(TRAIL_ARN);
  });

  it('fails without a policy and gives all three statements', () => {
    const evidence = healthyEvidence();
    evidence.bucket!.policy = { ok: true, value: null };
    const result = checkBucketPolicy(evidence);
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe(
      'The log bucket has no policy, so CloudTrail cannot deliver log files.',
    );
    const policy = JSON.parse(result.remediation!.policy!);
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.map((x: PolicyStatement) => x.Sid)).toEqual([
      'AWSCloudTrailAclCheck',
      'AWSCloudTrailWrite',
      'DenyInsecureTransport',
    ]);
    expect(result.remediation?.policy).toContain(
      '"aws:SecureTransport": "false"',
    );
    // Nothing to merge with: the whole policy, applied as it is.
    expect(result.remediation?.commands).toEqual([
      `aws s3api put-bucket-policy --bucket ${BUCKET} --policy file://policy.json`,
    ]);
    expect(result.remediation?.text).not.toContain('{');
  });

  it('warns when the write statement is not scoped by aws:SourceArn', () => {
    const evidence = withStatements(s => {
      delete bySid(s, 'AWSCloudTrailWrite').Condition!.StringEquals[
        'aws:SourceArn'
      ];
      return s;
    });
    const result = checkBucketPolicy(evidence);
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain(
      "CloudTrail writes are not limited to this trail, so another account's trail could write here",
    );
    expect(result.remediation?.policy).toContain(
      `"aws:SourceArn": "${TRAIL_ARN}"`,
    );
    expect(result.remediation?.policy).not.toContain('AWSCloudTrailAclCheck');
  });

  it('warns when the write statement is scoped by account only', () => {
    const evidence = withStatements(s => {
      bySid(s, 'AWSCloudTrailWrite').Condition = {
        StringEquals: {
          's3:x-amz-acl': 'bucket-owner-full-control',
          'aws:SourceAccount': '111111111111',
        },
      };
      return s;
    });
    expect(checkBucketPolicy(evidence).evidence).toContain(
      'CloudTrail writes are limited to the account, not to this trail',
    );
  });

  it('accepts an ArnLike SourceArn pattern that matches the trail', () => {
    const evidence = withStatements(s => {
      bySid(s, 'AWSCloudTrailWrite').Condition = {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' },
        ArnLike: {
          'aws:SourceArn': 'arn:aws:cloudtrail:*:111111111111:trail/*',
        },
      };
      return s;
    });
    expect(checkBucketPolicy(evidence).status).toBe('pass');
  });

  it('fails when the write statement is scoped to another trail', () => {
    const other = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/other';
    const evidence = withStatements(s => {
      bySid(s, 'AWSCloudTrailWrite').Condition!.StringEquals['aws:SourceArn'] =
        other;
      return s;
    });
    const result = checkBucketPolicy(evidence);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(
      'CloudTrail may write log files only for another trail',
    );
    expect(detailOf(result, 'Writes allowed for')).toBe(other);
  });

  it('fails when CloudTrail may only write another prefix', () => {
    const evidence = withStatements(s => {
      bySid(
        s,
        'AWSCloudTrailWrite',
      ).Resource = `arn:aws:s3:::${BUCKET}/other/AWSLogs/111111111111/*`;
      return s;
    });
    const result = checkBucketPolicy(evidence);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(
      "CloudTrail may not write this trail's log files",
    );
    expect(detailOf(result, 'Log files')).toBe(
      `${BUCKET}/AWSLogs/111111111111/*`,
    );
  });

  it('checks the write path under the trail key prefix', () => {
    const evidence = healthyEvidence();
    evidence.trail.trail.s3KeyPrefix = 'lineage';
    const result = checkBucketPolicy(evidence);
    expect(result.status).toBe('fail');
    expect(result.remediation?.policy).toContain(
      `arn:aws:s3:::${BUCKET}/lineage/AWSLogs/111111111111/*`,
    );
  });

  it('fails without the ACL check statement', () => {
    const evidence = withStatements(s =>
      s.filter(x => x.Sid !== 'AWSCloudTrailAclCheck'),
    );
    const result = checkBucketPolicy(evidence);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(
      "CloudTrail may not read the bucket's access list",
    );
  });

  it('warns without bucket-owner-full-control', () => {
    const evidence = withStatements(s => {
      delete bySid(s, 'AWSCloudTrailWrite').Condition!.StringEquals[
        's3:x-amz-acl'
      ];
      return s;
    });
    const result = checkBucketPolicy(evidence);
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain(
      'written log files are not required to be owned by the bucket owner',
    );
  });

  it('warns without the TLS-only deny', () => {
    const evidence = withStatements(s =>
      s.filter(x => x.Sid !== 'DenyInsecureTransport'),
    );
    const result = checkBucketPolicy(evidence);
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain('requests without TLS are not refused');
    expect(result.remediation?.policy).toContain('DenyInsecureTransport');
  });

  it('accepts a TLS deny written with a boolean', () => {
    const evidence = withStatements(s => {
      bySid(s, 'DenyInsecureTransport').Condition = {
        Bool: { 'aws:SecureTransport': false },
      };
      return s;
    });
    expect(checkBucketPolicy(evidence).status).toBe('pass');
  });

  it('is unknown when the policy cannot be read', () => {
    const evidence = healthyEvidence();
    evidence.bucket!.policy = accessDenied;
    expect(checkBucketPolicy(evidence).status).toBe('unknown');
  });
});

describe('bucket.lifecycle', () => {
  it('passes with an enabled rule that applies to the logs', () => {
    const result = checkBucketLifecycle(healthyEvidence());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('to GLACIER after 90 days');
  });

  it('warns without lifecycle configuration', () => {
    const evidence = healthyEvidence();
    evidence.bucket!.lifecycle = { ok: true, value: null };
    const result = checkBucketLifecycle(evidence);
    expect(result.status).toBe('warn');
    expect(result.evidence).toBe(
      'Log files stay in S3 Standard storage forever: the bucket has no lifecycle rule.',
    );
    expect(result.remediation?.commands?.[0]).toContain(
      `aws s3api put-bucket-lifecycle-configuration --bucket ${BUCKET}`,
    );
  });

  it('warns when the only rule is disabled or filters another prefix', () => {
    const evidence = healthyEvidence();
    evidence.bucket!.lifecycle = {
      ok: true,
      value: [
        {
          ID: 'off',
          Status: 'Disabled',
          Transitions: [{ Days: 30, StorageClass: 'GLACIER' }],
        },
        {
          ID: 'tmp',
          Status: 'Enabled',
          Filter: { Prefix: 'tmp/' },
          Expiration: { Days: 1 },
        },
      ],
    };
    const result = checkBucketLifecycle(evidence);
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain(
      "none of the bucket's 2 lifecycle rules moves or deletes log files",
    );
    expect(detailOf(result, 'Rule off')).toBe(
      'Disabled: to GLACIER after 30 days',
    );
    expect(detailOf(result, 'Rule tmp')).toBe(
      'Enabled: deleted after 1 day (prefix tmp/)',
    );
  });

  it('is unknown when not answered', () => {
    const evidence = healthyEvidence();
    evidence.bucket!.lifecycle = accessDenied;
    expect(checkBucketLifecycle(evidence).status).toBe('unknown');
  });
});

describe('bucket.versioning', () => {
  it.each([
    ['Enabled', 'pass'],
    ['Suspended', 'fail'],
    [null, 'fail'],
  ] as const)('versioning %s → %s', (value, status) => {
    const evidence = healthyEvidence();
    evidence.bucket!.versioning = { ok: true, value };
    expect(checkBucketVersioning(evidence).status).toBe(status);
  });

  it('gives the CLI call to enable it', () => {
    const evidence = healthyEvidence();
    evidence.bucket!.versioning = { ok: true, value: null };
    expect(checkBucketVersioning(evidence).remediation?.commands).toEqual([
      `aws s3api put-bucket-versioning --bucket ${BUCKET} --versioning-configuration Status=Enabled`,
    ]);
  });
});
