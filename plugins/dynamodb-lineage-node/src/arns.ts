import { ARN, parse, validate } from '@aws-sdk/util-arn-parser';
import {
  AWS_PARTITION,
  partitionOf,
} from '@lineage/plugin-dynamodb-lineage-common';

/** ARNs of the resources this package creates. Table ARNs are parsed by the common package. */

export { partitionOf };

export function trailArnOf(
  accountId: string,
  region: string,
  trailName: string,
): string {
  return `arn:${AWS_PARTITION}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

/** The parts of an ARN (partition, service, region, account, resource), or `undefined` when it is not one. */
export function parseArn(arn: string | undefined): ARN | undefined {
  return arn && validate(arn) ? parse(arn) : undefined;
}

/** Account id of any ARN, e.g. the owner of a trail seen as a shadow trail. */
export function accountOfArn(arn: string): string | undefined {
  return parseArn(arn)?.accountId || undefined;
}
