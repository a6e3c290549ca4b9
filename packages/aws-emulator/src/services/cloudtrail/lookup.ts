import { AwsError } from '../../errors';
import type { World } from '../../world';
import { type Trail, parseTrailArn, trailArn, trailNameProblem } from './model';

/**
 * Which trails an account sees, and how names and ARNs resolve, including
 * shadow trails: a multi-region trail seen from a region other than its home,
 * and an organization trail seen from a member account.
 */

export function isOwnTrail(trail: Trail, accountId: string): boolean {
  return trail.accountId === accountId;
}

/** Whether an organization trail of another account covers this account. */
export function isOrganizationShadow(
  world: World,
  trail: Trail,
  accountId: string,
): boolean {
  if (!trail.isOrganizationTrail || trail.accountId === accountId) return false;
  const org = world.organizationOf(trail.accountId);
  return (
    !!org &&
    org.managementAccountId === trail.accountId &&
    org.memberAccountIds.includes(accountId)
  );
}

export function isVisible(
  world: World,
  trail: Trail,
  accountId: string,
): boolean {
  return (
    isOwnTrail(trail, accountId) ||
    isOrganizationShadow(world, trail, accountId)
  );
}

/** Whether the trail applies in the region (its home, or everywhere if multi-region). */
export const appliesInRegion = (trail: Trail, region: string) =>
  trail.homeRegion === region || trail.isMultiRegionTrail;

/** Trails an account sees in a region; shadows only when asked for. */
export function trailsInRegion(
  world: World,
  accountId: string,
  region: string,
  includeShadowTrails: boolean,
): Trail[] {
  return [...world.trails.values()].filter(trail => {
    if (!appliesInRegion(trail, region) || !isVisible(world, trail, accountId))
      return false;
    const isHome = isOwnTrail(trail, accountId) && trail.homeRegion === region;
    return isHome || includeShadowTrails;
  });
}

export const trailNotFound = (nameOrArn: string, accountId: string) =>
  new AwsError(
    'TrailNotFoundException',
    `Unknown trail: ${nameOrArn} for the user: ${accountId}`,
  );

export function checkTrailName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new AwsError(
      'InvalidTrailNameException',
      'Trail name or ARN can not be empty.',
    );
  }
  const problem = trailNameProblem(name);
  if (problem) {
    throw new AwsError('InvalidTrailNameException', `Trail name ${problem}.`);
  }
  return name;
}

/**
 * Resolves a `Name`/`TrailName` parameter: an ARN names a trail in any region;
 * a plain name resolves among the trails of the current region.
 */
export function findTrail(
  world: World,
  nameOrArn: unknown,
  accountId: string,
  region: string,
): Trail {
  if (typeof nameOrArn === 'string' && nameOrArn.startsWith('arn:')) {
    const parsed = parseTrailArn(nameOrArn);
    if (!parsed) {
      throw new AwsError(
        'CloudTrailARNInvalidException',
        `ARN ${nameOrArn} is invalid.`,
      );
    }
    const trail = world.trails.get(nameOrArn);
    if (!trail || !isVisible(world, trail, accountId)) {
      throw trailNotFound(nameOrArn, accountId);
    }
    return trail;
  }
  const name = checkTrailName(nameOrArn);
  const trail = trailsInRegion(world, accountId, region, true).find(
    t => t.name === name,
  );
  if (!trail) throw trailNotFound(trailArn(region, accountId, name), accountId);
  return trail;
}

/** Changes are allowed only to the owner, and only from the trail's home region. */
export function findTrailToChange(
  world: World,
  nameOrArn: unknown,
  accountId: string,
  region: string,
): Trail {
  const trail = findTrail(world, nameOrArn, accountId, region);
  if (!isOwnTrail(trail, accountId)) {
    throw new AwsError(
      'NotOrganizationMasterAccountException',
      `The trail ${trail.arn} belongs to the organization's management account; only it can change the trail.`,
    );
  }
  if (trail.homeRegion !== region) {
    throw new AwsError(
      'InvalidHomeRegionException',
      `This operation can only be performed in the trail's home region: ${trail.homeRegion}. ` +
        `The trail ${trail.arn} was called from ${region}.`,
    );
  }
  return trail;
}
