/*
 * What the lineage API answers from the stored daily edges: a graph of
 * writers → tables → readers with catalog names, the governance findings
 * that graph reveals, a table's daily activity per principal, and the
 * observed data-flow relations the catalog processor turns into relations.
 * JSON-serialisable, shared by the backend and the browser.
 */

/** The stretch of UTC days a lineage answer covers, both ends included. */
export interface LineageWindow {
  /** Number of days, `to` included. */
  days: number;
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day (today, UTC), YYYY-MM-DD. */
  to: string;
}

/**
 * The AWS account a principal or table belongs to, named by its `aws-account`
 * entity or config entry when lineage knows the account.
 */
export interface LineageAccountLabel {
  accountId: string;
  /** The account entity's title, or the account id when it is not described. */
  title: string;
  /** The `aws-account` Resource, when the catalog has one the caller can see. */
  entityRef?: string;
  /** The team that owns the account, when known. */
  ownerRef?: string;
  /** True when the account is not one the tables' accounts (a cross-account caller). */
  foreign?: boolean;
}

interface LineageNodeBase {
  /** Stable identifier within one answer; edges refer to it. */
  id: string;
  /** What to show: the entity's title or name, the table name, or the principal's short form. */
  title: string;
  account?: LineageAccountLabel;
}

/** A catalog Component or Resource whose principals made the calls. */
export interface LineageEntityNode extends LineageNodeBase {
  kind: 'entity';
  entityRef: string;
  /** The normalised principal ARNs the entity's annotation maps to it that appear in the graph. */
  principals: string[];
}

/** A DynamoDB table, named by its `dynamodb-table` Resource when the catalog has one. */
export interface LineageTableNode extends LineageNodeBase {
  kind: 'table';
  tableArn: string;
  /** The table's Resource entity, when the catalog has one the caller can see. */
  entityRef?: string;
  region: string;
}

/**
 * A principal no visible entity stands for. `unmapped`: no entity's
 * annotation names it, and `hint` says how to fix that. `not-visible`: an
 * entity the caller may not see claims it, so the entity is not named.
 */
export interface LineagePrincipalNode extends LineageNodeBase {
  kind: 'principal';
  /** The normalised principal: a role or user ARN, or an AWS service name. */
  principal: string;
  /** CloudTrail's `userIdentity.type` (AssumedRole, IAMUser, AWSService, ...). */
  principalType: string;
  mapping: 'unmapped' | 'not-visible';
  /** For unmapped principals: what would name it, e.g. "who owns role/reporting-job? annotate its component". */
  hint?: string;
}

export type LineageGraphNode =
  | LineageEntityNode
  | LineageTableNode
  | LineagePrincipalNode;

/** Calls of one operation along an edge. */
export interface LineageOperationCount {
  operation: string;
  calls: number;
  errors: number;
}

/**
 * Data flow between a caller and a table: `write` edges go from the caller to
 * the table, `read` edges from the table to the caller. A caller that does
 * both has one edge each way.
 */
export interface LineageGraphEdge {
  /** `<source>→<target>`; unique within one answer. */
  id: string;
  kind: 'read' | 'write';
  /** Node id: the writer, or the table read. */
  source: string;
  /** Node id: the table written, or the reader. */
  target: string;
  /** Successful read calls (0 on write edges). */
  reads: number;
  /** Successful write calls (0 on read edges). */
  writes: number;
  /** Calls of this kind that failed. */
  errors: number;
  /** ISO-8601 time of the last call, failed or not. */
  lastSeen: string;
  operations: LineageOperationCount[];
}

/** A component or resource read or wrote a table it does not declare. */
export interface UndeclaredAccessFinding {
  kind: 'undeclared-access';
  entityRef: string;
  tableArn: string;
  access: ('read' | 'write')[];
  calls: number;
  lastSeen: string;
  message: string;
}

/** A component declares a table its principals did not touch in the window. */
export interface UnusedDeclarationFinding {
  kind: 'unused-declaration';
  entityRef: string;
  tableArn: string;
  message: string;
}

