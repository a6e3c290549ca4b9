import {
  AwsClientFactory,
  ForensicsTrail,
  resolveLogLocation,
} from '@lineage/plugin-dynamodb-lineage-node';
import { LineageStore } from '../store/LineageStore';

/**
 * The trail whose logs Athena reads for an account, from the stored refresh
 * results: the trail covering most of the account's regions, and the regions
 * it covers. An organization trail's `o-` folder is found with one S3
 * listing (DescribeTrails does not tell it).
 */
export function storedAthenaTrail(
  store: Pick<LineageStore, 'listAccountRegions' | 'getTrail'>,
  aws: AwsClientFactory,
): (accountId: string) => Promise<ForensicsTrail | undefined> {
  return async accountId => {
    const covered = new Map<string, string[]>();
    for (const { status } of await store.listAccountRegions()) {
      const arn = status.coveringTrail?.arn;
      if (status.accountId !== accountId || !arn) continue;
      covered.set(arn, [...(covered.get(arn) ?? []), status.region]);
    }
    const [best] = [...covered.entries()].sort(
      (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
    );
    if (!best) return undefined;
    const trail = (await store.getTrail(best[0]))?.description;
    if (!trail) return undefined;
    const location = await resolveLogLocation(
      (
        await aws.forAccount(trail.accountId, trail.homeRegion)
      ).s3,
      trail,
    );
    return {
      trailName: trail.name,
      accountId,
      bucketName: trail.s3BucketName,
      homeRegion: trail.homeRegion,
      regions: best[1].sort(),
      ...location,
    };
  };
}
