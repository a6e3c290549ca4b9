import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  ResourceTag,
  Trail,
} from '@aws-sdk/client-cloudtrail';
import {
  ADVANCED_FIELD_OPERATORS,
  EventSelectors,
  Probe,
  TrailDescription,
  TrailState,
  TrailStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import { parseArn } from './arns';
import { AwsClients } from './clients';
import { compact } from './objects';
import { probeValue } from './probe';

export interface InspectTarget {
  accountId: string;
  region: string;
}

/**
 * Answers already at hand for a trail — remembered from an earlier refresh, or
 * asked from another region in this one — so they are not asked again.
 */
export interface KnownTrailAnswers {
  status?: Probe<TrailStatus> | Promise<Probe<TrailStatus>>;
  eventSelectors?: Probe<EventSelectors> | Promise<Probe<EventSelectors>>;
  insightTypes?: Probe<string[]> | Promise<Probe<string[]>>;
  tags?: Probe<Record<string, string>>;
}

export interface InspectTrailsOptions {
  /** What is already known about a described trail; anything absent is asked. */
  known?(trail: TrailDescription): KnownTrailAnswers | undefined;
}

/**
 * What GetEventSelectors answers for a trail that never had selectors put:
 * management events only. DescribeTrails says so with `HasCustomEventSelectors: false`.
 */
export const DEFAULT_TRAIL_EVENT_SELECTORS: EventSelectors = {
  basic: [
    { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] },
  ],
};

/** ListTags takes at most 20 ARNs per call. */
const LIST_TAGS_BATCH = 20;

/**
 * Every trail visible from an account-region, shadow trails included (multi-region
 * and organization trails homed elsewhere), with status, selectors, insights and tags.
 *
 * Calls: one DescribeTrails, one ListTags per 20 home-region trails, and per trail
 * GetTrailStatus, GetEventSelectors only when the trail has custom selectors, and
 * GetInsightSelectors only when it has Insights — each skipped when `options.known`
 * already has the answer. CloudTrail's rate per account-region is kept by
 * the clients (`DefaultAwsClientFactory`).
 * When DescribeTrails itself fails the whole answer is `ok: false`: the caller
 * shows the account-region as unknown with that reason.
 */
export async function inspectTrails(
  clients: AwsClients,
  target: InspectTarget,
  options: InspectTrailsOptions = {},
): Promise<Probe<TrailState[]>> {
  const described = await describeTrails(clients);
  if (!described.ok) return described;
  const known = new Map(
    described.value.map(trail => [trail.arn, options.known?.(trail) ?? {}]),
  );
  const tags = await homeTrailTags(
    clients,
    described.value.filter(t => !known.get(t.arn)?.tags),
    target,
  );
  const states = await Promise.all(
    described.value.map(trail => {
      const answers = known.get(trail.arn) ?? {};
      return inspectTrail(clients, trail, target, {
        ...answers,
        tags: answers.tags ?? tags.get(trail.arn)!,
      });
    }),
  );
  return { ok: true, value: states };
}

/**
 * Every trail visible from an account-region with its tags, and nothing else:
 * one DescribeTrails and one ListTags per 20 trails homed there. Shadow trails' tags are not readable
 * here (`ok: false`): they are read in the trail's home region.
 */
export async function describeTrailsWithTags(
  clients: AwsClients,
  target: InspectTarget,
): Promise<Probe<Pick<TrailState, 'trail' | 'observedFrom' | 'tags'>[]>> {
  const described = await describeTrails(clients);
  if (!described.ok) return described;
  const tags = await homeTrailTags(clients, described.value, target);
  return {
    ok: true,
    value: described.value.map(trail => ({
      trail,
      observedFrom: { accountId: target.accountId, region: target.region },
      tags: tags.get(trail.arn)!,
    })),
  };
}

/** Tags of every trail in `trails`: read for those homed in `target`, a refusal for shadows. */
async function homeTrailTags(
  clients: AwsClients,
  trails: TrailDescription[],
  target: InspectTarget,
): Promise<Map<string, Probe<Record<string, string>>>> {
  const read = await listTagsBatched(
    clients,
    trails.filter(t => isHomeTrail(t, target)).map(t => t.arn),
  );
  return new Map(
    trails.map(trail => [trail.arn, read.get(trail.arn) ?? shadowTags(trail)]),
  );
}

