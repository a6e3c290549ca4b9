/** ARNs of the resources this package creates. Table ARNs are parsed by the common package. */

import { partitionOf } from '@lineage/plugin-dynamodb-lineage-common';

export { partitionOf };

export function trailArnOf(
  accountId: string,
  region: string,
  trailName: string,
): string {
  return `arn:${partitionOf(
    region,
  )}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

/** Account id of any ARN, e.g. the owner of a trail seen as a shadow trail. */
export function accountOfArn(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}
