/**
 * The S3 bucket policy a CloudTrail log bucket needs, and a reading of an
 * existing policy against it. Statement matching follows IAM: actions are
 * case-insensitive globs, resources case-sensitive globs (`*`, `?`).
 */
import type { PolicyDocument, PolicyStatement } from './types';

const CLOUDTRAIL_SERVICE = 'cloudtrail.amazonaws.com';

/** Where a trail writes: the inputs of the recommended policy and of the analysis. */
export interface CloudTrailBucketTarget {
  bucket: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, … */
  partition: string;
  /** The account whose logs land under `AWSLogs/<accountId>/` (the trail owner). */
  accountId: string;
  trailArn: string;
  keyPrefix?: string;
}

export function bucketArnOf(
  target: Pick<CloudTrailBucketTarget, 'bucket' | 'partition'>,
): string {
  return `arn:${target.partition}:s3:::${target.bucket}`;
}

/** `[prefix/]AWSLogs/<accountId>/` — where CloudTrail puts this account's log files. */
export function logKeyPrefixOf(
  target: Pick<CloudTrailBucketTarget, 'accountId' | 'keyPrefix'>,
): string {
  return `${target.keyPrefix ? `${target.keyPrefix}/` : ''}AWSLogs/${
    target.accountId
  }/`;
}

/**
 * The three statements of a hardened CloudTrail bucket policy:
 * `AWSCloudTrailAclCheck`, `AWSCloudTrailWrite` (both scoped with
 * `aws:SourceArn` against the confused deputy) and a deny of plain HTTP.
 */
