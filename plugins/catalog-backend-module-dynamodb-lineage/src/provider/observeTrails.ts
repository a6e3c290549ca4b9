import { Probe } from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsClientFactory,
  describeTrailsWithTags,
  listTags,
  probeValue,
} from '@lineage/plugin-dynamodb-lineage-node';
import { isHomeObservation, TrailObservation } from './selectTrails';

export interface AccountRegion {
  accountId: string;
  region: string;
}

/**
 * The trails visible from one account-region, shadow trails included, with the
 * tags of those homed there: DescribeTrails and ListTags, nothing more. `ok: false` when AWS did not answer DescribeTrails
 * (or no credentials exist for the account): the caller keeps what it had.
 */
export async function observeTrails(
  clientFactory: AwsClientFactory,
  target: AccountRegion,
): Promise<Probe<TrailObservation[]>> {
  const clients = await probeValue(() =>
    clientFactory.forAccount(target.accountId, target.region),
  );
  if (!clients.ok) return clients;
  return describeTrailsWithTags(clients.value, target);
}

/**
 * Tags are readable only in a trail's home region. An account's own multi-region
 * trail homed in a region not listed for the account is seen only as shadows, so
 * its owner tag is read once in its home region; without this the tag would be
 * ignored. Updates the observations in place; a refusal leaves them as they were.
 */
export async function readMissingHomeTags(
  clientFactory: AwsClientFactory,
  accountId: string,
  observations: TrailObservation[],
): Promise<void> {
  const byArn = new Map<string, TrailObservation[]>();
  for (const observation of observations) {
    if (observation.trail.accountId !== accountId) continue;
    byArn.set(observation.trail.arn, [
      ...(byArn.get(observation.trail.arn) ?? []),
      observation,
    ]);
  }
  for (const seen of byArn.values()) {
    if (seen.some(o => isHomeObservation(o) || o.tags.ok)) continue;
    const { trail } = seen[0];
    const home = { accountId, region: trail.homeRegion };
    const clients = await probeValue(() =>
      clientFactory.forAccount(home.accountId, home.region),
    );
    if (!clients.ok) continue;
    const tags = await probeValue(
      async () =>
        (await listTags(clients.value, [trail.arn])).get(trail.arn) ?? {},
    );
    if (!tags.ok) continue;
    seen.forEach(observation => {
      observation.tags = tags;
    });
  }
}
