import { LineageSpec } from '@lineage/plugin-dynamodb-lineage-common';
import { buildSpec, LineageSpecInput } from '../spec';

export const ACCOUNT = '111111111111';
export const TRAIL_ARN =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';
export const BUCKET = 'dynamodb-lineage-111111111111-us-east-1';

export function makeSpec(patch: Partial<LineageSpecInput> = {}): LineageSpec {
  return buildSpec({
    accountId: ACCOUNT,
    region: 'us-east-1',
    owner: 'group:default/team-payments',
    createdBy: 'user:default/jane',
    ...patch,
  });
}
