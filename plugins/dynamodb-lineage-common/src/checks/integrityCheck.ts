import type {
  LogIntegrity,
  LogIntegrityProblem,
  TrailEvidence,
} from '../types';
import { CheckContext, CheckVerdict, unknownVerdict, verdict } from './judging';

/** The first digest ends about an hour after logging starts; this long it is not missed. */
const FIRST_DIGEST_WITHIN_MINUTES = 75;

const PROBLEM_WORDS: Record<LogIntegrityProblem, string> = {
  'log-changed': 'Log file changed after delivery',
  'log-missing': 'Log file deleted',
  'digest-changed': 'Digest file changed (its signature does not verify)',
  'digest-missing': 'Digest file deleted',
  'digest-key-unknown':
    'Digest file signed with a key CloudTrail does not list',
  'digest-unreadable': 'Digest file unreadable',
  'digest-moved': 'Digest file copied or moved from where CloudTrail wrote it',
  'chain-broken': 'Digest chain broken',
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
      `Not applicable: log file validation is off for ${trail.name}, so CloudTrail writes no digest files to verify. The missing validation is counted once, by trail.log-file-validation.`,
      'Enable log file validation (see trail.log-file-validation); the digest chain is verified from the first digest file on.',
    );
  }
  const integrity = evidence.logIntegrity;
  if (!integrity) {
    return unknownVerdict(['digest chain: not verified in this refresh']);
  }
  const hours = windowHours(integrity);
  const where = `${context.scope.accountId}/${context.scope.region}`;
  if (integrity.status === 'unknown') {
    return unknownVerdict(
      [`digest chain of the last ${hours} h: ${integrity.reason}`],
      'Grant the Backstage role cloudtrail:ListPublicKeys and s3:GetObject and s3:ListBucket on the trail bucket (digest and log prefixes), or retry when AWS answers; the chain is verified again on the next refresh.',
    );
  }
  if (integrity.status === 'failed') {
    return verdict(
      'fail',
      `${PROBLEM_WORDS[integrity.problem]}: s3://${integrity.bucket}/${
        integrity.key
      } — ${
        integrity.detail
      }. Verified before it (last ${hours} h, ${where}): ${
        integrity.digestFiles
      } digest files and ${integrity.logFiles} log files.`,
      `Treat it as an incident: find who wrote or deleted the object (S3 server access logs or CloudTrail S3 data events on the bucket), restore its previous version when versioning is on, and protect the bucket (deny s3:DeleteObject and s3:PutObject to all but CloudTrail, or S3 Object Lock). \`aws cloudtrail validate-logs --trail-arn ${trail.arn} --start-time ${integrity.from}\` shows the same findings.`,
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
        `No digest file yet: CloudTrail delivers the first one about an hour after logging starts (${trail.name} started logging ${minutes} min ago).`,
      );
    }
    if (status.ok && !status.value.isLogging) {
      return verdict(
        'warn',
        `No digest file for ${where} in the last ${hours} h: ${trail.name} is not logging (counted by trail.logging), so nothing was delivered to verify.`,
        'Start logging (see trail.logging); the digest chain is verified again from the next digest file.',
      );
    }
    return verdict(
      'warn',
      `No digest file for ${where} in the last ${hours} h, though log file validation is on: nothing could be verified.`,
      'Check the trail’s digest delivery (`aws cloudtrail get-trail-status`: LatestDigestDeliveryError) and whether something removes files under CloudTrail-Digest/ from the bucket.',
    );
  }
  const counted = `${integrity.digestFiles} digest files and ${
    integrity.logFiles
  } log files of the last ${hours} h verified for ${where} (digest signatures, SHA-256 of each log file, the chain of digests)${
    integrity.newestDigestEnd
      ? `, the newest digest ending ${integrity.newestDigestEnd}`
      : ''
  }`;
  if (integrity.logFilesUnread) {
    return verdict(
      'warn',
      `${counted}; ${integrity.logFilesUnread} more log files listed by those digests were not read: the read budget ran out.`,
      'Verify the rest with `aws cloudtrail validate-logs`, or shorten the verification window.',
    );
  }
  return verdict('pass', `${counted}.`);
}
