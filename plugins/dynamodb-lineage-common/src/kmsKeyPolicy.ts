/**
 * What CloudTrail needs of the KMS key that encrypts a trail's log files, and a
 * reading of a key against it. CloudTrail calls `kms:GenerateDataKey*` as the
 * service principal `cloudtrail.amazonaws.com`, with the trail ARN as
 * `aws:SourceArn` and as the encryption context `aws:cloudtrail:arn`.
 */
import { iamGlobMatches } from './bucketPolicy';
import type { KmsKeyFacts, PolicyDocument, PolicyStatement } from './types';

const CLOUDTRAIL_SERVICE = 'cloudtrail.amazonaws.com';

export interface CloudTrailKeyTarget {
  /** `aws`, `aws-cn`, `aws-us-gov`, … */
  partition: string;
  /** The trail's account. */
  accountId: string;
  trailArn: string;
}

/**
 * The key policy statement that lets CloudTrail encrypt this trail's logs: the
 * trail as `aws:SourceArn`, and the encryption context limited to the
 * account's trails, as the CloudTrail documentation writes it.
 */
export function cloudTrailKeyPolicyStatement(
  target: CloudTrailKeyTarget,
): PolicyStatement {
  return {
    Sid: 'AllowCloudTrailToEncryptLogs',
    Effect: 'Allow',
    Principal: { Service: CLOUDTRAIL_SERVICE },
    Action: 'kms:GenerateDataKey*',
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceArn': target.trailArn },
      StringLike: {
        'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${target.partition}:cloudtrail:*:${target.accountId}:trail/*`,
      },
    },
  };
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function principalIncludesCloudTrail(statement: PolicyStatement): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (!principal || typeof principal === 'string') return false;
  return (
    asArray(principal.Service).includes(CLOUDTRAIL_SERVICE) ||
    asArray(principal.AWS).includes('*')
  );
}

/** A condition operator applied to the request CloudTrail makes; unknown operators never hold. */
function operatorHolds(
  operator: string,
  expected: string[],
  actual: string | undefined,
): boolean {
  const ifExists = /IfExists$/i.test(operator);
  const op = operator.replace(/IfExists$/i, '').toLowerCase();
  if (op === 'null') {
    return expected.some(v => (v === 'true') === (actual === undefined));
  }
  if (actual === undefined) {
    return ifExists || op.startsWith('stringnot') || op.startsWith('arnnot');
  }
  switch (op) {
    case 'stringequals':
    case 'arnequals':
      return expected.includes(actual);
    case 'stringequalsignorecase':
      return expected.some(v => v.toLowerCase() === actual.toLowerCase());
    case 'stringlike':
    case 'arnlike':
      return expected.some(v => iamGlobMatches(v, actual));
    case 'stringnotequals':
    case 'arnnotequals':
      return !expected.includes(actual);
    case 'stringnotlike':
    case 'arnnotlike':
      return !expected.some(v => iamGlobMatches(v, actual));
    default:
      return false;
  }
}

function conditionsHold(
  statement: PolicyStatement,
  context: Record<string, string>,
): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, block]) =>
    Object.entries(block).every(([key, value]) => {
      const actual = Object.entries(context).find(
        ([name]) => name.toLowerCase() === key.toLowerCase(),
      )?.[1];
      return operatorHolds(
        operator,
        asArray(value).map(v => String(v)),
        actual,
      );
    }),
  );
}

function applies(
  statement: PolicyStatement,
  keyArn: string,
  context: Record<string, string>,
): boolean {
  return (
    principalIncludesCloudTrail(statement) &&
    asArray(statement.Action).some(a =>
      iamGlobMatches(a, 'kms:GenerateDataKey', true),
    ) &&
    asArray(statement.Resource).some(r => iamGlobMatches(r, keyArn)) &&
    conditionsHold(statement, context)
  );
}

/**
 * Whether the key policy lets CloudTrail call kms:GenerateDataKey for this
 * trail: an Allow to the CloudTrail service principal whose action, resource
 * and conditions (`aws:SourceArn`, `aws:SourceAccount`,
 * `kms:EncryptionContext:aws:cloudtrail:arn`) match, and no Deny that does.
 */
export function cloudTrailMayEncrypt(
  policy: PolicyDocument | null,
  target: CloudTrailKeyTarget & { keyArn?: string },
): boolean {
  const keyArn = target.keyArn ?? '*';
  const context = {
    'aws:SourceArn': target.trailArn,
    'aws:SourceAccount': target.accountId,
    'kms:EncryptionContext:aws:cloudtrail:arn': target.trailArn,
    'kms:CallerAccount': target.accountId,
  };
  const statements = policy?.Statement ?? [];
  if (
    statements.some(s => s.Effect === 'Deny' && applies(s, keyArn, context))
  ) {
    return false;
  }
  return statements.some(
    s => s.Effect === 'Allow' && applies(s, keyArn, context),
  );
}

/** One thing that keeps CloudTrail from encrypting with a key, and its fix. */
export interface KmsKeyProblem {
  /** The problem in plain words, e.g. `the key is disabled`. */
  problem: string;
  /** The fix in plain words. */
  fix: string;
  /** The AWS CLI command that fixes it, when one does. */
  command?: string;
  /** The key policy statement to add, when the policy is the problem. */
  statement?: PolicyStatement;
}

/**
 * What keeps CloudTrail from encrypting with this key, each with its fix;
 * empty when the key is usable. A policy that could not be read is not a
 * problem here (the caller reports it as unanswered).
 */
export function kmsKeyProblems(
  key: KmsKeyFacts,
  target: CloudTrailKeyTarget,
): KmsKeyProblem[] {
  if (!key.exists) {
    return [
      {
        problem: `the key ${key.reference} does not exist in account ${target.accountId}`,
        fix: 'Encrypt with a key that exists, or stop encrypting with this one.',
      },
    ];
  }
  const name = key.arn ?? key.reference;
  const problems: KmsKeyProblem[] = [];
  if (key.keyState === 'PendingDeletion') {
    problems.push({
      problem: 'the key is scheduled for deletion',
      fix: 'Cancel the deletion, then enable the key.',
      command: `aws kms cancel-key-deletion --key-id ${name}`,
    });
  } else if (key.keyState && key.keyState !== 'Enabled') {
    problems.push({
      problem: `the key is ${key.keyState.toLowerCase()}`,
      fix: 'Enable the key.',
      command: `aws kms enable-key --key-id ${name}`,
    });
  }
  if (
    (key.keySpec && key.keySpec !== 'SYMMETRIC_DEFAULT') ||
    (key.keyUsage && key.keyUsage !== 'ENCRYPT_DECRYPT')
  ) {
    problems.push({
      problem: 'the key is not a symmetric encryption key',
      fix: 'Encrypt with a symmetric encryption key: CloudTrail cannot use any other kind.',
    });
  }
  if (
    key.policy?.ok &&
    !cloudTrailMayEncrypt(key.policy.value, { ...target, keyArn: key.arn })
  ) {
    problems.push({
      problem:
        "the key's policy does not let CloudTrail encrypt for this trail",
      fix: "Add the statement below to the key's policy.",
      statement: cloudTrailKeyPolicyStatement(target),
    });
  }
  return problems;
}

/** A problem as one line that names the key, for a plan that the problem blocks. */
export function kmsKeyBlocker(
  key: KmsKeyFacts,
  problem: KmsKeyProblem,
): string {
  const fix = problem.command
    ? `${problem.fix.replace(/\.$/, '')}: ${problem.command}`
    : problem.fix;
  return `KMS key ${key.arn ?? key.reference}: ${problem.problem}. ${fix}`;
}
