import { deriveTrailStatus } from '../status';
import type { CanaryCall } from '../canary';
import {
  CANARY_TABLE_ARN,
  checkOf,
  context,
  healthyCanary,
  healthyEvidence,
  minutesAgo,
} from './__fixtures__/evidence';
import { describeCanaryLatency } from './canaryCheck';
import { runChecks } from './runChecks';

const checkCanary = checkOf('trail.canary');

function withCalls(calls: CanaryCall[], extra: { callError?: string } = {}) {
  const evidence = healthyEvidence();
  evidence.canary = {
    ok: true,
    value: { tableArn: CANARY_TABLE_ARN, enabled: true, calls, ...extra },
  };
  return evidence;
}

const arrived = (minutes: number, latency = 4): CanaryCall => ({
  requestId: `R${minutes}`,
  calledAt: minutesAgo(minutes),
  eventTime: minutesAgo(minutes),
  deliveredAt: minutesAgo(minutes - latency),
});
const notArrived = (minutes: number): CanaryCall => ({
  requestId: `R${minutes}`,
  calledAt: minutesAgo(minutes),
});

describe('trail.canary', () => {
  it('passes when the canary call is in the delivered logs, with the capture latency', () => {
    const result = checkCanary(healthyEvidence());
    expect(result.status).toBe('pass');
    expect(result.severity).toBe('high');
    expect(result.evidence).toContain(
      'is in the delivered logs of dynamodb-lineage',
    );
    expect(result.details).toContainEqual({
      label: 'Request id',
      value: 'R15',
    });
    expect(result.evidence).toContain(
      'capture latency (event → delivery) p50 4 min, p95 4 min over 34 canary call(s)',
    );
    expect(result.remediation).toBeUndefined();
  });

  it('reports p50 and p95 of the latencies by nearest rank', () => {
    const calls = Array.from({ length: 20 }, (_, i) => arrived(30 + i, i + 1));
    expect(describeCanaryLatency(calls)).toBe(
      'capture latency (event → delivery) p50 10 min, p95 19 min over 20 canary call(s) of the last day',
    );
  });

  it('fails when a canary older than failAfter never arrived, naming the call', () => {
    const result = checkCanary(
      withCalls([notArrived(5), notArrived(125), arrived(300)]),
    );
    expect(result.status).toBe('fail');
    expect(result.details).toContainEqual({
      label: 'Missing request id',
      value: 'R125',
    });
    expect(result.evidence).toContain('never arrived');
    expect(result.evidence).toContain('Before: capture latency');
    expect(JSON.stringify(result.remediation)).toContain(CANARY_TABLE_ARN);
    expect(
      deriveTrailStatus(
        runChecks(withCalls([notArrived(125)]), {
          scope: context().scope,
          now: context().now,
        }),
      ).status,
    ).toBe('failing');
  });

  it('is pending (unknown, not a finding) while the calls are younger than failAfter', () => {
    const evidence = withCalls([notArrived(5), notArrived(60)]);
    const result = checkCanary(evidence);
    expect(result.status).toBe('unknown');
    expect(result.evidence).toContain('Pending: 2 canary call(s)');
    expect(
      deriveTrailStatus(
        runChecks(evidence, { scope: context().scope, now: context().now }),
      ).status,
    ).toBe('healthy');
  });

  it('ignores calls made before the trail started logging', () => {
    const evidence = withCalls([notArrived(5), notArrived(300)]);
    if (!evidence.trail.status.ok) throw new Error('fixture');
    evidence.trail.status.value.startLoggingTime = minutesAgo(10);
    expect(checkCanary(evidence).evidence).toContain(
      'Pending: 1 canary call(s)',
    );
  });

  it('passes when only an older call was lost, counting it', () => {
    const result = checkCanary(withCalls([arrived(125), notArrived(200)]));
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain(
      '1 older canary call(s) of the last day were not found',
    );
  });

  it('is unknown, without making the trail unknown, when the canary is off', () => {
    const evidence = healthyEvidence();
    evidence.canary = {
      ok: true,
      value: { tableArn: CANARY_TABLE_ARN, enabled: false, calls: [] },
    };
    const result = checkCanary(evidence);
    expect(result.status).toBe('unknown');
    expect(result.evidence).toContain('The canary is off');
    expect(JSON.stringify(result.remediation)).toContain('dynamodb:GetItem on');
    const checks = runChecks(evidence, {
      scope: context().scope,
      now: context().now,
    });
    expect(deriveTrailStatus(checks).status).toBe('healthy');
  });

  it('is unknown when the call was refused and nothing was recorded', () => {
    const result = checkCanary(
      withCalls([], { callError: 'AccessDeniedException: not authorized' }),
    );
    expect(result.status).toBe('unknown');
    expect(result.evidence).toContain('AccessDeniedException');
    const missing = healthyEvidence();
    delete missing.canary;
    expect(checkCanary(missing).status).toBe('unknown');
  });

  it('keeps the fixture healthy', () => {
    expect(healthyCanary().calls[0].eventTime).toBeUndefined();
  });
});
