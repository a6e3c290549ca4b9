/**
 * Which DynamoDB data events a trail captures, judged from its event
 * selectors the way CloudTrail applies them.
 *
 * Semantics implemented here (CloudTrail API reference: EventSelector,
 * DataResource, AdvancedEventSelector, AdvancedFieldSelector):
 * - Basic selectors: a `DataResources` entry of type `AWS::DynamoDB::Table`
 *   with the value `arn:<partition>:dynamodb` logs every table; any other
 *   value must equal the table ARN (CloudTrail accepts no wildcards).
 *   `ReadWriteType` (default `All`) filters on the event's `readOnly` flag.
 * - Advanced selectors: within a field selector the positive operators
 *   (Equals, StartsWith, EndsWith) are alternatives — one value must match —
 *   and every negative operator (NotEquals, NotStartsWith, NotEndsWith) must
 *   hold; the field selectors of one selector all apply (AND); an event is
 *   logged when any selector matches (OR). A field absent from a selector
 *   does not filter. Fields about the caller (`userIdentity.arn`,
 *   `sessionCredentialFromConsole`, …) keep only some events: "partial".
 * - A trail with advanced selectors ignores basic ones (AWS allows one kind).
 * - Reach: a single-region trail logs only its home region; a multi-region
 *   trail logs every region. A trail logs its own account; an organization
 *   trail also logs its member accounts.
 */
import type {
  AdvancedEventSelector,
  AdvancedFieldSelector,
  BasicEventSelector,
  CoverageScope,
  EventSelectors,
} from './types';
import { ADVANCED_FIELD_OPERATORS } from './types';
import {
  DYNAMODB_DATA_OPERATIONS,
  DYNAMODB_EVENT_SOURCE,
  DYNAMODB_OPERATION_ACCESS,
  DYNAMODB_TABLE_RESOURCE_TYPE,
  DataAccess,
  DynamoDbDataOperation,
} from './operations';
import {
  isValidTableName,
  tryParseTableArn,
  validateTableArn,
} from './validation';

export type CoverageVerdict = 'covered' | 'partial' | 'not-covered';

/** The parts of a trail that decide its reach; `TrailDescription` fits. */
export interface CoverageTrail {
  accountId: string;
  homeRegion: string;
  isMultiRegionTrail: boolean;
  isOrganizationTrail: boolean;
}

export type CoverageTarget =
  | { kind: 'table'; tableArn: string }
  | {
      kind: 'all-tables';
      accountId: string;
      region: string;
      /** Defaults to `aws`. */
      partition?: string;
    };

export interface CoverageInput {
  trail: CoverageTrail;
  selectors: EventSelectors;
  target: CoverageTarget;
}

export interface OperationCoverage {
  operation: DynamoDbDataOperation;
  /** How CloudTrail flags the operation (`readOnly`). */
  access: DataAccess;
  verdict: CoverageVerdict;
  /** Which selector captures it, or why it is (partly) dropped. */
  reason: string;
}

export interface CoverageResult {
  target: CoverageTarget;
  /** The target in words, e.g. the table ARN or "all tables of 111111111111 in us-east-1". */
  targetLabel: string;
  /** `covered` when every operation is, `not-covered` when none is. */
  verdict: CoverageVerdict;
  reads: CoverageVerdict;
  writes: CoverageVerdict;
  operations: OperationCoverage[];
  /** The operations that are not fully captured, with the reason. */
  dropped: OperationCoverage[];
  /** One line for people. */
  summary: string;
}

type Match = 'yes' | 'some' | 'no';

interface Judgement {
  match: Match;
  /** For `yes`: which selector captures; otherwise why not (fully). */
  because: string;
}

/* ------------------------------------------------------------------ */
/* Reach: region and account                                           */
/* ------------------------------------------------------------------ */

