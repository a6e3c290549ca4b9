import {
  PolicyDocument,
  PolicyStatement,
} from '@lineage/plugin-dynamodb-lineage-common';
import { asList, sameJson, unique } from './objects';

/*
 * PutBucketPolicy replaces the whole document: other statements of a shared bucket
 * stay, ours are replaced by Sid. The CloudTrail allow statements keep the trail ARNs
 * and resources they already named, so other trails writing to the bucket keep working.
 */

export interface PolicyMerge {
  merged: PolicyDocument;
  /** Sids of our statements that were missing or different, with why. */
  differences: {
    sid: string;
    current?: PolicyStatement;
    desired: PolicyStatement;
    reason: string;
  }[];
  /** Notes for the plan (what was kept on purpose). */
  notes: string[];
}

export function mergeBucketPolicy(
  live: PolicyDocument | null,
  desired: PolicyStatement[],
): PolicyMerge {
  const statements = [...(live?.Statement ?? [])];
  const differences: PolicyMerge['differences'] = [];
  const notes: string[] = [];

  for (const wanted of desired) {
    const index = statements.findIndex(s => s.Sid === wanted.Sid);
    const current = index >= 0 ? statements[index] : undefined;

    if (wanted.Effect === 'Deny' && index < 0) {
      const equivalent = statements.find(s => isTlsOnlyDeny(s));
      if (equivalent) {
        notes.push(
          `Kept the bucket's existing TLS-only deny${
            equivalent.Sid ? ` (${equivalent.Sid})` : ''
          } instead of adding ${wanted.Sid}`,
        );
        continue;
      }
    }

    const target =
      wanted.Effect === 'Allow' && current
        ? widenAllow(wanted, current)
        : wanted;
    if (
      current &&
      sameJson(normalizeStatement(current), normalizeStatement(target))
    ) {
      continue;
    }
    differences.push({
      sid: wanted.Sid ?? '',
      ...(current ? { current } : {}),
      desired: target,
      reason: current
        ? `statement ${
            wanted.Sid
          } differs from the hardened one (${describeDifference(
            current,
            target,
          )})`
        : `statement ${wanted.Sid} is missing`,
    });
    if (current) {
      statements[index] = target;
      if (
        wanted.Effect === 'Allow' &&
        !conditionValues(current, 'aws:SourceArn').length
      ) {
        notes.push(
          `${wanted.Sid} becomes scoped to aws:SourceArn; other trails writing to this bucket need their ARN added to it`,
        );
      }
    } else {
      statements.push(target);
    }
  }

  return {
    merged: { Version: live?.Version ?? '2012-10-17', Statement: statements },
    differences,
    notes,
  };
}

/** Our allow statement, also naming the trails and paths the live one already allowed. */
function widenAllow(
  wanted: PolicyStatement,
  current: PolicyStatement,
): PolicyStatement {
  const sourceArns = unique([
    ...conditionValues(current, 'aws:SourceArn'),
    ...conditionValues(wanted, 'aws:SourceArn'),
  ]);
  const resources = unique([
    ...asList(current.Resource),
    ...asList(wanted.Resource),
  ]);
  const stringEquals = { ...(wanted.Condition?.StringEquals ?? {}) };
  stringEquals['aws:SourceArn'] =
    sourceArns.length === 1 ? sourceArns[0] : sourceArns;
  return {
    ...wanted,
    Resource: resources.length === 1 ? resources[0] : resources,
    Condition: { ...wanted.Condition, StringEquals: stringEquals },
  };
}

function conditionValues(statement: PolicyStatement, key: string): string[] {
  const values: string[] = [];
  for (const operator of [
    'StringEquals',
    'ArnEquals',
    'ArnLike',
    'StringLike',
  ]) {
    const value = statement.Condition?.[operator]?.[key];
    values.push(...asList(value as string | string[] | undefined).map(String));
  }
  return values;
}

export function isTlsOnlyDeny(statement: PolicyStatement): boolean {
  const value = statement.Condition?.Bool?.['aws:SecureTransport'];
  return (
    statement.Effect === 'Deny' &&
    (value === false || value === 'false') &&
    asList(statement.Action).some(a => a === 's3:*' || a === '*')
  );
}

/** IAM treats a single value and a one-item list alike, and list order is meaningless. */
export function normalizeStatement(statement: PolicyStatement): unknown {
  return normalizePolicyValue(statement);
}

function normalizePolicyValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value
      .map(v => JSON.stringify(normalizePolicyValue(v)))
      .sort();
    const parsed = items.map(item => JSON.parse(item));
    return parsed.length === 1 ? parsed[0] : parsed;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        normalizePolicyValue(v),
      ]),
    );
  }
  return typeof value === 'boolean' ? String(value) : value;
}

function describeDifference(
  current: PolicyStatement,
  wanted: PolicyStatement,
): string {
  const fields = (
    ['Effect', 'Principal', 'Action', 'Resource', 'Condition'] as const
  ).filter(
    field =>
      !sameJson(
        normalizePolicyValue(current[field]),
        normalizePolicyValue(wanted[field]),
      ),
  );
  return fields.length ? `${fields.join(', ')} differ` : 'content differs';
}
