import { ConflictError, InputError } from '@backstage/errors';
import {
  EventSelectors,
  FieldChange,
  LineageSpec,
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
  TrailDescription,
  TrailStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  SELECTOR_NAME_MANAGEMENT,
  desiredEventSelectors,
  desiredInsightTypes,
  desiredTags,
} from './desiredState';
import { sameKmsKey } from './kmsKeys';
import { unique } from './objects';
import { mergeTags, PlanPart } from './planBucket';
import { ExecutableChange } from './planTypes';
import {
  MAX_CONDITION_VALUES,
  countConditionValues,
  hasManagementSelector,
  mergeSelectors,
} from './selectorMerge';

/** A live trail whose probes the caller already checked are answered. */
export interface KnownTrail {
  trail: TrailDescription;
  status: TrailStatus;
  eventSelectors: EventSelectors;
  insightTypes: string[];
  tags: Record<string, string>;
}

/** Trail, selectors, insights, trail tags and logging, in that order. */
export function planTrail(
  spec: LineageSpec,
  live: KnownTrail | null,
  trailArn: string,
  /** The key ARN KMS gave for the spec's key, when it answered. */
  kmsKeyArn?: string,
): PlanPart & {
  tagsChange?: ExecutableChange;
  loggingChange?: ExecutableChange;
} {
  if (live) assertSameTrail(spec, live.trail);
  const changes: ExecutableChange[] = [];
  const notes: string[] = [];
  const trailIsOurs = !live || live.tags[TAG_MANAGED_BY] === MANAGED_BY_VALUE;

  if (!live) {
    changes.push(createTrail(spec));
  } else {
    const update = updateTrail(spec, live.trail, notes, kmsKeyArn);
    if (update) changes.push(update);
  }

  // Selectors.
  let ours = desiredEventSelectors(spec);
  if (live && !trailIsOurs) {
    const theirs = mergeSelectors(live.eventSelectors, [], {
      trailIsOurs,
    }).kept;
    if (hasManagementSelector(theirs)) {
      // The shared trail already logs management events its way: leave them alone.
      ours = ours.filter(s => s.Name !== SELECTOR_NAME_MANAGEMENT);
    } else if (spec.insights) {
      notes.push(
        `Insights need management events: ${spec.trailName} will also log management events`,
      );
    }
  }
  const selectors = mergeSelectors(live?.eventSelectors, ours, { trailIsOurs });
  const values = countConditionValues(selectors.merged);
  if (values > MAX_CONDITION_VALUES) {
    throw new InputError(
      `scope would give trail ${spec.trailName} ${values} selector condition values; CloudTrail allows ${MAX_CONDITION_VALUES}. Use table-name prefixes or fewer tables`,
    );
  }
  if (selectors.kept.length) {
    notes.push(
      `Kept ${
        selectors.kept.length
      } selector(s) already on the trail: ${selectors.kept
        .map(s => s.Name ?? '(unnamed)')
        .join('; ')}`,
    );
  }
  if (!selectors.unchanged) {
    const fieldChanges: FieldChange[] = [
      {
        field: 'AdvancedEventSelectors',
        ...(live ? { current: live.eventSelectors } : {}),
        desired: selectors.merged,
        reason: live
          ? 'the trail must capture DynamoDB data events for the tables in scope'
          : 'a new trail logs management events only until its selectors are set',
      },
    ];
    if (selectors.converted) {
      fieldChanges.push({
        field: 'EventSelectors',
        current: live?.eventSelectors.basic,
        desired: null,
        reason: trailIsOurs
          ? 'the default basic selector of a trail we created is replaced'
          : 'a trail has basic XOR advanced selectors: the basic ones are rewritten as equivalent advanced ones',
      });
    }
    changes.push({
      key: 'event-selectors:update',
      resource: 'event-selectors',
      action: 'update',
      summary: `Capture DynamoDB data events (${describeScope(spec)}, ${
        spec.readWriteType
      }${spec.includeStreams ? ', with streams' : ''}) on ${spec.trailName}`,
      changes: fieldChanges,
      request: {
        operation: 'PutEventSelectors',
        // Must be called in the home region, which is where these clients point.
        input: {
          TrailName: spec.trailName,
          AdvancedEventSelectors: selectors.merged,
        },
      },
    });
  }

  // Insights.
  const liveInsights = live?.insightTypes ?? [];
  const wantedInsights = desiredInsightTypes(spec);
  const missingInsights = wantedInsights.filter(t => !liveInsights.includes(t));
  if (missingInsights.length) {
    changes.push({
      key: 'insight-selectors:update',
      resource: 'insight-selectors',
      action: liveInsights.length ? 'update' : 'create',
      summary: `Turn on CloudTrail Insights (${missingInsights.join(
        ', ',
      )}) on ${spec.trailName}; priced per event analysed`,
      changes: missingInsights.map(type => ({
        field: `InsightSelectors.${type}`,
        current: false,
        desired: true,
        reason: 'Insights were asked for',
      })),
      request: {
        operation: 'PutInsightSelectors',
        input: {
          TrailName: spec.trailName,
          InsightSelectors: unique([...liveInsights, ...wantedInsights]).map(
            type => ({
              InsightType: type as 'ApiCallRateInsight',
            }),
          ),
        },
      },
    });
  } else if (!spec.insights && liveInsights.length) {
    notes.push(
      `Kept Insights (${liveInsights.join(', ')}) already on ${spec.trailName}`,
    );
  }

  // Tags: a new trail gets them with CreateTrail.
  let tagsChange: ExecutableChange | undefined;
  if (live) {
    const tags = mergeTags(live.tags, desiredTags(spec));
    if (tags.changes.length) {
      tagsChange = {
        key: 'trail-tags:update',
        resource: 'trail-tags',
        action: 'update',
        summary: `Tag ${spec.trailName} with its owner and manager`,
        changes: tags.changes,
        request: {
          operation: 'AddTags',
          input: {
            ResourceId: trailArn,
            TagsList: tags.changes.map(c => ({
              Key: c.field.slice('Tags.'.length),
              Value: String(c.desired),
            })),
          },
        },
      };
    }
  }

  // CreateTrail does not start logging.
  let loggingChange: ExecutableChange | undefined;
  if (!live || !live.status.isLogging) {
    loggingChange = {
      key: 'logging:start',
      resource: 'logging',
      action: 'start',
      summary: `Start logging on ${spec.trailName}`,
      changes: [
        {
          field: 'IsLogging',
          current: live ? false : undefined,
          desired: true,
          reason: live
            ? 'the trail is stopped'
            : 'a new trail does not log until started',
        },
      ],
      request: { operation: 'StartLogging', input: { Name: trailArn } },
    };
  }

  return { changes, notes, tagsChange, loggingChange };
}

