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
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: problem,
        fatal: true,
      });
  };
}

/** Longest ARN accepted (table ARNs: 20 + 12 + region + 255-character name). */
const MAX_ARN_LENGTH = 400;
/** Longest name-like field (trail 128, bucket 63, key prefix 200, KMS alias ARN 300). */
const MAX_FIELD_LENGTH = 300;

/** The catalog's rule for names and namespaces: 1–63 characters, single separators. */
const ENTITY_NAME = /^(?=.{1,63}$)[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;

/** Longest entity ref accepted: kind, namespace and name of 63 characters each, plus separators. */
export const MAX_ENTITY_REF_LENGTH = 200;

/**
 * An entity ref in full `kind:namespace/name` or `kind:name` form, checked
 * with the catalog model's parser; with `kind`, only refs of that kind.
 * One refinement, so a failed rule never lets a later rule see the value.
 */
function entityRef(kind?: string) {
  const example = kind
    ? `${kind}:default/team-payments`
    : 'component:default/payments-api';
  return z.string().superRefine((value, ctx) => {
    const problem = entityRefProblem(value, kind);
    if (problem) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `${problem} (like ${example})`,
        fatal: true,
      });
    }
  });
}

function entityRefProblem(value: string, kind?: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_ENTITY_REF_LENGTH) {
    return `must be at most ${MAX_ENTITY_REF_LENGTH} characters, got ${value.length}`;
  }
  let parsed;
  try {
    parsed = parseEntityRef(value);
  } catch {
    return 'must be an entity ref kind:namespace/name';
  }
  if (!ENTITY_NAME.test(parsed.name) || !ENTITY_NAME.test(parsed.namespace)) {
    return 'must have a namespace and name of 1-63 letters, digits and single -_. separators';
  }
  if (!/^[A-Za-z][A-Za-z0-9]{0,62}$/.test(parsed.kind)) {
    return 'must start with a kind of letters and digits';
  }
  if (kind && parsed.kind.toLocaleLowerCase('en-US') !== kind) {
    return `must be a ${kind} entity ref`;
  }
  return undefined;
}

export const entityRefSchema = entityRef();
export const groupRefSchema = entityRef('group');

export const accountIdSchema = z
  .string()
  .superRefine(rule(v => validateAccountId(v)));
export const regionSchema = z
  .string()
  .max(MAX_FIELD_LENGTH, `must be at most ${MAX_FIELD_LENGTH} characters`)
  .superRefine(rule(v => validateRegion(v)));
export const tableArnSchema = z
  .string()
  .max(MAX_ARN_LENGTH, `must be at most ${MAX_ARN_LENGTH} characters`)
  .superRefine(rule(v => validateTableArn(v)));

/** A free-text field checked further by the node library's `buildSpec`. */
const boundedString = (max = MAX_FIELD_LENGTH) =>
  z.string().max(max, `must be at most ${max} characters`);

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
  // Digits only: `1e2`, `0x10`, ` 5` or `5.0` are refused rather than read as numbers.
  hours: z
    .string({ invalid_type_error: 'must be given once, as whole hours' })
    .regex(/^[0-9]{1,4}$/, 'must be a whole number of hours, in digits')
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, 'must be at least 1')
        .max(MAX_LINEAGE_HOURS, `must be at most ${MAX_LINEAGE_HOURS}`),
    )
    .default(String(DEFAULT_LINEAGE_HOURS)),
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
    .array(z.unknown())
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
    trailName: boundedString().optional(),
    bucketName: boundedString().optional(),
    s3KeyPrefix: boundedString().optional(),
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
              .min(1, 'must name at least one table')
              .max(200, 'must name at most 200 tables'),
            prefixes: unusedScopeList('prefix'),
          })
          .strict(),
        z
          .object({
            mode: z.literal('prefix'),
            prefixes: z
              .array(boundedString(MAX_ARN_LENGTH).min(1))
              .min(1, 'must name at least one prefix')
              .max(200, 'must name at most 200 prefixes'),
            regions: z.array(regionSchema).max(40).optional(),
            tableArns: unusedScopeList('tables'),
          })
          .strict(),
      ])
      .transform(dropUnusedScopeLists)
      .optional(),
    readWriteType: z.enum(['All', 'ReadOnly', 'WriteOnly']).optional(),
    includeStreams: z.boolean().optional(),
    kmsKeyId: boundedString().optional(),
    createKmsKey: z.boolean().optional(),
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
