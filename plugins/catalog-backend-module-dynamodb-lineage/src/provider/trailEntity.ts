import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  EntityLink,
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_TRAIL_ARN,
  ANNOTATION_TRAIL_BUCKET,
  ANNOTATION_TRAIL_HOME_REGION,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
  TAG_OWNER,
  TrailDescription,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsAccount, parseArn } from '@lineage/plugin-dynamodb-lineage-node';
import { SelectedTrail } from './selectTrails';
import { trailEntityName } from './trailEntityName';

/** Name of the entity provider; also the location type of what it emits. */
export const TRAIL_PROVIDER_NAME = 'dynamodb-lineage-trails';

/** Owner when neither a tag nor an account says who owns the trail. */
export const UNKNOWN_OWNER = 'unknown';

export interface TrailEntityResult {
  entity: Entity;
  /** Problems worth a log line, e.g. an owner tag that is not an entity ref. */
  warnings: string[];
}

/** `dynamodb-lineage-trails:<trail ARN>`, the managed-by location of a trail entity. */
export function trailLocationRef(trailArn: string): string {
  return `${TRAIL_PROVIDER_NAME}:${trailArn}`;
}

/**
 * The catalog `Resource` for one discovered trail.
 *
 * `dependsOn` names the `aws-account` Resource of the account that owns the trail;
 * when that account is not in the catalog (an organization trail owned by the
 * management account) it names the member accounts the trail was seen from.
 * The owner comes from the trail's owner tag, else from the first of those
 * accounts' owners.
 */
export function toTrailEntity(
  selected: SelectedTrail,
  accounts: ReadonlyMap<string, AwsAccount>,
): TrailEntityResult {
  const { trail } = selected;
  const warnings: string[] = [];
  const dependsOnAccounts = accountsOf(selected, accounts);

  const ownerTag = selected.tags.ok
    ? selected.tags.value[TAG_OWNER]
    : undefined;
  const taggedOwner = ownerTag ? toOwnerRef(ownerTag) : undefined;
  if (ownerTag && !taggedOwner) {
    warnings.push(
      `Trail ${trail.arn}: tag ${TAG_OWNER} must be an entity ref such as group:default/team-a, got "${ownerTag}"`,
    );
  }
  const owner =
    taggedOwner ??
    dependsOnAccounts.find(account => account.owner)?.owner ??
    UNKNOWN_OWNER;

  const location = trailLocationRef(trail.arn);
  const dependsOn = dependsOnAccounts.flatMap(account =>
    account.entityRef ? [account.entityRef] : [],
  );

  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: trailEntityName(trail),
      title: trail.name,
      description: describeTrail(trail),
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_TRAIL_ARN]: trail.arn,
        [ANNOTATION_TRAIL_BUCKET]: trail.s3BucketName,
        [ANNOTATION_TRAIL_HOME_REGION]: trail.homeRegion,
        [ANNOTATION_AWS_ACCOUNT_ID]: trail.accountId,
      },
      links: trailLinks(trail),
    },
    spec: {
      type: RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
      owner,
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    },
  };
  return { entity, warnings };
}

/**
 * Console pages of the trail and of its bucket, in the trail's partition. The
 * console routes on the raw ARN in the fragment; trail ARNs hold only
 * characters a fragment allows.
 */
export function trailLinks(trail: TrailDescription): EntityLink[] {
  const host = consoleHost(trail.arn);
  const region = encodeURIComponent(trail.homeRegion);
  const links: EntityLink[] = [
    {
      url: `https://${region}.${host}/cloudtrail/home?region=${region}#/trails/${trail.arn}`,
      title: 'CloudTrail console',
      type: 'aws-console',
    },
  ];
  if (trail.s3BucketName) {
    const prefix = trail.s3KeyPrefix ? `${trail.s3KeyPrefix}/` : '';
    links.push({
      url: `https://${s3ConsoleHost(host)}/s3/buckets/${encodeURIComponent(
        trail.s3BucketName,
      )}?prefix=${encodeURIComponent(`${prefix}AWSLogs/`)}`,
      title: `S3 bucket ${trail.s3BucketName}`,
      type: 'aws-console',
    });
  }
  return links;
}

/** The AWS console's host in the partition of `arn`. */
export function consoleHost(arn: string): string {
  switch (parseArn(arn)?.partition) {
    case 'aws-cn':
      return 'console.amazonaws.cn';
    case 'aws-us-gov':
      return 'console.amazonaws-us-gov.com';
    default:
      return 'console.aws.amazon.com';
  }
}

/** The commercial partition serves S3 on its own console host. */
function s3ConsoleHost(host: string): string {
  return host === 'console.aws.amazon.com' ? `s3.${host}` : host;
}

function accountsOf(
  selected: SelectedTrail,
  accounts: ReadonlyMap<string, AwsAccount>,
): AwsAccount[] {
  const own = accounts.get(selected.trail.accountId);
  if (own) return [own];
  return selected.observers.flatMap(accountId => {
    const observer = accounts.get(accountId);
    return observer ? [observer] : [];
  });
}

/** Tag values are free text: accept `group:ns/name`, `ns/name` or a bare group name. */
function toOwnerRef(value: string): string | undefined {
  try {
    const ref = parseEntityRef(value.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    const valid =
      KubernetesValidatorFunctions.isValidKind(ref.kind) &&
      KubernetesValidatorFunctions.isValidNamespace(ref.namespace) &&
      KubernetesValidatorFunctions.isValidObjectName(ref.name);
    return valid ? stringifyEntityRef(ref) : undefined;
  } catch {
    return undefined;
  }
}

function describeTrail(trail: TrailDescription): string {
  const scope = [
    trail.isOrganizationTrail ? 'organization trail' : undefined,
    trail.isMultiRegionTrail ? 'multi-region' : 'single-region',
  ].filter(Boolean);
  const destination = trail.s3BucketName
    ? ` Delivers to s3://${trail.s3BucketName}${
        trail.s3KeyPrefix ? `/${trail.s3KeyPrefix}` : ''
      }.`
    : '';
  return `CloudTrail trail of account ${trail.accountId}, home region ${
    trail.homeRegion
  } (${scope.join(', ')}).${destination}`;
}
