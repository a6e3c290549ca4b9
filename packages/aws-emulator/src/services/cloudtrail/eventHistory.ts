import { AwsError } from '../../errors';
import type { CloudTrailRecord } from '../../events/record';
import type { World } from '../../world';
import type { CallContext } from '../types';

/**
 * CloudTrail's event history: the last 90 days of management events of every
 * account and region, trail or no trail, searchable with LookupEvents. Data
 * events never appear in it, as on AWS.
 */

const RETENTION_MS = 90 * 24 * 3_600_000;
/** Events kept per emulator, oldest dropped first. */
const MAX_EVENTS = 20_000;
const MAX_RESULTS = 50;

export function rememberEvent(world: World, record: CloudTrailRecord): void {
  if (!record.managementEvent) return;
  world.eventHistory.push(record);
  if (world.eventHistory.length > MAX_EVENTS) world.eventHistory.shift();
}

function username(record: CloudTrailRecord): string | undefined {
  const identity = record.userIdentity as Record<string, any>;
  if (identity.type === 'Root') return 'root';
  if (identity.type === 'AssumedRole')
    return String(identity.arn).split('/').pop();
  return identity.userName;
}

/** Event history names S3 buckets by name and other resources by ARN. */
const resourceName = (arn: string | undefined) =>
  arn?.startsWith('arn:aws:s3:::') && !arn.includes('/')
    ? arn.slice('arn:aws:s3:::'.length)
    : arn;

type Attribute = (record: CloudTrailRecord) => Array<string | undefined>;

const ATTRIBUTES: Record<string, Attribute> = {
  EventId: r => [r.eventID],
  EventName: r => [r.eventName],
  ReadOnly: r => [String(r.readOnly)],
  Username: r => [username(r)],
  ResourceType: r => (r.resources ?? []).map(res => res.type),
  ResourceName: r =>
    (r.resources ?? []).flatMap(res => [res.ARN, resourceName(res.ARN)]),
  EventSource: r => [r.eventSource],
  AccessKeyId: r => [(r.userIdentity as any).accessKeyId],
};

const toMs = (value: unknown, name: string): number | undefined => {
  if (value === undefined || value === null) return undefined;
  const ms =
    typeof value === 'number' ? value * 1000 : Date.parse(String(value));
  if (!Number.isFinite(ms)) {
    throw new AwsError(
      'InvalidTimeRangeException',
      `${name} is not a valid time.`,
    );
  }
  return ms;
};

function decodeToken(token: unknown): number {
  if (token === undefined) return 0;
  const offset = Number(
    Buffer.from(String(token), 'base64url').toString('utf8'),
  );
  if (!Number.isInteger(offset) || offset <= 0) {
    throw new AwsError(
      'InvalidNextTokenException',
      'Invalid NextToken provided.',
    );
  }
  return offset;
}

export function lookupEvents(
  input: Record<string, any>,
  ctx: CallContext,
): Record<string, unknown> {
  const attributes: Array<{ AttributeKey?: string; AttributeValue?: string }> =
    input.LookupAttributes ?? [];
  if (!Array.isArray(attributes) || attributes.length > 1) {
    throw new AwsError(
      'InvalidLookupAttributesException',
      'You can specify only one lookup attribute.',
    );
  }
  const [attribute] = attributes;
  const matches = attribute && ATTRIBUTES[attribute.AttributeKey ?? ''];
  if (attribute && (!matches || typeof attribute.AttributeValue !== 'string')) {
    throw new AwsError(
      'InvalidLookupAttributesException',
      `Invalid lookup attribute: ${
        attribute.AttributeKey
      }. Valid keys: ${Object.keys(ATTRIBUTES).join(
        ', ',
      )}; each with an AttributeValue.`,
    );
  }
  const maxResults = input.MaxResults ?? MAX_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) {
    throw new AwsError(
      'InvalidMaxResultsException',
      'MaxResults must be between 1 and 50.',
    );
  }
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') {
    throw new AwsError(
      'InvalidEventCategoryException',
      `Invalid EventCategory: ${input.EventCategory}.`,
    );
  }
  const now = ctx.world.clock.now();
  const start = toMs(input.StartTime, 'StartTime') ?? now - RETENTION_MS;
  const end = toMs(input.EndTime, 'EndTime') ?? now;
  if (start > end) {
    throw new AwsError(
      'InvalidTimeRangeException',
      'StartTime must be before EndTime.',
    );
  }
  const offset = decodeToken(input.NextToken);
  const found =
    input.EventCategory === 'insight'
      ? []
      : ctx.world.eventHistory
          .filter(record => {
            const time = Date.parse(record.eventTime);
            return (
              record.recipientAccountId === ctx.identity.accountId &&
              record.awsRegion === ctx.region &&
              time >= Math.max(start, now - RETENTION_MS) &&
              time <= end &&
              (!matches || matches(record).includes(attribute.AttributeValue))
            );
          })
          .reverse();
  const page = found.slice(offset, offset + maxResults);
  const next = offset + page.length;
  return {
    Events: page.map(record => ({
      EventId: record.eventID,
      EventName: record.eventName,
      ReadOnly: String(record.readOnly),
      AccessKeyId: (record.userIdentity as any).accessKeyId,
      EventTime: Date.parse(record.eventTime) / 1000,
      EventSource: record.eventSource,
      Username: username(record),
      Resources: (record.resources ?? []).map(res => ({
        ResourceType: res.type,
        ResourceName: resourceName(res.ARN),
      })),
      CloudTrailEvent: JSON.stringify(record),
    })),
    NextToken:
      next < found.length
        ? Buffer.from(String(next)).toString('base64url')
        : undefined,
  };
}
