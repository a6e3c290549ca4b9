import { AwsError } from '../../errors';
import { isoSeconds } from '../../clock';
import type { World } from '../../world';
import type { CallContext } from '../types';
import { cloudTrailMayWrite, logRoot } from './bucketAccess';
import { lookupEvents } from './eventHistory';
import {
  checkTrailName,
  findTrail,
  findTrailToChange,
  isOwnTrail,
  isVisible,
  trailsInRegion,
} from './lookup';
import {
  type InsightSelector,
  type Trail,
  trailArn,
  parseTrailArn,
} from './model';
import { listPublicKeys as publicKeysBetween } from './digestKeys';
import {
  validateAdvancedEventSelectors,
  validateEventSelectors,
} from './selectors';

type Input = Record<string, any>;
type Output = Record<string, unknown>;

const TRAILS_PER_REGION = 5;
const TAGS_PER_RESOURCE = 50;

const seconds = (ms: number | undefined) =>
  ms === undefined ? undefined : ms / 1000;

export function describeTrail(trail: Trail): Output {
  return {
    Name: trail.name,
    S3BucketName: trail.s3BucketName,
    S3KeyPrefix: trail.s3KeyPrefix,
    SnsTopicName: trail.snsTopicName,
    SnsTopicARN: trail.snsTopicName
      ? `arn:aws:sns:${trail.homeRegion}:${trail.accountId}:${trail.snsTopicName}`
      : undefined,
    IncludeGlobalServiceEvents: trail.includeGlobalServiceEvents,
    IsMultiRegionTrail: trail.isMultiRegionTrail,
    HomeRegion: trail.homeRegion,
    TrailARN: trail.arn,
    LogFileValidationEnabled: trail.logFileValidationEnabled,
    CloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn,
    CloudWatchLogsRoleArn: trail.cloudWatchLogsRoleArn,
    KmsKeyId: trail.kmsKeyId,
    HasCustomEventSelectors: trail.hasCustomEventSelectors,
    HasInsightSelectors: trail.insightSelectors.length > 0,
    IsOrganizationTrail: trail.isOrganizationTrail,
  };
}

function trailSettingsOutput(trail: Trail): Output {
  const { HomeRegion, HasCustomEventSelectors, HasInsightSelectors, ...rest } =
    describeTrail(trail);
  return rest;
}

function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new AwsError(
      'InvalidParameterException',
      `${field} must be a string.`,
    );
  }
  return value;
}

function checkKmsKeyId(value: string | undefined): void {
  if (value === undefined) return;
  const valid =
    /^arn:aws:kms:[a-z0-9-]+:\d{12}:(key\/[\w-]+|alias\/[\w/+=,.@-]+)$/.test(
      value,
    ) ||
    /^alias\/[\w/+=,.@-]+$/.test(value) ||
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(
      value,
    ) ||
    /^mrk-[0-9a-f]{32}$/.test(value);
  if (!valid) {
    throw new AwsError(
      'InvalidKmsKeyIdException',
      `KMS key ${value} is not valid.`,
    );
  }
}

function checkTags(tags: unknown): Array<{ Key: string; Value?: string }> {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) {
    throw new AwsError(
      'InvalidTagParameterException',
      'TagsList must be a list.',
    );
  }
  for (const tag of tags) {
    if (
      typeof tag?.Key !== 'string' ||
      tag.Key.length === 0 ||
      tag.Key.length > 128
    ) {
      throw new AwsError(
        'InvalidTagParameterException',
        'Tag keys must be between 1 and 128 characters.',
      );
    }
    if (
      tag.Value !== undefined &&
      (typeof tag.Value !== 'string' || tag.Value.length > 256)
    ) {
      throw new AwsError(
        'InvalidTagParameterException',
        `Tag value of ${tag.Key} must be at most 256 characters.`,
      );
    }
  }
  return tags.map(tag => ({ Key: tag.Key, Value: tag.Value }));
}