function createTrail(spec: LineageSpec): ExecutableChange {
  const tags = desiredTags(spec);
  return {
    key: 'trail:create',
    resource: 'trail',
    action: 'create',
    summary: `Create multi-region trail ${spec.trailName} in ${spec.region} delivering to ${spec.bucketName}`,
    changes: [
      {
        field: 'Name',
        desired: spec.trailName,
        reason: 'the name the catalog and later runs find the trail by',
      },
      {
        field: 'S3BucketName',
        desired: spec.bucketName,
        reason: 'the bucket the trail delivers its log files to',
      },
      ...(spec.s3KeyPrefix
        ? [
            {
              field: 'S3KeyPrefix',
              desired: spec.s3KeyPrefix,
              reason: 'log files are written under this prefix',
            },
          ]
        : []),
      {
        field: 'IsMultiRegionTrail',
        desired: true,
        reason: 'a table in any region is covered',
      },
      {
        field: 'IncludeGlobalServiceEvents',
        desired: true,
        reason: 'CloudTrail requires it for a multi-region trail',
      },
      {
        field: 'LogFileValidationEnabled',
        desired: true,
        reason: 'integrity evidence (CIS 3.2)',
      },
      ...(spec.kmsKeyId
        ? [
            {
              field: 'KmsKeyId',
              desired: spec.kmsKeyId,
              reason: 'CIS 3.5: logs encrypted with KMS',
            },
          ]
        : []),
    ],
    request: {
      operation: 'CreateTrail',
      input: {
        Name: spec.trailName,
        S3BucketName: spec.bucketName,
        ...(spec.s3KeyPrefix ? { S3KeyPrefix: spec.s3KeyPrefix } : {}),
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        ...(spec.kmsKeyId ? { KmsKeyId: spec.kmsKeyId } : {}),
        TagsList: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      },
    },
  };
}

