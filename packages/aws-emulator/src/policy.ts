/**
 * A small evaluator of resource policies (S3 bucket policies), enough to
 * answer the questions AWS asks of them: may CloudTrail write here, may this
 * principal read, is the policy public. Unknown condition operators never
 * grant access.
 */

export interface PolicyRequest {
  /** The calling service principal, e.g. `cloudtrail.amazonaws.com`. */
  service?: string;
  /** The calling AWS principal: account id, root ARN and principal ARN. */
  aws?: string[];
  action: string;
  resource: string;
  /** Condition keys (lower-case names are matched case-insensitively). */
  context: Record<string, string | boolean | undefined>;
}

export type PolicyDecision = 'Allow' | 'Deny' | 'None';

interface Statement {
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .split('')
    .map(char => {
      if (char === '*') return '.*';
      if (char === '?') return '.';
      return char.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

export const globMatch = (
  pattern: string,
  value: string,
  caseInsensitive = false,
): boolean => globToRegExp(pattern, caseInsensitive).test(value);

function principalMatches(principal: unknown, request: PolicyRequest): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const record = principal as Record<string, unknown>;
  const services = asList(record.Service).map(String);
  if (request.service && services.includes(request.service)) return true;
  const awsPrincipals = asList(record.AWS).map(String);
  if (awsPrincipals.includes('*')) return true;
  return (request.aws ?? []).some(candidate =>
    awsPrincipals.includes(candidate),
  );
}

function listMatches(
  patterns: unknown,
  value: string,
  caseInsensitive: boolean,
): boolean {
  return asList(patterns).some(pattern =>
    globMatch(String(pattern), value, caseInsensitive),
  );
}

function contextValue(
  context: PolicyRequest['context'],
  key: string,
): string | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) {
    if (name.toLowerCase() === wanted && value !== undefined)
      return String(value);
  }
  return undefined;
}

function conditionHolds(
  operator: string,
  key: string,
  expected: unknown,
  context: PolicyRequest['context'],
): boolean {
  const ifExists = operator.endsWith('IfExists');
  const op = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const actual = contextValue(context, key);
  const values = asList(expected).map(String);
  if (op === 'Null') {
    return values.some(v => (v === 'true') === (actual === undefined));
  }
  if (actual === undefined) {
    // Negated operators are satisfied by a missing key, as in IAM.
    return ifExists || op.startsWith('StringNot') || op.startsWith('ArnNot');
  }
  switch (op) {
    case 'StringEquals':
    case 'ArnEquals':
      return values.includes(actual);
    case 'StringEqualsIgnoreCase':
      return values.some(v => v.toLowerCase() === actual.toLowerCase());
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !values.includes(actual);
    case 'StringNotEqualsIgnoreCase':
      return !values.some(v => v.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return values.some(v => globMatch(v, actual));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !values.some(v => globMatch(v, actual));
    case 'Bool':
      return values.some(v => v.toLowerCase() === actual.toLowerCase());
    default:
      return false;
  }
}

function conditionsHold(
  conditions: Statement['Condition'],
  context: PolicyRequest['context'],
): boolean {
  if (!conditions) return true;
  return Object.entries(conditions).every(([operator, keys]) =>
    Object.entries(keys ?? {}).every(([key, expected]) =>
      conditionHolds(operator, key, expected, context),
    ),
  );
}

type PolicyKind = 'resource' | 'identity' | 'trust';

function statementApplies(
  statement: Statement,
  request: PolicyRequest,
  kind: PolicyKind = 'resource',
): boolean {
  const identityPolicy = kind === 'identity';
  if (identityPolicy) {
    // Identity policies name no principal: the policy's holder is the caller.
    if (
      statement.Principal !== undefined ||
      statement.NotPrincipal !== undefined
    )
      return false;
  } else if (statement.Principal !== undefined) {
    if (!principalMatches(statement.Principal, request)) return false;
  } else if (statement.NotPrincipal !== undefined) {
    if (principalMatches(statement.NotPrincipal, request)) return false;
  } else {
    return false;
  }
  if (statement.Action !== undefined) {
    if (!listMatches(statement.Action, request.action, true)) return false;
  } else if (statement.NotAction !== undefined) {
    if (listMatches(statement.NotAction, request.action, true)) return false;
  } else {
    return false;
  }
  if (kind === 'trust') {
    // A role's trust policy is about the role itself: it names no resource.
    if (statement.Resource !== undefined || statement.NotResource !== undefined)
      return false;
  } else if (statement.Resource !== undefined) {
    if (!listMatches(statement.Resource, request.resource, false)) return false;
  } else if (statement.NotResource !== undefined) {
    if (listMatches(statement.NotResource, request.resource, false))
      return false;
  } else {
    return false;
  }
  return conditionsHold(statement.Condition, request.context);
}

export function parsePolicy(
  text: string,
): { Statement: Statement[] } | undefined {
  try {
    const parsed = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return undefined;
    }
    const statements = asList(parsed.Statement);
    if (statements.length === 0) return undefined;
    if (!statements.every(s => s && typeof s === 'object')) return undefined;
    return { Statement: statements as Statement[] };
  } catch {
    return undefined;
  }
}