/** Bucket must exist and its policy must let CloudTrail write this trail's logs. */
function checkBucket(world: World, trail: Trail): void {
  const bucket = world.buckets.get(trail.s3BucketName);
  if (!bucket) {
    throw new AwsError(
      'S3BucketDoesNotExistException',
      `S3 bucket ${trail.s3BucketName} does not exist.`,
    );
  }
  const organization = trail.isOrganizationTrail
    ? world.organizationOf(trail.accountId)
    : undefined;
  const roots = [logRoot(trail.s3KeyPrefix, trail.accountId)];
  if (organization)
    roots.push(logRoot(trail.s3KeyPrefix, trail.accountId, organization.id));
  const allowed = roots.every(root =>
    cloudTrailMayWrite({
      bucket,
      key: `${root}CloudTrail/${trail.homeRegion}/policy-check`,
      trailArn: trail.arn,
      trailAccountId: trail.accountId,
    }),
  );
  if (!allowed) {
    throw new AwsError(
      'InsufficientS3BucketPolicyException',
      `Incorrect S3 bucket policy is detected for bucket: ${trail.s3BucketName}`,
    );
  }
}

function checkOrganization(world: World, accountId: string): void {
  const organization = world.organizationOf(accountId);
  if (!organization) {
    throw new AwsError(
      'OrganizationsNotInUseException',
      'This account is not a member of an organization.',
    );
  }
  if (organization.managementAccountId !== accountId) {
    throw new AwsError(
      'NotOrganizationMasterAccountException',
      'Only the management account of an organization can create or change an organization trail.',
    );
  }
}

function checkSettings(world: World, trail: Trail): void {
  if (trail.isMultiRegionTrail && !trail.includeGlobalServiceEvents) {
    throw new AwsError(
      'InvalidParameterCombinationException',
      'Multi-Region trail must include global service events.',
    );
  }
  if (trail.s3KeyPrefix !== undefined && trail.s3KeyPrefix.length > 200) {
    throw new AwsError(
      'InvalidS3PrefixException',
      'S3 key prefix must be at most 200 characters.',
    );
  }
  checkKmsKeyId(trail.kmsKeyId);
  if (trail.isOrganizationTrail) checkOrganization(world, trail.accountId);
}

function bool(input: Input, field: string, fallback: boolean): boolean {
  const value = input[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    throw new AwsError(
      'InvalidParameterException',
      `${field} must be a boolean.`,
    );
  }
  return value;
}

export function createTrail(input: Input, ctx: CallContext): Output {
  const { world, region } = ctx;
  const accountId = ctx.identity.accountId;
  const name = checkTrailName(input.Name);
  const bucketName = optionalString(input, 'S3BucketName');
  if (!bucketName) {
    throw new AwsError(
      'S3BucketDoesNotExistException',
      'S3BucketName is required.',
    );
  }
  const trail: Trail = {
    name,
    accountId,
    homeRegion: region,
    arn: trailArn(region, accountId, name),
    createdAt: ctx.time,
    s3BucketName: bucketName,
    s3KeyPrefix: optionalString(input, 'S3KeyPrefix'),
    snsTopicName: optionalString(input, 'SnsTopicName'),
    includeGlobalServiceEvents: bool(input, 'IncludeGlobalServiceEvents', true),
    isMultiRegionTrail: bool(input, 'IsMultiRegionTrail', false),
    isOrganizationTrail: bool(input, 'IsOrganizationTrail', false),
    logFileValidationEnabled: bool(input, 'EnableLogFileValidation', false),
    cloudWatchLogsLogGroupArn: optionalString(
      input,
      'CloudWatchLogsLogGroupArn',
    ),
    cloudWatchLogsRoleArn: optionalString(input, 'CloudWatchLogsRoleArn'),
    kmsKeyId: optionalString(input, 'KmsKeyId'),
    hasCustomEventSelectors: false,
    insightSelectors: [],
    tags: checkTags(input.TagsList),
    status: { isLogging: false },
    streams: new Map(),
    digestHourStart: Math.floor(ctx.time / 3_600_000) * 3_600_000,
  };
  checkSettings(world, trail);
  const ownTrails = [...world.trails.values()].filter(t =>
    isOwnTrail(t, accountId),
  );
  const clash = ownTrails.find(
    t =>
      t.name === name &&
      (t.homeRegion === region ||
        t.isMultiRegionTrail ||
        trail.isMultiRegionTrail),
  );
  if (clash) {
    throw new AwsError(
      'TrailAlreadyExistsException',
      `Trail ${name} already exists for customer: ${accountId}`,
    );
  }
  const inRegion = trailsInRegion(world, accountId, region, true).filter(t =>
    isOwnTrail(t, accountId),
  );
  if (inRegion.length >= TRAILS_PER_REGION) {
    throw new AwsError(
      'MaximumNumberOfTrailsExceededException',
      `User: ${accountId} already has ${TRAILS_PER_REGION} trails in ${region}.`,
    );
  }
  if (trail.tags.length > TAGS_PER_RESOURCE) {
    throw new AwsError(
      'TagsLimitExceededException',
      `A trail can have at most ${TAGS_PER_RESOURCE} tags.`,
    );
  }
  checkBucket(world, trail);
  world.trails.set(trail.arn, trail);
  return trailSettingsOutput(trail);
}