/** One DescribeTrails call, shadow trails included. */
export async function describeTrails(
  clients: AwsClients,
): Promise<Probe<TrailDescription[]>> {
  return probeValue(async () => {
    const output = await clients.cloudTrail.send(
      new DescribeTrailsCommand({ includeShadowTrails: true }),
    );
    return (output.trailList ?? []).flatMap(trail => {
      const description = toTrailDescription(trail);
      return description ? [description] : [];
    });
  });
}

/**
 * Status, selectors, insights and tags of one trail, each as its own probe so a
 * refused question leaves the others answered. Calls go by ARN, which CloudTrail
 * requires for shadow trails; `known` answers are used as given.
 */
export async function inspectTrail(
  clients: AwsClients,
  trail: TrailDescription,
  observedFrom: InspectTarget,
  known: KnownTrailAnswers = {},
): Promise<TrailState> {
  const [status, eventSelectors, insightTypes, tags] = await Promise.all([
    known.status ?? probeValue(() => getTrailStatus(clients, trail.arn)),
    known.eventSelectors ?? askEventSelectors(clients, trail),
    known.insightTypes ?? askInsightTypes(clients, trail),
    known.tags
      ? Promise.resolve(known.tags)
      : probeValue(async () => {
          const all = await listTags(clients, [trail.arn]);
          return all.get(trail.arn) ?? {};
        }),
  ]);
  return {
    trail,
    observedFrom: {
      accountId: observedFrom.accountId,
      region: observedFrom.region,
    },
    status,
    eventSelectors,
    insightTypes,
    tags,
  };
}

/**
 * A trail's selectors, asked only when DescribeTrails says it has custom ones:
 * without, AWS answers the default (management events only).
 */
export function askEventSelectors(
  clients: AwsClients,
  trail: TrailDescription,
): Promise<Probe<EventSelectors>> {
  if (trail.hasCustomEventSelectors === false) {
    return Promise.resolve({ ok: true, value: DEFAULT_TRAIL_EVENT_SELECTORS });
  }
  return probeValue(() => getEventSelectors(clients, trail.arn));
}

/** A trail's Insights types, asked only when DescribeTrails says it has some. */
export function askInsightTypes(
  clients: AwsClients,
  trail: TrailDescription,
): Promise<Probe<string[]>> {
  if (trail.hasInsightSelectors === false) {
    return Promise.resolve({ ok: true, value: [] });
  }
  return probeValue(() => getInsightTypes(clients, trail.arn));
}

export function toTrailDescription(trail: Trail): TrailDescription | undefined {
  if (!trail.TrailARN || !trail.Name) return undefined;
  const arn = parseArn(trail.TrailARN);
  const homeRegion = trail.HomeRegion ?? arn?.region ?? '';
  return {
    name: trail.Name,
    arn: trail.TrailARN,
    accountId: arn?.accountId ?? '',
    homeRegion,
    s3BucketName: trail.S3BucketName ?? '',
    ...(trail.S3KeyPrefix ? { s3KeyPrefix: trail.S3KeyPrefix } : {}),
    isMultiRegionTrail: trail.IsMultiRegionTrail ?? false,
    includeGlobalServiceEvents: trail.IncludeGlobalServiceEvents ?? false,
    isOrganizationTrail: trail.IsOrganizationTrail ?? false,
    logFileValidationEnabled: trail.LogFileValidationEnabled ?? false,
    ...(trail.KmsKeyId ? { kmsKeyId: trail.KmsKeyId } : {}),
    ...(trail.HasCustomEventSelectors !== undefined
      ? { hasCustomEventSelectors: trail.HasCustomEventSelectors }
      : {}),
    ...(trail.HasInsightSelectors !== undefined
      ? { hasInsightSelectors: trail.HasInsightSelectors }
      : {}),
  };
}

export async function getTrailStatus(
  clients: AwsClients,
  trailArn: string,
): Promise<TrailStatus> {
  const output = await clients.cloudTrail.send(
    new GetTrailStatusCommand({ Name: trailArn }),
  );
  return compact({
    isLogging: output.IsLogging ?? false,
    latestDeliveryTime: output.LatestDeliveryTime?.toISOString(),
    latestDeliveryError: output.LatestDeliveryError || undefined,
    latestDigestDeliveryTime: output.LatestDigestDeliveryTime?.toISOString(),
    startLoggingTime: output.StartLoggingTime?.toISOString(),
    stopLoggingTime: output.StopLoggingTime?.toISOString(),
  });
}

