import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import { CANARY_TABLE_NAME } from './canary';
import { dedicatedKeyAlias } from './kmsKeyPolicy';
import { LineageSpec, TableScope } from './types';
import {
  AWS_REGIONS,
  tryParseTableArn,
  validateAccountId,
  validateBucketName,
  validateS3KeyPrefix,
  validateTableArn,
  validateTrailName,
} from './validation';

/*
 * The provisioning input: the one schema from which the backend's `/plan`
 * body, the scaffolder actions' inputs, the frontend's request type and the
 * plan preview's form are derived. `lineageSpecSchema` parses an input into
 * the `LineageSpec` to converge to, applying the defaults and the rules that
 * relate fields to each other (a table of the trail's own account, a key in
 * its home region, expiry after archival).
 *
 * The schema is written with zod's v3 API because the scaffolder turns action
 * input schemas into JSON Schema with it.
 */

export const DEFAULT_TRAIL_NAME = 'dynamodb-lineage';
export const DEFAULT_GLACIER_AFTER_DAYS = 90;
/** Longest lifecycle accepted, in days (100 years). */
export const MAX_LIFECYCLE_DAYS = 36500;
/** CloudTrail allows 500 condition values per trail; keep room for a shared trail's own. */
export const MAX_SCOPE_VALUES = 200;
/** Regions a table-name prefix may be expanded to. */
const MAX_PREFIX_REGIONS = 40;
/** Longest ARN accepted (table ARNs: 20 + 12 + region + 255-character name). */
const MAX_ARN_LENGTH = 400;
/** Longest entity ref accepted: kind, namespace and name of 63 characters each, plus separators. */
export const MAX_ENTITY_REF_LENGTH = 200;

export function defaultBucketName(accountId: string, region: string): string {
  return `dynamodb-lineage-${accountId}-${region}`;
}

/**
 * The partition of every region the schema accepts: `region` is one of
 * `AWS_REGIONS`, the commercial partition.
 */
export const AWS_PARTITION = 'aws';

export const READ_WRITE_TYPES = ['All', 'ReadOnly', 'WriteOnly'] as const;
export const SCOPE_MODES = ['all', 'tables', 'prefix'] as const;

/** Turns a `validate*` rule (message or undefined) into a fatal zod refinement. */
function rule(validate: (value: string) => string | undefined) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = validate(value);
    if (problem) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: problem,
        fatal: true,
      });
    }
  };
}

const text = () =>
  z.string({
    required_error: 'is required and must be a non-empty string',
    invalid_type_error: 'must be a string',
  });

/** An optional free-text field; an empty string counts as absent. */
function optionalText(validate: (value: string) => string | undefined) {
  return text()
    .trim()
    .superRefine((value, ctx) => {
      if (value !== '') rule(validate)(value, ctx);
    })
    .optional();
}

const flag = () => z.boolean({ invalid_type_error: 'must be true or false' });