export function updateTrail(input: Input, ctx: CallContext): Output {
  const current = findTrailToChange(
    ctx.world,
    input.Name,
    ctx.identity.accountId,
    ctx.region,
  );
  const has = (field: string) =>
    input[field] !== undefined && input[field] !== null;
  const next: Trail = {
    ...current,
    s3BucketName: has('S3BucketName')
      ? optionalString(input, 'S3BucketName')!
      : current.s3BucketName,
    s3KeyPrefix: has('S3KeyPrefix')
      ? optionalString(input, 'S3KeyPrefix')
      : current.s3KeyPrefix,
    snsTopicName: has('SnsTopicName')
      ? optionalString(input, 'SnsTopicName')
      : current.snsTopicName,
    includeGlobalServiceEvents: bool(
      input,
      'IncludeGlobalServiceEvents',
      current.includeGlobalServiceEvents,
    ),
    isMultiRegionTrail: bool(
      input,
      'IsMultiRegionTrail',
      current.isMultiRegionTrail,
    ),
    isOrganizationTrail: bool(
      input,
      'IsOrganizationTrail',
      current.isOrganizationTrail,
    ),
    logFileValidationEnabled: bool(
      input,
      'EnableLogFileValidation',
      current.logFileValidationEnabled,
    ),
    cloudWatchLogsLogGroupArn: has('CloudWatchLogsLogGroupArn')
      ? optionalString(input, 'CloudWatchLogsLogGroupArn')
      : current.cloudWatchLogsLogGroupArn,
    cloudWatchLogsRoleArn: has('CloudWatchLogsRoleArn')
      ? optionalString(input, 'CloudWatchLogsRoleArn')
      : current.cloudWatchLogsRoleArn,
    kmsKeyId: has('KmsKeyId')
      ? optionalString(input, 'KmsKeyId')
      : current.kmsKeyId,
  };
  checkSettings(ctx.world, next);
  if (
    next.s3BucketName !== current.s3BucketName ||
    next.s3KeyPrefix !== current.s3KeyPrefix ||
    next.isOrganizationTrail !== current.isOrganizationTrail
  ) {
    checkBucket(ctx.world, next);
  }
  Object.assign(current, next);
  return trailSettingsOutput(current);
}

export function deleteTrail(input: Input, ctx: CallContext): Output {
  const trail = findTrailToChange(
    ctx.world,
    input.Name,
    ctx.identity.accountId,
    ctx.region,
  );
  ctx.world.trails.delete(trail.arn);
  return {};
}

export function describeTrails(input: Input, ctx: CallContext): Output {
  const { world, region } = ctx;
  const accountId = ctx.identity.accountId;
  const includeShadowTrails = input.includeShadowTrails !== false;
  const names: unknown[] | undefined = input.trailNameList?.length
    ? input.trailNameList
    : undefined;
  let trails: Trail[];
  if (!names) {
    trails = trailsInRegion(world, accountId, region, includeShadowTrails);
  } else {
    const inRegion = trailsInRegion(
      world,
      accountId,
      region,
      includeShadowTrails,
    );
    trails = [];
    for (const name of names) {
      if (typeof name !== 'string') continue;
      const trail = name.startsWith('arn:')
        ? world.trails.get(name)
        : inRegion.find(t => t.name === name);
      if (
        trail &&
        isVisible(world, trail, accountId) &&
        !trails.includes(trail)
      ) {
        trails.push(trail);
      }
    }
  }
  return { trailList: trails.map(describeTrail) };
}

export function getTrail(input: Input, ctx: CallContext): Output {
  const trail = findTrail(
    ctx.world,
    input.Name,
    ctx.identity.accountId,
    ctx.region,
  );
  return { Trail: describeTrail(trail) };
}