/** Why the trail does not log events of this account-region, or `undefined` when it does. */
function reachProblem(
  trail: CoverageTrail,
  accountId: string,
  region: string,
): string | undefined {
  if (!trail.isMultiRegionTrail && trail.homeRegion !== region) {
    return `single-region trail of ${trail.homeRegion} does not log events in ${region}`;
  }
  if (trail.accountId !== accountId && !trail.isOrganizationTrail) {
    return `trail of account ${trail.accountId} is not an organization trail, so it does not log account ${accountId}`;
  }
  return undefined;
}

/** Whether the trail logs events of this account and region at all (selectors aside). */
export function trailReachesAccountRegion(
  trail: CoverageTrail,
  accountId: string,
  region: string,
): boolean {
  return reachProblem(trail, accountId, region) === undefined;
}

/* ------------------------------------------------------------------ */
/* Matching one event against the selectors                            */
/* ------------------------------------------------------------------ */

const OPERATOR_NAMES = ADVANCED_FIELD_OPERATORS;

function values(list: string[] | undefined): string[] {
  return list ?? [];
}

function fieldMatches(selector: AdvancedFieldSelector, value: string): boolean {
  const positives = [
    ...values(selector.Equals).map(v => value === v),
    ...values(selector.StartsWith).map(v => value.startsWith(v)),
    ...values(selector.EndsWith).map(v => value.endsWith(v)),
  ];
  if (positives.length > 0 && !positives.some(Boolean)) return false;
  if (values(selector.NotEquals).includes(value)) return false;
  if (values(selector.NotStartsWith).some(v => value.startsWith(v))) {
    return false;
  }
  if (values(selector.NotEndsWith).some(v => value.endsWith(v))) return false;
  return true;
}

function shortList(items: string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max
    ? `[${shown}, … +${items.length - max}]`
    : `[${shown}]`;
}

/** A field selector in words, e.g. `resources.ARN StartsWith [arn:…]`. */
export function describeFieldSelector(selector: AdvancedFieldSelector): string {
  const parts = OPERATOR_NAMES.filter(op => values(selector[op]).length).map(
    op => `${op} ${shortList(values(selector[op]))}`,
  );
  return `${selector.Field} ${parts.join(' ') || '(no condition)'}`;
}

function advancedLabel(selector: AdvancedEventSelector, index: number) {
  return selector.Name
    ? `advanced selector "${selector.Name}"`
    : `advanced selector #${index + 1}`;
}

interface DataEvent {
  operation: DynamoDbDataOperation;
  access: DataAccess;
  tableArn: string;
  partition: string;
  /** How the table appears in reasons (an ARN, or "tables of … in …"). */
  subject: string;
}

/** The selector-visible fields of a DynamoDB table data event. */
function eventFields(event: DataEvent): Record<string, string> {
  return {
    eventCategory: 'Data',
    'resources.type': DYNAMODB_TABLE_RESOURCE_TYPE,
    'resources.ARN': event.tableArn,
    readOnly: event.access === 'read' ? 'true' : 'false',
    eventName: event.operation,
    eventSource: DYNAMODB_EVENT_SOURCE,
    eventType: 'AwsApiCall',
  };
}

function excludedThing(field: string, event: DataEvent): string {
  switch (field) {
    case 'eventCategory':
      return 'data events';
    case 'resources.type':
      return 'DynamoDB table events';
    case 'resources.ARN':
      return event.subject;
    case 'readOnly':
      return event.access === 'read' ? 'read events' : 'write events';
    case 'eventName':
      return event.operation;
    default:
      return `${event.operation} events`;
  }
}

function judgeAdvanced(
  selector: AdvancedEventSelector,
  index: number,
  event: DataEvent,
): Judgement {
  const label = advancedLabel(selector, index);
  const fields = eventFields(event);
  const callerDependent: string[] = [];
  for (const fieldSelector of selector.FieldSelectors ?? []) {
    const value = fields[fieldSelector.Field];
    if (value === undefined) {
      callerDependent.push(describeFieldSelector(fieldSelector));
    } else if (!fieldMatches(fieldSelector, value)) {
      return {
        match: 'no',
        because: `${label}: ${describeFieldSelector(
          fieldSelector,
        )} excludes ${excludedThing(fieldSelector.Field, event)}`,
      };
    }
  }
  if (callerDependent.length) {
    return {
      match: 'some',
      because: `${label} keeps only the events that match ${callerDependent.join(
        ' and ',
      )}`,
    };
  }
  return { match: 'yes', because: `captured by ${label}` };
}