/** The catalog's rule for names and namespaces: 1-63 characters, single separators. */
export const ENTITY_NAME_PATTERN =
  /^(?=.{1,63}$)[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;
const ENTITY_KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;

/** Why `value` is not an entity ref (of `kind`, when given), or undefined. */
export function entityRefProblem(
  value: string,
  kind?: string,
): string | undefined {
  const example = kind
    ? `${kind}:default/team-payments`
    : 'component:default/payments-api';
  if (value.length > MAX_ENTITY_REF_LENGTH) {
    return `must be at most ${MAX_ENTITY_REF_LENGTH} characters, got ${value.length}`;
  }
  const match = /^([^:/]+):(?:([^:/]+)\/)?([^:/]+)$/.exec(value);
  if (!match || !ENTITY_KIND.test(match[1])) {
    return `must be an entity ref such as ${example}`;
  }
  const [, refKind, namespace = 'default', name] = match;
  if (!ENTITY_NAME_PATTERN.test(namespace) || !ENTITY_NAME_PATTERN.test(name)) {
    return `must have a namespace and name of 1-63 letters, digits and single -_. separators (like ${example})`;
  }
  if (kind && refKind.toLocaleLowerCase('en-US') !== kind) {
    return `must be a ${kind} entity ref such as ${example}`;
  }
  return undefined;
}

/** `kind:namespace/name` with the kind in lower case and the namespace filled in. */
export function normalizeEntityRef(value: string): string {
  const [kindPart, rest] = [
    value.slice(0, value.indexOf(':')),
    value.slice(value.indexOf(':') + 1),
  ];
  const full = rest.includes('/') ? rest : `default/${rest}`;
  return `${kindPart.toLocaleLowerCase('en-US')}:${full}`;
}

/**
 * An entity ref, `kind:namespace/name` or `kind:name`; with `kind`, only
 * refs of that kind. Parsed to the full form with a lower-case kind, the
 * form tags and catalog refs are compared in.
 */
export function entityRefSchema(kind?: string) {
  return text()
    .trim()
    .min(1, 'is required and must be a non-empty string')
    .superRefine(rule(value => entityRefProblem(value, kind)))
    .transform(normalizeEntityRef);
}

export const accountIdSchema = text().superRefine(rule(validateAccountId));

export const regionSchema = z.enum(AWS_REGIONS as [string, ...string[]], {
  errorMap: (issue, ctx) => ({
    message:
      issue.code === z.ZodIssueCode.invalid_type && ctx.data === undefined
        ? 'is required and must be a region code'
        : 'must be a commercial AWS region code such as us-east-1',
  }),
});

export const tableArnSchema = text()
  .max(MAX_ARN_LENGTH, `must be at most ${MAX_ARN_LENGTH} characters`)
  .superRefine(rule(validateTableArn));

const TABLE_NAME_PREFIX = /^[A-Za-z0-9_.-]{1,255}$/;
const TABLE_ARN_PREFIX =
  /^arn:aws(?:-[a-z]+)*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]*$/;

/** Why `value` is neither a table-name prefix nor a table ARN prefix, or undefined. */
export function tablePrefixProblem(value: string): string | undefined {
  if (value.startsWith('arn:')) {
    return TABLE_ARN_PREFIX.test(value)
      ? undefined
      : 'must be a table ARN prefix arn:<partition>:dynamodb:<region>:<account>:table/<name prefix>';
  }
  return TABLE_NAME_PREFIX.test(value)
    ? undefined
    : 'must be 1 to 255 of letters, digits, _ . -';
}

/** A table-name prefix (`orders-`) or a table ARN prefix. */
export const tablePrefixSchema = text()
  .trim()
  .max(MAX_ARN_LENGTH, `must be at most ${MAX_ARN_LENGTH} characters`)
  .superRefine(rule(tablePrefixProblem));

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

function scopeList<T extends z.ZodTypeAny>(item: T, what: string) {
  return z
    .array(item, { required_error: 'must be a non-empty list' })
    .min(1, 'must be a non-empty list')
    .max(MAX_SCOPE_VALUES, `must have at most ${MAX_SCOPE_VALUES} ${what}`);
}

export const tableScopeSchema = z
  .discriminatedUnion(
    'mode',
    [
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
          tableArns: scopeList(tableArnSchema, 'tables').describe(
            'DynamoDB table ARNs of the trail account',
          ),
          prefixes: unusedScopeList('prefix'),
        })
        .strict(),
      z
        .object({
          mode: z.literal('prefix'),
          prefixes: scopeList(tablePrefixSchema, 'prefixes').describe(
            'Table-name prefixes (orders-) or table ARN prefixes',
          ),
          regions: z
            .array(regionSchema)
            .max(
              MAX_PREFIX_REGIONS,
              `must have at most ${MAX_PREFIX_REGIONS} regions`,
            )
            .optional()
            .describe(
              'Regions a table-name prefix applies in; default the home region',
            ),
          tableArns: unusedScopeList('tables'),
        })
        .strict(),
    ],
    {
      errorMap: (issue, ctx) => ({
        message:
          issue.code === z.ZodIssueCode.invalid_union_discriminator
            ? `must be one of ${SCOPE_MODES.join(', ')}`
            : ctx.defaultError,
      }),
    },
  )
  .describe(
    'Which DynamoDB tables to log. all: every table (default); tables: exact ARNs; prefix: table-name or ARN prefixes',
  );

const DAYS_RULE = `must be a whole number of days from 1 to ${MAX_LIFECYCLE_DAYS}`;
const days = (what: string) =>
  z
    .number({ invalid_type_error: DAYS_RULE })
    .int(DAYS_RULE)
    .min(1, DAYS_RULE)
    .max(MAX_LIFECYCLE_DAYS, DAYS_RULE)
    .describe(what);

