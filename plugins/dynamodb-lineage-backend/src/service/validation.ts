import { InputError } from '@backstage/errors';
import {
  LINEAGE_GRAPH_DEFAULT_DAYS,
  LINEAGE_GRAPH_DEFAULT_DEPTH,
  LINEAGE_GRAPH_MAX_DAYS,
  LINEAGE_GRAPH_MAX_DEPTH,
  LINEAGE_RELATIONS_DEFAULT_DAYS,
  accountIdSchema,
  describeZodError,
  entityRefSchema,
  ENTITY_NAME_PATTERN,
  lineageRequestSchema,
  regionSchema,
  tableArnSchema,
} from '@lineage/plugin-dynamodb-lineage-common';
import { z } from 'zod/v3';

/** Parses request input; a failure is a 400 naming each field and its rule. */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  where: 'query' | 'body' | 'path',
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InputError(
    `Invalid ${where}: ${describeZodError(result.error, where)}`,
  );
}

const groupRefSchema = entityRefSchema('group');

export const trailArnSchema = z
  .string()
  .regex(
    /^arn:aws(?:-cn|-us-gov)?:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[A-Za-z0-9._-]{3,128}$/,
    'must be a CloudTrail trail ARN like arn:aws:cloudtrail:us-east-1:111111111111:trail/name',
  );

export const teamPathSchema = z.object({
  namespace: z
    .string()
    .regex(ENTITY_NAME_PATTERN, 'must be a catalog namespace'),
  name: z.string().regex(ENTITY_NAME_PATTERN, 'must be a catalog entity name'),
});

export const entityStatusQuerySchema = z.object({
  entityRef: entityRefSchema(),
});
export const trailHealthQuerySchema = z.object({ arn: trailArnSchema });
export const accountsQuerySchema = z.object({ owner: groupRefSchema });
export const tablesQuerySchema = z.object({
  accountId: accountIdSchema,
  region: regionSchema,
});

export const MAX_LINEAGE_HOURS = 168;
export const DEFAULT_LINEAGE_HOURS = 24;

/** A whole number in digits within bounds; `1e2`, `0x10`, ` 5` or `5.0` are refused. */
function wholeNumber(unit: string, max: number, fallback: number) {
  return z
    .string({ invalid_type_error: `must be given once, as whole ${unit}` })
    .regex(/^[0-9]{1,4}$/, `must be a whole number of ${unit}, in digits`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, 'must be at least 1')
        .max(max, `must be at most ${max}`),
    )
    .default(String(fallback));
}

export const lineageQuerySchema = z.object({
  tableArn: tableArnSchema,
  hours: wholeNumber('hours', MAX_LINEAGE_HOURS, DEFAULT_LINEAGE_HOURS),
});

const lineageDays = (fallback: number) =>
  wholeNumber('days', LINEAGE_GRAPH_MAX_DAYS, fallback);

export const lineageGraphQuerySchema = z
  .object({
    entityRef: entityRefSchema().optional(),
    tableArn: tableArnSchema.optional(),
    days: lineageDays(LINEAGE_GRAPH_DEFAULT_DAYS),
    depth: wholeNumber(
      'table hops',
      LINEAGE_GRAPH_MAX_DEPTH,
      LINEAGE_GRAPH_DEFAULT_DEPTH,
    ),
  })
  .superRefine((query, ctx) => {
    if ((query.entityRef === undefined) === (query.tableArn === undefined)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['entityRef'],
        message: 'give either entityRef or tableArn (exactly one)',
      });
    }
  });

export const lineageTableQuerySchema = z.object({
  tableArn: tableArnSchema,
  days: lineageDays(LINEAGE_GRAPH_DEFAULT_DAYS),
});

export const lineageRelationsQuerySchema = z.object({
  days: lineageDays(LINEAGE_RELATIONS_DEFAULT_DAYS),
});

export const refreshBodySchema = z
  .object({ entityRef: entityRefSchema().optional() })
  .strict();

/**
 * The provisioning request: the common package's schema, so `POST /plan`
 * takes what the provision action takes. The rules across fields run when
 * the service builds the spec, also as a 400.
 */
export const planBodySchema = lineageRequestSchema;

export type PlanBody = z.output<typeof planBodySchema>;

/** The most days one backfill request reads: a year, leap years included. */
export const MAX_BACKFILL_DAYS = 366;

const backfillDay = z
  .string({ invalid_type_error: 'must be a day, YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, YYYY-MM-DD')
  .refine(day => {
    const time = Date.parse(`${day}T00:00:00.000Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().startsWith(day);
  }, 'must be a calendar day');

/**
 * `POST /lineage/backfill`: past whole days of one account, at most
 * {@link MAX_BACKFILL_DAYS}, ending before today (UTC).
 */
export function lineageBackfillBodySchema(now: () => Date = () => new Date()) {
  return z
    .object({
      accountId: accountIdSchema,
      from: backfillDay,
      to: backfillDay,
      regions: z
        .array(regionSchema)
        .min(1, 'must name at least one region when given')
        .max(32)
        .optional(),
    })
    .strict()
    .superRefine((body, ctx) => {
      if (body.from > body.to) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['from'],
          message: 'must not be after to',
        });
        return;
      }
      const today = now().toISOString().slice(0, 10);
      if (body.to >= today) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['to'],
          message: `must be before today (${today}, UTC): backfill reads whole past days`,
        });
      }
      const days =
        (Date.parse(`${body.to}T00:00:00Z`) -
          Date.parse(`${body.from}T00:00:00Z`)) /
          86_400_000 +
        1;
      if (days > MAX_BACKFILL_DAYS) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['to'],
          message: `must be at most ${MAX_BACKFILL_DAYS} days after from, inclusive (asked ${days})`,
        });
      }
    });
}
