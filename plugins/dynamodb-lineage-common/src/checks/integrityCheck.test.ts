import type { LogIntegrity, TrailEvidence } from '../types';
import {
  checkOf,
  detailOf,
  healthyEvidence,
  minutesAgo,
  NOW,
  TRAIL_ARN,
} from './__fixtures__/evidence';

const checkIntegrity = checkOf('trail.log-integrity');

const window = { from: minutesAgo(360), to: NOW.toISOString() };

function withIntegrity(
  logIntegrity: LogIntegrity | undefined,
  patch: (evidence: TrailEvidence) => void = () => {},
): TrailEvidence {
  const evidence = healthyEvidence();
  if (logIntegrity) evidence.logIntegrity = logIntegrity;
  else delete evidence.logIntegrity;
  patch(evidence);
  return evidence;
}

describe('trail.log-integrity', () => {
  it('passes with the counts of what was verified', () => {
    const result = checkIntegrity(healthyEvidence());
    expect(result).toMatchObject({
      status: 'pass',
      severity: 'high',
      controls: ['NIST SP 800-53 AU-9(3)', 'PCI DSS 10.3.4'],
    });
    expect(result.evidence).toContain(
      '6 digest files and 72 log files of the last 6 h verified',
    );
    expect(result.evidence).not.toContain('111111111111');
    expect(result.remediation).toBeUndefined();
  });

  it('fails naming the first object changed, with what was verified before it', () => {
    const result = checkIntegrity(
      withIntegrity({
        status: 'failed',
        ...window,
        problem: 'log-changed',
        bucket: 'logs',
        key: 'AWSLogs/111111111111/CloudTrail/us-east-1/2025/06/01/x.json.gz',
        detail: 'SHA-256 of its content is 00; the digest lists 11',
        digestFiles: 2,
        logFiles: 30,
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe(
      'A log file changed after delivery. Verified before it, in the last 6 h: 2 digest files and 30 log files.',
    );
    expect(detailOf(result, 'Object')).toBe(
      's3://logs/AWSLogs/111111111111/CloudTrail/us-east-1/2025/06/01/x.json.gz',
    );
    expect(detailOf(result, 'Finding')).toBe(
      'SHA-256 of its content is 00; the digest lists 11',
    );
    expect(result.remediation?.commands).toEqual([
      `aws cloudtrail validate-logs --trail-arn ${TRAIL_ARN} --start-time ${window.from}`,
    ]);
  });

  it('names a deleted digest as deleted', () => {
    const result = checkIntegrity(
      withIntegrity({
        status: 'failed',
        ...window,
        problem: 'digest-missing',
        bucket: 'logs',
        key: 'AWSLogs/d.json.gz',
        detail: 'the next digest names it',
        digestFiles: 1,
        logFiles: 3,
      }),
    );
    expect(result.evidence).toMatch(/^A digest file was deleted\./);
    expect(detailOf(result, 'Object')).toBe('s3://logs/AWSLogs/d.json.gz');
  });

  it('is not applicable (warn) when validation is off, and says the other check counts it', () => {
    const result = checkIntegrity(
      withIntegrity(undefined, evidence => {
        evidence.trail.trail.logFileValidationEnabled = false;
      }),
    );
    expect(result.status).toBe('warn');
    expect(result.evidence).toMatch(/^Not applicable/);
    expect(result.evidence).toContain(
      'The "Log file integrity validation is on" check counts that once.',
    );
  });

  it('is unknown with AWS’s reason when AWS did not answer, and when nothing was verified', () => {
    const refused = checkIntegrity(
      withIntegrity({
        status: 'unknown',
        ...window,
        reason: 'AccessDeniedException: not allowed',
      }),
    );
    expect(refused.status).toBe('unknown');
    expect(refused.evidence).toBe(
      'Not checked: the digest chain of the last 6 h could not be read.',
    );
    expect(detailOf(refused, 'AWS error')).toBe(
      'AccessDeniedException: not allowed',
    );
    expect(refused.remediation?.text).toContain('cloudtrail:ListPublicKeys');
    expect(checkIntegrity(withIntegrity(undefined)).status).toBe('unknown');
  });

  describe('without any digest in the window', () => {
    const none: LogIntegrity = {
      status: 'verified',
      ...window,
      digestFiles: 0,
      logFiles: 0,
    };

    it('passes while the first digest is not due yet', () => {
      const result = checkIntegrity(
        withIntegrity(none, evidence => {
          evidence.trail.status = {
            ok: true,
            value: { isLogging: true, startLoggingTime: minutesAgo(20) },
          };
        }),
      );
      expect(result.status).toBe('pass');
      expect(result.evidence).toContain('the trail started logging 20 min ago');
    });

    it('warns when the trail does not log, pointing at trail.logging', () => {
      const result = checkIntegrity(
        withIntegrity(none, evidence => {
          evidence.trail.status = {
            ok: true,
            value: { isLogging: false, startLoggingTime: minutesAgo(600) },
          };
        }),
      );
      expect(result.status).toBe('warn');
      expect(result.evidence).toContain(
        'the trail is not logging (the "Trail is logging" check counts that)',
      );
      expect(result.remediation?.commands).toEqual([
        'aws cloudtrail start-logging --name dynamodb-lineage --region us-east-1',
      ]);
    });

    it('warns that nothing could be verified when a logging trail has no digest', () => {
      const result = checkIntegrity(withIntegrity(none));
      expect(result.status).toBe('warn');
      expect(result.evidence).toContain('nothing could be verified');
    });
  });

  it('warns when the read budget left log files unverified', () => {
    const result = checkIntegrity(
      withIntegrity({
        status: 'verified',
        ...window,
        digestFiles: 6,
        logFiles: 40,
        logFilesUnread: 32,
      }),
    );
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain('32 more log files');
  });
});