/** Explicit deny wins, then any allow; otherwise the policy says nothing. */
export function evaluatePolicy(
  policyText: string | undefined,
  request: PolicyRequest,
  kind: 'resource' | 'trust' = 'resource',
): PolicyDecision {
  const policy = policyText ? parsePolicy(policyText) : undefined;
  if (!policy) return 'None';
  let decision: PolicyDecision = 'None';
  for (const statement of policy.Statement) {
    if (!statementApplies(statement, request, kind)) continue;
    if (statement.Effect === 'Deny') return 'Deny';
    if (statement.Effect === 'Allow') decision = 'Allow';
  }
  return decision;
}

/** Evaluates a role's trust policy (statements with a principal and no resource) for sts:AssumeRole. */
export const evaluateTrustPolicy = (
  policyText: string,
  request: Omit<PolicyRequest, 'resource'>,
): PolicyDecision =>
  evaluatePolicy(policyText, { ...request, resource: '' }, 'trust');

/** What an identity policy says of a request, and which statements said it. */
export interface IdentityPolicyDecision {
  decision: PolicyDecision;
  /** Indexes of the statements that applied (Allow and Deny). */
  statements: number[];
}

/**
 * Evaluates an identity-based policy (a role's permissions: statements
 * without `Principal`) for one action on one resource. Explicit deny wins,
 * then any allow; otherwise the policy says nothing (an implicit deny).
 */
export function evaluateIdentityPolicy(
  policyText: string,
  request: Omit<PolicyRequest, 'service' | 'aws'>,
): IdentityPolicyDecision {
  const policy = parsePolicy(policyText);
  if (!policy) throw new Error('not an IAM policy document');
  const statements: number[] = [];
  let decision: PolicyDecision = 'None';
  policy.Statement.forEach((statement, index) => {
    if (!statementApplies(statement, request, 'identity')) return;
    statements.push(index);
    if (statement.Effect === 'Deny') decision = 'Deny';
    else if (statement.Effect === 'Allow' && decision !== 'Deny')
      decision = 'Allow';
  });
  return { decision, statements };
}

/**
 * A policy is public when it allows anyone (`*`) without a condition that
 * pins the caller down; this is what Block Public Access refuses.
 */
export function isPublicPolicy(policyText: string): boolean {
  const policy = parsePolicy(policyText);
  if (!policy) return false;
  return policy.Statement.some(statement => {
    if (statement.Effect !== 'Allow') return false;
    const principal = statement.Principal as any;
    const anyone =
      principal === '*' ||
      (principal && asList(principal.AWS).map(String).includes('*'));
    return anyone && !statement.Condition;
  });
}
