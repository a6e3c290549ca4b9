import type { KmsKeyFacts } from '../types';
import {
  accessDenied,
  context,
  TRAIL_ARN,
  healthyEvidence,
  healthyKmsKey,
  checkOf,
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
    expect(result.evidence).toContain('since 2025-05-01T08:00:00.000Z');
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
    expect(result.evidence).toContain('IsLogging is false');
    expect(result.evidence).toContain('2025-05-31T10:00:00Z');
    expect(result.remediation).toContain(
      '`aws cloudtrail start-logging --name dynamodb-lineage --region us-east-1`',
    );
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
    expect(checkTrailLogging(evidence).remediation).toContain(
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
    expect(result.evidence).toContain('ThrottlingException: Rate exceeded');
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
      'LatestDeliveryError is "AccessDenied" (last successful delivery 2025-05-30T00:00:00Z).',
    );
    expect(result.remediation).toContain(
      'bucket policy of dynamodb-lineage-111111111111',
    );
  });

  it('tells to recreate a missing bucket', () => {
    expect(withError('NoSuchBucket').remediation).toContain(
      'aws s3api create-bucket',
    );
  });

  it('tells to fix the KMS key policy', () => {
    expect(withError('KMS.AccessDeniedException').remediation).toContain(
      'kms:GenerateDataKey*',
    );
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
    expect(result.evidence).toContain('IsMultiRegionTrail is false');
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
    expect(result.remediation).toContain(
      '--is-multi-region-trail --include-global-service-events',
    );
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
    expect(result.remediation).toContain('--enable-log-file-validation');
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
    expect(result.evidence).toContain("bucket's default encryption is aws:kms");
    expect(result.remediation).toContain('--kms-key-id <key-arn>');
    expect(result.controls).toEqual(
      expect.arrayContaining(['CIS 3.5', 'CloudTrail.2']),
    );
  });

  it('passes with a KMS key CloudTrail can use', () => {
    const result = checkKms(healthyEvidence());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('key/0a1b2c3d');
  });

  const withKey = (patch: Partial<KmsKeyFacts>) => ({
    ...healthyEvidence(),
    kmsKey: { ok: true as const, value: { ...healthyKmsKey(), ...patch } },
  });

  it.each([
    ['disabled', { keyState: 'Disabled' }, /Disabled, not Enabled/],
    [
      'pending deletion',
      { keyState: 'PendingDeletion', deletionDate: '2025-06-08T00:00:00Z' },
      /pending deletion \(deleted at 2025-06-08/,
    ],
    ['deleted', { exists: false }, /does not exist/],
  ])('fails when the key is %s', (_case, patch, message) => {
    const result = checkKms(withKey(patch));
    expect(result.status).toBe('fail');
    expect(result.evidence).toMatch(message);
    expect(result.evidence).toContain('none are delivered');
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
    expect(result.evidence).toContain('does not let cloudtrail.amazonaws.com');
    expect(result.remediation).toContain('put-key-policy');
    expect(result.remediation).toContain(`"aws:SourceArn":"${TRAIL_ARN}"`);
  });

  it('is unknown, never pass, when KMS refuses to answer', () => {
    const denied = {
      ok: false as const,
      error: 'not authorized to perform: kms:DescribeKey',
      code: 'AccessDeniedException',
    };
    const noKey = checkKms({ ...healthyEvidence(), kmsKey: denied });
    expect(noKey.status).toBe('unknown');
    expect(noKey.evidence).toContain('AccessDeniedException');
    expect(noKey.remediation).toContain('kms:DescribeKey');

    const noPolicy = checkKms(withKey({ policy: denied }));
    expect(noPolicy.status).toBe('unknown');
    expect(noPolicy.evidence).toContain('kms:GetKeyPolicy');

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
      'Insights are on: ApiCallRateInsight.',
    );
  });

  it('is unknown when not answered', () => {
    const evidence = healthyEvidence();
    evidence.trail.insightTypes = accessDenied;
    expect(checkInsights(evidence).status).toBe('unknown');
  });
});
