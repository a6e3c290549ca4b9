import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import {
  accountIdSchema,
  describeZodError,
  regionSchema,
  tableArnSchema,
} from './spec';

/*
 * Forensics: raw-event questions over a trail's delivered logs, answered
 * asynchronously by an engine (Athena over the trail's bucket, or the backend
 * reading the delivered log files itself for recent windows).
 *
 * - item history: the events on one table that name one item's key, in
 *   `requestParameters.key` or in `requestParameters.requestItems[].key`
 *   (batch and transaction calls);
 * - principal activity: what one principal did to DynamoDB in one account,
 *   per table and operation.
 *
 * `forensicsQuerySchema` is the one schema of a query: the backend's
 * `POST /forensics/queries` body and the frontend's request type derive
 * from it.
 */

export const FORENSICS_QUERY_KINDS = [
  'item-history',
  'principal-activity',
] as const;
export type ForensicsQueryKind = (typeof FORENSICS_QUERY_KINDS)[number];

export const FORENSICS_QUERY_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export type ForensicsQueryStatus = (typeof FORENSICS_QUERY_STATUSES)[number];

/** Statuses after which a query changes no more. */
export const FORENSICS_FINAL_STATUSES: readonly ForensicsQueryStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
];

export function isFinalForensicsStatus(status: ForensicsQueryStatus): boolean {
  return FORENSICS_FINAL_STATUSES.includes(status);
}

/** `athena`: Amazon Athena over the trail's bucket; `logs`: the backend reads the delivered log files. */
export const FORENSICS_ENGINES = ['athena', 'logs'] as const;
export type ForensicsEngineName = (typeof FORENSICS_ENGINES)[number];

/** Longest time range one query may cover, in days. */
export const MAX_FORENSICS_RANGE_DAYS = 366;
/** A DynamoDB key has a partition key and at most one sort key. */
export const MAX_KEY_ATTRIBUTES = 2;
/** DynamoDB's limit on a partition key value (a sort key's is 1024). */
export const MAX_KEY_VALUE_LENGTH = 2048;
/** DynamoDB's limit on an attribute name. */
export const MAX_KEY_NAME_LENGTH = 255;
/** Regions one principal-activity query may name. */
export const MAX_FORENSICS_REGIONS = 40;
/** Longest principal accepted (IAM ARNs are at most 2048 characters). */
export const MAX_PRINCIPAL_LENGTH = 2048;

export const DEFAULT_FORENSICS_PAGE_SIZE = 100;
export const MAX_FORENSICS_PAGE_SIZE = 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/*
 * Athena bills $5 per TB scanned, each query rounded up to the megabyte with
 * a 10 MB minimum. A cancelled or failed query is billed for what it scanned.
 */
export const ATHENA_PRICE_USD_PER_TB = 5;
export const ATHENA_BYTES_PER_TB = 1024 ** 4;
export const ATHENA_MIN_BILLED_BYTES = 10 * 1024 ** 2;

/** What Athena charges for a query that scanned `bytesScanned` bytes. */
export function athenaQueryCostUsd(bytesScanned: number): number {
  if (!(bytesScanned > 0)) return 0;
  const mb = 1024 ** 2;
  const billed = Math.max(
    ATHENA_MIN_BILLED_BYTES,
    Math.ceil(bytesScanned / mb) * mb,
  );
  return (billed / ATHENA_BYTES_PER_TB) * ATHENA_PRICE_USD_PER_TB;
}

/* S3 Standard request prices (us-east-1): what reading delivered logs costs. */
export const S3_GET_PRICE_USD_PER_1K = 0.0004;
export const S3_LIST_PRICE_USD_PER_1K = 0.005;

/** What reading `gets` objects after `lists` listings costs in S3 requests. */
export function s3ReadCostUsd(gets: number, lists: number): number {
  return (
    (gets * S3_GET_PRICE_USD_PER_1K + lists * S3_LIST_PRICE_USD_PER_1K) / 1000
  );
}

const isoTime = (field: string) =>
  z
    .string({
      required_error: `is required: an ISO-8601 time such as 2026-01-31T00:00:00Z`,
      invalid_type_error: 'must be a string',
    })
    .trim()
    .datetime({
      offset: true,
      message: `must be an ISO-8601 time with a zone, such as 2026-01-31T00:00:00Z (${field})`,
    })
    .transform(value => new Date(value).toISOString());

/** Whether `name` has a control character (U+0000 to U+001F). */
const hasControlCharacter = (name: string) =>
  [...name].some(c => c.charCodeAt(0) < 0x20);