function judgeBasic(
  selector: BasicEventSelector,
  index: number,
  event: DataEvent,
): Judgement {
  const label = `basic selector #${index + 1}`;
  const readWrite = selector.ReadWriteType ?? 'All';
  if (readWrite === 'ReadOnly' && event.access === 'write') {
    return {
      match: 'no',
      because: `${label}: ReadWriteType ReadOnly excludes write events`,
    };
  }
  if (readWrite === 'WriteOnly' && event.access === 'read') {
    return {
      match: 'no',
      because: `${label}: ReadWriteType WriteOnly excludes read events`,
    };
  }
  const tableValues = (selector.DataResources ?? [])
    .filter(resource => resource.Type === DYNAMODB_TABLE_RESOURCE_TYPE)
    .flatMap(resource => values(resource.Values));
  if (tableValues.length === 0) {
    return {
      match: 'no',
      because: `${label} selects no ${DYNAMODB_TABLE_RESOURCE_TYPE} data resources`,
    };
  }
  const allTables = `arn:${event.partition}:dynamodb`;
  if (tableValues.some(v => v === allTables || v === event.tableArn)) {
    return { match: 'yes', because: `captured by ${label}` };
  }
  const wildcardHint = tableValues.some(v => v.includes('*'))
    ? ' (CloudTrail matches values literally: no wildcards)'
    : '';
  return {
    match: 'no',
    because: `${label}: ${DYNAMODB_TABLE_RESOURCE_TYPE} values ${shortList(
      tableValues,
    )} do not include ${event.subject}${wildcardHint}`,
  };
}

function judgeEvent(selectors: EventSelectors, event: DataEvent): Judgement {
  const advanced = selectors.advanced ?? [];
  const basic = selectors.basic ?? [];
  let judgements: Judgement[];
  if (advanced.length) {
    judgements = advanced.map((s, i) => judgeAdvanced(s, i, event));
  } else if (basic.length) {
    judgements = basic.map((s, i) => judgeBasic(s, i, event));
  } else {
    return {
      match: 'no',
      because: 'the trail has no event selectors for data events',
    };
  }
  const captured = judgements.find(j => j.match === 'yes');
  if (captured) return captured;
  const partial = judgements.filter(j => j.match === 'some');
  if (partial.length) {
    return { match: 'some', because: partial.map(j => j.because).join('; ') };
  }
  return { match: 'no', because: judgements.map(j => j.because).join('; ') };
}

/* ------------------------------------------------------------------ */
/* "All tables of an account-region": witness tables                  */
/* ------------------------------------------------------------------ */

/**
 * A table name that no selector constant refers to: it stands for the tables
 * nobody named.
 */
const UNNAMED_TABLE = 'zq0-lineage-witness-0qz';
/** Upper bound on prefix × suffix combinations, far above real selector sets. */
const MAX_COMBINATIONS = 5000;

function arnConstants(selectors: EventSelectors): string[] {
  if (selectors.advanced?.length) {
    return selectors.advanced
      .flatMap(s => s.FieldSelectors ?? [])
      .filter(f => f.Field === 'resources.ARN')
      .flatMap(f => OPERATOR_NAMES.flatMap(op => values(f[op])));
  }
  return (selectors.basic ?? [])
    .flatMap(s => s.DataResources ?? [])
    .filter(r => r.Type === DYNAMODB_TABLE_RESOURCE_TYPE)
    .flatMap(r => values(r.Values));
}

/**
 * Table names whose ARNs exercise every condition the selectors place on
 * `resources.ARN` under `arnPrefix` (`arn:…:table/`): a name nobody refers
 * to, names starting or ending with each constant, both at once, and each
 * exactly named table. The verdict for "all tables" is `covered` when every
 * witness is captured, `not-covered` when none is, else `partial`. This is
 * exact for conditions that combine at most one prefix and one suffix per
 * table name, which is what CloudTrail's operators can express per value.
 */
