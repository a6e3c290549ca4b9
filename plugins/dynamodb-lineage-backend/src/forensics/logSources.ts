import { NotFoundError } from '@backstage/errors';
import {
  ForensicsQuery,
  TrailDescription,
  forensicsQueryAccountId,
  tryParseTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsClientFactory,
  ForensicsLogLocator,
  ForensicsLogSource,
} from '@lineage/plugin-dynamodb-lineage-node';
import { coveringTrails } from '../status/coveringTrails';
import { LineageStore } from '../store/LineageStore';

/**
 * Finds the trails whose delivered logs answer a query, from the stored
 * refresh results: for item history the best trail covering the table; for
 * principal activity, in each region searched, the trail covering the
 * account-region. The logs are read with the clients of the trail's account.
 * Store reads only: no AWS call.
 */
export function storedTrailLocator(
  store: Pick<LineageStore, 'getAccountRegions' | 'getTrails' | 'getTrail'>,
  aws: AwsClientFactory,
): ForensicsLogLocator {
  const source = async (
    accountId: string,
    region: string,
    trail: TrailDescription,
  ): Promise<ForensicsLogSource> => ({
    accountId,
    region,
    s3: (await aws.forAccount(trail.accountId, trail.homeRegion)).s3,
    trail,
  });

  return async (query: ForensicsQuery) => {
    if (query.kind === 'item-history') {
      const table = tryParseTableArn(query.tableArn)!;
      const [accountRegion] = await store.getAccountRegions([table]);
      const [best] = (
        await coveringTrails(store, query.tableArn, accountRegion)
      ).covering;
      if (!best) {
        throw new NotFoundError(
          `No known trail logs DynamoDB data events of ${query.tableArn}; enable lineage tracking or wait for the next refresh`,
        );
      }
      return {
        sources: [
          await source(table.accountId, table.region, best.description),
        ],
        uncovered: [],
      };
    }
    const accountId = forensicsQueryAccountId(query);
    const regions = query.regions ?? [];
    const stored = await store.getAccountRegions(
      regions.map(region => ({ accountId, region })),
    );
    const sources: ForensicsLogSource[] = [];
    const uncovered: string[] = [];
    for (const region of regions) {
      const arn = stored.find(s => s.status.region === region)?.status
        .coveringTrail?.arn;
      const trail = arn ? await store.getTrail(arn) : undefined;
      if (trail) {
        sources.push(await source(accountId, region, trail.description));
      } else {
        uncovered.push(`${accountId}/${region}`);
      }
    }
    if (!sources.length) {
      throw new NotFoundError(
        `No known trail logs DynamoDB data events of account ${accountId} in ${regions.join(
          ', ',
        )}; enable lineage tracking or wait for the next refresh`,
      );
    }
    return { sources, uncovered };
  };
}