export function listTrails(_input: Input, ctx: CallContext): Output {
  const accountId = ctx.identity.accountId;
  const trails = [...ctx.world.trails.values()].filter(t =>
    isVisible(ctx.world, t, accountId),
  );
  return {
    Trails: trails.map(t => ({
      TrailARN: t.arn,
      Name: t.name,
      HomeRegion: t.homeRegion,
    })),
  };
}

export function getTrailStatus(input: Input, ctx: CallContext): Output {
  const trail = findTrail(
    ctx.world,
    input.Name,
    ctx.identity.accountId,
    ctx.region,
  );
  const s = trail.status;
  const text = (ms: number | undefined) =>
    ms === undefined ? undefined : isoSeconds(ms);
  return {
    IsLogging: s.isLogging,
    LatestDeliveryError: s.latestDeliveryError,
    LatestDeliveryTime: seconds(s.latestDeliveryTime),
    StartLoggingTime: seconds(s.startLoggingTime),
    StopLoggingTime: seconds(s.stopLoggingTime),
    LatestDigestDeliveryTime: seconds(s.latestDigestDeliveryTime),
    LatestDigestDeliveryError: s.latestDigestDeliveryError,
    LatestDeliveryAttemptTime: text(s.latestDeliveryAttemptTime) ?? '',
    LatestNotificationAttemptTime: '',
    LatestNotificationAttemptSucceeded: '',
    LatestDeliveryAttemptSucceeded:
      text(s.latestDeliveryAttemptSucceeded) ?? '',
    TimeLoggingStarted: text(s.startLoggingTime) ?? '',
    TimeLoggingStopped: text(s.stopLoggingTime) ?? '',
  };
}

export function startLogging(input: Input, ctx: CallContext): Output {
  const trail = findTrailToChange(
    ctx.world,
    input.Name,
    ctx.identity.accountId,
    ctx.region,
  );
  if (!trail.status.isLogging) {
    trail.status.isLogging = true;
    trail.status.startLoggingTime = ctx.time;
  }
  return {};
}

export function stopLogging(input: Input, ctx: CallContext): Output {
  const trail = findTrailToChange(
    ctx.world,
    input.Name,
    ctx.identity.accountId,
    ctx.region,
  );
  if (trail.status.isLogging) {
    trail.status.isLogging = false;
    trail.status.stopLoggingTime = ctx.time;
  }
  return {};
}

export function putEventSelectors(input: Input, ctx: CallContext): Output {
  const basic = input.EventSelectors;
  const advanced = input.AdvancedEventSelectors;
  if ((basic === undefined) === (advanced === undefined)) {
    throw new AwsError(
      'InvalidParameterCombinationException',
      basic === undefined
        ? 'You must specify either EventSelectors or AdvancedEventSelectors.'
        : 'You cannot specify both EventSelectors and AdvancedEventSelectors.',
    );
  }
  const trail = findTrailToChange(
    ctx.world,
    input.TrailName,
    ctx.identity.accountId,
    ctx.region,
  );
  if (basic !== undefined) {
    trail.eventSelectors = validateEventSelectors(basic);
    trail.advancedEventSelectors = undefined;
  } else {
    trail.advancedEventSelectors = validateAdvancedEventSelectors(advanced);
    trail.eventSelectors = undefined;
  }
  trail.hasCustomEventSelectors = true;
  return getEventSelectorsOf(trail);
}

function getEventSelectorsOf(trail: Trail): Output {
  if (trail.advancedEventSelectors) {
    return {
      TrailARN: trail.arn,
      AdvancedEventSelectors: trail.advancedEventSelectors,
    };
  }
  return {
    TrailARN: trail.arn,
    EventSelectors: trail.eventSelectors ?? validateEventSelectors([{}]),
  };
}

export function getEventSelectors(input: Input, ctx: CallContext): Output {
  return getEventSelectorsOf(
    findTrail(ctx.world, input.TrailName, ctx.identity.accountId, ctx.region),
  );
}

const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'];

export function putInsightSelectors(input: Input, ctx: CallContext): Output {
  const selectors = input.InsightSelectors;
  if (!Array.isArray(selectors)) {
    throw new AwsError(
      'InvalidInsightSelectorsException',
      'InsightSelectors must be a list.',
    );
  }
  for (const selector of selectors) {
    if (!INSIGHT_TYPES.includes(selector?.InsightType)) {
      throw new AwsError(
        'InvalidInsightSelectorsException',
        `Invalid InsightType ${
          selector?.InsightType
        }; valid types are ${INSIGHT_TYPES.join(', ')}.`,
      );
    }
  }
  const trail = findTrailToChange(
    ctx.world,
    input.TrailName,
    ctx.identity.accountId,
    ctx.region,
  );
  trail.insightSelectors = selectors.map((s: InsightSelector) => ({
    InsightType: s.InsightType,
  }));
  return { TrailARN: trail.arn, InsightSelectors: trail.insightSelectors };
}