function witnessTableNames(
  selectors: EventSelectors,
  arnPrefix: string,
): string[] {
  const prefixes = new Set<string>();
  const suffixes = new Set<string>();
  const exact = new Set<string>();
  for (const constant of arnConstants(selectors)) {
    if (constant.startsWith(arnPrefix)) {
      const tail = constant.slice(arnPrefix.length);
      prefixes.add(tail);
      exact.add(tail);
    }
    if (/^[A-Za-z0-9_.-]+$/.test(constant)) {
      suffixes.add(constant);
      exact.add(constant);
    } else {
      // e.g. EndsWith ":table/orders" — the end of the prefix, then a whole name.
      for (let cut = 1; cut < constant.length; cut++) {
        if (arnPrefix.endsWith(constant.slice(0, cut))) {
          exact.add(constant.slice(cut));
        }
      }
    }
  }
  const names = new Set<string>([UNNAMED_TABLE]);
  prefixes.forEach(p => names.add(p + UNNAMED_TABLE));
  suffixes.forEach(s => names.add(UNNAMED_TABLE + s));
  exact.forEach(e => names.add(e));
  let combinations = 0;
  for (const p of prefixes) {
    for (const s of suffixes) {
      if (combinations++ >= MAX_COMBINATIONS) break;
      names.add(p + UNNAMED_TABLE + s);
    }
  }
  return [...names].filter(isValidTableName);
}