/**
 * An item's key as CloudTrail logs it: attribute name → value, strings and
 * numbers (binary keys as their base64 text). Numbers are kept as text, the
 * form the logs compare in.
 */
export const itemKeySchema = z
  .record(
    z
      .string()
      .min(1, 'attribute names must be non-empty')
      .max(
        MAX_KEY_NAME_LENGTH,
        `attribute names must be at most ${MAX_KEY_NAME_LENGTH} characters`,
      )
      .refine(
        name => !hasControlCharacter(name),
        'attribute names must not contain control characters',
      ),
    z
      .union(
        [
          z
            .string()
            .min(1, 'must be a non-empty string')
            .max(
              MAX_KEY_VALUE_LENGTH,
              `must be at most ${MAX_KEY_VALUE_LENGTH} characters`,
            ),
          z
            .number()
            .finite('must be a finite number')
            .transform(value => String(value)),
        ],
        {
          errorMap: () => ({
            message: 'must be a string or a number (the key value)',
          }),
        },
      )
      .transform(value => String(value)),
    {
      required_error:
        'is required: the item key as attribute name → value, e.g. {"pk": "order#123"}',
      invalid_type_error:
        'must be an object of attribute name → value, e.g. {"pk": "order#123"}',
    },
  )
  .superRefine((key, ctx) => {
    const count = Object.keys(key).length;
    if (count === 0 || count > MAX_KEY_ATTRIBUTES) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must name 1 or ${MAX_KEY_ATTRIBUTES} key attributes (partition key, and sort key when the table has one), got ${count}`,
      });
    }
  });

const IAM_PRINCIPAL =
  /^arn:aws(?:-[a-z]+)*:(?:iam::\d{12}:(?:root|(?:role|user)\/[\w+=,.@/-]{1,512})|sts::\d{12}:assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{1,64})$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]{1,100}\.amazonaws\.com$/;

/** Why `value` is not a principal lineage records, or undefined. */
export function principalProblem(value: string): string | undefined {
  if (IAM_PRINCIPAL.test(value) || SERVICE_PRINCIPAL.test(value)) {
    return undefined;
  }
  return 'must be an IAM role or user ARN (arn:aws:iam::123456789012:role/reporting-job), an assumed-role ARN, an account root ARN or an AWS service principal (events.amazonaws.com)';
}

/** The account an IAM or STS principal ARN names, else undefined. */
export function principalAccountId(principal: string): string | undefined {
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/**
 * The principal lineage records for an ARN: an assumed-role session is
 * recorded as its role, `arn:aws:iam::ACCT:role/NAME` (a role path, which the
 * session ARN does not carry, is matched on the role name).
 */
export function normalizeForensicsPrincipal(principal: string): string {
  const session =
    /^arn:(aws(?:-[a-z]+)*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(
      principal,
    );
  return session
    ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`
    : principal;
}

const principalSchema = z
  .string({
    required_error: 'is required: an IAM role or user ARN',
    invalid_type_error: 'must be a string',
  })
  .trim()
  .max(
    MAX_PRINCIPAL_LENGTH,
    `must be at most ${MAX_PRINCIPAL_LENGTH} characters`,
  )
  .superRefine((value, ctx) => {
    const problem = principalProblem(value);
    if (problem) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }
  })
  .transform(normalizeForensicsPrincipal);

const range = {
  from: isoTime('from').describe('Start of the time range (inclusive)'),
  to: isoTime('to').describe('End of the time range (exclusive)'),
};

export const itemHistoryQuerySchema = z
  .object({
    kind: z.literal('item-history'),
    tableArn: tableArnSchema.describe('ARN of the table the item is in'),
    key: itemKeySchema.describe(
      'The item key: partition key and, when the table has one, sort key',
    ),
    ...range,
  })
  .strict();

export const principalActivityQuerySchema = z
  .object({
    kind: z.literal('principal-activity'),
    principal: principalSchema.describe(
      'The principal: an IAM role or user ARN (an assumed-role session ARN stands for its role)',
    ),
    accountId: accountIdSchema
      .optional()
      .describe(
        "Account whose trail logs are searched; default the principal's own account",
      ),
    regions: z
      .array(regionSchema)
      .min(1, 'must be a non-empty list when given')
      .max(
        MAX_FORENSICS_REGIONS,
        `must have at most ${MAX_FORENSICS_REGIONS} regions`,
      )
      .optional()
      .describe(
        "Regions to search; default every region the account's trail logs",
      ),
    ...range,
  })
  .strict();

