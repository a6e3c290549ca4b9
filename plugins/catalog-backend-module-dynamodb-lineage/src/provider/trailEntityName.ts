import { awsResourceEntityName } from '../entityName';

/**
 * The entity name of a trail: `<account>-<home region>-<trail name>`, lowercased,
 * with a hash of the ARN when that had to be altered (see {@link awsResourceEntityName}).
 */
export function trailEntityName(trail: {
  arn: string;
  accountId: string;
  homeRegion: string;
  name: string;
}): string {
  return awsResourceEntityName(
    { accountId: trail.accountId, region: trail.homeRegion, name: trail.name },
    trail.arn,
  );
}