function updateTrail(
  spec: LineageSpec,
  trail: TrailDescription,
  notes: string[],
  kmsKeyArn: string | undefined,
): ExecutableChange | undefined {
  const fields: FieldChange[] = [];
  const input: Record<string, unknown> = {};

  if (trail.s3BucketName !== spec.bucketName) {
    fields.push({
      field: 'S3BucketName',
      current: trail.s3BucketName,
      desired: spec.bucketName,
      reason: 'the spec names another bucket',
    });
    input.S3BucketName = spec.bucketName;
    notes.push(
      `${spec.trailName} delivers to ${spec.bucketName} from now on; the objects already in ${trail.s3BucketName} stay there`,
    );
  }
  if ((trail.s3KeyPrefix ?? '') !== (spec.s3KeyPrefix ?? '')) {
    fields.push({
      field: 'S3KeyPrefix',
      current: trail.s3KeyPrefix ?? null,
      desired: spec.s3KeyPrefix ?? null,
      reason: 'the spec names another key prefix',
    });
    input.S3KeyPrefix = spec.s3KeyPrefix ?? '';
  }
  if (!trail.isMultiRegionTrail) {
    fields.push({
      field: 'IsMultiRegionTrail',
      current: false,
      desired: true,
      reason: 'a table in any region is covered (CIS 3.1, CloudTrail.1)',
    });
    input.IsMultiRegionTrail = true;
  }
  if (!trail.includeGlobalServiceEvents || input.IsMultiRegionTrail) {
    if (!trail.includeGlobalServiceEvents) {
      fields.push({
        field: 'IncludeGlobalServiceEvents',
        current: false,
        desired: true,
        reason: 'CloudTrail requires it for a multi-region trail',
      });
    }
    input.IncludeGlobalServiceEvents = true;
  }
  if (!trail.logFileValidationEnabled) {
    fields.push({
      field: 'LogFileValidationEnabled',
      current: false,
      desired: true,
      reason: 'integrity evidence (CIS 3.2, CloudTrail.4)',
    });
    input.EnableLogFileValidation = true;
  }
  if (spec.kmsKeyId) {
    const same = sameKmsKey(trail.kmsKeyId, spec.kmsKeyId, kmsKeyArn);
    if (same === 'unverifiable') {
      notes.push(
        `Assumed ${spec.kmsKeyId} is the key ${trail.kmsKeyId} already encrypting ${spec.trailName}'s logs: aliases are not resolved`,
      );
    } else if (!same) {
      fields.push({
        field: 'KmsKeyId',
        current: trail.kmsKeyId ?? null,
        desired: spec.kmsKeyId,
        reason: 'CIS 3.5: logs encrypted with the given KMS key',
      });
      input.KmsKeyId = spec.kmsKeyId;
    }
  } else if (trail.kmsKeyId) {
    if (spec.allowWeakening) {
      fields.push({
        field: 'KmsKeyId',
        current: trail.kmsKeyId,
        desired: null,
        reason:
          'the spec asks SSE-S3 and allows replacing the stricter setting',
      });
      input.KmsKeyId = '';
    } else {
      notes.push(
        `Kept SSE-KMS (${trail.kmsKeyId}) on ${spec.trailName}: the spec asks SSE-S3, which would weaken it; set allowWeakening to replace it`,
      );
    }
  }

  if (!fields.length) return undefined;
  return {
    key: 'trail:update',
    resource: 'trail',
    action: 'update',
    summary: `Harden trail ${spec.trailName}: ${fields
      .map(f => f.field)
      .join(', ')}`,
    changes: fields,
    request: {
      operation: 'UpdateTrail',
      input: { Name: spec.trailName, ...input },
    },
  };
}

/** A trail of that name must be ours to change: same account, homed in this region. */
function assertSameTrail(spec: LineageSpec, trail: TrailDescription) {
  if (trail.accountId && trail.accountId !== spec.accountId) {
    throw new ConflictError(
      `trailName ${spec.trailName} is ${trail.arn}, a trail of account ${trail.accountId} (an organization trail?); choose another name`,
    );
  }
  if (trail.homeRegion !== spec.region) {
    throw new ConflictError(
      `trailName ${spec.trailName} already exists with home region ${trail.homeRegion}; use region ${trail.homeRegion} or another name`,
    );
  }
}

function describeScope(spec: LineageSpec): string {
  switch (spec.scope.mode) {
    case 'tables':
      return `${spec.scope.tableArns.length} table(s)`;
    case 'prefix':
      return `tables starting with ${spec.scope.prefixes.join(', ')}`;
    default:
      return 'all tables';
  }
}
