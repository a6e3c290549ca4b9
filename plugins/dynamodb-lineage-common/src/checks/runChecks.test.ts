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
    expect(new Set(CHECK_ORDER).size).toBe(16);
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
      'GetTrailStatus',
      e => {
        e.trail.status = accessDenied;
      },
      ['trail.logging', 'trail.delivery', 'freshness.delivery'],
    ],
    [
      'GetEventSelectors',
      e => {
        e.trail.eventSelectors = accessDenied;
      },
      ['trail.dynamodb-coverage'],
    ],
    [
      'GetInsightSelectors',
      e => {
        e.trail.insightTypes = accessDenied;
      },
      ['trail.insights'],
    ],
    [
      'HeadBucket',
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
      'GetPublicAccessBlock',
      e => {
        e.bucket!.publicAccessBlock = accessDenied;
      },
      ['bucket.public-access'],
    ],
    [
      'GetBucketPolicy',
      e => {
        e.bucket!.policy = accessDenied;
      },
      ['bucket.public-access', 'bucket.policy'],
    ],
    [
      'GetBucketLifecycleConfiguration',
      e => {
        e.bucket!.lifecycle = accessDenied;
      },
      ['bucket.lifecycle'],
    ],
    [
      'GetBucketVersioning',
      e => {
        e.bucket!.versioning = accessDenied;
      },
      ['bucket.versioning'],
    ],
    [
      'ListObjectsV2',
      e => {
        e.signals!.logObjects = accessDenied;
      },
      ['freshness.objects'],
    ],
    [
      'Reading the newest log files',
      e => {
        e.signals!.dynamodbEvents = accessDenied;
      },
      ['freshness.dynamodb-events'],
    ],
  ];

  it.each(unanswered)(
    'reports unknown, never pass, when %s is not answered',
    (question, breakProbe, affected) => {
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
        affected.map(() => expect.stringContaining(question)),
      );
      expect(unknown.map(r => r.evidence)).toEqual(
        affected.map(() => expect.stringContaining('AccessDenied')),
      );
      expect(unknown.every(r => r.remediation)).toBe(true);
    },
  );

  it('reports unknown for integrity, KMS, bucket and freshness checks when they were not gathered', () => {
    const evidence: TrailEvidence = { trail: healthyEvidence().trail };
    const results = runChecks(evidence, { scope, now: NOW });
    const unknown = results.filter(r => r.status === 'unknown').map(r => r.id);
    expect(unknown).toEqual([
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
    expect(results.find(r => r.id === 'bucket.policy')!.evidence).toContain(
      'not inspected',
    );
  });

  it('turns a check that throws on malformed evidence into unknown', () => {
    const evidence = healthyEvidence();
    evidence.trail.status = { ok: true, value: undefined as any };
    const results = runChecks(evidence, { scope, now: NOW });
    const logging = results.find(r => r.id === 'trail.logging')!;
    expect(logging.status).toBe('unknown');
    expect(logging.evidence).toContain('could not be read');
    expect(results).toHaveLength(16);
  });
});