export function cloudTrailBucketPolicyStatements(
  target: CloudTrailBucketTarget,
): PolicyStatement[] {
  const bucketArn = bucketArnOf(target);
  return [
    {
      Sid: 'AWSCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: 's3:GetBucketAcl',
      Resource: bucketArn,
      Condition: { StringEquals: { 'aws:SourceArn': target.trailArn } },
    },
    {
      Sid: 'AWSCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: 's3:PutObject',
      Resource: `${bucketArn}/${logKeyPrefixOf(target)}*`,
      Condition: {
        StringEquals: {
          's3:x-amz-acl': 'bucket-owner-full-control',
          'aws:SourceArn': target.trailArn,
        },
      },
    },
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
}

/* ------------------------------------------------------------------ */
/* Statement matching                                                  */
/* ------------------------------------------------------------------ */

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** IAM-style glob: `*` any run of characters, `?` one character. */
export function iamGlobMatches(
  pattern: string,
  value: string,
  ignoreCase = false,
): boolean {
  const wildcards: Record<string, string> = { '*': '.*', '?': '.' };
  const source = pattern
    .split('')
    .map(ch => wildcards[ch] ?? ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function allowsAction(statement: PolicyStatement, action: string): boolean {
  return asArray(statement.Action).some(a => iamGlobMatches(a, action, true));
}

function coversResource(statement: PolicyStatement, arn: string): boolean {
  return asArray(statement.Resource).some(r => iamGlobMatches(r, arn));
}

function isForService(statement: PolicyStatement, service: string): boolean {
  const principal = statement.Principal;
  if (!principal || typeof principal === 'string') return false;
  return asArray(principal.Service).includes(service);
}

function isForEveryone(statement: PolicyStatement): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (!principal || typeof principal === 'string') return false;
  return asArray(principal.AWS).includes('*');
}

/** The values a condition gives `key` under any of `operators` (names compared case-insensitively). */
function conditionValues(
  statement: PolicyStatement,
  operators: string[],
  key: string,
): string[] | undefined {
  const wantedOperators = operators.map(o => o.toLowerCase());
  let found: string[] | undefined;
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    if (!wantedOperators.includes(operator.toLowerCase())) continue;
    for (const [conditionKey, value] of Object.entries(block)) {
      if (conditionKey.toLowerCase() !== key.toLowerCase()) continue;
      found = [...(found ?? []), ...asArray(value).map(v => String(v))];
    }
  }
  return found;
}

/**
 * Condition keys that pin an `Allow` to known callers, so a `Principal: *`
 * statement using them with a fixed value is not public (the keys S3 Block
 * Public Access treats as non-public).
 */
const RESTRICTING_KEYS = [
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceip',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:userid',
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
];

function hasRestrictingCondition(statement: PolicyStatement): boolean {
  return Object.entries(statement.Condition ?? {}).some(([operator, block]) => {
    if (/not/i.test(operator)) return false;
    return Object.entries(block).some(
      ([key, value]) =>
        RESTRICTING_KEYS.includes(key.toLowerCase()) &&
        asArray(value).every(v => !String(v).includes('*')),
    );
  });
}

/** An `Allow` to everyone without a condition that pins the caller. */
export function isPublicStatement(statement: PolicyStatement): boolean {
  return (
    statement.Effect === 'Allow' &&
    isForEveryone(statement) &&
    !hasRestrictingCondition(statement)
  );
}

export function statementLabel(
  statement: PolicyStatement,
  index: number,
): string {
  return statement.Sid ? `"${statement.Sid}"` : `#${index + 1}`;
}

/* ------------------------------------------------------------------ */
/* Analysis                                                            */
/* ------------------------------------------------------------------ */

export interface CloudTrailBucketPolicyAnalysis {
  /** CloudTrail may `s3:GetBucketAcl` the bucket. */
  aclCheckAllowed: boolean;
  /** CloudTrail may `s3:PutObject` this trail's log files (conditions allowing). */
  writeAllowed: boolean;
  /** The usable write statement requires `aws:SourceArn` = this trail. */
  writeScopedToTrail: boolean;
  /** The usable write statement is scoped only by `aws:SourceAccount`. */
  writeScopedToAccountOnly: boolean;
  /** The usable write statement requires `s3:x-amz-acl = bucket-owner-full-control`. */
  writeRequiresOwnerFullControl: boolean;
  /** `aws:SourceArn` values of write statements that exclude this trail. */
  writesForOtherTrails: string[];
  /** A deny of requests with `aws:SecureTransport = false`. */
  tlsOnly: boolean;
  /** Labels of `Allow` statements open to everyone. */
  publicStatements: string[];
}

interface WriteStatement {
  scopedToTrail: boolean;
  scopedToAccountOnly: boolean;
  usable: boolean;
  ownerFullControl: boolean;
  sourceArns: string[];
}

function judgeWrite(
  statement: PolicyStatement,
  target: CloudTrailBucketTarget,
): WriteStatement {
  const sourceArns = conditionValues(
    statement,
    ['StringEquals', 'ArnEquals', 'StringLike', 'ArnLike'],
    'aws:SourceArn',
  );
  const sourceAccounts = conditionValues(
    statement,
    ['StringEquals', 'StringLike'],
    'aws:SourceAccount',
  );
  const arnOk = sourceArns
    ? sourceArns.some(v => iamGlobMatches(v, target.trailArn))
    : true;
  const accountOk = sourceAccounts
    ? sourceAccounts.some(v => iamGlobMatches(v, target.accountId))
    : true;
  const acl = conditionValues(statement, ['StringEquals'], 's3:x-amz-acl');
  return {
    scopedToTrail: Boolean(sourceArns) && arnOk,
    scopedToAccountOnly: !sourceArns && Boolean(sourceAccounts) && accountOk,
    usable: arnOk && accountOk,
    ownerFullControl: Boolean(acl?.includes('bucket-owner-full-control')),
    sourceArns: sourceArns ?? [],
  };
}

function rank(write: WriteStatement): number {
  return (
    (write.scopedToTrail ? 4 : 0) +
    (write.scopedToAccountOnly ? 2 : 0) +
    (write.ownerFullControl ? 1 : 0)
  );
}

/** Reads `policy` against what CloudTrail needs to deliver this trail's logs safely. */
export function analyzeCloudTrailBucketPolicy(
  policy: PolicyDocument | null,
  target: CloudTrailBucketTarget,
): CloudTrailBucketPolicyAnalysis {
  const statements = policy?.Statement ?? [];
  const bucketArn = bucketArnOf(target);
  const sampleLogObject = `${bucketArn}/${logKeyPrefixOf(
    target,
  )}CloudTrail/us-east-1/2025/01/01/${
    target.accountId
  }_CloudTrail_us-east-1_20250101T0000Z_sample.json.gz`;
  const cloudTrailAllows = statements.filter(
    s => s.Effect === 'Allow' && isForService(s, CLOUDTRAIL_SERVICE),
  );
  const writes = cloudTrailAllows
    .filter(
      s =>
        allowsAction(s, 's3:PutObject') && coversResource(s, sampleLogObject),
    )
    .map(s => judgeWrite(s, target));
  const usable = writes.filter(w => w.usable).sort((a, b) => rank(b) - rank(a));
  const best = usable[0];
  return {
    aclCheckAllowed: cloudTrailAllows.some(
      s => allowsAction(s, 's3:GetBucketAcl') && coversResource(s, bucketArn),
    ),
    writeAllowed: Boolean(best),
    writeScopedToTrail: Boolean(best?.scopedToTrail),
    writeScopedToAccountOnly: Boolean(best?.scopedToAccountOnly),
    writeRequiresOwnerFullControl: Boolean(best?.ownerFullControl),
    writesForOtherTrails: writes
      .filter(w => !w.usable)
      .flatMap(w => w.sourceArns),
    tlsOnly: statements.some(
      s =>
        s.Effect === 'Deny' &&
        isForEveryone(s) &&
        (allowsAction(s, 's3:GetObject') || allowsAction(s, 's3:PutObject')) &&
        coversResource(s, `${bucketArn}/${logKeyPrefixOf(target)}x`) &&
        Boolean(
          conditionValues(
            s,
            ['Bool', 'BoolIfExists'],
            'aws:SecureTransport',
          )?.includes('false'),
        ),
    ),
    publicStatements: statements
      .map((s, i) => (isPublicStatement(s) ? statementLabel(s, i) : undefined))
      .filter((label): label is string => label !== undefined),
  };
}