const KEY_ID =
  '(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})';
const ALIAS_NAME = 'alias/[A-Za-z0-9/_-]{1,250}';
const KMS_KEY_ID = new RegExp(`^(?:${KEY_ID}|${ALIAS_NAME})$`);
const KMS_KEY_ARN = new RegExp(
  `^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\\d{12}):(?:key/${KEY_ID}|${ALIAS_NAME})$`,
);

function kmsKeyProblem(value: string): string | undefined {
  return KMS_KEY_ID.test(value) || KMS_KEY_ARN.test(value)
    ? undefined
    : 'must be a key id (UUID or mrk- followed by 32 hex digits), alias/<name>, or the ARN of a key or alias';
}

/** S3's "safe characters": nothing that needs escaping in URLs, policies or HCL. */
const KEY_PREFIX = /^[A-Za-z0-9!_.*'()-]+(?:\/[A-Za-z0-9!_.*'()-]+)*$/;

function s3KeyPrefixProblem(value: string): string | undefined {
  return (
    validateS3KeyPrefix(value) ??
    (KEY_PREFIX.test(value)
      ? undefined
      : "must be path segments of letters, digits and !_.*'()- separated by single slashes, without a leading or trailing slash")
  );
}

/**
 * The fields a caller chooses. Everything but the account, region and owner
 * has a default; `createdBy` is the user who asked, which a route or action
 * takes from the request's credentials rather than from its body.
 */
export const lineageSpecFields = {
  accountId: accountIdSchema.describe(
    'AWS account id (12 digits) to create the trail in',
  ),
  region: regionSchema.describe(
    'Home region of the trail, a commercial AWS region code such as us-east-1; the trail is multi-region',
  ),
  owner: entityRefSchema('group').describe(
    'Entity ref of the owning team, e.g. group:default/team-payments; written to the owner tag',
  ),
  trailName: optionalText(validateTrailName).describe(
    `CloudTrail trail name: 3-128 of letters, digits, . _ -, starting and ending with a letter or digit. Default ${DEFAULT_TRAIL_NAME}; an existing trail of that name is converged, its other selectors kept`,
  ),
  bucketName: optionalText(validateBucketName).describe(
    'S3 bucket for the logs: 3-63 of lowercase letters, digits, . -. Default dynamodb-lineage-<account>-<region>; an existing bucket is hardened, never emptied',
  ),
  s3KeyPrefix: optionalText(s3KeyPrefixProblem).describe(
    'Key prefix for the log objects inside the bucket, without leading or trailing slash',
  ),
  scope: tableScopeSchema.optional(),
  readWriteType: z
    .enum(READ_WRITE_TYPES, {
      errorMap: () => ({
        message: `must be one of ${READ_WRITE_TYPES.join(', ')}`,
      }),
    })
    .default('All')
    .describe('Which data events to log; lineage needs All (the default)'),
  includeStreams: flag()
    .default(false)
    .describe('Also log DynamoDB Streams reads (GetRecords, GetShardIterator)'),
  kmsKeyId: optionalText(kmsKeyProblem).describe(
    "KMS key for SSE-KMS of the bucket: key id, alias/<name>, or the ARN of a key or alias in the trail's home region and account; default SSE-S3",
  ),
  createKmsKey: flag()
    .default(false)
    .describe(
      'Encrypt with a KMS key created for this trail, its policy letting CloudTrail encrypt for this trail only, found by its alias alias/dynamodb-lineage/<trail name> on later runs; $1 a month plus requests. Not with kmsKeyId',
    ),
  lifecycle: z
    .object({
      glacierAfterDays: days(
        'Days until current and noncurrent log versions move to GLACIER',
      ).default(DEFAULT_GLACIER_AFTER_DAYS),
      expireAfterDays: days(
        'Days until log versions expire; more than glacierAfterDays; default never',
      ).optional(),
    })
    .strict()
    .optional()
    .describe('Lifecycle of the log objects'),
  insights: flag()
    .default(false)
    .describe(
      'Turn on CloudTrail Insights (ApiCallRate, ApiErrorRate); priced separately per event analysed',
    ),
  canary: flag()
    .default(true)
    .describe(
      `Create the canary table ${CANARY_TABLE_NAME} (on demand, key id) in the home region when missing, and capture its calls even in prefix or tables scope: one read per refresh proves capture; a few cents a month`,
    ),
  allowWeakening: flag()
    .default(false)
    .describe(
      'Allow replacing a stricter existing setting, such as SSE-KMS by SSE-S3 on an existing bucket',
    ),
  createdBy: entityRefSchema()
    .optional()
    .describe(
      'Entity ref of the user who asked; written to the created-by tag',
    ),
};