/** Calls came from a principal no entity claims. */
export interface UnmappedPrincipalFinding {
  kind: 'unmapped-principal';
  principal: string;
  tableArns: string[];
  calls: number;
  lastSeen: string;
  message: string;
}

/** A lineage annotation value that is not what it must be; the value is ignored. */
export interface InvalidAnnotationFinding {
  kind: 'invalid-annotation';
  entityRef: string;
  annotation: string;
  value: string;
  message: string;
}

export type LineageFinding =
  | UndeclaredAccessFinding
  | UnusedDeclarationFinding
  | UnmappedPrincipalFinding
  | InvalidAnnotationFinding;

/** How far one trail-region's ingestion is behind its log delivery. */
export interface LineageIngestionSource {
  trailArn: string;
  accountId: string;
  region: string;
  /** Delivery time of the newest log object ingested (ISO-8601). */
  ingestedThrough?: string;
  /** Delivery time of the newest log object seen delivered (ISO-8601). */
  newestDelivered?: string;
  /** Minutes of delivered logs not yet ingested; 0 when caught up. */
  lagMinutes?: number;
}

/**
 * How far behind log delivery the stored lineage is, for the account-regions
 * of the tables in the answer ("lineage 4 min behind delivery").
 */
export interface LineageIngestionLag {
  /** The oldest ingestion position among the sources; absent before the first ingestion. */
  ingestedThrough?: string;
  /** The largest lag among the sources; absent when none is known. */
  lagMinutes?: number;
  /** By trail, account and region. */
  sources: LineageIngestionSource[];
}

/** Where a graph walk starts. */
export type LineageGraphRoot = { entityRef: string } | { tableArn: string };

/** `GET /lineage/graph`. */
export interface LineageGraph {
  root: LineageGraphRoot;
  /** Id of the root's node, present even when the root had no traffic in the window. */
  rootNodeId: string;
  window: LineageWindow;
  /** Table hops walked each way from the root. */
  depth: number;
  /** Entities first, then tables, then principals; by title within each kind. */
  nodes: LineageGraphNode[];
  /** By source, then target. */
  edges: LineageGraphEdge[];
  /** Findings about the entities and tables in the graph. */
  findings: LineageFinding[];
  ingestion: LineageIngestionLag;
  /** True when the walk stopped at the node limit before reaching `depth`. */
  truncated: boolean;
}

/** One day of one caller's calls on a table. */
export interface TableActivityPoint {
  /** YYYY-MM-DD (UTC). */
  day: string;
  reads: number;
  writes: number;
  errors: number;
}

/** One caller's calls on a table over the window, every day of the window present. */
export interface TableActivitySeries {
  /** The caller, named as in the graph (an entity, or a principal). */
  caller: LineageEntityNode | LineagePrincipalNode;
  reads: number;
  writes: number;
  errors: number;
  lastSeen: string;
  points: TableActivityPoint[];
}

/** `GET /lineage/table`: a table's daily activity per caller. */
export interface TableActivity {
  table: LineageTableNode;
  window: LineageWindow;
  /** Every day of the window, in order. */
  days: string[];
  /** Busiest caller first (reads + writes + errors), then by title. */
  series: TableActivitySeries[];
  ingestion: LineageIngestionLag;
}

/** One observed data-flow relation: an entity read or wrote a table. */
export interface LineageRelation {
  entityRef: string;
  tableArn: string;
  /** The table's `dynamodb-table` Resource, when the catalog has one. */
  tableEntityRef?: string;
  access: 'read' | 'write';
  calls: number;
  lastSeen: string;
}

/** `GET /lineage/relations`: every mapped entity's table access over the window. */
export interface LineageRelations {
  window: LineageWindow;
  /** By entity ref, table ARN, then access. */
  relations: LineageRelation[];
}

/** Defaults and bounds of the lineage routes' query parameters. */
export const LINEAGE_GRAPH_DEFAULT_DAYS = 7;
export const LINEAGE_GRAPH_MAX_DAYS = 400;
export const LINEAGE_GRAPH_DEFAULT_DEPTH = 2;
export const LINEAGE_GRAPH_MAX_DEPTH = 6;
export const LINEAGE_RELATIONS_DEFAULT_DAYS = 30;
