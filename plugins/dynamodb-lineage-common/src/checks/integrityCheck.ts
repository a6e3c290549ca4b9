import type {
  LogIntegrity,
  LogIntegrityProblem,
  TrailEvidence,
} from '../types';
import { describeWhen } from './age';
import {
  CheckContext,
  CheckVerdict,
  details,
  fix,
  trailCommand,
  unknownVerdict,
  verdict,
} from './judging';

/** The first digest ends about an hour after logging starts; this long it is not missed. */
const FIRST_DIGEST_WITHIN_MINUTES = 75;

const PROBLEM_WORDS: Record<LogIntegrityProblem, string> = {
  'log-changed': 'A log file changed after delivery',
  'log-missing': 'A log file was deleted',
  'digest-changed': 'A digest file changed (its signature does not verify)',
  'digest-missing': 'A digest file was deleted',
  'digest-key-unknown':
    'A digest file is signed with a key CloudTrail does not list',
  'digest-unreadable': 'A digest file cannot be read',
  'digest-moved':
    'A digest file was copied or moved from where CloudTrail wrote it',
  'chain-broken': 'The chain of digest files is broken',
};

function windowHours(integrity: LogIntegrity): number {
  return Math.round(
    (Date.parse(integrity.to) - Date.parse(integrity.from)) / 3_600_000,
  );
}

/**
 * trail.log-integrity — the digest chain of the last hours verifies as
 * `aws cloudtrail validate-logs` would: every digest's signature, every log
 * file's SHA-256 over its uncompressed content, every link to the digest
 * before. Fails naming the first object changed, deleted or missing.
 */
export function judgeLogIntegrity(
  evidence: TrailEvidence,
  context: CheckContext,
): CheckVerdict {
  const { trail, status } = evidence.trail;
  if (!trail.logFileValidationEnabled) {
    return verdict(
      'warn',
      'Not applicable: log file validation is off, so CloudTrail writes no digest files to verify. The "Log file integrity validation is on" check counts that once.',
      {
        details: details([['LogFileValidationEnabled', false]]),
        remediation: fix(
          'Turn on log file validation; the digest chain is verified from the first digest file on.',
          [
            trailCommand(
              evidence,
              'update-trail',
              '--enable-log-file-validation',
            ),
          ],
        ),
      },
    );
  }
  const integrity = evidence.logIntegrity;
  if (!integrity) {
    return unknownVerdict([{ what: 'the digest chain' }]);
  }
  const hours = windowHours(integrity);
  const window: [string, string][] = [
    ['Window from', integrity.from],
    ['Window to', integrity.to],
  ];
  if (integrity.status === 'unknown') {
    return verdict(
      'unknown',
      `Not checked: the digest chain of the last ${hours} h could not be read.`,
      {
        details: details([['AWS error', integrity.reason], ...window]),
        remediation: fix(
          'Allow the Backstage role cloudtrail:ListPublicKeys, and s3:GetObject and s3:ListBucket on the trail bucket (digest and log prefixes), or wait until AWS answers again; the chain is verified again on the next refresh.',
        ),
      },
    );
  }
  const validateLogs = `aws cloudtrail validate-logs --trail-arn ${trail.arn} --start-time ${integrity.from}`;
  if (integrity.status === 'failed') {
    return verdict(
      'fail',
      `${
        PROBLEM_WORDS[integrity.problem]
      }. Verified before it, in the last ${hours} h: ${
        integrity.digestFiles
      } digest files and ${integrity.logFiles} log files.`,
      {
        details: details([
          ['Object', `s3://${integrity.bucket}/${integrity.key}`],
          ['Finding', integrity.detail],
          ...window,
        ]),
        remediation: fix(
          "Treat it as an incident: find who wrote or deleted the object (S3 server access logs, or CloudTrail S3 data events on the bucket), restore its previous version if versioning is on, and protect the bucket (deny deleting and writing objects to all but CloudTrail, or use S3 Object Lock). CloudTrail's own validation shows the same findings.",
          [validateLogs],
        ),
      },
    );
  }
  if (integrity.digestFiles === 0) {
    const startedAt =
      status.ok && status.value.startLoggingTime
        ? Date.parse(status.value.startLoggingTime)
        : undefined;
    const minutes =
      startedAt !== undefined
        ? Math.floor((context.now.getTime() - startedAt) / 60_000)
        : undefined;
    if (minutes !== undefined && minutes < FIRST_DIGEST_WITHIN_MINUTES) {
      return verdict(
        'pass',
        `No digest file yet: CloudTrail delivers the first one about an hour after logging starts, and the trail started logging ${minutes} min ago.`,
      );
    }
    if (status.ok && !status.value.isLogging) {
      return verdict(
        'warn',
        `No digest file in the last ${hours} h: the trail is not logging (the "Trail is logging" check counts that), so nothing was delivered to verify.`,
        {
          details: details(window),
          remediation: fix(
            'Start logging; the digest chain is verified again from the next digest file.',
            [trailCommand(evidence, 'start-logging')],
          ),
        },
      );
    }
    return verdict(
      'warn',
      `No digest file in the last ${hours} h, though log file validation is on: nothing could be verified.`,
      {
        details: details(window),
        remediation: fix(
          "Look at the trail's status for a digest delivery error, and at whether something removes files under CloudTrail-Digest/ from the bucket.",
          [trailCommand(evidence, 'get-trail-status')],
        ),
      },
    );
  }
  const counted = `${integrity.digestFiles} digest files and ${
    integrity.logFiles
  } log files of the last ${hours} h verified (digest signatures, the SHA-256 of each log file, the chain of digests)${
    integrity.newestDigestEnd
      ? `; the newest digest ends ${describeWhen(
          integrity.newestDigestEnd,
          context.now,
        )}`
      : ''
  }`;
  const facts = details([
    ['Newest digest end', integrity.newestDigestEnd],
    ...window,
  ]);
  if (integrity.logFilesUnread) {
    return verdict(
      'warn',
      `${counted}. ${integrity.logFilesUnread} more log files listed by those digests were not read: the read budget ran out.`,
      {
        details: facts,
        remediation: fix(
          "Verify the rest with CloudTrail's own validation, or shorten the verification window.",
          [validateLogs],
        ),
      },
    );
  }
  return verdict('pass', `${counted}.`, { details: facts });
}
