import { cloudTrailKeyPolicyStatement } from '../kmsKeyPolicy';
import type { KmsKeyFacts } from '../types';
import {
  accessDenied,
  context,
  TRAIL_ARN,
  healthyEvidence,
  healthyKmsKey,
  checkOf,
  detailOf,
} from './__fixtures__/evidence';

const checkInsights = checkOf('trail.insights');
const checkKms = checkOf('trail.kms');
const checkLogFileValidation = checkOf('trail.log-file-validation');
const checkMultiRegion = checkOf('trail.multi-region');
const checkTrailDelivery = checkOf('trail.delivery');
const checkTrailLogging = checkOf('trail.logging');

describe('trail.logging', () => {
  it('passes while logging', () => {
    const result = checkTrailLogging(healthyEvidence());
    expect(result.status).toBe('pass');
    expect(result.evidence).toBe(
      'The trail is logging; it started 31 d 4 h ago (1 May 08:00 UTC).',
    );
    expect(detailOf(result, 'StartLoggingTime')).toBe(
      '2025-05-01T08:00:00.000Z',
    );
    expect(result.controls).toEqual([
      'CloudTrail.3',
      'AWS Config cloudtrail-enabled',
    ]);
    expect(result.severity).toBe('critical');
  });

  it('fails when logging stopped and says how to start it', () => {
    const evidence = healthyEvidence();
    evidence.trail.status = {
      ok: true,
      value: { isLogging: false, stopLoggingTime: '2025-05-31T10:00:00Z' },
    };
    const result = checkTrailLogging(evidence);
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe(
      'The trail is not logging: it stopped 1 d 2 h ago (31 May 10:00 UTC). No event is recorded.',
    );
    expect(detailOf(result, 'IsLogging')).toBe('false');
    expect(detailOf(result, 'StopLoggingTime')).toBe('2025-05-31T10:00:00Z');
    expect(result.remediation?.commands).toEqual([
      'aws cloudtrail start-logging --name dynamodb-lineage --region us-east-1',
    ]);
    expect(result.remediation?.text).toContain('Start logging');
  });

  it('sends fixes of an organization trail to the account that owns it', () => {
    const evidence = healthyEvidence();
    evidence.trail.trail.isOrganizationTrail = true;
    evidence.trail.trail.accountId = '999999999999';
    evidence.trail.observedFrom = {
      accountId: '111111111111',
      region: 'us-east-1',
    };
    evidence.trail.status = { ok: true, value: { isLogging: false } };
    expect(checkTrailLogging(evidence).remediation?.text).toContain(
      'with credentials of account 999999999999, which owns the trail',
    );
  });

  it('is unknown when GetTrailStatus is throttled', () => {
    const evidence = healthyEvidence();
    evidence.trail.status = {
      ok: false,
      error: 'Rate exceeded',
      code: 'ThrottlingException',
    };
    const result = checkTrailLogging(evidence);
    expect(result.status).toBe('unknown');
    expect(result.evidence).toBe(
      "Not checked: AWS did not show the trail's status (ThrottlingException).",
    );
    expect(result.details).toEqual([
      { label: 'Permission needed', value: 'cloudtrail:GetTrailStatus' },
      { label: 'AWS error', value: 'ThrottlingException: Rate exceeded' },
    ]);
    expect(result.remediation?.text).toContain(
      'Allow the Backstage role to call cloudtrail:GetTrailStatus',
    );
  });
});