/**
 * What `POST /plan` and the provision action take: the spec fields but
 * `createdBy`, plus whether to plan a second capture of data events another
 * trail already captures.
 */
export const lineageRequestFields = {
  ...omitKey(lineageSpecFields, 'createdBy'),
  allowDuplicateCapture: flag()
    .default(false)
    .describe(
      'Plan a trail even though another trail already captures the DynamoDB data events of the account-region, billing them twice; by default such a request is refused, naming that trail',
    ),
};

/** The body of `POST /plan` and the input of the provision action. */
export const lineageRequestSchema = z.object(lineageRequestFields).strict();

/** A provisioning request as a client sends it; defaults apply to what it leaves out. */
export type LineageRequest = z.input<typeof lineageRequestSchema>;

function omitKey<T extends object, K extends keyof T>(
  object: T,
  key: K,
): Omit<T, K> {
  const { [key]: _omitted, ...rest } = object;
  return rest;
}

/** The input object, before defaults and cross-field rules. */
export const lineageSpecInputSchema = z.object(lineageSpecFields).strict();

/** What a caller may say about the trail it wants. */
export type LineageSpecInput = z.input<typeof lineageSpecInputSchema>;

type ParsedInput = z.output<typeof lineageSpecInputSchema>;

function addIssue(
  ctx: z.RefinementCtx,
  path: (string | number)[],
  message: string,
) {
  ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
}

