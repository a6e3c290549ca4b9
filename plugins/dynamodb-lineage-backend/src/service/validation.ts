import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  validateAccountId,
  validateRegion,
  validateTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { z } from 'zod';

/** Parses request input; a failure is a 400 naming each field and its rule. */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  where: 'query' | 'body' | 'path',
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(issue => {
    const field = issue.path.length ? issue.path.join('.') : where;
    return `${field}: ${issue.message}`;
  });
  throw new InputError(`Invalid ${where}: ${problems.join('; ')}`);
}

/** Turns a `validate*` rule (message or undefined) into a zod refinement. */
function rule(validate: (value: string) => string | undefined) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = validate(value);
    if (problem)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  };
}

/** The catalog's rule for names and namespaces: 1–63 characters, single separators. */
const ENTITY_NAME = /^(?=.{1,63}$)[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;

export const entityRefSchema = z
  .string()
  .min(1)
  .max(300)
  .superRefine((value, ctx) => {
    try {
      parseEntityRef(value);
    } catch {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be an entity ref like kind:namespace/name, got "${value}"`,
      });
    }
  });

export const groupRefSchema = entityRefSchema.refine(
  value => parseEntityRef(value).kind.toLocaleLowerCase('en-US') === 'group',
  { message: 'must be a Group entity ref like group:default/team-payments' },
);

export const accountIdSchema = z
  .string()
  .superRefine(rule(v => validateAccountId(v)));
export const regionSchema = z
  .string()
  .superRefine(rule(v => validateRegion(v)));
export const tableArnSchema = z
  .string()
  .superRefine(rule(v => validateTableArn(v)));

export const trailArnSchema = z
  .string()
  .regex(
    /^arn:aws(?:-cn|-us-gov)?:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[A-Za-z0-9._-]{3,128}$/,
    'must be a CloudTrail trail ARN like arn:aws:cloudtrail:us-east-1:111111111111:trail/name',
  );

export const teamPathSchema = z.object({
  namespace: z.string().regex(ENTITY_NAME, 'must be a catalog namespace'),
  name: z.string().regex(ENTITY_NAME, 'must be a catalog entity name'),
});

export const entityStatusQuerySchema = z.object({ entityRef: entityRefSchema });
export const trailHealthQuerySchema = z.object({ arn: trailArnSchema });
export const accountsQuerySchema = z.object({ owner: groupRefSchema });
export const tablesQuerySchema = z.object({
  accountId: accountIdSchema,
  region: regionSchema,
});

export const MAX_LINEAGE_HOURS = 168;
export const DEFAULT_LINEAGE_HOURS = 24;

export const lineageQuerySchema = z.object({
  tableArn: tableArnSchema,
  hours: z.coerce
    .number({ invalid_type_error: 'must be a whole number of hours' })
    .int('must be a whole number of hours')
    .min(1, 'must be at least 1')
    .max(MAX_LINEAGE_HOURS, `must be at most ${MAX_LINEAGE_HOURS}`)
    .default(DEFAULT_LINEAGE_HOURS),
});

export const refreshBodySchema = z
  .object({ entityRef: entityRefSchema.optional() })
  .strict();

/**
 * A form keeps the list of the scope mode it does not show, empty: accepted
 * only while it is empty, then dropped.
 */
function unusedScopeList(usedByMode: 'tables' | 'prefix') {
  return z
    .array(z.string())
    .max(0, `is used only when scope.mode is '${usedByMode}'`)
    .optional();
}

type ScopeInput =
  | { mode: 'all' }
  | { mode: 'tables'; tableArns: string[] }
  | { mode: 'prefix'; prefixes: string[]; regions?: string[] };

function dropUnusedScopeLists(
  scope: ScopeInput & Record<string, unknown>,
): ScopeInput {
  switch (scope.mode) {
    case 'tables':
      return { mode: 'tables', tableArns: scope.tableArns };
    case 'prefix':
      return scope.regions
        ? { mode: 'prefix', prefixes: scope.prefixes, regions: scope.regions }
        : { mode: 'prefix', prefixes: scope.prefixes };
    default:
      return { mode: 'all' };
  }
}

/**
 * The provisioning input of the form and the scaffolder action; field rules
 * beyond types (names, days, ARNs) are the node library's `buildSpec`.
 */
export const planBodySchema = z
  .object({
    accountId: accountIdSchema,
    region: regionSchema,
    owner: groupRefSchema,
    trailName: z.string().optional(),
    bucketName: z.string().optional(),
    s3KeyPrefix: z.string().optional(),
    scope: z
      .discriminatedUnion('mode', [
        z
          .object({
            mode: z.literal('all'),
            tableArns: unusedScopeList('tables'),
            prefixes: unusedScopeList('prefix'),
          })
          .strict(),
        z
          .object({
            mode: z.literal('tables'),
            tableArns: z
              .array(tableArnSchema)
              .min(1, 'must name at least one table'),
            prefixes: unusedScopeList('prefix'),
          })
          .strict(),
        z
          .object({
            mode: z.literal('prefix'),
            prefixes: z
              .array(z.string().min(1))
              .min(1, 'must name at least one prefix'),
            regions: z.array(regionSchema).optional(),
            tableArns: unusedScopeList('tables'),
          })
          .strict(),
      ])
      .transform(dropUnusedScopeLists)
      .optional(),
    readWriteType: z.enum(['All', 'ReadOnly', 'WriteOnly']).optional(),
    includeStreams: z.boolean().optional(),
    kmsKeyId: z.string().optional(),
    lifecycle: z
      .object({
        glacierAfterDays: z.number().int().positive().optional(),
        expireAfterDays: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    insights: z.boolean().optional(),
    allowWeakening: z.boolean().optional(),
    /** Plan a trail even though another one captures the same DynamoDB data events. */
    allowDuplicateCapture: z.boolean().optional(),
  })
  .strict();

export type PlanBody = z.infer<typeof planBodySchema>;