function arnConditionsInWords(selectors: EventSelectors): string {
  if (selectors.advanced?.length) {
    const described = selectors.advanced.flatMap((s, i) =>
      (s.FieldSelectors ?? [])
        .filter(f => f.Field === 'resources.ARN')
        .map(f => `${advancedLabel(s, i)}: ${describeFieldSelector(f)}`),
    );
    return described.join('; ');
  }
  return `${DYNAMODB_TABLE_RESOURCE_TYPE} values ${shortList(
    arnConstants(selectors),
  )}`;
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */
/* ------------------------------------------------------------------ */

function targetLabelOf(target: CoverageTarget): string {
  return target.kind === 'table'
    ? target.tableArn
    : `all tables of ${target.accountId} in ${target.region}`;
}

function verdictOf(matches: Match[]): CoverageVerdict {
  if (matches.every(m => m === 'yes')) return 'covered';
  if (matches.every(m => m === 'no')) return 'not-covered';
  return 'partial';
}

function combine(verdicts: CoverageVerdict[]): CoverageVerdict {
  if (verdicts.every(v => v === 'covered')) return 'covered';
  if (verdicts.every(v => v === 'not-covered')) return 'not-covered';
  return 'partial';
}

function judgeOperation(
  selectors: EventSelectors,
  target: CoverageTarget,
  partition: string,
  operation: DynamoDbDataOperation,
): OperationCoverage {
  const access = DYNAMODB_OPERATION_ACCESS[operation];
  if (target.kind === 'table') {
    const judgement = judgeEvent(selectors, {
      operation,
      access,
      partition,
      tableArn: target.tableArn,
      subject: target.tableArn,
    });
    const verdict = verdictOf([judgement.match]);
    return { operation, access, verdict, reason: judgement.because };
  }

  const arnPrefix = `arn:${partition}:dynamodb:${target.region}:${target.accountId}:table/`;
  const subject = targetLabelOf(target);
  const judgements = witnessTableNames(selectors, arnPrefix).map(name =>
    judgeEvent(selectors, {
      operation,
      access,
      partition,
      tableArn: arnPrefix + name,
      subject,
    }),
  );
  const verdict = verdictOf(judgements.map(j => j.match));
  // The first witness is the table nobody named: the typical table.
  const typical = judgements[0];
  if (verdict !== 'partial') {
    return { operation, access, verdict, reason: typical.because };
  }
  const callerNotes = [
    ...new Set(judgements.filter(j => j.match === 'some').map(j => j.because)),
  ];
  const tableSplit =
    judgements.some(j => j.match === 'yes') ||
    judgements.some(j => j.match === 'no');
  const reasons = [
    ...(tableSplit
      ? [`only some tables are captured (${arnConditionsInWords(selectors)})`]
      : []),
    ...callerNotes,
  ];
  return { operation, access, verdict, reason: reasons.join('; ') };
}

function summarize(
  label: string,
  operations: OperationCoverage[],
  verdict: CoverageVerdict,
): string {
  if (verdict === 'covered') {
    return `all ${operations.length} DynamoDB data operations are captured for ${label}`;
  }
  if (verdict === 'not-covered') {
    return `no DynamoDB data operation is captured for ${label}: ${operations[0].reason}`;
  }
  const dropped = operations.filter(o => o.verdict !== 'covered');
  const byReason = new Map<string, string[]>();
  for (const op of dropped) {
    const key = `${op.verdict === 'partial' ? 'partly' : 'not'} captured: ${
      op.reason
    }`;
    byReason.set(key, [...(byReason.get(key) ?? []), op.operation]);
  }
  const groups = [...byReason].map(
    ([reason, ops]) => `${ops.join(', ')} ${reason}`,
  );
  return `${dropped.length} of ${
    operations.length
  } DynamoDB data operations are not fully captured for ${label} — ${groups.join(
    ' | ',
  )}`;
}

function uniform(
  target: CoverageTarget,
  verdict: CoverageVerdict,
  reason: string,
): CoverageResult {
  const operations = DYNAMODB_DATA_OPERATIONS.map(operation => ({
    operation,
    access: DYNAMODB_OPERATION_ACCESS[operation],
    verdict,
    reason,
  }));
  return assemble(target, operations);
}

function assemble(
  target: CoverageTarget,
  operations: OperationCoverage[],
): CoverageResult {
  const label = targetLabelOf(target);
  const verdict = combine(operations.map(o => o.verdict));
  return {
    target,
    targetLabel: label,
    verdict,
    reads: combine(
      operations.filter(o => o.access === 'read').map(o => o.verdict),
    ),
    writes: combine(
      operations.filter(o => o.access === 'write').map(o => o.verdict),
    ),
    operations,
    dropped: operations.filter(o => o.verdict !== 'covered'),
    summary: summarize(label, operations, verdict),
  };
}

/**
 * Decides, for every DynamoDB data operation, whether the trail captures its
 * events on the target table (or on all tables of an account-region).
 */
export function evaluateCoverage(input: CoverageInput): CoverageResult {
  const { trail, selectors, target } = input;
  let accountId: string;
  let region: string;
  let partition: string;
  if (target.kind === 'table') {
    const parts = tryParseTableArn(target.tableArn);
    if (!parts) {
      return uniform(target, 'not-covered', validateTableArn(target.tableArn)!);
    }
    ({ accountId, region, partition } = parts);
  } else {
    ({ accountId, region } = target);
    partition = target.partition ?? 'aws';
  }
  const problem = reachProblem(trail, accountId, region);
  if (problem) return uniform(target, 'not-covered', problem);

  return assemble(
    target,
    DYNAMODB_DATA_OPERATIONS.map(op =>
      judgeOperation(selectors, target, partition, op),
    ),
  );
}

/** The targets a scope stands for: its tables, or all tables of the account-region. */
export function coverageTargetsForScope(
  scope: CoverageScope,
  partition = 'aws',
): CoverageTarget[] {
  if (scope.tableArns?.length) {
    return scope.tableArns.map(tableArn => ({ kind: 'table', tableArn }));
  }
  return [
    {
      kind: 'all-tables',
      accountId: scope.accountId,
      region: scope.region,
      partition,
    },
  ];
}

/** {@link evaluateCoverage} for each target of the scope. */
export function evaluateScopeCoverage(
  trail: CoverageTrail,
  selectors: EventSelectors,
  scope: CoverageScope,
  partition = 'aws',
): CoverageResult[] {
  return coverageTargetsForScope(scope, partition).map(target =>
    evaluateCoverage({ trail, selectors, target }),
  );
}