export function getInsightSelectors(input: Input, ctx: CallContext): Output {
  const trail = findTrail(
    ctx.world,
    input.TrailName,
    ctx.identity.accountId,
    ctx.region,
  );
  if (trail.insightSelectors.length === 0) {
    throw new AwsError(
      'InsightNotEnabledException',
      `Trail ${trail.name} does not have Insights enabled. Use PutInsightSelectors to enable Insights.`,
    );
  }
  return { TrailARN: trail.arn, InsightSelectors: trail.insightSelectors };
}

function taggedTrail(resourceId: unknown, ctx: CallContext): Trail {
  if (typeof resourceId !== 'string' || !parseTrailArn(resourceId)) {
    throw new AwsError(
      'CloudTrailARNInvalidException',
      `ARN ${String(resourceId)} is invalid.`,
    );
  }
  const trail = ctx.world.trails.get(resourceId);
  if (!trail || !isOwnTrail(trail, ctx.identity.accountId)) {
    throw new AwsError(
      'ResourceNotFoundException',
      `Resource ${resourceId} not found.`,
    );
  }
  return trail;
}

export function addTags(input: Input, ctx: CallContext): Output {
  const trail = taggedTrail(input.ResourceId, ctx);
  const tags = checkTags(input.TagsList);
  const merged = new Map(trail.tags.map(t => [t.Key, t.Value]));
  for (const tag of tags) merged.set(tag.Key, tag.Value);
  if (merged.size > TAGS_PER_RESOURCE) {
    throw new AwsError(
      'TagsLimitExceededException',
      `A trail can have at most ${TAGS_PER_RESOURCE} tags.`,
    );
  }
  trail.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
  return {};
}

export function removeTags(input: Input, ctx: CallContext): Output {
  const trail = taggedTrail(input.ResourceId, ctx);
  const keys = new Set(checkTags(input.TagsList).map(t => t.Key));
  trail.tags = trail.tags.filter(t => !keys.has(t.Key));
  return {};
}

/** A JSON-protocol timestamp: epoch seconds, or an ISO-8601 string. */
function optionalTime(input: Input, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string') ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new AwsError(
      'InvalidTimeRangeException',
      `${field} must be a timestamp.`,
    );
  }
  return ms;
}

export function listPublicKeys(input: Input, ctx: CallContext): Output {
  const start = optionalTime(input, 'StartTime');
  const end = optionalTime(input, 'EndTime');
  if (start !== undefined && end !== undefined && start > end) {
    throw new AwsError(
      'InvalidTimeRangeException',
      'StartTime must be before EndTime.',
    );
  }
  return { PublicKeyList: publicKeysBetween(start, end, ctx.time) };
}

export function listTags(input: Input, ctx: CallContext): Output {
  const ids = input.ResourceIdList;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 20) {
    throw new AwsError(
      'InvalidParameterException',
      'ResourceIdList must contain 1 to 20 ARNs.',
    );
  }
  return {
    ResourceTagList: ids.map(id => ({
      ResourceId: id,
      TagsList: taggedTrail(id, ctx).tags,
    })),
  };
}

export const OPERATIONS: Record<
  string,
  (input: Input, ctx: CallContext) => Output
> = {
  CreateTrail: createTrail,
  UpdateTrail: updateTrail,
  DeleteTrail: deleteTrail,
  DescribeTrails: describeTrails,
  GetTrail: getTrail,
  ListTrails: listTrails,
  GetTrailStatus: getTrailStatus,
  StartLogging: startLogging,
  StopLogging: stopLogging,
  PutEventSelectors: putEventSelectors,
  GetEventSelectors: getEventSelectors,
  PutInsightSelectors: putInsightSelectors,
  GetInsightSelectors: getInsightSelectors,
  AddTags: addTags,
  RemoveTags: removeTags,
  ListTags: listTags,
  ListPublicKeys: listPublicKeys,
  LookupEvents: lookupEvents,
};