/** The rules that relate fields to each other; every field is valid by itself. */
function checkAcrossFields(input: ParsedInput, ctx: z.RefinementCtx) {
  const { accountId, scope, kmsKeyId, lifecycle } = input;
  if (scope?.mode === 'tables') {
    scope.tableArns.forEach((arn, i) => {
      const parsed = tryParseTableArn(arn);
      if (parsed && parsed.accountId !== accountId) {
        addIssue(
          ctx,
          ['scope', 'tableArns', i],
          `must be a table of account ${accountId}; a trail logs its own account`,
        );
      } else if (parsed && parsed.partition !== AWS_PARTITION) {
        addIssue(
          ctx,
          ['scope', 'tableArns', i],
          `must be in partition ${AWS_PARTITION} like the trail`,
        );
      }
    });
  }
  if (scope?.mode === 'prefix') {
    const own = new RegExp(
      `^arn:${AWS_PARTITION}:dynamodb:[a-z0-9-]+:${accountId}:table/`,
    );
    scope.prefixes.forEach((prefix, i) => {
      if (prefix.startsWith('arn:') && !own.test(prefix)) {
        addIssue(
          ctx,
          ['scope', 'prefixes', i],
          `must be a table-name prefix or an ARN prefix arn:${AWS_PARTITION}:dynamodb:<region>:${accountId}:table/<name prefix>`,
        );
      }
    });
    const names = scope.prefixes.filter(p => !p.startsWith('arn:')).length;
    const arns = scope.prefixes.length - names;
    const expanded = arns + names * (scope.regions?.length || 1);
    if (expanded > MAX_SCOPE_VALUES) {
      addIssue(
        ctx,
        ['scope', 'prefixes'],
        `must expand to at most ${MAX_SCOPE_VALUES} ARN prefixes, got ${expanded}`,
      );
    }
  }
  if (kmsKeyId && input.createKmsKey) {
    addIssue(
      ctx,
      ['createKmsKey'],
      'cannot be combined with kmsKeyId: either a key is created for the trail, or the given one is used',
    );
  }
  if (kmsKeyId) {
    const arn = KMS_KEY_ARN.exec(kmsKeyId);
    if (arn) {
      const [, partition, keyRegion, keyAccount] = arn;
      if (keyRegion !== input.region || keyAccount !== accountId) {
        addIssue(
          ctx,
          ['kmsKeyId'],
          `must be a key in the trail's home region and account (${input.region}, ${accountId}), got ${keyRegion}, ${keyAccount}`,
        );
      } else if (partition !== AWS_PARTITION) {
        addIssue(ctx, ['kmsKeyId'], `must be in partition ${AWS_PARTITION}`);
      }
    }
  }
  if (
    lifecycle?.expireAfterDays !== undefined &&
    lifecycle.expireAfterDays <= lifecycle.glacierAfterDays
  ) {
    addIssue(
      ctx,
      ['lifecycle', 'expireAfterDays'],
      `must be greater than lifecycle.glacierAfterDays (${lifecycle.glacierAfterDays})`,
    );
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function toScope(input: ParsedInput): TableScope {
  const { scope } = input;
  if (scope?.mode === 'tables') {
    return { mode: 'tables', tableArns: unique(scope.tableArns) };
  }
  if (scope?.mode === 'prefix') {
    const regions = scope.regions?.length ? scope.regions : [input.region];
    // CloudTrail matches `resources.ARN` and allows no wildcards: a name
    // prefix becomes an ARN prefix in each region.
    const arnPrefixes = scope.prefixes.flatMap(prefix =>
      prefix.startsWith('arn:')
        ? [prefix]
        : regions.map(
            r =>
              `arn:${AWS_PARTITION}:dynamodb:${r}:${input.accountId}:table/${prefix}`,
          ),
    );
    return { mode: 'prefix', prefixes: unique(arnPrefixes) };
  }
  return { mode: 'all' };
}

function toSpec(input: ParsedInput): LineageSpec {
  const { accountId, region } = input;
  const trailName = input.trailName || DEFAULT_TRAIL_NAME;
  // A created key is named by its alias, which exists before the key's ARN does.
  const kmsKeyId = input.createKmsKey
    ? `arn:${AWS_PARTITION}:kms:${region}:${accountId}:${dedicatedKeyAlias(
        trailName,
      )}`
    : input.kmsKeyId;
  const lifecycle = input.lifecycle ?? {
    glacierAfterDays: DEFAULT_GLACIER_AFTER_DAYS,
  };
  return {
    accountId,
    region,
    trailName,
    bucketName: input.bucketName || defaultBucketName(accountId, region),
    ...(input.s3KeyPrefix ? { s3KeyPrefix: input.s3KeyPrefix } : {}),
    scope: toScope(input),
    readWriteType: input.readWriteType,
    includeStreams: input.includeStreams,
    ...(kmsKeyId ? { kmsKeyId } : {}),
    ...(input.createKmsKey ? { createKmsKey: true } : {}),
    lifecycle: {
      glacierAfterDays: lifecycle.glacierAfterDays,
      ...(lifecycle.expireAfterDays !== undefined
        ? { expireAfterDays: lifecycle.expireAfterDays }
        : {}),
    },
    insights: input.insights,
    ...(input.canary ? { canary: true } : {}),
    owner: input.owner,
    ...(input.createdBy ? { createdBy: input.createdBy } : {}),
    ...(input.allowWeakening ? { allowWeakening: true } : {}),
  };
}

/** Parses a provisioning input into the `LineageSpec` it asks for. */
export const lineageSpecSchema = lineageSpecInputSchema
  .superRefine(checkAcrossFields)
  .transform(toSpec);

/** `scope.tableArns[0]`: where an issue is, as a reader writes it. */
export function issuePath(path: (string | number)[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${part}`,
    )
    .join('');
}

/** Each issue as `field: rule`, joined; `where` names an issue about the whole value. */
export function describeZodError(error: z.ZodError, where = 'input'): string {
  return error.issues
    .map(i => `${i.path.length ? issuePath(i.path) : where}: ${i.message}`)
    .join('; ');
}

/**
 * Applies the defaults and checks every field, so nothing reaches AWS that
 * AWS would refuse. Throws `InputError` naming each broken field and rule.
 */
export function buildSpec(input: LineageSpecInput): LineageSpec {
  const result = lineageSpecSchema.safeParse(input);
  if (!result.success) {
    throw new InputError(describeZodError(result.error));
  }
  return result.data;
}