describe('trail.delivery', () => {
  const withError = (latestDeliveryError: string) => {
    const evidence = healthyEvidence();
    evidence.trail.status = {
      ok: true,
      value: {
        isLogging: true,
        latestDeliveryError,
        latestDeliveryTime: '2025-05-30T00:00:00Z',
      },
    };
    return checkTrailDelivery(evidence);
  };

  it('passes without a delivery error', () => {
    expect(checkTrailDelivery(healthyEvidence()).status).toBe('pass');
  });

  it('fails on AccessDenied and points at the bucket policy', () => {
    const result = withError('AccessDenied');
    expect(result.status).toBe('fail');
    expect(result.severity).toBe('high');
    expect(result.evidence).toBe(
      'CloudTrail could not deliver the last log file (AccessDenied); the last successful delivery was 2 d 12 h ago (30 May 00:00 UTC).',
    );
    expect(detailOf(result, 'LatestDeliveryError')).toBe('AccessDenied');
    expect(detailOf(result, 'LatestDeliveryTime')).toBe('2025-05-30T00:00:00Z');
    expect(result.remediation?.text).toContain(
      'bucket policy of dynamodb-lineage-111111111111',
    );
    expect(result.remediation?.commands).toEqual([
      'aws cloudtrail get-trail-status --name dynamodb-lineage --region us-east-1',
    ]);
  });

  it('tells to recreate a missing bucket', () => {
    expect(withError('NoSuchBucket').remediation?.commands).toEqual([
      'aws s3api create-bucket --bucket dynamodb-lineage-111111111111 --region us-east-1',
      'aws cloudtrail update-trail --name dynamodb-lineage --region us-east-1 --s3-bucket-name <bucket>',
    ]);
  });

  it('tells to fix the KMS key policy', () => {
    const { remediation } = withError('KMS.AccessDeniedException');
    expect(remediation?.text).toContain('Let CloudTrail encrypt');
    expect(remediation?.commands).toEqual([
      'aws cloudtrail update-trail --name dynamodb-lineage --region us-east-1 --kms-key-id ""',
    ]);
  });
});

describe('trail.multi-region', () => {
  it('passes for a multi-region trail', () => {
    expect(checkMultiRegion(healthyEvidence(), context()).status).toBe('pass');
  });

  it('passes for a single-region trail in the region in scope, saying so', () => {
    const evidence = healthyEvidence();
    evidence.trail.trail.isMultiRegionTrail = false;
    const result = checkMultiRegion(evidence, context());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain(
      'logs only its own region, us-east-1, which is the region checked here',
    );
    expect(detailOf(result, 'IsMultiRegionTrail')).toBe('false');
  });

  it('fails for a single-region trail elsewhere', () => {
    const evidence = healthyEvidence();
    evidence.trail.trail.isMultiRegionTrail = false;
    const result = checkMultiRegion(
      evidence,
      context({ scope: { accountId: '111111111111', region: 'eu-west-1' } }),
    );
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('logs only us-east-1, not eu-west-1');
    expect(result.remediation?.commands).toEqual([
      'aws cloudtrail update-trail --name dynamodb-lineage --region us-east-1 --is-multi-region-trail --include-global-service-events',
    ]);
    expect(result.controls).toContain('CIS 3.1');
    expect(result.controls).toContain('CloudTrail.1');
  });
});

describe('trail.log-file-validation', () => {
  it('fails when off, anchored to CIS 3.2 / CloudTrail.4', () => {
    const evidence = healthyEvidence();
    evidence.trail.trail.logFileValidationEnabled = false;
    const result = checkLogFileValidation(evidence);
    expect(result.status).toBe('fail');
    expect(result.controls).toEqual(
      expect.arrayContaining(['CIS 3.2', 'CloudTrail.4']),
    );
    expect(result.evidence).toBe(
      'Log file validation is off: changes to delivered log files cannot be detected.',
    );
    expect(result.remediation?.commands).toEqual([
      'aws cloudtrail update-trail --name dynamodb-lineage --region us-east-1 --enable-log-file-validation',
    ]);
  });

  it('passes when on', () => {
    expect(checkLogFileValidation(healthyEvidence()).status).toBe('pass');
  });
});