export async function getEventSelectors(
  clients: AwsClients,
  trailArn: string,
): Promise<EventSelectors> {
  const output = await clients.cloudTrail.send(
    new GetEventSelectorsCommand({ TrailName: trailArn }),
  );
  // A trail has basic XOR advanced selectors; AWS omits the other list.
  if (output.AdvancedEventSelectors?.length) {
    return {
      advanced: output.AdvancedEventSelectors.map(selector => ({
        ...(selector.Name ? { Name: selector.Name } : {}),
        FieldSelectors: (selector.FieldSelectors ?? []).map(field => ({
          Field: field.Field ?? '',
          ...pick(field, ADVANCED_FIELD_OPERATORS),
        })),
      })),
    };
  }
  return {
    basic: (output.EventSelectors ?? []).map(selector => ({
      ...(selector.ReadWriteType
        ? { ReadWriteType: selector.ReadWriteType }
        : {}),
      ...(selector.IncludeManagementEvents !== undefined
        ? { IncludeManagementEvents: selector.IncludeManagementEvents }
        : {}),
      ...(selector.DataResources
        ? {
            DataResources: selector.DataResources.map(resource => ({
              ...(resource.Type ? { Type: resource.Type } : {}),
              ...(resource.Values ? { Values: resource.Values } : {}),
            })),
          }
        : {}),
      ...(selector.ExcludeManagementEventSources?.length
        ? {
            ExcludeManagementEventSources:
              selector.ExcludeManagementEventSources,
          }
        : {}),
    })),
  };
}

export async function getInsightTypes(
  clients: AwsClients,
  trailArn: string,
): Promise<string[]> {
  try {
    const output = await clients.cloudTrail.send(
      new GetInsightSelectorsCommand({ TrailName: trailArn }),
    );
    return (output.InsightSelectors ?? []).flatMap(s =>
      s.InsightType ? [s.InsightType] : [],
    );
  } catch (error) {
    // AWS answers "not enabled" with an error rather than an empty list.
    if ((error as Error)?.name === 'InsightNotEnabledException') return [];
    throw error;
  }
}

/** Tags of up to 20 trails in one call. */
export async function listTags(
  clients: AwsClients,
  trailArns: string[],
): Promise<Map<string, Record<string, string>>> {
  const output = await clients.cloudTrail.send(
    new ListTagsCommand({ ResourceIdList: trailArns }),
  );
  return new Map(
    (output.ResourceTagList ?? []).map((entry: ResourceTag) => [
      entry.ResourceId ?? '',
      Object.fromEntries(
        (entry.TagsList ?? []).map(tag => [tag.Key ?? '', tag.Value ?? '']),
      ),
    ]),
  );
}

async function listTagsBatched(
  clients: AwsClients,
  arns: string[],
): Promise<Map<string, Probe<Record<string, string>>>> {
  const result = new Map<string, Probe<Record<string, string>>>();
  for (let i = 0; i < arns.length; i += LIST_TAGS_BATCH) {
    const batch = arns.slice(i, i + LIST_TAGS_BATCH);
    const answer = await probeValue(() => listTags(clients, batch));
    if (answer.ok) {
      batch.forEach(arn =>
        result.set(arn, { ok: true, value: answer.value.get(arn) ?? {} }),
      );
      continue;
    }
    // One refused trail must not leave the others without tags: ask one by one.
    for (const arn of batch) {
      result.set(
        arn,
        await probeValue(
          async () => (await listTags(clients, [arn])).get(arn) ?? {},
        ),
      );
    }
  }
  return result;
}

function isHomeTrail(trail: TrailDescription, target: InspectTarget): boolean {
  return (
    trail.homeRegion === target.region && trail.accountId === target.accountId
  );
}

/** ListTags answers only for trails of the current region: read them at home. */
function shadowTags(trail: TrailDescription): Probe<Record<string, string>> {
  return {
    ok: false,
    code: 'ShadowTrail',
    error: `Tags of ${trail.arn} are read in its home region ${trail.homeRegion} of account ${trail.accountId}`,
  };
}

function pick<T extends object, K extends keyof T>(
  source: T,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  const result: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    const value = source[key];
    if (Array.isArray(value) && value.length > 0) {
      result[key] = value;
    }
  }
  return result;
}