function checkRange(query: { from: string; to: string }, ctx: z.RefinementCtx) {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  if (!(from < to)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['to'],
      message: 'must be after from',
    });
  } else if (to - from > MAX_FORENSICS_RANGE_DAYS * DAY_MS) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['to'],
      message: `must be at most ${MAX_FORENSICS_RANGE_DAYS} days after from`,
    });
  }
}

/** A forensics query: the body of `POST /forensics/queries`. */
export const forensicsQuerySchema = z
  .discriminatedUnion(
    'kind',
    [itemHistoryQuerySchema, principalActivityQuerySchema],
    {
      errorMap: (issue, ctx) => ({
        message:
          issue.code === z.ZodIssueCode.invalid_union_discriminator
            ? `must be one of ${FORENSICS_QUERY_KINDS.join(', ')}`
            : ctx.defaultError,
      }),
    },
  )
  .superRefine((query, ctx) => {
    checkRange(query, ctx);
    if (
      query.kind === 'principal-activity' &&
      query.accountId === undefined &&
      principalAccountId(query.principal) === undefined
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['accountId'],
        message:
          'is required for a service principal: the account whose trail logs are searched',
      });
    }
  });

/** A query as a client sends it. */
export type ForensicsQueryInput = z.input<typeof forensicsQuerySchema>;
/** A validated query: times in ISO-8601 UTC, key values as text, principal normalised. */
export type ForensicsQuery = z.output<typeof forensicsQuerySchema>;
export type ItemHistoryQuery = Extract<
  ForensicsQuery,
  { kind: 'item-history' }
>;
export type PrincipalActivityQuery = Extract<
  ForensicsQuery,
  { kind: 'principal-activity' }
>;

/** Validates a query, throwing `InputError` naming each broken field and rule. */
export function parseForensicsQuery(input: unknown): ForensicsQuery {
  const result = forensicsQuerySchema.safeParse(input);
  if (!result.success) {
    throw new InputError(describeZodError(result.error, 'query'));
  }
  return result.data;
}

/** The account whose trail logs a query searches. */
export function forensicsQueryAccountId(query: ForensicsQuery): string {
  if (query.kind === 'item-history') {
    return query.tableArn.split(':')[4];
  }
  return query.accountId ?? principalAccountId(query.principal)!;
}

/** One event on the item, newest first in a result. */
export interface ItemHistoryRow {
  eventTime: string;
  eventId: string;
  /** CloudTrail `eventName`, e.g. UpdateItem. */
  eventName: string;
  kind: 'read' | 'write';
  /** The normalised principal: the role for an assumed-role session. */
  principal: string;
  principalType: string;
  /** The caller's own ARN, e.g. the assumed-role session. */
  identityArn?: string;
  sourceIpAddress?: string;
  userAgent?: string;
  /** Set when the call failed. */
  errorCode?: string;
  region: string;
  tableArn: string;
}

/** One table and operation of a principal's activity. */
export interface PrincipalActivityRow {
  accountId: string;
  region: string;
  tableArn: string;
  operation: string;
  kind: 'read' | 'write';
  /** Successful calls. */
  calls: number;
  /** Calls that returned an error code. */
  errors: number;
  firstSeen: string;
  lastSeen: string;
}

export type ForensicsRow = ItemHistoryRow | PrincipalActivityRow;

/** Where a query is, as an engine reports it. */
export interface ForensicsQueryProgress {
  status: ForensicsQueryStatus;
  engine: ForensicsEngineName;
  /** Bytes the engine read: Athena's data scanned, or compressed log bytes downloaded. */
  bytesScanned: number;
  /** What the query cost so far, in US dollars. */
  costUsd: number;
  /** What the engine covered and how, e.g. "read the delivered logs directly: last 24 h only". */
  note?: string;
  /** True when a bound (bytes, time, window) stopped the engine before the whole range was covered. */
  truncated: boolean;
  /** Why a failed query failed. */
  error?: string;
}

/** One page of a query's result, with its progress. */
export interface ForensicsQueryPage<R extends ForensicsRow = ForensicsRow>
  extends ForensicsQueryProgress {
  /** Rows of this page; empty until the query succeeded. */
  rows: R[];
  /** Pass back to read the next page; absent on the last. */
  nextToken?: string;
}

/** What `POST /forensics/queries` answers. */
export interface ForensicsQueryCreated {
  id: string;
  status: ForensicsQueryStatus;
  engine: ForensicsEngineName;
}

/** What `GET /forensics/queries/{id}` answers. */
export interface ForensicsQueryResponse extends ForensicsQueryPage {
  id: string;
  query: ForensicsQuery;
  submittedAt: string;
  /** When the query reached a final status. */
  completedAt?: string;
}