describe('trail.kms', () => {
  it('warns without a KMS key and shows the bucket default', () => {
    const evidence = healthyEvidence();
    delete evidence.trail.trail.kmsKeyId;
    const result = checkKms(evidence);
    expect(result.status).toBe('warn');
    expect(result.evidence).toBe(
      'Log files are encrypted only with keys S3 manages, not with a KMS key your account controls.',
    );
    expect(detailOf(result, 'Bucket default encryption')).toBe('aws:kms');
    expect(result.remediation?.commands).toEqual([
      'aws cloudtrail update-trail --name dynamodb-lineage --region us-east-1 --kms-key-id <key-arn>',
    ]);
    expect(result.controls).toEqual(
      expect.arrayContaining(['CIS 3.5', 'CloudTrail.2']),
    );
  });

  it('passes with a KMS key CloudTrail can use', () => {
    const result = checkKms(healthyEvidence());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('enabled, symmetric');
    expect(detailOf(result, 'KmsKeyId')).toContain('key/0a1b2c3d');
  });

  const withKey = (patch: Partial<KmsKeyFacts>) => ({
    ...healthyEvidence(),
    kmsKey: { ok: true as const, value: { ...healthyKmsKey(), ...patch } },
  });

  it.each([
    [
      'disabled',
      { keyState: 'Disabled' },
      /: the key is disabled\.$/,
      [
        'aws kms enable-key --key-id arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d',
      ],
    ],
    [
      'pending deletion',
      { keyState: 'PendingDeletion', deletionDate: '2025-06-08T00:00:00Z' },
      /: the key is scheduled for deletion\.$/,
      [
        'aws kms cancel-key-deletion --key-id arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d',
      ],
    ],
    ['deleted', { exists: false }, /does not exist/, []],
  ])('fails when the key is %s', (_case, patch, message, commands) => {
    const result = checkKms(withKey(patch));
    expect(result.status).toBe('fail');
    expect(result.evidence).toMatch(message);
    expect(result.evidence).toContain('none are delivered');
    // The key's own fix first, then encrypting with another key.
    expect(result.remediation?.commands).toEqual([
      ...commands,
      'aws cloudtrail update-trail --name dynamodb-lineage --region us-east-1 --kms-key-id <key-arn>',
    ]);
  });

  it('keeps the deletion date of a key pending deletion in the details', () => {
    const result = checkKms(
      withKey({
        keyState: 'PendingDeletion',
        deletionDate: '2025-06-08T00:00:00Z',
      }),
    );
    expect(detailOf(result, 'DeletionDate')).toBe('2025-06-08T00:00:00Z');
    expect(detailOf(result, 'KeyState')).toBe('PendingDeletion');
  });

  it('fails when the key policy no longer lets CloudTrail encrypt, showing the statement to add', () => {
    const result = checkKms(
      withKey({
        policy: {
          ok: true,
          value: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::111111111111:root' },
                Action: 'kms:*',
                Resource: '*',
              },
            ],
          },
        },
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(
      "the key's policy does not let CloudTrail encrypt for this trail",
    );
    expect(result.remediation?.commands).toEqual(
      expect.arrayContaining([
        expect.stringContaining('aws kms put-key-policy'),
      ]),
    );
    expect(JSON.parse(result.remediation!.policy!)).toEqual(
      cloudTrailKeyPolicyStatement({
        partition: 'aws',
        accountId: '111111111111',
        trailArn: TRAIL_ARN,
      }),
    );
    expect(result.remediation?.text).not.toContain('{');
  });

  it('is unknown, never pass, when KMS refuses to answer', () => {
    const denied = {
      ok: false as const,
      error: 'not authorized to perform: kms:DescribeKey',
      code: 'AccessDeniedException',
    };
    const noKey = checkKms({ ...healthyEvidence(), kmsKey: denied });
    expect(noKey.status).toBe('unknown');
    expect(noKey.evidence).toBe(
      "Not checked: AWS did not show the trail's KMS key (AccessDeniedException).",
    );
    expect(noKey.remediation?.text).toContain('kms:DescribeKey');

    const noPolicy = checkKms(withKey({ policy: denied }));
    expect(noPolicy.status).toBe('unknown');
    expect(detailOf(noPolicy, 'Permission needed')).toBe('kms:GetKeyPolicy');

    const { kmsKey: _none, ...uninspected } = healthyEvidence();
    expect(checkKms(uninspected).status).toBe('unknown');
  });
});

describe('trail.insights', () => {
  it('is information only: pass whether on or off', () => {
    const evidence = healthyEvidence();
    expect(checkInsights(evidence).status).toBe('pass');
    expect(checkInsights(evidence).severity).toBe('info');
    evidence.trail.insightTypes = { ok: true, value: ['ApiCallRateInsight'] };
    expect(checkInsights(evidence).evidence).toBe(
      'Insights watch for unusual call rates.',
    );
  });

  it('is unknown when not answered', () => {
    const evidence = healthyEvidence();
    evidence.trail.insightTypes = accessDenied;
    expect(checkInsights(evidence).status).toBe('unknown');
  });
});
