import type { CheckId, TrailEvidence } from '../types';
import { CHECK_DEFINITIONS, CHECK_ORDER } from './definitions';
import { runChecks } from './runChecks';
import { accessDenied, healthyEvidence, NOW } from './__fixtures__/evidence';

const scope = { accountId: '111111111111', region: 'us-east-1' };

describe('runChecks', () => {
  it('passes every check on a healthy trail, in the fixed order', () => {
    const results = runChecks(healthyEvidence(), { scope, now: NOW });
    expect(results.map(r => r.id)).toEqual(CHECK_ORDER);
    expect(results.filter(r => r.status !== 'pass')).toEqual([]);
    for (const result of results) {
      expect(result.title).toBe(CHECK_DEFINITIONS[result.id].title);
      expect(result.severity).toBe(CHECK_DEFINITIONS[result.id].severity);
      expect(result.evidence.length).toBeGreaterThan(10);
      expect(result.remediation).toBeUndefined();
    }
  });

  it('covers every check id exactly once', () => {
    expect(new Set(CHECK_ORDER).size).toBe(17);
    expect([...CHECK_ORDER].sort()).toEqual(
      Object.keys(CHECK_DEFINITIONS).sort(),
    );
  });

  it('uses the default thresholds when none are given', () => {
    const evidence = healthyEvidence();
    if (evidence.trail.status.ok) {
      evidence.trail.status.value.latestDeliveryTime = new Date(
        NOW.getTime() - 45 * 60_000,
      ).toISOString();
    }
    const delivery = runChecks(evidence, { scope, now: NOW }).find(
      r => r.id === 'freshness.delivery',
    )!;
    expect(delivery.status).toBe('warn');
  });

  const unanswered: [string, (e: TrailEvidence) => void, CheckId[]][] = [
    [
      'cloudtrail:GetTrailStatus',
      e => {
        e.trail.status = accessDenied;
      },
      ['trail.logging', 'trail.delivery', 'freshness.delivery'],
    ],
    [
      'cloudtrail:GetEventSelectors',
      e => {
        e.trail.eventSelectors = accessDenied;
      },
      ['trail.dynamodb-coverage', 'trail.duplicate-capture'],
    ],
    [
      'cloudtrail:GetInsightSelectors',
      e => {
        e.trail.insightTypes = accessDenied;
      },
      ['trail.insights'],
    ],
    [
      's3:ListBucket',
      e => {
        e.bucket!.exists = accessDenied;
      },
      [
        'bucket.public-access',
        'bucket.policy',
        'bucket.lifecycle',
        'bucket.versioning',
      ],
    ],
    [
      's3:GetBucketPublicAccessBlock',
      e => {
        e.bucket!.publicAccessBlock = accessDenied;
      },
      ['bucket.public-access'],
    ],
    [
      's3:GetBucketPolicy',
      e => {
        e.bucket!.policy = accessDenied;
      },
      ['bucket.public-access', 'bucket.policy'],
    ],
    [
      's3:GetLifecycleConfiguration',
      e => {
        e.bucket!.lifecycle = accessDenied;
      },
      ['bucket.lifecycle'],
    ],
    [
      's3:GetBucketVersioning',
      e => {
        e.bucket!.versioning = accessDenied;
      },
      ['bucket.versioning'],
    ],
    [
      's3:ListBucket',
      e => {
        e.signals!.logObjects = accessDenied;
      },
      ['freshness.objects'],
    ],
    [
      's3:GetObject',
      e => {
        e.signals!.dynamodbEvents = accessDenied;
      },
      ['freshness.dynamodb-events'],
    ],
  ];

  it.each(unanswered)(
    'reports unknown, never pass, when %s is refused',
    (permission, breakProbe, affected) => {
      const evidence = healthyEvidence();
      breakProbe(evidence);
      const results = runChecks(evidence, { scope, now: NOW });
      expect(Object.fromEntries(results.map(r => [r.id, r.status]))).toEqual(
        Object.fromEntries(
          CHECK_ORDER.map(id => [
            id,
            affected.includes(id) ? 'unknown' : 'pass',
          ]),
        ),
      );
      const unknown = results.filter(r => affected.includes(r.id));
      expect(unknown.map(r => r.evidence)).toEqual(
        affected.map(() =>
          expect.stringMatching(
            /^Not checked: AWS did not show .* \(AccessDenied\)/,
          ),
        ),
      );
      for (const result of unknown) {
        expect(result.details).toContainEqual({
          label: 'Permission needed',
          value: expect.stringContaining(permission),
        });
        expect(result.remediation?.text).toContain(permission);
      }
    },
  );

  it('reports unknown for integrity, KMS, bucket and freshness checks when they were not gathered', () => {
    const evidence: TrailEvidence = { trail: healthyEvidence().trail };
    const results = runChecks(evidence, { scope, now: NOW });
    const unknown = results.filter(r => r.status === 'unknown').map(r => r.id);
    expect(unknown).toEqual([
      'trail.duplicate-capture',
      'trail.log-integrity',
      'trail.kms',
      'bucket.public-access',
      'bucket.policy',
      'bucket.lifecycle',
      'bucket.versioning',
      'freshness.objects',
      'freshness.dynamodb-events',
      'trail.canary',
    ]);
    expect(results.find(r => r.id === 'bucket.policy')!.evidence).toBe(
      'Not checked: the log bucket dynamodb-lineage-111111111111 was not inspected.',
    );
  });

  it('turns a check that throws on malformed evidence into unknown', () => {
    const evidence = healthyEvidence();
    evidence.trail.status = { ok: true, value: undefined as any };
    const results = runChecks(evidence, { scope, now: NOW });
    const logging = results.find(r => r.id === 'trail.logging')!;
    expect(logging.status).toBe('unknown');
    expect(logging.evidence).toContain('could not be read');
    expect(results).toHaveLength(17);
  });

  describe('words', () => {
    const variants: [string, (e: TrailEvidence) => void][] = [
      ['healthy', () => {}],
      ['stopped, undelivered and misconfigured', broken],
      ['refused', refused],
    ];
    const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
    // AWS field names: two or more capitalised words run together (product
    // names and the error code AWS answered with aside).
    const AWS_FIELD =
      /\b(?!CloudTrail\b|DynamoDB\b|AccessDenied\b)[A-Z][a-z]+(?:[A-Z][a-z]+)+\b/;

    it.each(variants)(
      'evidence of a %s trail is in plain words, raw values in the details',
      (_case, edit) => {
        const evidence = healthyEvidence();
        edit(evidence);
        const results = runChecks(evidence, { scope, now: NOW });
        for (const result of results) {
          expect([result.id, result.evidence]).toEqual([
            result.id,
            expect.not.stringMatching(ISO_TIME),
          ]);
          expect([result.id, result.evidence]).toEqual([
            result.id,
            expect.not.stringMatching(AWS_FIELD),
          ]);
          // The row that shows a check already names its account and region.
          expect(result.evidence).not.toMatch(
            new RegExp(`${scope.accountId}(/| in | · )${scope.region}`),
          );
          for (const detail of result.details ?? []) {
            expect(detail.value).not.toBe('');
          }
        }
      },
    );

    it.each(variants)(
      'remediation of a %s trail keeps commands and policies out of its text',
      (_case, edit) => {
        const evidence = healthyEvidence();
        edit(evidence);
        const fixes = runChecks(evidence, { scope, now: NOW })
          .map(r => r.remediation)
          .filter(Boolean);
        for (const fix of fixes) {
          expect(fix!.text).not.toMatch(/`|\{"|aws (cloudtrail|s3api|kms) /);
          for (const command of fix!.commands ?? []) {
            expect(command).toMatch(/^aws (cloudtrail|s3|s3api|kms) [a-z-]+ /);
          }
          expect(() => JSON.parse(fix!.policy ?? '{}')).not.toThrow();
        }
      },
    );

    it('a broken trail gives a remediation with commands for every failing check', () => {
      const evidence = healthyEvidence();
      broken(evidence);
      const failing = runChecks(evidence, { scope, now: NOW }).filter(
        r => r.status === 'fail',
      );
      expect(failing.map(r => r.id)).toEqual([
        'trail.logging',
        'trail.delivery',
        'trail.dynamodb-coverage',
        'trail.log-file-validation',
        'bucket.public-access',
        'bucket.policy',
        'bucket.versioning',
        'freshness.delivery',
        'freshness.objects',
      ]);
      for (const result of failing) {
        expect([result.id, result.remediation?.commands?.length]).toEqual([
          result.id,
          expect.any(Number),
        ]);
      }
    });
  });
});

/** A trail that stopped, fails delivery, and whose selectors and bucket are misconfigured. */
function broken(evidence: TrailEvidence): void {
  evidence.trail.status = {
    ok: true,
    value: {
      isLogging: false,
      latestDeliveryError: 'AccessDenied',
      latestDeliveryTime: new Date(NOW.getTime() - 300 * 60_000).toISOString(),
      stopLoggingTime: new Date(NOW.getTime() - 200 * 60_000).toISOString(),
    },
  };
  evidence.trail.eventSelectors = {
    ok: true,
    value: {
      basic: [
        {
          ReadWriteType: 'All',
          DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
        },
      ],
    },
  };
  evidence.trail.trail.logFileValidationEnabled = false;
  delete evidence.trail.trail.kmsKeyId;
  const bucket = evidence.bucket!;
  bucket.publicAccessBlock = { ok: true, value: null };
  bucket.policy = { ok: true, value: null };
  bucket.versioning = { ok: true, value: 'Suspended' };
  bucket.lifecycle = { ok: true, value: null };
  evidence.signals!.logObjects = {
    ok: true,
    value: { prefixesListed: [] },
  };
  evidence.signals!.dynamodbEvents = {
    ok: true,
    value: { filesRead: 2, bytesRead: 10, dynamodbEvents: 0, eventsPerDay: {} },
  };
}

/** A trail whose every question AWS refused. */
function refused(evidence: TrailEvidence): void {
  evidence.trail.status = accessDenied;
  evidence.trail.eventSelectors = accessDenied;
  evidence.trail.insightTypes = accessDenied;
  evidence.kmsKey = accessDenied;
  evidence.bucket!.exists = accessDenied;
  evidence.signals!.logObjects = accessDenied;
  evidence.signals!.dynamodbEvents = accessDenied;
}
