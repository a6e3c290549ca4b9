import { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import {
  AWS_REGIONS,
  isAwsRegion,
  LineageSpec,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  buildSpec,
  LineageSpecInput,
} from '@lineage/plugin-dynamodb-lineage-node';

/*
 * The inputs both actions share: the lineage spec as `buildSpec` takes it,
 * without `createdBy`, which comes from the task's user. The zod schema
 * documents the inputs and lets the scaffolder refuse malformed ones; the
 * handler still runs `buildSpec`, which checks every rule and names the field.
 */

/** The zod the scaffolder hands to schema callbacks (its own zod/v3 copy). */
type Zod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];

const regions = AWS_REGIONS as [string, ...string[]];

export const specInputSchema = {
  accountId: (z: Zod) =>
    z
      .string()
      .regex(/^\d{12}$/, 'accountId must be exactly 12 digits')
      .describe('AWS account id (12 digits) to create the trail in'),
  region: (z: Zod) =>
    z
      .enum(regions)
      .describe(
        'Home region of the trail, a commercial AWS region code such as us-east-1; the trail is multi-region',
      ),
  owner: (z: Zod) =>
    z
      .string()
      .min(1)
      .describe(
        'Entity ref of the owning team, e.g. group:default/team-payments; written to the owner tag',
      ),
  trailName: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'CloudTrail trail name: 3-128 of letters, digits, . _ -, starting and ending with a letter or digit. Default dynamodb-lineage',
      ),
  bucketName: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'S3 bucket for the logs: 3-63 of lowercase letters, digits, . -. Default dynamodb-lineage-<account>-<region>',
      ),
  s3KeyPrefix: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'Key prefix for the log objects inside the bucket, without leading or trailing slash',
      ),
  // One object rather than a union per mode, so a form that keeps the other
  // mode's list around is not refused; buildSpec checks what the mode needs.
  scope: (z: Zod) =>
    z
      .object({
        mode: z
          .enum(['all', 'tables', 'prefix'])
          .describe(
            'all: every table (default); tables: exact ARNs; prefix: table-name or ARN prefixes',
          ),
        tableArns: z
          .array(z.string())
          .optional()
          .describe('With mode tables: DynamoDB table ARNs of this account'),
        prefixes: z
          .array(z.string())
          .optional()
          .describe(
            'With mode prefix: table-name prefixes (orders-) or table ARN prefixes',
          ),
        regions: z
          .array(z.string())
          .optional()
          .describe(
            'With mode prefix: regions a table-name prefix applies in; default the home region',
          ),
      })
      .optional()
      .describe('Which DynamoDB tables to log'),
  readWriteType: (z: Zod) =>
    z
      .enum(['All', 'ReadOnly', 'WriteOnly'])
      .optional()
      .describe('Which data events to log; lineage needs All (default)'),
  includeStreams: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        'Also log DynamoDB Streams reads (GetRecords, GetShardIterator)',
      ),
  kmsKeyId: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'KMS key (ARN, alias or id) for SSE-KMS of the bucket; default SSE-S3',
      ),
  lifecycle: (z: Zod) =>
    z
      .object({
        glacierAfterDays: z
          .number()
          .int()
          .optional()
          .describe(
            'Days until current and noncurrent log versions move to GLACIER; default 90',
          ),
        expireAfterDays: z
          .number()
          .int()
          .optional()
          .describe(
            'Days until log versions expire; more than glacierAfterDays; default never',
          ),
      })
      .optional()
      .describe('Lifecycle of the log objects'),
  insights: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        'Turn on CloudTrail Insights (ApiCallRate, ApiErrorRate); priced separately per event analysed',
      ),
};

type ScopeInput = {
  mode: 'all' | 'tables' | 'prefix';
  tableArns?: string[];
  prefixes?: string[];
  regions?: string[];
};

/** The spec inputs as the action receives them. */
export type SpecActionInput = Omit<LineageSpecInput, 'createdBy' | 'scope'> & {
  scope?: ScopeInput;
};

/**
 * The action's input as `buildSpec` takes it, with the task's user as
 * `createdBy`; `InputError` naming the field when invalid. Checks every rule
 * `buildSpec` checks, so nothing invalid reaches AWS.
 */
export function specInputOf(
  input: SpecActionInput,
  createdBy: string | undefined,
): LineageSpecInput {
  // buildSpec only knows the region's shape; the action also wants a real one.
  if (typeof input?.region === 'string' && !isAwsRegion(input.region)) {
    throw new InputError(
      `region: must be a commercial AWS region code such as us-east-1, got "${input.region}"`,
    );
  }
  const specInput: LineageSpecInput = {
    ...input,
    scope: scopeOf(input?.scope),
    ...(createdBy ? { createdBy } : {}),
  };
  buildSpec(specInput);
  return specInput;
}

/** The spec from an action's input; `InputError` naming the field when invalid. */
export function specFromInput(
  input: SpecActionInput,
  createdBy: string | undefined,
): LineageSpec {
  return buildSpec(specInputOf(input, createdBy));
}

/** Keeps only what the mode uses; a missing list is left for buildSpec to name. */
function scopeOf(scope: ScopeInput | undefined): LineageSpecInput['scope'] {
  if (scope === undefined) return undefined;
  if (scope === null || typeof scope !== 'object') {
    throw new InputError('scope: must be an object with a mode');
  }
  switch (scope.mode) {
    case 'tables':
      return { mode: 'tables', tableArns: scope.tableArns as string[] };
    case 'prefix':
      return {
        mode: 'prefix',
        prefixes: scope.prefixes as string[],
        ...(scope.regions !== undefined ? { regions: scope.regions } : {}),
      };
    default:
      // 'all', or an unknown mode buildSpec refuses by name.
      return scope as LineageSpecInput['scope'];
  }
}
